//! `astrola_diff::merge` for Python: `merge`, `merge_histories`, `Merge`,
//! `Conflict`, `HistoryMerge` and `Renumbered`.
//!
//! A merge's conflicts are its result, not an error: `merge` returns the
//! `Merge` whether or not the branches combine (`is_clean`), as
//! `astrola merge` prints it in both cases.

use std::sync::Arc;

use astrola_core::migrations::MigrationFile;
use astrola_core::Parsed;
use astrola_diff::merge::MergeOptions;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::core::{DialectArg, Flag, SchemaArg, Text};
use crate::diff::ChangeSet;
use crate::error::{diff_error, invalid_argument};
use crate::{py_repr, to_dict, to_json};

/// The Python type name of `value`, for messages.
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map_or_else(|_| "object".to_string(), |n| n.to_string())
}

/// Merges `ours` and `theirs`, two branches of `base`, as `astrola merge
/// BASE OURS THEIRS` does.
///
/// Each is SQL text (parsed in `dialect`) or a `Schema`. The
/// `-- @renamed from=old` annotations of `ours` and `theirs` declare each
/// branch's renames. Returns the `Merge` whether or not the branches
/// combine: check `is_clean` (no conflict) and `changes.is_complete` (no
/// destructive change refused; pass `allow_destructive=True` to include
/// theirs' drops). Raises `ParseError` for SQL that does not parse and
/// `DialectMismatchError` when the three are not of one dialect.
#[pyfunction]
#[pyo3(
    signature = (base, ours, theirs, *, allow_destructive = Flag(false), dialect = DialectArg::default()),
    text_signature = "(base, ours, theirs, *, allow_destructive=False, dialect='postgres')"
)]
pub fn merge(py: Python<'_>, base: SchemaArg, ours: SchemaArg, theirs: SchemaArg, allow_destructive: Flag, dialect: DialectArg) -> PyResult<Merge> {
    let merged = py.detach(|| -> Result<_, astrola_diff::Error> {
        let base = base.resolve(dialect.0)?;
        let ours = ours.resolve(dialect.0)?;
        let theirs = theirs.resolve(dialect.0)?;
        // As `astrola merge`: each branch's renames are its annotations.
        let options = MergeOptions { ours_renames: ours.renames.clone(), theirs_renames: theirs.renames.clone(), allow_destructive: allow_destructive.0 };
        let merged = astrola_diff::merge(&base.schema, &ours.schema, &theirs.schema, &options)?;
        Ok(Merge::new(merged, ours))
    });
    merged.map_err(|e| diff_error(py, e))
}

/// A `merge_histories` argument: a migration directory's files, as a
/// mapping of file name to SQL or an iterable of `(name, sql)` pairs or of
/// `{"name": ..., "sql": ...}` dicts.
pub struct MigrationFiles(Vec<MigrationFile>);

impl MigrationFiles {
    fn read(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Self> {
        let py = value.py();
        let expected = || format!("{what} must be a mapping of file name to SQL, or an iterable of (name, sql) pairs, got {}", type_name(value));
        if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
            return Err(invalid_argument(py, expected()));
        }
        let items = match value.cast::<PyDict>() {
            Ok(dict) => dict.items().into_any(),
            Err(_) => match value.getattr("items") {
                Ok(items) => items.call0()?,
                Err(_) => value.clone(),
            },
        };
        let mut files = Vec::new();
        for (index, item) in items.try_iter().map_err(|_| invalid_argument(py, expected()))?.enumerate() {
            let item = item?;
            let file = |key: &str| -> PyResult<String> {
                let field = item.get_item(key).map_err(|_| invalid_argument(py, format!("{what}[{index}] has no {key:?}")))?;
                let Text(text) = field.extract().map_err(|_| invalid_argument(py, format!("{what}[{index}][{key:?}] must be str, got {}", type_name(&field))))?;
                Ok(text)
            };
            let (name, sql) = if item.is_instance_of::<PyDict>() {
                (file("name")?, file("sql")?)
            } else {
                let pair = || invalid_argument(py, format!("{what}[{index}] must be a (name, sql) pair of str, got {}", type_name(&item)));
                if item.is_instance_of::<PyString>() {
                    return Err(pair());
                }
                let (Text(name), Text(sql)) = item.extract().map_err(|_| pair())?;
                (name, sql)
            };
            files.push(MigrationFile { name, sql });
        }
        Ok(Self(files))
    }
}

/// Compares two diverged migration histories and merges the schemas they
/// produce, as `astrola merge --history OURS_DIR THEIRS_DIR` does.
///
/// `ours` and `theirs` are each a directory's files (this package reads
/// no files): a mapping of file name to SQL, or an iterable of
/// `(name, sql)` pairs or `{"name", "sql"}` dicts, in any order. The
/// shared prefix (same name and text) is the base. Rename hints in the
/// files are honoured. Raises `ParseError` (with the `file`) when a file
/// does not replay, and `MigrationsError` when a file name has no version
/// or two files share one.
#[pyfunction]
#[pyo3(
    signature = (ours, theirs, *, allow_destructive = Flag(false), dialect = DialectArg::default()),
    text_signature = "(ours, theirs, *, allow_destructive=False, dialect='postgres')"
)]
pub fn merge_histories(py: Python<'_>, ours: &Bound<'_, PyAny>, theirs: &Bound<'_, PyAny>, allow_destructive: Flag, dialect: DialectArg) -> PyResult<HistoryMerge> {
    let MigrationFiles(ours) = MigrationFiles::read(ours, "ours")?;
    let MigrationFiles(theirs) = MigrationFiles::read(theirs, "theirs")?;
    let history = py.detach(|| -> Result<_, astrola_diff::Error> {
        let options = MergeOptions { allow_destructive: allow_destructive.0, ..MergeOptions::default() };
        let history = astrola_diff::merge_histories(ours.clone(), theirs, dialect.0, &options)?;
        // The schema the merged migration starts from, for `changes.down()`.
        let ours = astrola_core::migrations::replay(ours, dialect.0)?;
        Ok(HistoryMerge { merge: Merge::new(history.merge.clone(), Arc::new(ours)), history: Arc::new(history) })
    });
    history.map_err(|e| diff_error(py, e))
}

/// The result of a three-way merge: the merged schema, the migration that
/// takes ours to it, and the conflicts.
///
/// `to_json()` is exactly what `astrola merge --format json` prints
/// (docs/merge-json.md).
#[pyclass(frozen, eq, module = "astrola")]
#[derive(Clone)]
pub struct Merge {
    model: Arc<astrola_diff::Merge>,
    /// The merged migration, shared with the `ChangeSet`s handed out.
    changes: Arc<astrola_diff::ChangeSet>,
    /// Ours, the schema the merged migration starts from.
    ours: Arc<Parsed>,
    /// The merged schema, with the renames the merged migration applies.
    merged: Arc<Parsed>,
}

impl PartialEq for Merge {
    fn eq(&self, other: &Self) -> bool {
        self.model == other.model
    }
}

impl Merge {
    fn new(model: astrola_diff::Merge, ours: Arc<Parsed>) -> Self {
        let merged = Parsed { schema: model.schema.clone(), warnings: Vec::new(), renames: model.diff_options.renames.clone() };
        Self { changes: Arc::new(model.changes.clone()), ours, merged: Arc::new(merged), model: Arc::new(model) }
    }
}

#[pymethods]
impl Merge {
    /// The version of the Merge JSON format.
    #[getter]
    fn format(&self) -> u32 {
        self.model.format
    }

    /// The merged schema. Where there are conflicts it holds ours' version
    /// of the objects involved. `diff(ours, schema)` gives `changes`.
    #[getter]
    fn schema(&self) -> crate::core::Schema {
        crate::core::Schema { parsed: self.merged.clone() }
    }

    /// The migration that takes ours to the merged schema: what the branch
    /// that lands second must run. Conflicting changes are not in it; it
    /// may refuse destructive changes (see `is_complete`).
    #[getter]
    fn changes(&self) -> ChangeSet {
        ChangeSet::computed(self.changes.clone(), self.ours.clone(), self.merged.clone(), self.model.diff_options.clone())
    }

    /// Why the branches do not combine; empty when they do.
    #[getter]
    fn conflicts(&self) -> Vec<Conflict> {
        (0..self.model.conflicts.len()).map(|index| Conflict { merge: self.model.clone(), index }).collect()
    }

    /// Rename hints that rename nothing of the base, and similar remarks.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.model.notes.clone()
    }

    /// True when the branches combine: no conflict.
    #[getter]
    fn is_clean(&self) -> bool {
        self.model.is_clean()
    }

    /// The merged migration SQL as `astrola merge --format sql` prints it
    /// (refused changes as comments).
    fn sql(&self) -> String {
        self.model.changes.annotated_sql()
    }

    /// `sql()` followed, for each conflict, by both branches' statements
    /// between git-style markers: `astrola merge --format sql --markers`.
    fn sql_with_markers(&self) -> String {
        self.model.sql_with_markers()
    }

    /// The report `astrola merge` prints: each conflict with base, ours and
    /// theirs side by side, its explanation and resolution, then the
    /// merged migration.
    fn to_text(&self) -> String {
        self.model.to_text()
    }

    /// The merge as Python dicts and lists (docs/merge-json.md).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &*self.model)
    }

    /// The merge as pretty-printed JSON: `astrola merge --format json`
    /// without its final newline.
    fn to_json(&self) -> String {
        self.model.to_json()
    }

    fn __repr__(&self) -> String {
        let m = &self.model;
        format!("<astrola.Merge conflicts={} changes={} clean={}>", m.conflicts.len(), m.changes.changes.len(), if m.is_clean() { "True" } else { "False" })
    }
}

/// One conflict of a merge: what each branch did to one object, and why
/// the two do not combine.
#[pyclass(frozen, eq, module = "astrola")]
pub struct Conflict {
    merge: Arc<astrola_diff::Merge>,
    index: usize,
}

impl PartialEq for Conflict {
    fn eq(&self, other: &Self) -> bool {
        self.model() == other.model()
    }
}

impl Conflict {
    fn model(&self) -> &astrola_diff::Conflict {
        &self.merge.conflicts[self.index]
    }
}

#[pymethods]
impl Conflict {
    /// "incompatible", "order_dependent" or "semantic".
    #[getter]
    fn kind(&self) -> &'static str {
        self.model().kind.as_str()
    }

    /// What the object is: "table", "column", "constraint", "index", ...
    #[getter]
    fn object_type(&self) -> &str {
        &self.model().object_type
    }

    /// The object, in SQL spelling ("public.users.email"), as named in the
    /// merged schema.
    #[getter]
    fn object(&self) -> &str {
        &self.model().object
    }

    /// Its definition in the base, as the SQL that creates it, or None.
    #[getter]
    fn base(&self) -> Option<&str> {
        self.model().base.as_deref()
    }

    /// Its definition in ours, or None.
    #[getter]
    fn ours(&self) -> Option<&str> {
        self.model().ours.as_deref()
    }

    /// Its definition in theirs, or None.
    #[getter]
    fn theirs(&self) -> Option<&str> {
        self.model().theirs.as_deref()
    }

    /// What ours did, in words ("drops column public.users.email").
    #[getter]
    fn ours_change(&self) -> &str {
        &self.model().ours_change
    }

    /// What theirs did, in words.
    #[getter]
    fn theirs_change(&self) -> &str {
        &self.model().theirs_change
    }

    /// Why the two changes conflict, in plain language.
    #[getter]
    fn explanation(&self) -> &str {
        &self.model().explanation
    }

    /// A suggested way to resolve it.
    #[getter]
    fn resolution(&self) -> &str {
        &self.model().resolution
    }

    /// The statements of ours' own migration (base to ours) about the
    /// conflict; "" when there are none.
    #[getter]
    fn ours_sql(&self) -> &str {
        &self.model().ours_sql
    }

    /// The statements of theirs' own migration about the conflict.
    #[getter]
    fn theirs_sql(&self) -> &str {
        &self.model().theirs_sql
    }

    /// The conflict as Python dicts and lists (docs/merge-json.md).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The conflict as pretty-printed JSON (docs/merge-json.md).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let c = self.model();
        format!("<astrola.Conflict {} {} {}>", c.kind, c.object_type, py_repr(py, &c.object))
    }
}

/// How two diverged migration histories relate, and how to make them one.
///
/// `to_json()` is exactly what `astrola merge --history --format json`
/// prints.
#[pyclass(frozen, eq, module = "astrola")]
pub struct HistoryMerge {
    history: Arc<astrola_diff::HistoryMerge>,
    merge: Merge,
}

impl PartialEq for HistoryMerge {
    fn eq(&self, other: &Self) -> bool {
        self.history == other.history
    }
}

#[pymethods]
impl HistoryMerge {
    /// The files both histories share (same name and text), in order.
    #[getter]
    fn common(&self) -> Vec<String> {
        self.history.common.clone()
    }

    /// The files only ours has after the shared prefix, in order.
    #[getter]
    fn ours_tail(&self) -> Vec<String> {
        self.history.ours_tail.clone()
    }

    /// The files only theirs has after the shared prefix, in order.
    #[getter]
    fn theirs_tail(&self) -> Vec<String> {
        self.history.theirs_tail.clone()
    }

    /// True when both histories added files after the shared prefix.
    #[getter]
    fn diverged(&self) -> bool {
        self.history.diverged
    }

    /// True when the tails commute: no conflict, and both replay orders
    /// give the same schema.
    #[getter]
    fn commute(&self) -> bool {
        self.history.commute
    }

    /// The proposed linear order of file names (theirs' renumbered); empty
    /// when the tails do not commute.
    #[getter]
    fn order(&self) -> Vec<String> {
        self.history.order.clone()
    }

    /// The files of theirs the proposed order renames.
    #[getter]
    fn renumbered(&self) -> Vec<Renumbered> {
        (0..self.history.renumbered.len()).map(|index| Renumbered { history: self.history.clone(), index }).collect()
    }

    /// The three-way merge of the schemas the histories produce.
    #[getter]
    fn merge(&self) -> Merge {
        self.merge.clone()
    }

    /// Why the tails do not commute beyond the merge's conflicts.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.history.notes.clone()
    }

    /// The history merge as Python dicts and lists (docs/merge-json.md).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &*self.history)
    }

    /// The history merge as pretty-printed JSON: `astrola merge --history
    /// --format json` without its final newline.
    fn to_json(&self) -> String {
        to_json(&*self.history)
    }

    fn __repr__(&self) -> String {
        let h = &self.history;
        let word = |b: bool| if b { "True" } else { "False" };
        format!("<astrola.HistoryMerge common={} ours_tail={} theirs_tail={} commute={}>", h.common.len(), h.ours_tail.len(), h.theirs_tail.len(), word(h.commute))
    }
}

/// A file of theirs that the proposed linear order renames.
#[pyclass(frozen, eq, module = "astrola")]
pub struct Renumbered {
    history: Arc<astrola_diff::HistoryMerge>,
    index: usize,
}

impl PartialEq for Renumbered {
    fn eq(&self, other: &Self) -> bool {
        self.model() == other.model()
    }
}

impl Renumbered {
    fn model(&self) -> &astrola_diff::merge::Renumbered {
        &self.history.renumbered[self.index]
    }
}

#[pymethods]
impl Renumbered {
    /// The file's name on theirs.
    #[getter]
    fn from_(&self) -> &str {
        &self.model().from
    }

    /// Its name in the proposed order.
    #[getter]
    fn to(&self) -> &str {
        &self.model().to
    }

    /// The renaming as Python dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The renaming as pretty-printed JSON.
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let r = self.model();
        format!("<astrola.Renumbered {} -> {}>", py_repr(py, &r.from), py_repr(py, &r.to))
    }
}

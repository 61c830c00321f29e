//! `astrola-diff` for Python: `diff`, `drift`, `ChangeSet` and
//! `DriftReport`, and the Safety rule of `docs/bindings-api.md`: a diff
//! that refuses a destructive change raises `DestructiveChangeError`, one
//! that cannot express a difference raises `UnmanagedDifferenceError`.

use std::sync::Arc;

use astrola_core::Parsed;
use astrola_diff::drift::DriftKind;
use astrola_diff::{Destruction, DiffOptions, PlannedChange};
use pyo3::prelude::*;

use crate::core::{DialectArg, Flag, SchemaArg};
use crate::error::{diff_error, raise, Class};
use crate::{py_repr, to_dict, to_json};

/// Which way a change set goes between the two schemas it was computed from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// `from` to `to` (`diff`).
    Up,
    /// `to` back to `from` (`ChangeSet.down()`).
    Down,
}

/// Computes the migration from `from_` to `to`.
///
/// `from_` and `to` are SQL text (parsed in `dialect`) or `Schema` objects
/// (which keep their own dialect). The `-- @renamed from=old` annotations of
/// `to` declare renames, as in `astrola diff`. Raises
/// `DestructiveChangeError` when a destructive change is refused (pass
/// `allow_destructive=True` to include them), `UnmanagedDifferenceError`
/// when the schemas differ in something no migration can express, and
/// `DialectMismatchError` when the two sides are of different dialects.
#[pyfunction]
#[pyo3(
    signature = (from_, to, *, allow_destructive = Flag(false), dialect = DialectArg::default()),
    text_signature = "(from_, to, *, allow_destructive=False, dialect='postgres')"
)]
pub fn diff<'py>(py: Python<'py>, from_: SchemaArg, to: SchemaArg, allow_destructive: Flag, dialect: DialectArg) -> PyResult<Bound<'py, ChangeSet>> {
    let computed = py.detach(|| -> Result<_, astrola_diff::Error> {
        let from = from_.resolve(dialect.0)?;
        let to = to.resolve(dialect.0)?;
        let options = DiffOptions { allow_destructive: allow_destructive.0, renames: to.renames.clone() };
        let changes = astrola_diff::diff(&from.schema, &to.schema, &options)?;
        Ok(ChangeSet { changes: Arc::new(changes), from, to, options, direction: Direction::Up })
    });
    computed.map_err(|e| diff_error(py, e))?.checked(py)
}

/// Compares `actual` (for example a dump of a live database) with
/// `expected`: what drifted, how much it matters, and the SQL that brings
/// `actual` back to `expected`.
///
/// `expected` and `actual` are SQL text (parsed in `dialect`) or `Schema`
/// objects.
#[pyfunction]
#[pyo3(signature = (expected, actual, *, dialect = DialectArg::default()), text_signature = "(expected, actual, *, dialect='postgres')")]
pub fn drift(py: Python<'_>, expected: SchemaArg, actual: SchemaArg, dialect: DialectArg) -> PyResult<DriftReport> {
    let report = py.detach(|| -> Result<_, astrola_diff::Error> {
        let expected = expected.resolve(dialect.0)?;
        let actual = actual.resolve(dialect.0)?;
        astrola_diff::drift(&expected.schema, &actual.schema)
    });
    Ok(DriftReport { report: Arc::new(report.map_err(|e| diff_error(py, e))?) })
}

/// The ordered changes that take one schema to another, and their SQL.
///
/// `sql()` is exactly what `astrola diff` prints. `diff` returns a change
/// set only when it is complete; otherwise it travels on the
/// `DestructiveChangeError` or `UnmanagedDifferenceError` raised. (The
/// `changes` of a `Merge` may be incomplete: see `is_complete`.)
#[pyclass(frozen, module = "astrola")]
pub struct ChangeSet {
    changes: Arc<astrola_diff::ChangeSet>,
    from: Arc<Parsed>,
    to: Arc<Parsed>,
    options: DiffOptions,
    direction: Direction,
}

impl ChangeSet {
    /// The change set `astrola_diff::diff(&from.schema, &to.schema,
    /// &options)` gave (the merged migration of a `Merge`), as it is.
    pub(crate) fn computed(changes: Arc<astrola_diff::ChangeSet>, from: Arc<Parsed>, to: Arc<Parsed>, options: DiffOptions) -> Self {
        Self { changes, from, to, options, direction: Direction::Up }
    }

    /// `self` as a Python object, or the Safety error that carries it.
    fn checked(self, py: Python<'_>) -> PyResult<Bound<'_, ChangeSet>> {
        let refused: Vec<String> = self.changes.refused().map(|c| format!("{} {}", c.change.kind(), c.object)).collect();
        let unseen = self.changes.blind_spots();
        let changeset = Bound::new(py, self)?;
        if !refused.is_empty() {
            let text = format!("refused {} destructive change(s); pass allow_destructive=True to include them: {}", refused.len(), refused.join(", "));
            Err(raise(py, Class::DestructiveChange, text, |kw| kw.set_item("changeset", changeset)))
        } else if !unseen.is_empty() {
            let text = format!("the migration cannot reach the target schema: {}", unseen.join("; "));
            Err(raise(py, Class::UnmanagedDifference, text, |kw| kw.set_item("changeset", changeset)))
        } else {
            Ok(changeset)
        }
    }

    fn change(&self, index: usize) -> Change {
        Change { changes: self.changes.clone(), index }
    }
}

#[pymethods]
impl ChangeSet {
    /// The dialect of both schemas.
    #[getter]
    fn dialect(&self) -> &'static str {
        self.changes.dialect.name()
    }

    /// Every change, in the order it must run (refused ones included).
    #[getter]
    fn changes(&self) -> Vec<Change> {
        (0..self.changes.changes.len()).map(|i| self.change(i)).collect()
    }

    /// The SQL statements of the changes that are not refused, in order.
    #[getter]
    fn statements(&self) -> Vec<Statement> {
        (0..self.changes.statements.len()).map(|index| Statement { changes: self.changes.clone(), index }).collect()
    }

    /// The destructive changes left out (allow_destructive was False).
    #[getter]
    fn refused(&self) -> Vec<Change> {
        let changes = self.changes.changes.iter().enumerate();
        changes.filter(|(_, c)| c.refused).map(|(i, _)| self.change(i)).collect()
    }

    /// Likely renames (a drop and an add of the same shape), never applied.
    #[getter]
    fn suggestions(&self) -> Vec<Suggestion> {
        (0..self.changes.suggestions.len()).map(|index| Suggestion { changes: self.changes.clone(), index }).collect()
    }

    /// Statements the model cannot represent that differ between the sides.
    #[getter]
    fn unmanaged(&self) -> Vec<UnmanagedDifference> {
        (0..self.changes.unmanaged.len()).map(|index| UnmanagedDifference { changes: self.changes.clone(), index }).collect()
    }

    /// Differences no change can express.
    #[getter]
    fn unsupported(&self) -> Vec<String> {
        self.changes.unsupported.clone()
    }

    /// Rename hints that did not apply, and similar remarks.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.changes.notes.clone()
    }

    /// True when there is nothing to do and nothing the diff could not see.
    #[getter]
    fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// True when nothing is refused, unmanaged or unsupported.
    #[getter]
    fn is_complete(&self) -> bool {
        self.changes.is_complete()
    }

    /// The migration SQL exactly as `astrola diff` prints it: each
    /// statement, refused changes as comments, irreversible steps marked.
    fn sql(&self) -> String {
        self.changes.annotated_sql()
    }

    /// The reverse migration: the changes that take the target back to the
    /// source (the down of a down is the up again). `allow_destructive`
    /// defaults to this change set's own. Raises like `diff`.
    #[pyo3(signature = (*, allow_destructive = None))]
    fn down<'py>(&self, py: Python<'py>, allow_destructive: Option<Flag>) -> PyResult<Bound<'py, ChangeSet>> {
        let options = DiffOptions {
            allow_destructive: allow_destructive.map_or(self.options.allow_destructive, |f| f.0),
            renames: self.options.renames.clone(),
        };
        let (direction, computed) = py.detach(|| match self.direction {
            Direction::Up => (Direction::Down, astrola_diff::down(&self.from.schema, &self.to.schema, &options)),
            Direction::Down => (Direction::Up, astrola_diff::diff(&self.from.schema, &self.to.schema, &options)),
        });
        let changes = Arc::new(computed.map_err(|e| diff_error(py, e))?);
        ChangeSet { changes, from: self.from.clone(), to: self.to.clone(), options, direction }.checked(py)
    }

    /// `down().sql()`: what `astrola diff --down` prints. Raises like `diff`.
    #[pyo3(signature = (*, allow_destructive = None))]
    fn down_sql(&self, py: Python<'_>, allow_destructive: Option<Flag>) -> PyResult<String> {
        Ok(self.down(py, allow_destructive)?.get().sql())
    }

    /// The change set as Python dicts and lists (docs/changeset-json.md).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &*self.changes)
    }

    /// The change set as pretty-printed JSON (docs/changeset-json.md).
    fn to_json(&self) -> String {
        self.changes.to_json()
    }

    fn __repr__(&self) -> String {
        let c = &self.changes;
        format!(
            "<astrola.ChangeSet dialect='{}' changes={} statements={} refused={} complete={}>",
            c.dialect,
            c.changes.len(),
            c.statements.len(),
            c.refused().count(),
            if c.is_complete() { "True" } else { "False" }
        )
    }
}

/// One change of a `ChangeSet`, with its safety verdict.
#[pyclass(frozen, module = "astrola")]
pub struct Change {
    changes: Arc<astrola_diff::ChangeSet>,
    index: usize,
}

impl Change {
    fn model(&self) -> &PlannedChange {
        &self.changes.changes[self.index]
    }
}

#[pymethods]
impl Change {
    /// The snake_case change kind ("add_column", "drop_table", ...).
    #[getter]
    fn kind(&self) -> &'static str {
        self.model().change.kind()
    }

    /// The object it is about, in SQL spelling ("public.users.email").
    #[getter]
    fn object(&self) -> &str {
        &self.model().object
    }

    /// True when the change destroys data or removes an object.
    #[getter]
    fn destructive(&self) -> bool {
        self.model().destruction.is_some()
    }

    /// Why it is destructive: "data", "narrowing", "object", or None.
    #[getter]
    fn destruction(&self) -> Option<&'static str> {
        self.model().destruction.map(|d| match d {
            Destruction::Data => "data",
            Destruction::Narrowing => "narrowing",
            Destruction::Object => "object",
        })
    }

    /// Left out of the SQL: destructive and not allowed.
    #[getter]
    fn refused(&self) -> bool {
        self.model().refused
    }

    /// In a down migration: it restores an object, not the data the up
    /// migration destroyed.
    #[getter]
    fn irreversible(&self) -> bool {
        self.model().irreversible
    }

    /// The change as Python dicts and lists (docs/changeset-json.md).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The change as pretty-printed JSON (docs/changeset-json.md).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let c = self.model();
        format!("<astrola.Change {} {} refused={}>", self.kind(), py_repr(py, &c.object), if c.refused { "True" } else { "False" })
    }
}

/// One SQL statement (or short script) of a migration.
#[pyclass(frozen, module = "astrola")]
pub struct Statement {
    changes: Arc<astrola_diff::ChangeSet>,
    index: usize,
}

impl Statement {
    fn model(&self) -> &astrola_diff::Statement {
        &self.changes.statements[self.index]
    }
}

#[pymethods]
impl Statement {
    /// The SQL, ending in ";\n".
    #[getter]
    fn sql(&self) -> &str {
        &self.model().sql
    }

    /// The change it implements, or None (a preamble such as `SET ...`).
    #[getter]
    fn change(&self) -> Option<Change> {
        self.model().change.map(|index| Change { changes: self.changes.clone(), index })
    }

    /// Whether it may run inside a transaction block.
    #[getter]
    fn transactional(&self) -> bool {
        self.model().transactional
    }

    /// The statement as Python dicts and lists (docs/changeset-json.md).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The statement as pretty-printed JSON (docs/changeset-json.md).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.Statement {}>", py_repr(py, &self.model().sql))
    }
}

/// A likely rename (a drop and an add of the same shape), never applied:
/// declare it with `hint` in the target SQL.
#[pyclass(frozen, module = "astrola")]
pub struct Suggestion {
    changes: Arc<astrola_diff::ChangeSet>,
    index: usize,
}

impl Suggestion {
    fn model(&self) -> &astrola_diff::Suggestion {
        &self.changes.suggestions[self.index]
    }
}

#[pymethods]
impl Suggestion {
    /// What would be renamed: "table", "column", "index", "constraint",
    /// "type" or "enum_value".
    #[getter]
    fn kind(&self) -> &'static str {
        use astrola_core::RenameKind;
        match self.model().kind {
            RenameKind::Table => "table",
            RenameKind::Column => "column",
            RenameKind::Index => "index",
            RenameKind::Constraint => "constraint",
            RenameKind::Type => "type",
            RenameKind::EnumValue => "enum_value",
        }
    }

    /// The table (for columns), or the object itself, in SQL spelling.
    #[getter]
    fn table(&self) -> String {
        self.model().table.to_string()
    }

    /// The name that disappears.
    #[getter]
    fn from_(&self) -> &str {
        &self.model().from
    }

    /// The name that appears.
    #[getter]
    fn to(&self) -> &str {
        &self.model().to
    }

    /// The annotation that declares the rename in the target SQL.
    #[getter]
    fn hint(&self) -> &str {
        &self.model().hint
    }

    /// The suggestion as Python dicts and lists (docs/changeset-json.md).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The suggestion as pretty-printed JSON (docs/changeset-json.md).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let s = self.model();
        format!("<astrola.Suggestion {} {} -> {}>", self.kind(), py_repr(py, &s.from), py_repr(py, &s.to))
    }
}

/// An unmanaged statement (one the model cannot represent) present on one
/// side only: the diff cannot see what it does.
#[pyclass(frozen, module = "astrola")]
pub struct UnmanagedDifference {
    changes: Arc<astrola_diff::ChangeSet>,
    index: usize,
}

impl UnmanagedDifference {
    fn model(&self) -> &astrola_diff::UnmanagedDifference {
        &self.changes.unmanaged[self.index]
    }
}

#[pymethods]
impl UnmanagedDifference {
    /// "from" or "to": the side the statement is on.
    #[getter]
    fn side(&self) -> &'static str {
        if self.model().side == "from" {
            "from"
        } else {
            "to"
        }
    }

    /// The statement's kind ("CREATE RULE", "INSERT", ...).
    #[getter]
    fn kind(&self) -> &str {
        &self.model().statement.kind
    }

    /// The statement as written.
    #[getter]
    fn sql(&self) -> &str {
        &self.model().statement.sql
    }

    /// The 1-based line where it was written.
    #[getter]
    fn line(&self) -> usize {
        self.model().statement.span.line
    }

    /// The difference as Python dicts and lists (docs/changeset-json.md).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The difference as pretty-printed JSON (docs/changeset-json.md).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.UnmanagedDifference side='{}' {}>", self.side(), py_repr(py, self.kind()))
    }
}

/// How an actual schema drifted from the expected one.
#[pyclass(frozen, module = "astrola")]
pub struct DriftReport {
    report: Arc<astrola_diff::DriftReport>,
}

#[pymethods]
impl DriftReport {
    /// Each drifted object, most severe first.
    #[getter]
    fn drifts(&self) -> Vec<Drift> {
        (0..self.report.drifts.len()).map(|index| Drift { report: self.report.clone(), index }).collect()
    }

    /// True when the actual schema matches the expected one.
    #[getter]
    fn is_clean(&self) -> bool {
        self.report.is_clean()
    }

    /// The complete SQL that brings the actual schema back to the expected
    /// one (destructive changes included), in dependency order.
    fn remediation_sql(&self) -> String {
        self.report.remediation.sql()
    }

    /// The report as `astrola drift` prints it.
    fn to_text(&self) -> String {
        self.report.to_text()
    }

    /// The report as Python dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &*self.report)
    }

    /// The report as pretty-printed JSON (`astrola drift --format json`).
    fn to_json(&self) -> String {
        self.report.to_json()
    }

    fn __repr__(&self) -> String {
        format!("<astrola.DriftReport drifts={} clean={}>", self.report.drifts.len(), if self.report.is_clean() { "True" } else { "False" })
    }
}

/// One drifted object.
#[pyclass(frozen, module = "astrola")]
pub struct Drift {
    report: Arc<astrola_diff::DriftReport>,
    index: usize,
}

impl Drift {
    fn model(&self) -> &astrola_diff::Drift {
        &self.report.drifts[self.index]
    }
}

#[pymethods]
impl Drift {
    /// The object, in SQL spelling.
    #[getter]
    fn object(&self) -> &str {
        &self.model().object
    }

    /// "missing" (expected only), "unexpected" (actual only) or "changed".
    #[getter]
    fn kind(&self) -> &'static str {
        match self.model().kind {
            DriftKind::Missing => "missing",
            DriftKind::Unexpected => "unexpected",
            DriftKind::Changed => "changed",
        }
    }

    /// "breaking", "warning" or "info".
    #[getter]
    fn severity(&self) -> String {
        self.model().severity.to_string()
    }

    /// The change kinds that fix it ("alter_column_type", ...).
    #[getter]
    fn changes(&self) -> Vec<String> {
        self.model().changes.clone()
    }

    /// The definition the expected schema has, or None.
    #[getter]
    fn expected(&self) -> Option<&str> {
        self.model().expected.as_deref()
    }

    /// The definition the actual schema has, or None.
    #[getter]
    fn actual(&self) -> Option<&str> {
        self.model().actual.as_deref()
    }

    /// The SQL that brings this object back to its expected definition.
    #[getter]
    fn remediation(&self) -> &str {
        &self.model().remediation
    }

    /// The drift as Python dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The drift as pretty-printed JSON.
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let d = self.model();
        format!("<astrola.Drift {} {} {}>", d.severity, self.kind(), py_repr(py, &d.object))
    }
}

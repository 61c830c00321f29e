//! `astrola_diff::merge` for Node: `merge`, `mergeHistories` (and their
//! `…Async` forms), and the `Merge`, `Conflict` and `HistoryMerge` classes.
//!
//! A merge's conflicts are its result, not an error: `merge` returns the
//! `Merge` whether or not the branches combine (`isClean`), as `astrola
//! merge` prints it in both cases.

use std::sync::Arc;

use astrola_core::migrations::MigrationFile;
use astrola_core::{Dialect, Parsed};
use astrola_diff::merge::MergeOptions;
use napi::bindgen_prelude::{AsyncTask, Env, FromNapiValue, JsObjectValue, JsValue, Object, Result, Unknown, ValueType};
use napi_derive::napi;

use crate::core::{call_global, describe, serde_forms, text, Options, SchemaInput};
use crate::diff::ChangeSet;
use crate::error::{invalid, Outcome};
use crate::Job;

/// The arguments of `merge`, checked.
struct MergeCall {
    base: SchemaInput,
    ours: SchemaInput,
    theirs: SchemaInput,
    dialect: Dialect,
    allow_destructive: bool,
}

fn merge_arguments(env: &Env, base: Unknown, ours: Unknown, theirs: Unknown, options: Option<Unknown>) -> Outcome<MergeCall> {
    let base = SchemaInput::read(env, base, "base")?;
    let ours = SchemaInput::read(env, ours, "ours")?;
    let theirs = SchemaInput::read(env, theirs, "theirs")?;
    let options = Options::read(options)?;
    Ok(MergeCall { base, ours, theirs, dialect: options.dialect()?, allow_destructive: options.flag("allowDestructive")?.unwrap_or(false) })
}

fn run_merge(call: MergeCall) -> Outcome<Merge> {
    let base = call.base.resolve(call.dialect)?;
    let ours = call.ours.resolve(call.dialect)?;
    let theirs = call.theirs.resolve(call.dialect)?;
    // As `astrola merge`: each branch's renames are its annotations.
    let options = MergeOptions { ours_renames: ours.renames.clone(), theirs_renames: theirs.renames.clone(), allow_destructive: call.allow_destructive };
    let merged = astrola_diff::merge(&base.schema, &ours.schema, &theirs.schema, &options)?;
    Ok(Merge::new(merged, ours))
}

/// Merges `ours` and `theirs`, two branches of `base`, as `astrola merge
/// BASE OURS THEIRS` does.
///
/// Each is SQL text (parsed in `dialect`, `"postgres"` by default) or a
/// `Schema`. The `-- @renamed from=old` annotations of `ours` and
/// `theirs` declare each branch's renames. Returns the `Merge` whether or
/// not the branches combine: check `isClean` (no conflict) and
/// `changes.isComplete` (no destructive change refused; pass
/// `allowDestructive: true` to include theirs' drops). Throws `ParseError`
/// for SQL that does not parse and `DialectMismatchError` when the three
/// are not of one dialect.
#[napi(ts_args_type = "base: string | Schema, ours: string | Schema, theirs: string | Schema, options?: MergeOptions")]
pub fn merge(env: Env, base: Unknown, ours: Unknown, theirs: Unknown, options: Option<Unknown>) -> Result<Merge> {
    merge_arguments(&env, base, ours, theirs, options).and_then(run_merge).map_err(|f| f.into_js(&env))
}

/// `merge` on the thread pool: a Promise of the `Merge`, rejected with the
/// errors `merge` throws.
#[napi(ts_args_type = "base: string | Schema, ours: string | Schema, theirs: string | Schema, options?: MergeOptions", ts_return_type = "Promise<Merge>")]
pub fn merge_async(env: Env, base: Unknown, ours: Unknown, theirs: Unknown, options: Option<Unknown>) -> AsyncTask<Job<Merge>> {
    let call = merge_arguments(&env, base, ours, theirs, options);
    AsyncTask::new(Job::new(move || run_merge(call?)))
}

/// A migration directory's files: an object of file name to SQL, or an
/// array of `[name, sql]` pairs or `{name, sql}` objects.
fn migration_files(value: Unknown, what: &str) -> Outcome<Vec<MigrationFile>> {
    let expected = |value: &Unknown| -> Outcome<String> {
        Ok(format!("{what} must be an object of file name to SQL, or an array of [name, sql] pairs or {{name, sql}} objects, got {}", describe(value)?))
    };
    if value.get_type()? != ValueType::Object {
        return Err(invalid(expected(&value)?));
    }
    // A plain copy (of the entries of an object), so that reading the
    // elements runs no getter.
    let entries = if value.is_array()? { call_global(value, "Array", "from", what)? } else { call_global(value, "Object", "entries", what)? };
    let entries = Object::from_unknown(entries)?;
    let mut files = Vec::new();
    for index in 0..entries.get_array_length()? {
        let entry: Unknown = entries.get_element(index)?;
        let at = format!("{what}[{index}]");
        if entry.get_type()? != ValueType::Object {
            return Err(invalid(format!("{at} must be a [name, sql] pair or a {{name, sql}} object, got {}", describe(&entry)?)));
        }
        let (name, sql) = if entry.is_array()? {
            let pair = Object::from_unknown(call_global(entry, "Array", "from", &at)?)?;
            if pair.get_array_length()? != 2 {
                return Err(invalid(format!("{at} must be a [name, sql] pair")));
            }
            (text(pair.get_element(0)?, &format!("{at}[0]"))?, text(pair.get_element(1)?, &format!("{at}[1]"))?)
        } else {
            let fields = Options::read(Some(entry))?;
            let field = |key: &str| -> Outcome<String> {
                let value = fields.value(key)?.ok_or_else(|| invalid(format!("{at} has no `{key}`")))?;
                text(value, &format!("{at}.{key}"))
            };
            (field("name")?, field("sql")?)
        };
        files.push(MigrationFile { name, sql });
    }
    Ok(files)
}

/// The arguments of `mergeHistories`, checked.
struct HistoryCall {
    ours: Vec<MigrationFile>,
    theirs: Vec<MigrationFile>,
    dialect: Dialect,
    allow_destructive: bool,
}

fn history_arguments(ours: Unknown, theirs: Unknown, options: Option<Unknown>) -> Outcome<HistoryCall> {
    let ours = migration_files(ours, "ours")?;
    let theirs = migration_files(theirs, "theirs")?;
    let options = Options::read(options)?;
    Ok(HistoryCall { ours, theirs, dialect: options.dialect()?, allow_destructive: options.flag("allowDestructive")?.unwrap_or(false) })
}

fn run_history(call: HistoryCall) -> Outcome<HistoryMerge> {
    let options = MergeOptions { allow_destructive: call.allow_destructive, ..MergeOptions::default() };
    let history = astrola_diff::merge_histories(call.ours.clone(), call.theirs, call.dialect, &options)?;
    // The schema the merged migration starts from, for `changes.down()`.
    let ours = astrola_core::migrations::replay(call.ours, call.dialect)?;
    Ok(HistoryMerge { merge: Merge::new(history.merge.clone(), Arc::new(ours)), history: Arc::new(history) })
}

/// Compares two diverged migration histories and merges the schemas they
/// produce, as `astrola merge --history OURS_DIR THEIRS_DIR` does.
///
/// `ours` and `theirs` are each a directory's files (this package reads no
/// files): an object of file name to SQL, or an array of `[name, sql]`
/// pairs or `{name, sql}` objects, in any order. The shared prefix (same
/// name and text) is the base. Rename hints in the files are honoured.
/// Throws `ParseError` (with the `file`) when a file does not replay, and
/// `MigrationsError` when a file name has no version or two files share
/// one.
#[napi(ts_args_type = "ours: MigrationFiles, theirs: MigrationFiles, options?: MergeOptions")]
pub fn merge_histories(env: Env, ours: Unknown, theirs: Unknown, options: Option<Unknown>) -> Result<HistoryMerge> {
    history_arguments(ours, theirs, options).and_then(run_history).map_err(|f| f.into_js(&env))
}

/// `mergeHistories` on the thread pool: a Promise of the `HistoryMerge`.
#[napi(ts_args_type = "ours: MigrationFiles, theirs: MigrationFiles, options?: MergeOptions", ts_return_type = "Promise<HistoryMerge>")]
pub fn merge_histories_async(ours: Unknown, theirs: Unknown, options: Option<Unknown>) -> AsyncTask<Job<HistoryMerge>> {
    let call = history_arguments(ours, theirs, options);
    AsyncTask::new(Job::new(move || run_history(call?)))
}

/// The result of a three-way merge: the merged schema, the migration that
/// takes ours to it, and the conflicts.
///
/// `toJson()` is exactly what `astrola merge --format json` prints, without
/// its final newline (`docs/merge-json.md`).
#[napi]
#[derive(Clone)]
pub struct Merge {
    merge: Arc<astrola_diff::Merge>,
    /// The merged migration, shared with the `ChangeSet`s handed out.
    changes: Arc<astrola_diff::ChangeSet>,
    /// Ours, the schema the merged migration starts from.
    ours: Arc<Parsed>,
    /// The merged schema, with the renames the merged migration applies.
    merged: Arc<Parsed>,
}

impl Merge {
    fn new(merge: astrola_diff::Merge, ours: Arc<Parsed>) -> Self {
        let merged = Parsed { schema: merge.schema.clone(), warnings: Vec::new(), renames: merge.diff_options.renames.clone() };
        Self { changes: Arc::new(merge.changes.clone()), ours, merged: Arc::new(merged), merge: Arc::new(merge) }
    }

    fn model(&self) -> &astrola_diff::Merge {
        &self.merge
    }
}

#[napi]
impl Merge {
    /// The version of the Merge JSON format.
    #[napi(getter)]
    pub fn format(&self) -> u32 {
        self.merge.format
    }

    /// The merged schema. Where there are conflicts it holds ours' version
    /// of the objects involved. `diff(ours, schema)` gives `changes`.
    #[napi(getter)]
    pub fn schema(&self) -> crate::core::Schema {
        crate::core::Schema { parsed: self.merged.clone() }
    }

    /// The migration that takes ours to the merged schema: what the branch
    /// that lands second must run. Conflicting changes are not in it; it
    /// may refuse destructive changes (see `isComplete`).
    #[napi(getter)]
    pub fn changes(&self) -> ChangeSet {
        ChangeSet::computed(self.changes.clone(), self.ours.clone(), self.merged.clone(), Arc::new(self.merge.diff_options.clone()))
    }

    /// Why the branches do not combine; empty when they do.
    #[napi(getter)]
    pub fn conflicts(&self) -> Vec<Conflict> {
        (0..self.merge.conflicts.len()).map(|index| Conflict { merge: self.merge.clone(), index }).collect()
    }

    /// Rename hints that rename nothing of the base, and similar remarks.
    #[napi(getter)]
    pub fn notes(&self) -> Vec<String> {
        self.merge.notes.clone()
    }

    /// Whether the branches combine: no conflict.
    #[napi(getter)]
    pub fn is_clean(&self) -> bool {
        self.merge.is_clean()
    }

    /// The merged migration SQL, as `astrola merge --format sql` prints it
    /// (refused changes as comments).
    #[napi]
    pub fn sql(&self) -> String {
        self.merge.changes.annotated_sql()
    }

    /// `sql()` followed, for each conflict, by both branches' statements
    /// between git-style markers: `astrola merge --format sql --markers`.
    #[napi]
    pub fn sql_with_markers(&self) -> String {
        self.merge.sql_with_markers()
    }

    /// The report `astrola merge` prints: each conflict with base, ours and
    /// theirs side by side, its explanation and resolution, then the
    /// merged migration.
    #[napi]
    pub fn to_text(&self) -> String {
        self.merge.to_text()
    }

    /// A one-line summary.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        let m = &self.merge;
        format!("Merge {{ conflicts: {}, changes: {}, clean: {} }}", m.conflicts.len(), m.changes.changes.len(), m.is_clean())
    }
}

serde_forms!(Merge);

/// One conflict of a merge: what each branch did to one object, and why
/// the two do not combine.
#[napi]
pub struct Conflict {
    merge: Arc<astrola_diff::Merge>,
    index: usize,
}

impl Conflict {
    fn model(&self) -> &astrola_diff::Conflict {
        &self.merge.conflicts[self.index]
    }
}

#[napi]
impl Conflict {
    /// Why the changes do not combine.
    #[napi(getter, ts_return_type = "ConflictKind")]
    pub fn kind(&self) -> &'static str {
        self.model().kind.as_str()
    }

    /// What the object is (`table`, `column`, `constraint`, `index`, …).
    #[napi(getter, ts_return_type = "ConflictObjectType")]
    pub fn object_type(&self) -> String {
        self.model().object_type.clone()
    }

    /// The object, in SQL spelling (`public.users.email`), as named in the
    /// merged schema.
    #[napi(getter)]
    pub fn object(&self) -> String {
        self.model().object.clone()
    }

    /// Its definition in the base, as the SQL that creates it, or `null`.
    #[napi(getter)]
    pub fn base(&self) -> Option<String> {
        self.model().base.clone()
    }

    /// Its definition in ours, or `null`.
    #[napi(getter)]
    pub fn ours(&self) -> Option<String> {
        self.model().ours.clone()
    }

    /// Its definition in theirs, or `null`.
    #[napi(getter)]
    pub fn theirs(&self) -> Option<String> {
        self.model().theirs.clone()
    }

    /// What ours did, in words (`drops column public.users.email`).
    #[napi(getter)]
    pub fn ours_change(&self) -> String {
        self.model().ours_change.clone()
    }

    /// What theirs did, in words.
    #[napi(getter)]
    pub fn theirs_change(&self) -> String {
        self.model().theirs_change.clone()
    }

    /// Why the two changes conflict, in plain language.
    #[napi(getter)]
    pub fn explanation(&self) -> String {
        self.model().explanation.clone()
    }

    /// A suggested way to resolve it.
    #[napi(getter)]
    pub fn resolution(&self) -> String {
        self.model().resolution.clone()
    }

    /// The statements of ours' own migration (base to ours) about the
    /// conflict; `''` when there are none.
    #[napi(getter)]
    pub fn ours_sql(&self) -> String {
        self.model().ours_sql.clone()
    }

    /// The statements of theirs' own migration about the conflict.
    #[napi(getter)]
    pub fn theirs_sql(&self) -> String {
        self.model().theirs_sql.clone()
    }

    /// A one-line summary.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        let c = self.model();
        format!("{} {} {}", c.kind, c.object_type, c.object)
    }
}

serde_forms!(Conflict);

/// How two diverged migration histories relate, and how to make them one.
///
/// `toJson()` is exactly what `astrola merge --history --format json`
/// prints, without its final newline.
#[napi]
pub struct HistoryMerge {
    history: Arc<astrola_diff::HistoryMerge>,
    merge: Merge,
}

impl HistoryMerge {
    fn model(&self) -> &astrola_diff::HistoryMerge {
        &self.history
    }
}

#[napi]
impl HistoryMerge {
    /// The files both histories share (same name and text), in order.
    #[napi(getter)]
    pub fn common(&self) -> Vec<String> {
        self.history.common.clone()
    }

    /// The files only ours has after the shared prefix, in order.
    #[napi(getter)]
    pub fn ours_tail(&self) -> Vec<String> {
        self.history.ours_tail.clone()
    }

    /// The files only theirs has after the shared prefix, in order.
    #[napi(getter)]
    pub fn theirs_tail(&self) -> Vec<String> {
        self.history.theirs_tail.clone()
    }

    /// Whether both histories added files after the shared prefix.
    #[napi(getter)]
    pub fn diverged(&self) -> bool {
        self.history.diverged
    }

    /// Whether the tails commute: no conflict, and both replay orders give
    /// the same schema.
    #[napi(getter)]
    pub fn commute(&self) -> bool {
        self.history.commute
    }

    /// The proposed linear order of file names (theirs' renumbered); empty
    /// when the tails do not commute.
    #[napi(getter)]
    pub fn order(&self) -> Vec<String> {
        self.history.order.clone()
    }

    /// The files of theirs the proposed order renames.
    #[napi(getter, ts_return_type = "Array<Renumbered>")]
    pub fn renumbered<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        env.to_js_value(&self.history.renumbered)
    }

    /// The three-way merge of the schemas the histories produce.
    #[napi(getter)]
    pub fn merge(&self) -> Merge {
        self.merge.clone()
    }

    /// Why the tails do not commute beyond the merge's conflicts.
    #[napi(getter)]
    pub fn notes(&self) -> Vec<String> {
        self.history.notes.clone()
    }

    /// A one-line summary.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        let h = &self.history;
        format!("HistoryMerge {{ common: {}, oursTail: {}, theirsTail: {}, commute: {} }}", h.common.len(), h.ours_tail.len(), h.theirs_tail.len(), h.commute)
    }
}

serde_forms!(HistoryMerge);

//! `astrola-diff` for Node: `diff`, `drift` (and their `…Async` forms),
//! `ChangeSet`, `Change`, `DriftReport` and `Drift`, and the Safety rule of
//! `docs/bindings-api.md`: a diff that refuses a destructive change throws
//! `DestructiveChangeError`, one that cannot express a difference throws
//! `UnmanagedDifferenceError`, each carrying the `changeSet`.

use std::sync::Arc;

use astrola_core::Parsed;
use astrola_diff::drift::DriftKind;
use astrola_diff::{Destruction, DiffOptions, PlannedChange, Severity};
use napi::bindgen_prelude::{AsyncTask, Env, Result, Unknown};
use napi_derive::napi;

use crate::core::{serde_forms, Options, SchemaInput};
use crate::error::{Failure, Outcome};
use crate::Job;

/// Which way a change set goes between the two schemas it was computed from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// `from` to `to` (`diff`).
    Up,
    /// `to` back to `from` (`ChangeSet.down()`).
    Down,
}

/// The arguments of `diff`, checked.
struct DiffCall {
    from: SchemaInput,
    to: SchemaInput,
    dialect: astrola_core::Dialect,
    allow_destructive: bool,
}

fn diff_arguments(env: &Env, from: Unknown, to: Unknown, options: Option<Unknown>) -> Outcome<DiffCall> {
    let from = SchemaInput::read(env, from, "from")?;
    let to = SchemaInput::read(env, to, "to")?;
    let options = Options::read(options)?;
    Ok(DiffCall { from, to, dialect: options.dialect()?, allow_destructive: options.flag("allowDestructive")?.unwrap_or(false) })
}

fn run_diff(call: DiffCall) -> Outcome<ChangeSet> {
    let from = call.from.resolve(call.dialect)?;
    let to = call.to.resolve(call.dialect)?;
    // As `astrola diff`: the renames are the annotations of the target.
    let options = DiffOptions { allow_destructive: call.allow_destructive, renames: to.renames.clone() };
    let changes = astrola_diff::diff(&from.schema, &to.schema, &options)?;
    ChangeSet { changes: Arc::new(changes), from, to, options: Arc::new(options), direction: Direction::Up }.checked()
}

/// Computes the migration from `from` to `to`.
///
/// `from` and `to` are SQL text (parsed in `dialect`, `"postgres"` by
/// default) or `Schema` objects (which keep their own dialect). The
/// `-- @renamed from=old` annotations of `to` declare renames, as in
/// `astrola diff`. Throws `DestructiveChangeError` when a destructive
/// change is refused (pass `allowDestructive: true` to include them),
/// `UnmanagedDifferenceError` when the schemas differ in something no
/// migration can express, and `DialectMismatchError` when the two sides
/// are of different dialects.
#[napi(ts_args_type = "from: string | Schema, to: string | Schema, options?: DiffOptions")]
pub fn diff(env: Env, from: Unknown, to: Unknown, options: Option<Unknown>) -> Result<ChangeSet> {
    diff_arguments(&env, from, to, options).and_then(run_diff).map_err(|f| f.into_js(&env))
}

/// `diff` on the thread pool: a Promise of the `ChangeSet`, rejected with
/// the errors `diff` throws.
#[napi(ts_args_type = "from: string | Schema, to: string | Schema, options?: DiffOptions", ts_return_type = "Promise<ChangeSet>")]
pub fn diff_async(env: Env, from: Unknown, to: Unknown, options: Option<Unknown>) -> AsyncTask<Job<ChangeSet>> {
    let call = diff_arguments(&env, from, to, options);
    AsyncTask::new(Job::new(move || run_diff(call?)))
}

/// The arguments of `drift`, checked.
struct DriftCall {
    expected: SchemaInput,
    actual: SchemaInput,
    dialect: astrola_core::Dialect,
}

fn drift_arguments(env: &Env, expected: Unknown, actual: Unknown, options: Option<Unknown>) -> Outcome<DriftCall> {
    let expected = SchemaInput::read(env, expected, "expected")?;
    let actual = SchemaInput::read(env, actual, "actual")?;
    Ok(DriftCall { expected, actual, dialect: Options::read(options)?.dialect()? })
}

fn run_drift(call: DriftCall) -> Outcome<DriftReport> {
    let expected = call.expected.resolve(call.dialect)?;
    let actual = call.actual.resolve(call.dialect)?;
    Ok(DriftReport { report: Arc::new(astrola_diff::drift(&expected.schema, &actual.schema)?) })
}

/// Compares `actual` (for example a dump of a live database) with
/// `expected`: what drifted, how much it matters, and the SQL that brings
/// `actual` back to `expected`. The arguments are SQL text (parsed in
/// `dialect`) or `Schema` objects.
#[napi(ts_args_type = "expected: string | Schema, actual: string | Schema, options?: DriftOptions")]
pub fn drift(env: Env, expected: Unknown, actual: Unknown, options: Option<Unknown>) -> Result<DriftReport> {
    drift_arguments(&env, expected, actual, options).and_then(run_drift).map_err(|f| f.into_js(&env))
}

/// `drift` on the thread pool: a Promise of the `DriftReport`.
#[napi(ts_args_type = "expected: string | Schema, actual: string | Schema, options?: DriftOptions", ts_return_type = "Promise<DriftReport>")]
pub fn drift_async(env: Env, expected: Unknown, actual: Unknown, options: Option<Unknown>) -> AsyncTask<Job<DriftReport>> {
    let call = drift_arguments(&env, expected, actual, options);
    AsyncTask::new(Job::new(move || run_drift(call?)))
}

/// The ordered changes that take one schema to another, and their SQL.
///
/// `sql()` is exactly what `astrola diff` prints. `diff` returns a change
/// set only when it is complete; otherwise it travels on the
/// `DestructiveChangeError` or `UnmanagedDifferenceError` thrown. (The
/// `changes` of a `Merge` may be incomplete: see `isComplete`.)
#[napi]
pub struct ChangeSet {
    changes: Arc<astrola_diff::ChangeSet>,
    from: Arc<Parsed>,
    to: Arc<Parsed>,
    options: Arc<DiffOptions>,
    direction: Direction,
}

impl ChangeSet {
    fn model(&self) -> &astrola_diff::ChangeSet {
        &self.changes
    }

    /// The change set `astrola_diff::diff(&from.schema, &to.schema,
    /// &options)` gave (the merged migration of a `Merge`), as it is.
    pub(crate) fn computed(changes: Arc<astrola_diff::ChangeSet>, from: Arc<Parsed>, to: Arc<Parsed>, options: Arc<DiffOptions>) -> Self {
        Self { changes, from, to, options, direction: Direction::Up }
    }

    /// `self`, or the Safety failure that carries it.
    fn checked(self) -> Outcome<Self> {
        let refused: Vec<String> = self.changes.refused().map(|c| format!("{} {}", c.change.kind(), c.object)).collect();
        let unseen = self.changes.blind_spots();
        if !refused.is_empty() {
            let text = format!("refused {} destructive change(s); pass allowDestructive: true to include them: {}", refused.len(), refused.join(", "));
            Err(Failure::Destructive(text, self))
        } else if !unseen.is_empty() {
            Err(Failure::Unmanaged(format!("the migration cannot reach the target schema: {}", unseen.join("; ")), self))
        } else {
            Ok(self)
        }
    }

    fn change(&self, index: usize) -> Change {
        Change { changes: self.changes.clone(), index }
    }

    /// The refused changes (for the error that carries this change set).
    pub fn refused(&self) -> Vec<Change> {
        let changes = self.changes.changes.iter().enumerate();
        changes.filter(|(_, c)| c.refused).map(|(i, _)| self.change(i)).collect()
    }

    /// The reverse of this change set, with `allowDestructive` from
    /// `options` or else this change set's own.
    fn reverse(&self, options: Option<Unknown>) -> Outcome<ChangeSet> {
        let allow_destructive = Options::read(options)?.flag("allowDestructive")?.unwrap_or(self.options.allow_destructive);
        let options = DiffOptions { allow_destructive, renames: self.options.renames.clone() };
        let (changes, direction) = match self.direction {
            Direction::Up => (astrola_diff::down(&self.from.schema, &self.to.schema, &options)?, Direction::Down),
            // The reverse of a down migration is the up migration.
            Direction::Down => (astrola_diff::diff(&self.from.schema, &self.to.schema, &options)?, Direction::Up),
        };
        Ok(ChangeSet { changes: Arc::new(changes), from: self.from.clone(), to: self.to.clone(), options: Arc::new(options), direction })
    }
}

#[napi]
impl ChangeSet {
    /// The dialect of both schemas.
    #[napi(getter, ts_return_type = "SchemaDialect")]
    pub fn dialect(&self) -> &'static str {
        self.changes.dialect.name()
    }

    /// Every change, in the order it must run (refused ones included).
    #[napi(getter)]
    pub fn changes(&self) -> Vec<Change> {
        (0..self.changes.changes.len()).map(|i| self.change(i)).collect()
    }

    /// The SQL statements of the changes that are not refused, in order.
    #[napi(getter, ts_return_type = "Array<Statement>")]
    pub fn statements<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        env.to_js_value(&self.changes.statements)
    }

    /// The refused (destructive, not allowed) changes.
    #[napi(getter, js_name = "refused")]
    pub fn refused_changes(&self) -> Vec<Change> {
        self.refused()
    }

    /// Likely renames (a drop and an add of the same shape); never applied.
    #[napi(getter, ts_return_type = "Array<Suggestion>")]
    pub fn suggestions<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        env.to_js_value(&self.changes.suggestions)
    }

    /// Unmanaged statements present on one side only.
    #[napi(getter, ts_return_type = "Array<UnmanagedDifference>")]
    pub fn unmanaged<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        env.to_js_value(&self.changes.unmanaged)
    }

    /// Differences no change can express.
    #[napi(getter)]
    pub fn unsupported(&self) -> Vec<String> {
        self.changes.unsupported.clone()
    }

    /// Rename hints that did not apply, and similar remarks.
    #[napi(getter)]
    pub fn notes(&self) -> Vec<String> {
        self.changes.notes.clone()
    }

    /// True when there is nothing to do and nothing the diff could not see.
    #[napi(getter)]
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// True when nothing is refused, unmanaged or unsupported.
    #[napi(getter)]
    pub fn is_complete(&self) -> bool {
        self.changes.is_complete()
    }

    /// The migration SQL, exactly as `astrola diff` prints it: a comment per
    /// refused change, irreversible steps marked.
    #[napi]
    pub fn sql(&self) -> String {
        self.changes.annotated_sql()
    }

    /// The reverse migration (`to` back to `from`), as a `ChangeSet`.
    /// `allowDestructive` defaults to this change set's own.
    #[napi(ts_args_type = "options?: DownOptions")]
    pub fn down(&self, env: Env, options: Option<Unknown>) -> Result<ChangeSet> {
        self.reverse(options).map_err(|f| f.into_js(&env))
    }

    /// The SQL of `down()`, under the Safety rule of `diff`: throws
    /// `DestructiveChangeError` or `UnmanagedDifferenceError` when the down
    /// migration is incomplete.
    #[napi(ts_args_type = "options?: DownOptions")]
    pub fn down_sql(&self, env: Env, options: Option<Unknown>) -> Result<String> {
        let down = self.reverse(options).and_then(ChangeSet::checked);
        down.map(|c| c.sql()).map_err(|f| f.into_js(&env))
    }

    /// A one-line summary.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        let c = &self.changes;
        format!(
            "ChangeSet {{ dialect: {}, changes: {}, statements: {}, refused: {}, complete: {} }}",
            c.dialect,
            c.changes.len(),
            c.statements.len(),
            c.refused().count(),
            c.is_complete()
        )
    }
}

serde_forms!(ChangeSet);

/// One change of a `ChangeSet`, with its safety verdict.
#[napi]
pub struct Change {
    changes: Arc<astrola_diff::ChangeSet>,
    index: usize,
}

impl Change {
    fn model(&self) -> &PlannedChange {
        &self.changes.changes[self.index]
    }
}

#[napi]
impl Change {
    /// The snake_case change kind (`add_column`, `drop_table`, …).
    #[napi(getter)]
    pub fn kind(&self) -> &'static str {
        self.model().change.kind()
    }

    /// The object it is about, in SQL spelling (`public.users.email`).
    #[napi(getter)]
    pub fn object(&self) -> String {
        self.model().object.clone()
    }

    /// Whether it destroys data or removes an object.
    #[napi(getter)]
    pub fn destructive(&self) -> bool {
        self.model().destruction.is_some()
    }

    /// Why it is destructive, or `null`.
    #[napi(getter, ts_return_type = "'data' | 'narrowing' | 'object' | null")]
    pub fn destruction(&self) -> Option<&'static str> {
        self.model().destruction.map(|d| match d {
            Destruction::Data => "data",
            Destruction::Narrowing => "narrowing",
            Destruction::Object => "object",
        })
    }

    /// Refused: destructive and not allowed; its SQL is left out.
    #[napi(getter)]
    pub fn refused(&self) -> bool {
        self.model().refused
    }

    /// In a down migration: it restores an object, not the data the up
    /// migration removed.
    #[napi(getter)]
    pub fn irreversible(&self) -> bool {
        self.model().irreversible
    }

    /// The SQL of this change (empty when refused).
    #[napi]
    pub fn sql(&self) -> String {
        let statements = self.changes.statements.iter().filter(|s| s.change == Some(self.index));
        statements.map(|s| s.sql.as_str()).collect()
    }

    /// A one-line summary.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        format!("{} {}", self.kind(), self.model().object)
    }
}

serde_forms!(Change);

/// How an actual schema drifted from the expected one.
#[napi]
pub struct DriftReport {
    report: Arc<astrola_diff::DriftReport>,
}

impl DriftReport {
    fn model(&self) -> &astrola_diff::DriftReport {
        &self.report
    }
}

#[napi]
impl DriftReport {
    /// Each drifted object, most severe first.
    #[napi(getter)]
    pub fn drifts(&self) -> Vec<Drift> {
        (0..self.report.drifts.len()).map(|index| Drift { report: self.report.clone(), index }).collect()
    }

    /// True when `actual` matches `expected` (no drift, nothing unseen).
    #[napi(getter)]
    pub fn is_clean(&self) -> bool {
        self.report.is_clean()
    }

    /// The SQL that brings `actual` back to `expected`, in dependency order.
    #[napi]
    pub fn remediation_sql(&self) -> String {
        self.report.remediation.sql()
    }

    /// The report as text, exactly as `astrola drift` prints it.
    #[napi]
    pub fn to_text(&self) -> String {
        self.report.to_text()
    }

    /// A one-line summary.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        format!("DriftReport {{ drifts: {}, clean: {} }}", self.report.drifts.len(), self.report.is_clean())
    }
}

serde_forms!(DriftReport);

/// One drifted object.
#[napi]
pub struct Drift {
    report: Arc<astrola_diff::DriftReport>,
    index: usize,
}

impl Drift {
    fn model(&self) -> &astrola_diff::Drift {
        &self.report.drifts[self.index]
    }
}

#[napi]
impl Drift {
    /// The object, in SQL spelling.
    #[napi(getter)]
    pub fn object(&self) -> String {
        self.model().object.clone()
    }

    /// Whether `actual` lacks it, has it unexpectedly, or has it changed.
    #[napi(getter, ts_return_type = "'missing' | 'unexpected' | 'changed'")]
    pub fn kind(&self) -> &'static str {
        match self.model().kind {
            DriftKind::Missing => "missing",
            DriftKind::Unexpected => "unexpected",
            DriftKind::Changed => "changed",
        }
    }

    /// How much it matters.
    #[napi(getter, ts_return_type = "'breaking' | 'warning' | 'info'")]
    pub fn severity(&self) -> &'static str {
        match self.model().severity {
            Severity::Breaking => "breaking",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The change kinds that fix it (`alter_column_type`, …).
    #[napi(getter)]
    pub fn changes(&self) -> Vec<String> {
        self.model().changes.clone()
    }

    /// The definition `expected` has, or `null`.
    #[napi(getter)]
    pub fn expected(&self) -> Option<String> {
        self.model().expected.clone()
    }

    /// The definition `actual` has, or `null`.
    #[napi(getter)]
    pub fn actual(&self) -> Option<String> {
        self.model().actual.clone()
    }

    /// The SQL that brings `actual` back to `expected` for this object.
    #[napi(getter)]
    pub fn remediation(&self) -> String {
        self.model().remediation.clone()
    }
}

serde_forms!(Drift);

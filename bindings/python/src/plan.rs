//! `astrola-planner` for Python: `plan`, and the typed results `Plan`,
//! `Phase`, `Gate`, `Step`, `Lock`, `RetryPolicy`, `Check`, `Backfill`,
//! `BatchPolicy`, `Throttle`, `TimeWindow`, `Verification`, `Script`,
//! `Estimate`, `Approval` and `Blocking`.
//!
//! Each result is a frozen class holding its part of the plan; the dict and
//! JSON forms are the plan JSON of `astrola plan --format json`
//! (`docs/plan-json.md`).

use std::sync::Arc;

use astrola_core::stats::{Stats, StatsError};
use astrola_core::Dialect;
use astrola_planner::PlanOptions;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyString};
use serde::Serialize;

use crate::core::{Flag, SchemaArg, Text};
use crate::error::{core_error, diff_error, invalid_argument, raise, Class};
use crate::lint::StatsArg;
use crate::{py_repr, to_dict, to_json};

/// The name `stats` go by in `ConfigError`s, as in `lint`.
const STATS_NAME: &str = "<stats>";

/// The Python type name of `value`, for messages.
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map_or_else(|_| "object".to_string(), |n| n.to_string())
}

/// The serde name of a unit enum variant (`"expand"`, `"access_exclusive"`).
fn serde_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A whole-number argument `name`: an `int` (not a `bool`) that fits `T`.
fn whole<T: TryFrom<u64>>(py: Python<'_>, value: Option<Bound<'_, PyAny>>, name: &str) -> PyResult<Option<T>> {
    let Some(value) = value else { return Ok(None) };
    if value.is_none() {
        return Ok(None);
    }
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(invalid_argument(py, format!("{name} must be an int, got {}", type_name(&value))));
    }
    let number = value.extract::<u64>().ok().and_then(|n| T::try_from(n).ok());
    number.map(Some).ok_or_else(|| invalid_argument(py, format!("{name} {value} is out of range")))
}

/// The `windows` argument: an iterable of `"HH:MM-HH:MM"` strings (not a
/// `str` itself).
fn windows(py: Python<'_>, value: Option<Bound<'_, PyAny>>) -> PyResult<Vec<astrola_planner::TimeWindow>> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Ok(Vec::new()) };
    let wrong = || invalid_argument(py, format!("windows must be an iterable of 'HH:MM-HH:MM' strings, got {}", type_name(&value)));
    if value.is_instance_of::<PyString>() {
        return Err(wrong());
    }
    let mut windows = Vec::new();
    for item in value.try_iter().map_err(|_| wrong())? {
        let item = item.map_err(|e| invalid_argument(py, format!("windows cannot be read: {e}")))?;
        let Text(window) = item.extract()?;
        let Some((start, end)) = window.split_once('-') else {
            return Err(invalid_argument(py, format!("window {} is not 'HH:MM-HH:MM'", py_repr(py, &window))));
        };
        windows.push(astrola_planner::TimeWindow { start: start.trim().to_string(), end: end.trim().to_string() });
    }
    Ok(windows)
}

/// Why `plan` failed, before it becomes a Python exception.
enum Failure {
    /// The `stats` do not read.
    Stats(StatsError),
    /// The planner's error.
    Plan(astrola_planner::Error),
    /// An input that does not parse.
    Core(astrola_core::Error),
}

impl Failure {
    fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            Self::Stats(e) | Self::Plan(astrola_planner::Error::Stats(e)) => raise(py, Class::Config, e.to_string(), |kw| {
                kw.set_item("message", e.message)?;
                kw.set_item("file", e.file)?;
                kw.set_item("line", e.line)?;
                kw.set_item("column", e.column)
            }),
            Self::Core(e) => core_error(py, e),
            Self::Plan(astrola_planner::Error::Diff(e)) => diff_error(py, e),
            // `UnsupportedError`, as core's unsupported input.
            Self::Plan(e @ astrola_planner::Error::UnsupportedDialect(_)) => core_error(py, astrola_core::Error::Unsupported(e.to_string())),
            Self::Plan(e @ astrola_planner::Error::InvalidOption { .. }) => invalid_argument(py, e.to_string()),
        }
    }
}

/// Plans the migration from `from_` to `to` so that it runs online: what
/// `astrola plan` does.
///
/// `from_` and `to` are PostgreSQL SQL text or `Schema` objects (a schema of
/// another dialect raises `UnsupportedError`). `stats` are table sizes, as
/// `astrola plan --stats` reads them (a mapping or JSON text), for the
/// estimates; stats that do not read raise `ConfigError` naming the field.
/// The other arguments are `PlanOptions`; `None` keeps the planner's
/// default: `pg_version` 15, `lock_timeout_ms` 2000,
/// `statement_timeout_ms` 60000, `max_attempts` 5, `batch_size` 1000,
/// `target_batch_ms` unset (fixed batches), `pause_ms` 0, no `lag_query` or
/// `max_lag_ms`, no `windows` (daily UTC windows `"HH:MM-HH:MM"` in which
/// batches may run). Destructive changes are left out (and named in
/// `Plan.notes`) unless `allow_destructive`; they then need approval. The
/// `-- @renamed from=old` annotations of `to` declare renames, as in
/// `astrola plan`. Options out of range raise `InvalidArgumentError`.
#[pyfunction]
#[pyo3(
    signature = (
        from_, to, stats = None, *, pg_version = None, lock_timeout_ms = None, statement_timeout_ms = None, max_attempts = None,
        batch_size = None, target_batch_ms = None, pause_ms = None, lag_query = None, max_lag_ms = None, windows = None,
        allow_destructive = Flag(false)
    ),
    text_signature = "(from_, to, stats=None, *, pg_version=None, lock_timeout_ms=None, statement_timeout_ms=None, max_attempts=None, batch_size=None, target_batch_ms=None, pause_ms=None, lag_query=None, max_lag_ms=None, windows=None, allow_destructive=False)"
)]
#[allow(clippy::too_many_arguments)]
pub fn plan<'py>(
    py: Python<'py>,
    from_: SchemaArg,
    to: SchemaArg,
    stats: Option<StatsArg>,
    pg_version: Option<Bound<'py, PyAny>>,
    lock_timeout_ms: Option<Bound<'py, PyAny>>,
    statement_timeout_ms: Option<Bound<'py, PyAny>>,
    max_attempts: Option<Bound<'py, PyAny>>,
    batch_size: Option<Bound<'py, PyAny>>,
    target_batch_ms: Option<Bound<'py, PyAny>>,
    pause_ms: Option<Bound<'py, PyAny>>,
    lag_query: Option<Text>,
    max_lag_ms: Option<Bound<'py, PyAny>>,
    windows: Option<Bound<'py, PyAny>>,
    allow_destructive: Flag,
) -> PyResult<Plan> {
    let defaults = PlanOptions::default();
    let options = PlanOptions {
        pg_version: whole(py, pg_version, "pg_version")?.unwrap_or(defaults.pg_version),
        lock_timeout_ms: whole(py, lock_timeout_ms, "lock_timeout_ms")?.unwrap_or(defaults.lock_timeout_ms),
        statement_timeout_ms: whole(py, statement_timeout_ms, "statement_timeout_ms")?.unwrap_or(defaults.statement_timeout_ms),
        max_attempts: whole(py, max_attempts, "max_attempts")?.unwrap_or(defaults.max_attempts),
        batch_size: whole(py, batch_size, "batch_size")?.unwrap_or(defaults.batch_size),
        target_batch_ms: whole(py, target_batch_ms, "target_batch_ms")?.or(defaults.target_batch_ms),
        pause_ms: whole(py, pause_ms, "pause_ms")?.unwrap_or(defaults.pause_ms),
        lag_query: lag_query.map(|t| t.0).or(defaults.lag_query),
        max_lag_ms: whole(py, max_lag_ms, "max_lag_ms")?.or(defaults.max_lag_ms),
        windows: self::windows(py, windows)?,
        allow_destructive: allow_destructive.0,
        renames: Vec::new(),
    };
    let planned = py.detach(move || -> Result<astrola_planner::Plan, Failure> {
        let stats = stats.map(|s| Stats::from_json(&s.0, STATS_NAME)).transpose().map_err(Failure::Stats)?;
        let from = from_.resolve(Dialect::Postgres).map_err(Failure::Core)?;
        let to = to.resolve(Dialect::Postgres).map_err(Failure::Core)?;
        // As `astrola plan`: the renames are the annotations of the target.
        let options = PlanOptions { renames: to.renames.clone(), ..options };
        astrola_planner::plan(&from.schema, &to.schema, stats.as_ref(), &options).map_err(Failure::Plan)
    });
    Ok(Plan { inner: Arc::new(planned.map_err(|f| f.into_py(py))?) })
}

/// A frozen class holding one part of a plan, with equality, `to_dict()`
/// and `to_json()` (its part of the plan JSON), and the methods given.
macro_rules! record {
    ($(#[$meta:meta])* $class:ident($model:ty) { $($methods:tt)* }) => {
        $(#[$meta])*
        #[pyclass(frozen, eq, module = "astrola")]
        #[derive(PartialEq)]
        pub struct $class {
            inner: $model,
        }

        #[pymethods]
        impl $class {
            $($methods)*

            /// As Python dicts and lists (its part of the plan JSON).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                to_dict(py, &self.inner)
            }

            /// As pretty-printed JSON (its part of the plan JSON).
            fn to_json(&self) -> String {
                to_json(&self.inner)
            }
        }
    };
}

/// An online-safe migration plan: four phases (expand, backfill, validate,
/// contract) of steps, with gates between them.
///
/// `to_json()` is what `astrola plan --format json` prints (the contract
/// executors consume), `to_text()` the runbook `astrola plan` prints,
/// `to_sql()` what `astrola plan --format sql` prints, and `scripts()` the
/// files of `astrola plan --out-dir`.
#[pyclass(frozen, eq, module = "astrola")]
pub struct Plan {
    inner: Arc<astrola_planner::Plan>,
}

impl PartialEq for Plan {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

#[pymethods]
impl Plan {
    /// The version of the plan JSON format.
    #[getter]
    fn format(&self) -> u32 {
        self.inner.format
    }

    /// The dialect the SQL is written for ("postgres").
    #[getter]
    fn dialect(&self) -> &'static str {
        self.inner.dialect.name()
    }

    /// The four phases, in order: expand, backfill, validate, contract.
    #[getter]
    fn phases(&self) -> Vec<Phase> {
        self.inner.phases.iter().map(|p| Phase { inner: p.clone() }).collect()
    }

    /// Every step of every phase, in the order they run.
    #[getter]
    fn steps(&self) -> Vec<Step> {
        self.inner.steps().map(|s| Step { inner: s.clone() }).collect()
    }

    /// What the plan could not see or make online (unmanaged statements,
    /// unsupported differences, refused changes), one line each.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.inner.notes.clone()
    }

    /// True when the plan has no step.
    #[getter]
    fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The plan as a runbook, as `astrola plan` prints it.
    fn to_text(&self, py: Python<'_>) -> String {
        py.detach(|| self.inner.to_text())
    }

    /// The runnable scripts, one per step, in order (the files of
    /// `astrola plan --out-dir`).
    fn scripts(&self, py: Python<'_>) -> Vec<Script> {
        py.detach(|| self.inner.scripts()).into_iter().map(|inner| Script { inner }).collect()
    }

    /// Every script, concatenated in order, each under a `-- file:` line:
    /// what `astrola plan --format sql` prints.
    fn to_sql(&self, py: Python<'_>) -> String {
        py.detach(|| self.inner.to_sql())
    }

    /// The plan as Python dicts and lists (docs/plan-json.md).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &*self.inner)
    }

    /// The plan as pretty-printed JSON (`astrola plan --format json`).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    fn __repr__(&self) -> String {
        let p = &self.inner;
        let steps = p.steps().count();
        let approvals = p.steps().filter(|s| s.approval.is_some()).count();
        let blocking = p.steps().filter(|s| s.blocking.is_some()).count();
        format!("<astrola.Plan steps={steps} approvals={approvals} blocking={blocking} notes={}>", p.notes.len())
    }
}

record! {
    /// One phase of a plan: its steps, and the gate after it.
    Phase(astrola_planner::Phase) {
        /// "expand", "backfill", "validate" or "contract".
        #[getter]
        fn kind(&self) -> String {
            serde_name(&self.inner.kind)
        }

        /// The steps, in the order they run.
        #[getter]
        fn steps(&self) -> Vec<Step> {
            self.inner.steps.iter().map(|s| Step { inner: s.clone() }).collect()
        }

        /// The gate after this phase, or None.
        #[getter]
        fn gate(&self) -> Option<Gate> {
            self.inner.gate.clone().map(|inner| Gate { inner })
        }

        fn __repr__(&self) -> String {
            format!("<astrola.Phase {} steps={} gate={}>", self.kind(), self.inner.steps.len(), if self.inner.gate.is_some() { "True" } else { "False" })
        }
    }
}

record! {
    /// A named stop between two phases: what must be true (a deploy, say)
    /// before the plan goes on.
    Gate(astrola_planner::Gate) {
        /// A stable id ("deploy-dual-write").
        #[getter]
        fn id(&self) -> &str {
            &self.inner.id
        }

        /// What must be true, in plain words.
        #[getter]
        fn description(&self) -> &str {
            &self.inner.description
        }

        fn __repr__(&self, py: Python<'_>) -> String {
            format!("<astrola.Gate {} {}>", py_repr(py, &self.inner.id), py_repr(py, &self.inner.description))
        }
    }
}

record! {
    /// One step: SQL run as one unit, with the lock it takes and how to run
    /// it safely.
    Step(astrola_planner::Step) {
        /// Unique within the plan and stable for the same inputs
        /// ("expand-1"): executors checkpoint by it.
        #[getter]
        fn id(&self) -> &str {
            &self.inner.id
        }

        /// "ddl" or "backfill".
        #[getter]
        fn kind(&self) -> String {
            serde_name(&self.inner.kind)
        }

        /// What the step does, in plain words.
        #[getter]
        fn description(&self) -> &str {
            &self.inner.description
        }

        /// The object the step is about ("public.users").
        #[getter]
        fn object(&self) -> &str {
            &self.inner.object
        }

        /// The statements, in order (empty for a backfill step).
        #[getter]
        fn sql(&self) -> Vec<String> {
            self.inner.sql.clone()
        }

        /// Whether the statements may run in one transaction; otherwise each
        /// runs on its own, in autocommit.
        #[getter]
        fn transactional(&self) -> bool {
            self.inner.transactional
        }

        /// The strongest table lock the step takes, or None.
        #[getter]
        fn lock(&self) -> Option<Lock> {
            self.inner.lock.clone().map(|inner| Lock { inner })
        }

        /// `lock_timeout` for the step in milliseconds, or None.
        #[getter]
        fn lock_timeout_ms(&self) -> Option<u64> {
            self.inner.lock_timeout_ms
        }

        /// `statement_timeout` for the step in milliseconds, or None (steps
        /// that run as long as they need).
        #[getter]
        fn statement_timeout_ms(&self) -> Option<u64> {
            self.inner.statement_timeout_ms
        }

        /// When and how to retry a failed attempt.
        #[getter]
        fn retry(&self) -> RetryPolicy {
            RetryPolicy { inner: self.inner.retry.clone() }
        }

        /// Whether `rollback` undoes the step without losing data.
        #[getter]
        fn reversible(&self) -> bool {
            self.inner.reversible
        }

        /// The SQL that undoes the step (empty when it cannot be undone).
        #[getter]
        fn rollback(&self) -> Vec<String> {
            self.inner.rollback.clone()
        }

        /// Queries that must return 0 before the step runs.
        #[getter]
        fn preflight(&self) -> Vec<Check> {
            self.inner.preflight.iter().map(|c| Check { inner: c.clone() }).collect()
        }

        /// For a backfill step, how to run it; otherwise None.
        #[getter]
        fn backfill(&self) -> Option<Backfill> {
            self.inner.backfill.clone().map(|inner| Backfill { inner })
        }

        /// Rows, bytes and duration, when stats were given; otherwise None.
        #[getter]
        fn estimate(&self) -> Option<Estimate> {
            self.inner.estimate.clone().map(|inner| Estimate { inner })
        }

        /// Why a person must approve the step first, or None.
        #[getter]
        fn approval(&self) -> Option<Approval> {
            self.inner.approval.clone().map(|inner| Approval { inner })
        }

        /// Why the step cannot be made online, or None.
        #[getter]
        fn blocking(&self) -> Option<Blocking> {
            self.inner.blocking.clone().map(|inner| Blocking { inner })
        }

        /// The index of the diff change the step comes from, or None.
        #[getter]
        fn change(&self) -> Option<usize> {
            self.inner.change
        }

        fn __repr__(&self, py: Python<'_>) -> String {
            format!("<astrola.Step {} {} {}>", self.inner.id, self.kind(), py_repr(py, &self.inner.description))
        }
    }
}

record! {
    /// A table lock a step takes.
    Lock(astrola_planner::Lock) {
        /// The mode, snake_case ("access_exclusive", "share_update_exclusive", ...).
        #[getter]
        fn mode(&self) -> String {
            serde_name(&self.inner.mode)
        }

        /// The table ("public.users").
        #[getter]
        fn table(&self) -> &str {
            &self.inner.table
        }

        fn __repr__(&self, py: Python<'_>) -> String {
            format!("<astrola.Lock {} on {}>", self.inner.mode.name(), py_repr(py, &self.inner.table))
        }
    }
}

record! {
    /// When and how to retry a step.
    RetryPolicy(astrola_planner::RetryPolicy) {
        /// Attempts in all (1: no retry).
        #[getter]
        fn max_attempts(&self) -> u32 {
            self.inner.max_attempts
        }

        /// The wait before the second attempt, in ms; it doubles after.
        #[getter]
        fn backoff_ms(&self) -> u64 {
            self.inner.backoff_ms
        }

        /// The longest wait between attempts, in ms.
        #[getter]
        fn max_backoff_ms(&self) -> u64 {
            self.inner.max_backoff_ms
        }

        /// The SQLSTATEs worth retrying ("55P03", ...).
        #[getter]
        fn retry_on(&self) -> Vec<String> {
            self.inner.retry_on.clone()
        }

        fn __repr__(&self) -> String {
            let r = &self.inner;
            format!("<astrola.RetryPolicy max_attempts={} backoff_ms={} max_backoff_ms={}>", r.max_attempts, r.backoff_ms, r.max_backoff_ms)
        }
    }
}

record! {
    /// A query that must return a single 0 before a step runs.
    Check(astrola_planner::Check) {
        /// What a non-zero count means.
        #[getter]
        fn description(&self) -> &str {
            &self.inner.description
        }

        /// The query.
        #[getter]
        fn sql(&self) -> &str {
            &self.inner.sql
        }

        fn __repr__(&self, py: Python<'_>) -> String {
            format!("<astrola.Check {}>", py_repr(py, &self.inner.description))
        }
    }
}

record! {
    /// A batched, resumable, verifiable backfill. Parameters are text:
    /// `first_batch_sql` takes `$1` = the batch size; `next_batch_sql`
    /// takes the checkpoint (one value per key column), then the size. Both
    /// return the new checkpoint, or no row when done.
    Backfill(astrola_planner::Backfill) {
        /// The table ("public.users").
        #[getter]
        fn table(&self) -> &str {
            &self.inner.table
        }

        /// How batches are cut: "keyset" or "ctid".
        #[getter]
        fn strategy(&self) -> String {
            serde_name(&self.inner.strategy)
        }

        /// The key columns batches are cut on (["ctid"] for ctid batches).
        #[getter]
        fn key(&self) -> Vec<String> {
            self.inner.key.clone()
        }

        /// What the backfill writes, in plain words.
        #[getter]
        fn description(&self) -> &str {
            &self.inner.description
        }

        /// The first batch.
        #[getter]
        fn first_batch_sql(&self) -> &str {
            &self.inner.first_batch_sql
        }

        /// Every later batch.
        #[getter]
        fn next_batch_sql(&self) -> &str {
            &self.inner.next_batch_sql
        }

        /// The batch size and how it adapts.
        #[getter]
        fn batch(&self) -> BatchPolicy {
            BatchPolicy { inner: self.inner.batch.clone() }
        }

        /// Pauses, replication lag and time windows.
        #[getter]
        fn throttle(&self) -> Throttle {
            Throttle { inner: self.inner.throttle.clone() }
        }

        /// The queries that check the result.
        #[getter]
        fn verify(&self) -> Verification {
            Verification { inner: self.inner.verify.clone() }
        }

        /// Limits of the strategy the operator must know, or None.
        #[getter]
        fn caveat(&self) -> Option<&str> {
            self.inner.caveat.as_deref()
        }

        fn __repr__(&self, py: Python<'_>) -> String {
            format!("<astrola.Backfill {} {} key={:?}>", py_repr(py, &self.inner.table), self.strategy(), self.inner.key)
        }
    }
}

record! {
    /// The batch size of a backfill.
    BatchPolicy(astrola_planner::BatchPolicy) {
        /// Rows (or heap pages, for ctid batches) per batch to start with.
        #[getter]
        fn size(&self) -> u64 {
            self.inner.size
        }

        /// The duration batches are resized towards, in ms, or None (fixed).
        #[getter]
        fn target_duration_ms(&self) -> Option<u64> {
            self.inner.target_duration_ms
        }

        /// The smallest batch.
        #[getter]
        fn min_size(&self) -> u64 {
            self.inner.min_size
        }

        /// The largest batch.
        #[getter]
        fn max_size(&self) -> u64 {
            self.inner.max_size
        }

        fn __repr__(&self) -> String {
            let b = &self.inner;
            format!("<astrola.BatchPolicy size={} min={} max={}>", b.size, b.min_size, b.max_size)
        }
    }
}

record! {
    /// How a backfill yields to production traffic.
    Throttle(astrola_planner::Throttle) {
        /// The pause after each batch, in ms.
        #[getter]
        fn pause_ms(&self) -> u64 {
            self.inner.pause_ms
        }

        /// The query giving the replication lag in ms, or None.
        #[getter]
        fn lag_query(&self) -> Option<&str> {
            self.inner.lag_query.as_deref()
        }

        /// The largest replication lag tolerated, in ms, or None.
        #[getter]
        fn max_lag_ms(&self) -> Option<u64> {
            self.inner.max_lag_ms
        }

        /// When batches may run (UTC); empty means always.
        #[getter]
        fn windows(&self) -> Vec<TimeWindow> {
            self.inner.windows.iter().map(|w| TimeWindow { inner: w.clone() }).collect()
        }

        fn __repr__(&self) -> String {
            format!("<astrola.Throttle pause_ms={} windows={}>", self.inner.pause_ms, self.inner.windows.len())
        }
    }
}

record! {
    /// A daily time window, in UTC (it may wrap past midnight).
    TimeWindow(astrola_planner::TimeWindow) {
        /// Start, "HH:MM".
        #[getter]
        fn start(&self) -> &str {
            &self.inner.start
        }

        /// End, "HH:MM".
        #[getter]
        fn end(&self) -> &str {
            &self.inner.end
        }

        fn __repr__(&self) -> String {
            format!("<astrola.TimeWindow {}-{}>", self.inner.start, self.inner.end)
        }
    }
}

record! {
    /// The queries that check a backfill.
    Verification(astrola_planner::Verification) {
        /// The number of rows in the table.
        #[getter]
        fn row_count_sql(&self) -> &str {
            &self.inner.row_count_sql
        }

        /// The number of rows still to backfill: 0 when done.
        #[getter]
        fn remaining_sql(&self) -> &str {
            &self.inner.remaining_sql
        }

        /// Checksums (`old`, `new`) of one key range, equal when it was
        /// copied faithfully.
        #[getter]
        fn checksum_sql(&self) -> &str {
            &self.inner.checksum_sql
        }

        fn __repr__(&self) -> String {
            "<astrola.Verification>".to_string()
        }
    }
}

record! {
    /// One step's runnable script (`astrola plan --format sql`).
    Script(astrola_planner::Script) {
        /// A file name that sorts in run order ("001-expand-1.sql").
        #[getter]
        fn name(&self) -> &str {
            &self.inner.name
        }

        /// The step's id.
        #[getter]
        fn step(&self) -> &str {
            &self.inner.step
        }

        /// The script.
        #[getter]
        fn sql(&self) -> &str {
            &self.inner.sql
        }

        fn __repr__(&self, py: Python<'_>) -> String {
            format!("<astrola.Script {}>", py_repr(py, &self.inner.name))
        }
    }
}

record! {
    /// What a step touches and how long it should take, from `stats`.
    Estimate(astrola_planner::Estimate) {
        /// Rows the step reads or writes, or None.
        #[getter]
        fn rows(&self) -> Option<u64> {
            self.inner.rows
        }

        /// Bytes the step reads or writes, or None.
        #[getter]
        fn bytes(&self) -> Option<u64> {
            self.inner.bytes
        }

        /// Expected duration in seconds (a rough figure), or None.
        #[getter]
        fn seconds(&self) -> Option<f64> {
            self.inner.seconds
        }

        /// How the figure was reached.
        #[getter]
        fn basis(&self) -> &str {
            &self.inner.basis
        }

        fn __repr__(&self) -> String {
            let e = &self.inner;
            let show = |v: Option<String>| v.unwrap_or_else(|| "None".to_string());
            format!("<astrola.Estimate rows={} bytes={} seconds={}>", show(e.rows.map(|n| n.to_string())), show(e.bytes.map(|n| n.to_string())), show(e.seconds.map(|n| n.to_string())))
        }
    }
}

record! {
    /// Why a step needs a person's approval before it runs.
    Approval(astrola_planner::Approval) {
        /// In plain words.
        #[getter]
        fn reason(&self) -> &str {
            &self.inner.reason
        }

        /// The rows whose data is lost, when stats were given; otherwise None.
        #[getter]
        fn rows(&self) -> Option<u64> {
            self.inner.rows
        }

        fn __repr__(&self, py: Python<'_>) -> String {
            format!("<astrola.Approval {}>", py_repr(py, &self.inner.reason))
        }
    }
}

record! {
    /// A step that cannot be made online: it blocks writes while it runs.
    Blocking(astrola_planner::Blocking) {
        /// Why it cannot.
        #[getter]
        fn reason(&self) -> &str {
            &self.inner.reason
        }

        /// The lock held while it runs, snake_case ("access_exclusive").
        #[getter]
        fn lock(&self) -> String {
            serde_name(&self.inner.lock)
        }

        /// How long writers wait, in seconds, when stats were given; otherwise None.
        #[getter]
        fn estimated_seconds(&self) -> Option<f64> {
            self.inner.estimated_seconds
        }

        fn __repr__(&self, py: Python<'_>) -> String {
            format!("<astrola.Blocking {} {}>", self.inner.lock.name(), py_repr(py, &self.inner.reason))
        }
    }
}

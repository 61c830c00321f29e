//! `astrola-planner` for Node: `plan` (and `planAsync`), the `Plan` class,
//! and the records a plan is made of (`Phase`, `Gate`, `Step`, `Lock`,
//! `RetryPolicy`, `Check`, `Backfill`, `BatchPolicy`, `Throttle`,
//! `TimeWindow`, `Verification`, `Script`, `Estimate`, `Approval`,
//! `Blocking`), plain objects with camelCase fields.
//!
//! `Plan.toObject()`/`toJSON()`/`toJson()` give the plan JSON of
//! `astrola plan --format json` (`docs/plan-json.md`), with its snake_case
//! keys, as executors consume it.

use std::sync::Arc;

use astrola_core::stats::Stats;
use astrola_core::Dialect;
use astrola_planner::PlanOptions;
use napi::bindgen_prelude::{AsyncTask, Env, Result, Unknown};
use napi_derive::napi;
use serde::Serialize;

use crate::core::{serde_forms, Options, SchemaInput};
use crate::error::{invalid, Failure, Outcome};
use crate::lint::stats_json;
use crate::Job;

/// The name `stats` go by in `ConfigError`s, as in `lint`.
const STATS_NAME: &str = "<stats>";

/// The serde name of a unit enum variant (`"expand"`, `"access_exclusive"`).
fn serde_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A count or a duration in ms as a JavaScript number (exact below 2⁵³).
fn number(value: u64) -> f64 {
    value as f64
}

/// The arguments of `plan`, checked.
struct PlanCall {
    from: SchemaInput,
    to: SchemaInput,
    /// The stats JSON, as text.
    stats: Option<String>,
    options: PlanOptions,
}

fn plan_arguments(env: &Env, from: Unknown, to: Unknown, options: Option<Unknown>) -> Outcome<PlanCall> {
    let from = SchemaInput::read(env, from, "from")?;
    let to = SchemaInput::read(env, to, "to")?;
    let options = Options::read(options)?;
    let defaults = PlanOptions::default();
    let millis = |name: &str| options.integer(name).map(|n| n.map(u64::from));
    let mut windows = Vec::new();
    for window in options.strings("windows")?.unwrap_or_default() {
        let Some((start, end)) = window.split_once('-') else {
            return Err(invalid(format!("window {window:?} is not \"HH:MM-HH:MM\"")));
        };
        windows.push(astrola_planner::TimeWindow { start: start.trim().to_string(), end: end.trim().to_string() });
    }
    let plan_options = PlanOptions {
        pg_version: options.integer("pgVersion")?.unwrap_or(defaults.pg_version),
        lock_timeout_ms: millis("lockTimeoutMs")?.unwrap_or(defaults.lock_timeout_ms),
        statement_timeout_ms: millis("statementTimeoutMs")?.unwrap_or(defaults.statement_timeout_ms),
        max_attempts: options.integer("maxAttempts")?.unwrap_or(defaults.max_attempts),
        batch_size: millis("batchSize")?.unwrap_or(defaults.batch_size),
        target_batch_ms: millis("targetBatchMs")?.or(defaults.target_batch_ms),
        pause_ms: millis("pauseMs")?.unwrap_or(defaults.pause_ms),
        lag_query: options.string("lagQuery")?.or(defaults.lag_query),
        max_lag_ms: millis("maxLagMs")?.or(defaults.max_lag_ms),
        windows,
        allow_destructive: options.flag("allowDestructive")?.unwrap_or(defaults.allow_destructive),
        renames: Vec::new(),
    };
    Ok(PlanCall { from, to, stats: options.value("stats")?.map(stats_json).transpose()?, options: plan_options })
}

/// The failure for an error of the planner.
fn planner_failure(error: astrola_planner::Error) -> Failure {
    match error {
        astrola_planner::Error::Diff(e) => e.into(),
        // `UnsupportedError`, as core's unsupported input.
        e @ astrola_planner::Error::UnsupportedDialect(_) => Failure::Core(astrola_core::Error::Unsupported(e.to_string())),
        e @ astrola_planner::Error::InvalidOption { .. } => invalid(e.to_string()),
        astrola_planner::Error::Stats(e) => e.into(),
    }
}

fn run_plan(call: PlanCall) -> Outcome<Plan> {
    let stats = call.stats.map(|json| Stats::from_json(&json, STATS_NAME)).transpose()?;
    let from = call.from.resolve(Dialect::Postgres)?;
    let to = call.to.resolve(Dialect::Postgres)?;
    // As `astrola plan`: the renames are the annotations of the target.
    let options = PlanOptions { renames: to.renames.clone(), ..call.options };
    let plan = astrola_planner::plan(&from.schema, &to.schema, stats.as_ref(), &options).map_err(planner_failure)?;
    Ok(Plan { inner: Arc::new(plan) })
}

/// Plans the migration from `from` to `to` so that it runs online: what
/// `astrola plan` does.
///
/// `from` and `to` are PostgreSQL SQL text or `Schema` objects (a schema of
/// another dialect throws `UnsupportedError`). `stats` are table sizes, as
/// `astrola plan --stats` reads them (an object or JSON text), for the
/// estimates; stats that do not read throw `ConfigError` naming the field.
/// The other options are the planner's, each with its default when absent:
/// `pgVersion` 15, `lockTimeoutMs` 2000, `statementTimeoutMs` 60000,
/// `maxAttempts` 5, `batchSize` 1000, `targetBatchMs` unset (fixed
/// batches), `pauseMs` 0, no `lagQuery` or `maxLagMs`, no `windows` (daily
/// UTC windows `"HH:MM-HH:MM"` in which batches may run). Destructive
/// changes are left out (and named in `notes`) unless `allowDestructive`;
/// they then need approval. The `-- @renamed from=old` annotations of `to`
/// declare renames, as in `astrola plan`. Options out of range throw
/// `InvalidArgumentError`.
#[napi(ts_args_type = "from: string | Schema, to: string | Schema, options?: PlanOptions")]
pub fn plan(env: Env, from: Unknown, to: Unknown, options: Option<Unknown>) -> Result<Plan> {
    plan_arguments(&env, from, to, options).and_then(run_plan).map_err(|f| f.into_js(&env))
}

/// `plan` on the thread pool: a Promise of the `Plan`, rejected with the
/// errors `plan` throws.
#[napi(ts_args_type = "from: string | Schema, to: string | Schema, options?: PlanOptions", ts_return_type = "Promise<Plan>")]
pub fn plan_async(env: Env, from: Unknown, to: Unknown, options: Option<Unknown>) -> AsyncTask<Job<Plan>> {
    let call = plan_arguments(&env, from, to, options);
    AsyncTask::new(Job::new(move || run_plan(call?)))
}

/// An online-safe migration plan: four phases (expand, backfill, validate,
/// contract) of steps, with gates between them.
///
/// `toJson()` is what `astrola plan --format json` prints (the contract
/// executors consume), `toText()` the runbook `astrola plan` prints,
/// `toSql()` what `astrola plan --format sql` prints, and `scripts()` the
/// files of `astrola plan --out-dir`.
#[napi]
pub struct Plan {
    inner: Arc<astrola_planner::Plan>,
}

impl Plan {
    fn model(&self) -> &astrola_planner::Plan {
        &self.inner
    }
}

#[napi]
impl Plan {
    /// The version of the plan JSON format.
    #[napi(getter)]
    pub fn format(&self) -> u32 {
        self.inner.format
    }

    /// The dialect the SQL is written for.
    #[napi(getter, ts_return_type = "SchemaDialect")]
    pub fn dialect(&self) -> &'static str {
        self.inner.dialect.name()
    }

    /// The four phases, in order: expand, backfill, validate, contract.
    #[napi(getter)]
    pub fn phases(&self) -> Vec<Phase> {
        self.inner.phases.iter().map(Phase::from).collect()
    }

    /// Every step of every phase, in the order they run.
    #[napi(getter)]
    pub fn steps(&self) -> Vec<Step> {
        self.inner.steps().map(Step::from).collect()
    }

    /// What the plan could not see or make online (unmanaged statements,
    /// unsupported differences, refused changes), one line each.
    #[napi(getter)]
    pub fn notes(&self) -> Vec<String> {
        self.inner.notes.clone()
    }

    /// True when the plan has no step.
    #[napi(getter)]
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The plan as a runbook, as `astrola plan` prints it.
    #[napi]
    pub fn to_text(&self) -> String {
        self.inner.to_text()
    }

    /// The runnable scripts, one per step, in order (the files of
    /// `astrola plan --out-dir`).
    #[napi]
    pub fn scripts(&self) -> Vec<Script> {
        self.inner.scripts().into_iter().map(|s| Script { name: s.name, step: s.step, sql: s.sql }).collect()
    }

    /// Every script, concatenated in order, each under a `-- file:` line:
    /// what `astrola plan --format sql` prints.
    #[napi]
    pub fn to_sql(&self) -> String {
        self.inner.to_sql()
    }

    /// A one-line summary.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        let p = &self.inner;
        let approvals = p.steps().filter(|s| s.approval.is_some()).count();
        let blocking = p.steps().filter(|s| s.blocking.is_some()).count();
        format!("Plan {{ steps: {}, approvals: {approvals}, blocking: {blocking}, notes: {} }}", p.steps().count(), p.notes.len())
    }
}

serde_forms!(Plan);

/// One phase of a plan: its steps, and the gate after it.
#[napi(object, use_nullable = true)]
pub struct Phase {
    /// Which phase.
    #[napi(ts_type = "PhaseKind")]
    pub kind: String,
    /// The steps, in the order they run.
    pub steps: Vec<Step>,
    /// The gate after this phase, or `null`.
    pub gate: Option<Gate>,
}

impl From<&astrola_planner::Phase> for Phase {
    fn from(p: &astrola_planner::Phase) -> Self {
        Self { kind: serde_name(&p.kind), steps: p.steps.iter().map(Step::from).collect(), gate: p.gate.as_ref().map(|g| Gate { id: g.id.clone(), description: g.description.clone() }) }
    }
}

/// A named stop between two phases: what must be true (a deploy, say)
/// before the plan goes on.
#[napi(object)]
pub struct Gate {
    /// A stable id (`deploy-dual-write`).
    pub id: String,
    /// What must be true, in plain words.
    pub description: String,
}

/// One step: SQL run as one unit, with the lock it takes and how to run it
/// safely.
#[napi(object, use_nullable = true)]
pub struct Step {
    /// Unique within the plan and stable for the same inputs
    /// (`expand-1`): executors checkpoint by it.
    pub id: String,
    /// DDL, or a batched backfill.
    #[napi(ts_type = "StepKind")]
    pub kind: String,
    /// What the step does, in plain words.
    pub description: String,
    /// The object the step is about (`public.users`).
    pub object: String,
    /// The statements, in order (empty for a backfill step).
    pub sql: Vec<String>,
    /// Whether the statements may run in one transaction; otherwise each
    /// runs on its own, in autocommit.
    pub transactional: bool,
    /// The strongest table lock the step takes, or `null`.
    pub lock: Option<Lock>,
    /// `lock_timeout` for the step in milliseconds, or `null`.
    pub lock_timeout_ms: Option<f64>,
    /// `statement_timeout` for the step in milliseconds, or `null` (steps
    /// that run as long as they need).
    pub statement_timeout_ms: Option<f64>,
    /// When and how to retry a failed attempt.
    pub retry: RetryPolicy,
    /// Whether `rollback` undoes the step without losing data.
    pub reversible: bool,
    /// The SQL that undoes the step (empty when it cannot be undone).
    pub rollback: Vec<String>,
    /// Queries that must return 0 before the step runs.
    pub preflight: Vec<Check>,
    /// For a backfill step, how to run it; otherwise `null`.
    pub backfill: Option<Backfill>,
    /// Rows, bytes and duration, when `stats` were given; otherwise `null`.
    pub estimate: Option<Estimate>,
    /// Why a person must approve the step first, or `null`.
    pub approval: Option<Approval>,
    /// Why the step cannot be made online, or `null`.
    pub blocking: Option<Blocking>,
    /// The index of the diff change the step comes from, or `null`.
    pub change: Option<u32>,
}

impl From<&astrola_planner::Step> for Step {
    fn from(s: &astrola_planner::Step) -> Self {
        Self {
            id: s.id.clone(),
            kind: serde_name(&s.kind),
            description: s.description.clone(),
            object: s.object.clone(),
            sql: s.sql.clone(),
            transactional: s.transactional,
            lock: s.lock.as_ref().map(|l| Lock { mode: serde_name(&l.mode), table: l.table.clone() }),
            lock_timeout_ms: s.lock_timeout_ms.map(number),
            statement_timeout_ms: s.statement_timeout_ms.map(number),
            retry: RetryPolicy { max_attempts: s.retry.max_attempts, backoff_ms: number(s.retry.backoff_ms), max_backoff_ms: number(s.retry.max_backoff_ms), retry_on: s.retry.retry_on.clone() },
            reversible: s.reversible,
            rollback: s.rollback.clone(),
            preflight: s.preflight.iter().map(|c| Check { description: c.description.clone(), sql: c.sql.clone() }).collect(),
            backfill: s.backfill.as_ref().map(Backfill::from),
            estimate: s.estimate.as_ref().map(|e| Estimate { rows: e.rows.map(number), bytes: e.bytes.map(number), seconds: e.seconds, basis: e.basis.clone() }),
            approval: s.approval.as_ref().map(|a| Approval { reason: a.reason.clone(), rows: a.rows.map(number) }),
            blocking: s.blocking.as_ref().map(|b| Blocking { reason: b.reason.clone(), lock: serde_name(&b.lock), estimated_seconds: b.estimated_seconds }),
            change: s.change.map(|c| u32::try_from(c).unwrap_or(u32::MAX)),
        }
    }
}

/// A table lock a step takes.
#[napi(object)]
pub struct Lock {
    /// The mode.
    #[napi(ts_type = "LockMode")]
    pub mode: String,
    /// The table (`public.users`).
    pub table: String,
}

/// When and how to retry a step.
#[napi(object)]
pub struct RetryPolicy {
    /// Attempts in all (1: no retry).
    pub max_attempts: u32,
    /// The wait before the second attempt, in ms; it doubles after.
    pub backoff_ms: f64,
    /// The longest wait between attempts, in ms.
    pub max_backoff_ms: f64,
    /// The SQLSTATEs worth retrying (`55P03`, …).
    pub retry_on: Vec<String>,
}

/// A query that must return a single 0 before a step runs.
#[napi(object)]
pub struct Check {
    /// What a non-zero count means.
    pub description: String,
    /// The query.
    pub sql: String,
}

/// A batched, resumable, verifiable backfill. Parameters are text:
/// `firstBatchSql` takes `$1` = the batch size; `nextBatchSql` takes the
/// checkpoint (one value per key column), then the size. Both return the
/// new checkpoint, or no row when done.
#[napi(object, use_nullable = true)]
pub struct Backfill {
    /// The table (`public.users`).
    pub table: String,
    /// How batches are cut.
    #[napi(ts_type = "BatchStrategy")]
    pub strategy: String,
    /// The key columns batches are cut on (`["ctid"]` for ctid batches).
    pub key: Vec<String>,
    /// What the backfill writes, in plain words.
    pub description: String,
    /// The first batch.
    pub first_batch_sql: String,
    /// Every later batch.
    pub next_batch_sql: String,
    /// The batch size and how it adapts.
    pub batch: BatchPolicy,
    /// Pauses, replication lag and time windows.
    pub throttle: Throttle,
    /// The queries that check the result.
    pub verify: Verification,
    /// Limits of the strategy the operator must know, or `null`.
    pub caveat: Option<String>,
}

impl From<&astrola_planner::Backfill> for Backfill {
    fn from(b: &astrola_planner::Backfill) -> Self {
        let t = &b.throttle;
        Self {
            table: b.table.clone(),
            strategy: serde_name(&b.strategy),
            key: b.key.clone(),
            description: b.description.clone(),
            first_batch_sql: b.first_batch_sql.clone(),
            next_batch_sql: b.next_batch_sql.clone(),
            batch: BatchPolicy { size: number(b.batch.size), target_duration_ms: b.batch.target_duration_ms.map(number), min_size: number(b.batch.min_size), max_size: number(b.batch.max_size) },
            throttle: Throttle {
                pause_ms: number(t.pause_ms),
                lag_query: t.lag_query.clone(),
                max_lag_ms: t.max_lag_ms.map(number),
                windows: t.windows.iter().map(|w| TimeWindow { start: w.start.clone(), end: w.end.clone() }).collect(),
            },
            verify: Verification { row_count_sql: b.verify.row_count_sql.clone(), remaining_sql: b.verify.remaining_sql.clone(), checksum_sql: b.verify.checksum_sql.clone() },
            caveat: b.caveat.clone(),
        }
    }
}

/// The batch size of a backfill.
#[napi(object, use_nullable = true)]
pub struct BatchPolicy {
    /// Rows (or heap pages, for ctid batches) per batch to start with.
    pub size: f64,
    /// The duration batches are resized towards, in ms, or `null` (fixed).
    pub target_duration_ms: Option<f64>,
    /// The smallest batch.
    pub min_size: f64,
    /// The largest batch.
    pub max_size: f64,
}

/// How a backfill yields to production traffic.
#[napi(object, use_nullable = true)]
pub struct Throttle {
    /// The pause after each batch, in ms.
    pub pause_ms: f64,
    /// The query giving the replication lag in ms, or `null`.
    pub lag_query: Option<String>,
    /// The largest replication lag tolerated, in ms, or `null`.
    pub max_lag_ms: Option<f64>,
    /// When batches may run (UTC); empty means always.
    pub windows: Vec<TimeWindow>,
}

/// A daily time window, in UTC (it may wrap past midnight).
#[napi(object)]
pub struct TimeWindow {
    /// Start, `HH:MM`.
    pub start: String,
    /// End, `HH:MM`.
    pub end: String,
}

/// The queries that check a backfill.
#[napi(object)]
pub struct Verification {
    /// The number of rows in the table.
    pub row_count_sql: String,
    /// The number of rows still to backfill: 0 when done.
    pub remaining_sql: String,
    /// Checksums (`old`, `new`) of one key range, equal when it was copied
    /// faithfully.
    pub checksum_sql: String,
}

/// One step's runnable script (`astrola plan --format sql`).
#[napi(object)]
pub struct Script {
    /// A file name that sorts in run order (`001-expand-1.sql`).
    pub name: String,
    /// The step's id.
    pub step: String,
    /// The script.
    pub sql: String,
}

/// What a step touches and how long it should take, from `stats`.
#[napi(object, use_nullable = true)]
pub struct Estimate {
    /// Rows the step reads or writes, or `null`.
    pub rows: Option<f64>,
    /// Bytes the step reads or writes, or `null`.
    pub bytes: Option<f64>,
    /// Expected duration in seconds (a rough figure), or `null`.
    pub seconds: Option<f64>,
    /// How the figure was reached.
    pub basis: String,
}

/// Why a step needs a person's approval before it runs.
#[napi(object, use_nullable = true)]
pub struct Approval {
    /// In plain words.
    pub reason: String,
    /// The rows whose data is lost, when `stats` were given; otherwise `null`.
    pub rows: Option<f64>,
}

/// A step that cannot be made online: it blocks writes while it runs.
#[napi(object, use_nullable = true)]
pub struct Blocking {
    /// Why it cannot.
    pub reason: String,
    /// The lock held while it runs.
    #[napi(ts_type = "LockMode")]
    pub lock: String,
    /// How long writers wait, in seconds, when `stats` were given; otherwise `null`.
    pub estimated_seconds: Option<f64>,
}

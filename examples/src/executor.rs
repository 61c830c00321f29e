//! A reference executor of [`Plan`]s: it runs a plan's steps against a real
//! PostgreSQL database with the synchronous `postgres` crate, and shows how a
//! host consumes the plan JSON contract (`docs/plan-json.md`).
//!
//! What it does, step by step:
//!
//! - keeps its state in the database it migrates, in the schema
//!   `astrola_executor` (see [`Options::state_schema`]): one row per (plan
//!   fingerprint, step) with the step's status and checkpoint, the key range
//!   of every backfill batch, and the gates reached or passed. A second run
//!   skips the finished steps and resumes a backfill from its checkpoint;
//! - runs each step's pre-flight checks, which must return 0;
//! - sets the step's `lock_timeout` and `statement_timeout` (`SET LOCAL` in a
//!   transaction), runs a transactional step in one transaction together with
//!   the update of its state, and a non-transactional step statement by
//!   statement in autocommit (an interrupted one runs again from its start,
//!   as the plan writes such steps to be re-runnable);
//! - retries an attempt that fails with one of the policy's SQLSTATEs, with
//!   exponential backoff;
//! - runs a backfill batch by batch, each batch in its own transaction
//!   together with its checkpoint, resizing batches toward the policy's
//!   target duration, pausing between batches, waiting while the
//!   replication lag is too high or outside the time windows;
//! - verifies a backfill: nothing remains, and the old and new checksums
//!   agree over every key range the batches covered (and over the rows
//!   added after the last batch);
//! - stops at each gate, unless told to go through it.
//!
//! It is an example, not part of the pure crates: a host with its own
//! driver, scheduler or job system does the same with its own tools.

use std::fmt::Write as _;
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use astrola_core::Dialect;
use astrola_planner::{Backfill, BatchStrategy, Check, Gate, Plan, RetryPolicy, Step, StepKind, TimeWindow, FORMAT_VERSION};
use postgres::types::{ToSql, Type};
use postgres::{Client, GenericClient, Statement};

/// What to do at a gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GateMode {
    /// Stop at the first gate not passed yet (the default).
    #[default]
    Stop,
    /// Pass the gate the previous run stopped at (it was reached and the
    /// operator confirms it), then stop at the next one.
    Resume,
    /// Go through every gate without stopping.
    Through,
}

/// How to run a plan.
#[derive(Debug, Clone)]
pub struct Options {
    /// What to do at gates.
    pub gates: GateMode,
    /// Gates to pass even if no earlier run stopped at them (`--resume-after`).
    pub pass_gates: Vec<String>,
    /// Run the steps that need approval (`approval` in the plan) with these ids.
    pub approved: Vec<String>,
    /// Run every step that needs approval.
    pub approve_all: bool,
    /// Fixes the backfill batch size, overriding the plan's policy (no
    /// adaptation).
    pub batch_size: Option<u64>,
    /// The schema that holds the executor's state (default `astrola_executor`).
    pub state_schema: String,
    /// How many consecutive batch ranges one checksum query covers during
    /// verification (default 50).
    pub verify_batches_per_query: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            gates: GateMode::Stop,
            pass_gates: Vec::new(),
            approved: Vec::new(),
            approve_all: false,
            batch_size: None,
            state_schema: "astrola_executor".into(),
            verify_batches_per_query: 50,
        }
    }
}

/// Why a run stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The plan cannot be run by this executor.
    #[error("invalid plan: {0}")]
    Plan(String),
    /// A statement failed (after the retries the policy allows).
    #[error("step {step}: {message}\n  SQL: {sql}")]
    Sql {
        /// The step id ("" for the executor's own state).
        step: String,
        /// The statement.
        sql: String,
        /// The server's error, with its SQLSTATE.
        message: String,
        /// The SQLSTATE, when the server sent one.
        sqlstate: Option<String>,
    },
    /// A pre-flight check did not return 0.
    #[error("step {step}: pre-flight check failed: {description} (returned {value})\n  SQL: {sql}")]
    Preflight {
        /// The step id.
        step: String,
        /// What the check means.
        description: String,
        /// The query.
        sql: String,
        /// What it returned.
        value: String,
    },
    /// A backfill's verification failed.
    #[error("step {step}: verification failed: {message}\n  SQL: {sql}")]
    Verification {
        /// The step id.
        step: String,
        /// What differs.
        message: String,
        /// The query.
        sql: String,
    },
    /// A step needs approval that was not given.
    #[error("step {step} needs approval ({reason}); rerun with --approve {step}")]
    NeedsApproval {
        /// The step id.
        step: String,
        /// Why.
        reason: String,
    },
}

/// How a run ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Every step is done.
    Finished(Summary),
    /// The run stopped at a gate.
    Gate(Gate, Summary),
}

impl Outcome {
    /// The summary of the run.
    pub fn summary(&self) -> &Summary {
        match self {
            Outcome::Finished(s) | Outcome::Gate(_, s) => s,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The steps run, in order.
    pub steps_run: Vec<String>,
    /// The steps skipped because an earlier run finished them.
    pub steps_skipped: Vec<String>,
    /// Attempts retried (lock timeouts and the like), over all steps.
    pub retries: u32,
    /// The backfills run.
    pub backfills: Vec<BackfillSummary>,
}

/// What one backfill did.
#[derive(Debug, Clone, Default)]
pub struct BackfillSummary {
    /// The step id.
    pub step: String,
    /// The checkpoint it resumed from, if an earlier run had started it.
    pub resumed_from: Option<Vec<String>>,
    /// Batches run in this run.
    pub batches: u64,
    /// Batches run in all runs.
    pub total_batches: u64,
    /// Rows in the table after the backfill (`row_count_sql`).
    pub rows: i64,
    /// Key ranges compared by checksum.
    pub ranges_verified: u64,
    /// The batch size at the end (after adaptation).
    pub final_batch_size: u64,
    /// The slowest batch.
    pub slowest_batch: Duration,
    /// Time spent batching (without verification).
    pub duration: Duration,
}

/// A stable fingerprint of a plan: FNV-1a (64 bits) of its compact JSON.
pub fn fingerprint(plan: &Plan) -> String {
    let json = serde_json::to_string(plan).unwrap_or_default();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in json.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Reads a plan from its JSON, checking the format version and dialect.
pub fn read_plan(json: &str) -> Result<Plan, Error> {
    let plan: Plan = serde_json::from_str(json).map_err(|e| Error::Plan(e.to_string()))?;
    check_plan(&plan)?;
    Ok(plan)
}

fn check_plan(plan: &Plan) -> Result<(), Error> {
    if plan.format != FORMAT_VERSION {
        return Err(Error::Plan(format!("format {} (this executor reads format {FORMAT_VERSION})", plan.format)));
    }
    if plan.dialect != Dialect::Postgres {
        return Err(Error::Plan(format!("the plan is for {}, this executor runs PostgreSQL plans", plan.dialect)));
    }
    let mut seen = std::collections::BTreeSet::new();
    for step in plan.steps() {
        if !seen.insert(step.id.as_str()) {
            return Err(Error::Plan(format!("step id {} appears twice", step.id)));
        }
        if step.kind == StepKind::Backfill && step.backfill.is_none() {
            return Err(Error::Plan(format!("backfill step {} has no backfill", step.id)));
        }
    }
    Ok(())
}

/// Quotes an identifier for SQL, unless it is quoted already.
fn ident(name: &str) -> String {
    if name.len() >= 2 && name.starts_with('"') && name.ends_with('"') {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// A query's text for wrapping: without trailing semicolons.
fn bare(sql: &str) -> &str {
    sql.trim().trim_end_matches(';').trim_end()
}

/// A step's row in the state table: status, checkpoint, batches done.
type StepState = (String, Option<Vec<String>>, i64);

/// A key range: exclusive lower bound (None: from the start), inclusive
/// upper bound.
type KeyRange = (Option<Vec<String>>, Vec<String>);

fn sql_error(step: &str, sql: &str, e: &postgres::Error) -> Error {
    let sqlstate = e.code().map(|c| c.code().to_string());
    let message = match e.as_db_error() {
        Some(db) => {
            let mut m = format!("{}: {} (SQLSTATE {})", db.severity(), db.message(), db.code().code());
            if let Some(d) = db.detail() {
                let _ = write!(m, "\n  DETAIL: {d}");
            }
            if let Some(h) = db.hint() {
                let _ = write!(m, "\n  HINT: {h}");
            }
            m
        }
        None => e.to_string(),
    };
    Error::Sql { step: step.into(), sql: sql.into(), message, sqlstate }
}

/// A failed attempt: the statement and the server's error.
struct Failure {
    sql: String,
    error: postgres::Error,
}

trait Attempt<T> {
    fn at(self, sql: &str) -> Result<T, Failure>;
}

impl<T> Attempt<T> for Result<T, postgres::Error> {
    fn at(self, sql: &str) -> Result<T, Failure> {
        self.map_err(|error| Failure { sql: sql.into(), error })
    }
}

fn timeouts(local: bool, lock_ms: Option<u64>, statement_ms: Option<u64>) -> String {
    let scope = if local { "SET LOCAL" } else { "SET" };
    format!(
        "{scope} lock_timeout = '{}ms'; {scope} statement_timeout = '{}ms'",
        lock_ms.unwrap_or(0),
        statement_ms.unwrap_or(0)
    )
}

/// Runs a [`Plan`] on one connection.
pub struct Executor<'a> {
    client: &'a mut Client,
    plan: &'a Plan,
    options: Options,
    fingerprint: String,
    state: String,
    log: &'a mut dyn FnMut(&str),
    summary: Summary,
}

/// Runs `plan` on `client` (see the module documentation). `log` receives
/// one line per event: steps, gates, retries, backfill progress.
pub fn run(client: &mut Client, plan: &Plan, options: &Options, log: &mut dyn FnMut(&str)) -> Result<Outcome, Error> {
    check_plan(plan)?;
    let mut executor = Executor {
        fingerprint: fingerprint(plan),
        state: ident(&options.state_schema),
        client,
        plan,
        options: options.clone(),
        log,
        summary: Summary::default(),
    };
    executor.run()
}

impl Executor<'_> {
    fn run(&mut self) -> Result<Outcome, Error> {
        self.create_state()?;
        let plan = self.plan;
        for phase in &plan.phases {
            for step in &phase.steps {
                self.step(step)?;
            }
            if let Some(gate) = &phase.gate {
                if !self.pass_gate(gate)? {
                    (self.log)(&format!("gate {}: {}", gate.id, gate.description));
                    return Ok(Outcome::Gate(gate.clone(), std::mem::take(&mut self.summary)));
                }
            }
        }
        Ok(Outcome::Finished(std::mem::take(&mut self.summary)))
    }

    fn state_sql(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<postgres::Row>, Error> {
        self.client.query(sql, params).map_err(|e| sql_error("", sql, &e))
    }

    fn create_state(&mut self) -> Result<(), Error> {
        let s = &self.state;
        let sql = format!(
            "CREATE SCHEMA IF NOT EXISTS {s};
             CREATE TABLE IF NOT EXISTS {s}.steps (
               plan text NOT NULL, step text NOT NULL, status text NOT NULL,
               checkpoint text[], batches bigint NOT NULL DEFAULT 0,
               updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (plan, step));
             CREATE TABLE IF NOT EXISTS {s}.ranges (
               plan text NOT NULL, step text NOT NULL, batch bigint NOT NULL,
               lower text[], upper text[] NOT NULL, PRIMARY KEY (plan, step, batch));
             CREATE TABLE IF NOT EXISTS {s}.gates (
               plan text NOT NULL, gate text NOT NULL, status text NOT NULL,
               updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (plan, gate))"
        );
        self.client.batch_execute(&sql).map_err(|e| sql_error("", &sql, &e))
    }

    /// Whether the run may go through `gate`, recording it.
    fn pass_gate(&mut self, gate: &Gate) -> Result<bool, Error> {
        let sql = format!("SELECT status FROM {}.gates WHERE plan = $1 AND gate = $2", self.state);
        let fp = self.fingerprint.clone();
        let rows = self.state_sql(&sql, &[&fp, &gate.id])?;
        let status: Option<String> = rows.first().map(|r| r.get(0));
        let pass = match status.as_deref() {
            Some("passed") => return Ok(true),
            _ if self.options.gates == GateMode::Through => true,
            _ if self.options.pass_gates.contains(&gate.id) => true,
            Some("waiting") if self.options.gates == GateMode::Resume => true,
            _ => false,
        };
        if pass {
            (self.log)(&format!("gate {}: passed", gate.id));
        }
        let status = if pass { "passed" } else { "waiting" };
        let sql = format!(
            "INSERT INTO {}.gates (plan, gate, status) VALUES ($1, $2, $3)
             ON CONFLICT (plan, gate) DO UPDATE SET status = EXCLUDED.status, updated_at = now()",
            self.state
        );
        self.state_sql(&sql, &[&fp, &gate.id, &status])?;
        Ok(pass)
    }

    /// The step's status, checkpoint and batches done, if an earlier run
    /// started it.
    fn step_state(&mut self, step: &str) -> Result<Option<StepState>, Error> {
        let sql = format!("SELECT status, checkpoint, batches FROM {}.steps WHERE plan = $1 AND step = $2", self.state);
        let fp = self.fingerprint.clone();
        let rows = self.state_sql(&sql, &[&fp, &step])?;
        Ok(rows.first().map(|r| (r.get(0), r.get(1), r.get(2))))
    }

    fn upsert_step_sql(&self) -> String {
        format!(
            "INSERT INTO {}.steps (plan, step, status, checkpoint, batches) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (plan, step) DO UPDATE SET status = EXCLUDED.status, checkpoint = EXCLUDED.checkpoint,
               batches = EXCLUDED.batches, updated_at = now()",
            self.state
        )
    }

    fn step(&mut self, step: &Step) -> Result<(), Error> {
        let state = self.step_state(&step.id)?;
        if matches!(&state, Some((status, _, _)) if status == "done") {
            self.summary.steps_skipped.push(step.id.clone());
            return Ok(());
        }
        if let Some(approval) = &step.approval {
            if !self.options.approve_all && !self.options.approved.contains(&step.id) {
                return Err(Error::NeedsApproval { step: step.id.clone(), reason: approval.reason.clone() });
            }
        }
        if let Some(blocking) = &step.blocking {
            (self.log)(&format!("step {}: WARNING blocks writes: {}", step.id, blocking.reason));
        }
        for check in &step.preflight {
            self.preflight(step, check)?;
        }
        let lock = step.lock.as_ref().map(|l| format!(" [{} on {}]", l.mode.name(), l.table)).unwrap_or_default();
        (self.log)(&format!("step {}: {}{lock}", step.id, step.description));
        match step.kind {
            StepKind::Backfill => {
                let (checkpoint, batches) = match state {
                    Some((_, c, b)) => (c, b),
                    None => (None, 0),
                };
                self.backfill(step, checkpoint, batches)?;
            }
            StepKind::Ddl if step.transactional => self.transactional(step)?,
            StepKind::Ddl => self.autocommit(step)?,
        }
        self.summary.steps_run.push(step.id.clone());
        Ok(())
    }

    /// Reads the single value of a query as text.
    fn scalar(client: &mut impl GenericClient, sql: &str) -> Result<Option<String>, postgres::Error> {
        let wrapped = format!("SELECT v::text FROM ({}) AS q(v)", bare(sql));
        let rows = client.query(&wrapped, &[])?;
        Ok(rows.first().and_then(|r| r.get::<_, Option<String>>(0)))
    }

    fn preflight(&mut self, step: &Step, check: &Check) -> Result<(), Error> {
        let value = Self::scalar(self.client, &check.sql).map_err(|e| sql_error(&step.id, &check.sql, &e))?;
        let zero = value.as_deref().and_then(|v| v.trim().parse::<f64>().ok()) == Some(0.0);
        if !zero {
            return Err(Error::Preflight {
                step: step.id.clone(),
                description: check.description.clone(),
                sql: check.sql.clone(),
                value: value.unwrap_or_else(|| "NULL".into()),
            });
        }
        Ok(())
    }

    /// Runs `attempt` until it succeeds, retrying the policy's SQLSTATEs.
    fn retry<T>(
        &mut self,
        step: &str,
        policy: &RetryPolicy,
        mut attempt: impl FnMut(&mut Client) -> Result<T, Failure>,
    ) -> Result<T, Error> {
        let mut backoff = policy.backoff_ms;
        let mut n = 1;
        loop {
            match attempt(self.client) {
                Ok(v) => return Ok(v),
                Err(f) => {
                    let code = f.error.code().map(|c| c.code().to_string());
                    let retryable = code.as_ref().is_some_and(|c| policy.retry_on.iter().any(|r| r == c));
                    if !retryable || n >= policy.max_attempts.max(1) {
                        return Err(sql_error(step, &f.sql, &f.error));
                    }
                    (self.log)(&format!(
                        "step {step}: attempt {n}/{} failed ({}), retrying in {backoff} ms",
                        policy.max_attempts,
                        code.unwrap_or_default()
                    ));
                    self.summary.retries += 1;
                    sleep(Duration::from_millis(backoff));
                    backoff = backoff.saturating_mul(2).min(policy.max_backoff_ms.max(policy.backoff_ms));
                    n += 1;
                }
            }
        }
    }

    fn transactional(&mut self, step: &Step) -> Result<(), Error> {
        let set = timeouts(true, step.lock_timeout_ms, step.statement_timeout_ms);
        let upsert = self.upsert_step_sql();
        let fp = self.fingerprint.clone();
        self.retry(&step.id, &step.retry, |client| {
            let mut tx = client.transaction().at("BEGIN")?;
            tx.batch_execute(&set).at(&set)?;
            for sql in &step.sql {
                tx.batch_execute(sql).at(sql)?;
            }
            tx.execute(&upsert, &[&fp, &step.id, &"done", &None::<Vec<String>>, &0i64]).at(&upsert)?;
            tx.commit().at("COMMIT")
        })
    }

    /// Runs the statements one by one in autocommit. An attempt that fails
    /// runs the whole step again: the plan writes such steps to be re-run
    /// from the start (`DROP INDEX CONCURRENTLY IF EXISTS` before a
    /// concurrent build that a failure may have left invalid).
    fn autocommit(&mut self, step: &Step) -> Result<(), Error> {
        let set = timeouts(false, step.lock_timeout_ms, step.statement_timeout_ms);
        let upsert = self.upsert_step_sql();
        let fp = self.fingerprint.clone();
        self.client
            .execute(&upsert, &[&fp, &step.id, &"running", &None::<Vec<String>>, &0i64])
            .map_err(|e| sql_error(&step.id, &upsert, &e))?;
        self.retry(&step.id, &step.retry, |client| {
            client.batch_execute(&set).at(&set)?;
            for sql in &step.sql {
                client.batch_execute(sql).at(sql)?;
            }
            Ok(())
        })?;
        self.client
            .execute(&upsert, &[&fp, &step.id, &"done", &None::<Vec<String>>, &0i64])
            .map_err(|e| sql_error(&step.id, &upsert, &e))?;
        self.client.batch_execute("RESET lock_timeout; RESET statement_timeout").map_err(|e| sql_error(&step.id, "RESET", &e))
    }

    fn prepare(&mut self, step: &str, sql: &str, params: usize) -> Result<Statement, Error> {
        self.client.prepare_typed(sql, &vec![Type::TEXT; params]).map_err(|e| sql_error(step, sql, &e))
    }

    fn backfill(&mut self, step: &Step, checkpoint: Option<Vec<String>>, batches: i64) -> Result<(), Error> {
        let Some(b) = &step.backfill else {
            return Err(Error::Plan(format!("backfill step {} has no backfill", step.id)));
        };
        let k = b.key.len().max(1);
        let first = self.prepare(&step.id, &b.first_batch_sql, 1)?;
        let next = self.prepare(&step.id, &b.next_batch_sql, k + 1)?;
        let fixed = self.options.batch_size;
        let (min, max) = match fixed {
            Some(n) => (n.max(1), n.max(1)),
            None => (b.batch.min_size.max(1), b.batch.max_size.max(b.batch.min_size).max(1)),
        };
        let mut size = fixed.unwrap_or(b.batch.size).clamp(min, max);
        let mut summary = BackfillSummary { step: step.id.clone(), resumed_from: checkpoint.clone(), ..Default::default() };
        if let Some(c) = &checkpoint {
            (self.log)(&format!("step {}: resuming after key ({}), {batches} batches done", step.id, c.join(", ")));
        }
        let set = timeouts(true, step.lock_timeout_ms, step.statement_timeout_ms);
        let upsert = self.upsert_step_sql();
        let range = format!("INSERT INTO {}.ranges (plan, step, batch, lower, upper) VALUES ($1, $2, $3, $4, $5)", self.state);
        let fp = self.fingerprint.clone();
        let mut last = checkpoint;
        let mut batch = batches;
        let started = Instant::now();
        loop {
            self.wait_for_window(&step.id, &b.throttle.windows);
            self.wait_for_lag(step, b)?;
            let params: Vec<Option<String>> = match &last {
                None => vec![Some(size.to_string())],
                Some(c) => c.iter().cloned().map(Some).chain([Some(size.to_string())]).collect(),
            };
            let (statement, sql) = if last.is_some() { (&next, &b.next_batch_sql) } else { (&first, &b.first_batch_sql) };
            let lower = last.clone();
            let t = Instant::now();
            let result = self.retry(&step.id, &step.retry, |client| {
                let mut tx = client.transaction().at("BEGIN")?;
                tx.batch_execute(&set).at(&set)?;
                let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
                let rows = tx.query(statement, &refs).at(sql)?;
                let Some(row) = rows.first() else {
                    tx.execute(&upsert, &[&fp, &step.id, &"verifying", &lower, &batch]).at(&upsert)?;
                    tx.commit().at("COMMIT")?;
                    return Ok(None);
                };
                let mut upper = Vec::with_capacity(row.len());
                for i in 0..row.len() {
                    let v: Option<String> = row.try_get(i).at(sql)?;
                    upper.push(v.unwrap_or_default());
                }
                tx.execute(&upsert, &[&fp, &step.id, &"running", &upper, &(batch + 1)]).at(&upsert)?;
                tx.execute(&range, &[&fp, &step.id, &(batch + 1), &lower, &upper]).at(&range)?;
                tx.commit().at("COMMIT")?;
                Ok(Some(upper))
            })?;
            let elapsed = t.elapsed();
            let Some(upper) = result else { break };
            if upper.len() != k {
                return Err(Error::Plan(format!(
                    "step {}: a batch returned {} checkpoint columns, the key has {k}",
                    step.id,
                    upper.len()
                )));
            }
            batch += 1;
            summary.batches += 1;
            summary.slowest_batch = summary.slowest_batch.max(elapsed);
            if summary.batches % 100 == 0 {
                (self.log)(&format!("step {}: batch {batch}, key ({}), size {size}", step.id, upper.join(", ")));
            }
            last = Some(upper);
            if let (None, Some(target)) = (fixed, b.batch.target_duration_ms) {
                size = adapt(size, elapsed, target, min, max);
            }
            if b.throttle.pause_ms > 0 {
                sleep(Duration::from_millis(b.throttle.pause_ms));
            }
        }
        summary.duration = started.elapsed();
        summary.total_batches = u64::try_from(batch).unwrap_or(0);
        summary.final_batch_size = size;
        self.verify(step, b, &mut summary)?;
        self.client
            .execute(&upsert, &[&fp, &step.id, &"done", &last, &batch])
            .map_err(|e| sql_error(&step.id, &upsert, &e))?;
        (self.log)(&format!(
            "step {}: backfilled in {} batches ({} in this run, {:.1} s, slowest {} ms); {} rows, {} ranges verified",
            step.id,
            summary.total_batches,
            summary.batches,
            summary.duration.as_secs_f64(),
            summary.slowest_batch.as_millis(),
            summary.rows,
            summary.ranges_verified
        ));
        self.summary.backfills.push(summary);
        Ok(())
    }

    fn wait_for_window(&mut self, step: &str, windows: &[TimeWindow]) {
        let mut told = false;
        loop {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() % 86_400).unwrap_or(0);
            match minutes_until_window(now / 60, windows) {
                0 => return,
                minutes => {
                    if !told {
                        (self.log)(&format!("step {step}: outside the time windows, waiting {minutes} min"));
                        told = true;
                    }
                    sleep(Duration::from_secs(30.min(minutes * 60)));
                }
            }
        }
    }

    fn wait_for_lag(&mut self, step: &Step, b: &Backfill) -> Result<(), Error> {
        let (Some(query), Some(max)) = (&b.throttle.lag_query, b.throttle.max_lag_ms) else {
            return Ok(());
        };
        let mut told = false;
        loop {
            let value = Self::scalar(self.client, query).map_err(|e| sql_error(&step.id, query, &e))?;
            let lag = value.as_deref().and_then(|v| v.trim().parse::<f64>().ok()).unwrap_or(0.0);
            if lag <= max as f64 {
                return Ok(());
            }
            if !told {
                (self.log)(&format!("step {}: replication lag {lag} ms > {max} ms, waiting", step.id));
                told = true;
            }
            sleep(Duration::from_millis(b.throttle.pause_ms.clamp(100, 1000)));
        }
    }

    /// The key ranges the batches covered, merged `n` batches at a time,
    /// plus the rows added after the last batch.
    fn verify_ranges(&mut self, step: &Step, b: &Backfill) -> Result<Vec<KeyRange>, Error> {
        let sql = format!(
            "SELECT lower, upper FROM {}.ranges WHERE plan = $1 AND step = $2 ORDER BY batch",
            self.state
        );
        let fp = self.fingerprint.clone();
        let rows = self.state_sql(&sql, &[&fp, &step.id])?;
        let per = self.options.verify_batches_per_query.max(1);
        let mut ranges: Vec<KeyRange> = Vec::new();
        for (i, chunk) in rows.chunks(per).enumerate() {
            let lower: Option<Vec<String>> = chunk[0].get(0);
            let upper: Vec<String> = chunk[chunk.len() - 1].get(1);
            if i > 0 && lower.as_ref() != ranges.last().map(|r| &r.1) {
                return Err(Error::Verification {
                    step: step.id.clone(),
                    message: "the recorded batch ranges are not contiguous".into(),
                    sql,
                });
            }
            ranges.push((lower, upper));
        }
        if b.strategy == BatchStrategy::Keyset {
            let cols: Vec<String> = b.key.iter().map(|c| ident(c)).collect();
            let max = format!(
                "SELECT {} FROM {} ORDER BY {} LIMIT 1",
                cols.iter().map(|c| format!("{c}::text")).collect::<Vec<_>>().join(", "),
                b.table,
                cols.iter().map(|c| format!("{c} DESC")).collect::<Vec<_>>().join(", ")
            );
            let rows = self.client.query(&max, &[]).map_err(|e| sql_error(&step.id, &max, &e))?;
            if let Some(row) = rows.first() {
                let top: Vec<String> = (0..row.len()).map(|i| row.get::<_, Option<String>>(i).unwrap_or_default()).collect();
                let last = ranges.last().map(|r| r.1.clone());
                if last.as_ref() != Some(&top) {
                    ranges.push((last, top));
                }
            }
        }
        Ok(ranges)
    }

    fn verify(&mut self, step: &Step, b: &Backfill, summary: &mut BackfillSummary) -> Result<(), Error> {
        let v = &b.verify;
        let remaining = Self::scalar(self.client, &v.remaining_sql).map_err(|e| sql_error(&step.id, &v.remaining_sql, &e))?;
        if remaining.as_deref().map(str::trim) != Some("0") {
            return Err(Error::Verification {
                step: step.id.clone(),
                message: format!("{} rows remain to backfill", remaining.unwrap_or_else(|| "NULL".into())),
                sql: v.remaining_sql.clone(),
            });
        }
        let k = b.key.len().max(1);
        let checksum = self.prepare(&step.id, &v.checksum_sql, 2 * k)?;
        for (lower, upper) in self.verify_ranges(step, b)? {
            let params: Vec<Option<String>> = match &lower {
                Some(l) => l.iter().cloned().map(Some).collect(),
                None => vec![None; k],
            }
            .into_iter()
            .chain(upper.iter().cloned().map(Some))
            .collect();
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            let rows = self.client.query(&checksum, &refs).map_err(|e| sql_error(&step.id, &v.checksum_sql, &e))?;
            let (old, new): (Option<String>, Option<String>) = match rows.first() {
                Some(r) => (
                    r.try_get(0).map_err(|e| sql_error(&step.id, &v.checksum_sql, &e))?,
                    r.try_get(1).map_err(|e| sql_error(&step.id, &v.checksum_sql, &e))?,
                ),
                None => (None, None),
            };
            if old != new {
                return Err(Error::Verification {
                    step: step.id.clone(),
                    message: format!(
                        "checksums differ over keys ({}) .. ({}]: old {old:?}, new {new:?}",
                        lower.map(|l| l.join(", ")).unwrap_or_else(|| "start".into()),
                        upper.join(", ")
                    ),
                    sql: v.checksum_sql.clone(),
                });
            }
            summary.ranges_verified += 1;
        }
        let rows = Self::scalar(self.client, &v.row_count_sql).map_err(|e| sql_error(&step.id, &v.row_count_sql, &e))?;
        summary.rows = rows.as_deref().and_then(|r| r.trim().parse().ok()).unwrap_or(-1);
        Ok(())
    }
}

/// The next batch size: scaled toward `target_ms`, at most doubling or
/// halving at once, within `min..=max`.
pub fn adapt(size: u64, elapsed: Duration, target_ms: u64, min: u64, max: u64) -> u64 {
    let took = elapsed.as_secs_f64() * 1000.0;
    let ratio = if took <= 0.0 { 2.0 } else { (target_ms as f64 / took).clamp(0.5, 2.0) };
    ((size as f64 * ratio).round() as u64).clamp(min, max)
}

fn minutes_of(hhmm: &str) -> Option<u64> {
    let (h, m) = hhmm.trim().split_once(':')?;
    let (h, m): (u64, u64) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Minutes until the next window opens (0: inside a window, or no windows;
/// windows that do not parse are ignored).
pub fn minutes_until_window(now_minute: u64, windows: &[TimeWindow]) -> u64 {
    let mut best: Option<u64> = None;
    for w in windows {
        let (Some(start), Some(end)) = (minutes_of(&w.start), minutes_of(&w.end)) else { continue };
        let inside = if start <= end { (start..end).contains(&now_minute) } else { now_minute >= start || now_minute < end };
        if inside || start == end {
            return 0;
        }
        let wait = (start + 1440 - now_minute) % 1440;
        best = Some(best.map_or(wait, |b| b.min(wait)));
    }
    best.unwrap_or(0)
}

/// `SELECT md5(...)` over the whole table `table` ordered by `key`, for
/// comparing two databases' data.
pub fn table_digest_sql(table: &str, key: &str) -> String {
    format!("SELECT md5(string_agg(t::text, E'\\n' ORDER BY {key})) FROM {table} AS t")
}

/// Quotes `value` as a SQL string literal.
pub fn quote_literal(value: &str) -> String {
    literal(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_grow_and_shrink_toward_the_target() {
        assert_eq!(adapt(1000, Duration::from_millis(50), 200, 100, 10_000), 2000);
        assert_eq!(adapt(1000, Duration::from_millis(800), 200, 100, 10_000), 500);
        assert_eq!(adapt(1000, Duration::from_millis(100), 200, 100, 1500), 1500);
        assert_eq!(adapt(150, Duration::from_secs(5), 200, 100, 1500), 100);
    }

    #[test]
    fn windows_wrap_past_midnight() {
        let w = |s: &str, e: &str| TimeWindow { start: s.into(), end: e.into() };
        assert_eq!(minutes_until_window(600, &[]), 0);
        assert_eq!(minutes_until_window(23 * 60 + 30, &[w("23:00", "02:00")]), 0);
        assert_eq!(minutes_until_window(60, &[w("23:00", "02:00")]), 0);
        assert_eq!(minutes_until_window(3 * 60, &[w("23:00", "02:00")]), 20 * 60);
        assert_eq!(minutes_until_window(3 * 60, &[w("23:00", "02:00"), w("04:00", "05:00")]), 60);
    }

    #[test]
    fn identifiers_are_quoted_once() {
        assert_eq!(ident("id"), "\"id\"");
        assert_eq!(ident("\"Id\""), "\"Id\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
    }
}

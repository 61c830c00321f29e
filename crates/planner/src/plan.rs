//! The plan: the JSON contract executors consume (`docs/plan-json.md`).
//!
//! A [`Plan`] has four [`Phase`]s, always in the order expand, backfill,
//! validate, contract. Each phase holds [`Step`]s that run in order, and may
//! end at a [`Gate`]: a named condition a person (or a deploy pipeline) must
//! confirm before the next phase starts, such as "deploy code that writes
//! both columns". An executor runs the steps one by one, records each
//! finished step's id, and so can stop at a gate and resume after it.

use astrola_core::locks::LockMode;
use astrola_core::Dialect;
use serde::{Deserialize, Serialize};

/// The version of the plan JSON format.
pub const FORMAT_VERSION: u32 = 1;

/// An online-safe migration plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The JSON format version, [`FORMAT_VERSION`].
    pub format: u32,
    /// The dialect the SQL is written for.
    pub dialect: Dialect,
    /// The four phases, in order: expand, backfill, validate, contract.
    pub phases: Vec<Phase>,
    /// What the plan could not see or make online (unmanaged statements,
    /// unsupported differences, refused changes), one line each.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Which part of an expand/contract migration a phase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    /// Additive changes old code tolerates: new columns, tables, indexes
    /// built concurrently, constraints added `NOT VALID`, sync triggers.
    Expand,
    /// Batched data copies into the new representations.
    Backfill,
    /// Validation of the constraints added `NOT VALID`, `SET NOT NULL`
    /// through a validated CHECK, unique indexes turned into constraints.
    Validate,
    /// The switch to the new representations and the removal of the old
    /// ones, once no running code uses them.
    Contract,
}

/// One phase of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// Which phase.
    pub kind: PhaseKind,
    /// The steps, in the order they run.
    pub steps: Vec<Step>,
    /// The gate after this phase, if the next phase must wait for
    /// something outside the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
}

/// A named stop between two phases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    /// A stable id (`deploy-dual-write`), for `--resume-after`.
    pub id: String,
    /// What must be true before the plan goes on, in plain words ("deploy
    /// code that writes both `users.email` and `users.email_new`").
    pub description: String,
}

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// DDL (or a short DML statement) run as given in [`Step::sql`].
    Ddl,
    /// A batched backfill: [`Step::backfill`] says how to run it;
    /// [`Step::sql`] is empty.
    Backfill,
}

/// One step: SQL run as one unit, with the lock it takes and how to run it
/// safely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Unique within the plan and stable for the same inputs
    /// (`expand-1`, `backfill-1`, ...): executors checkpoint by it.
    pub id: String,
    /// DDL or backfill.
    pub kind: StepKind,
    /// What the step does, in plain words.
    pub description: String,
    /// The object the step is about, in SQL spelling (`public.users`).
    pub object: String,
    /// The statements, in order. When [`Step::transactional`] is true they
    /// run in one transaction; otherwise each runs on its own, in
    /// autocommit (as `CREATE INDEX CONCURRENTLY` requires).
    pub sql: Vec<String>,
    /// Whether the statements may run inside a transaction block.
    pub transactional: bool,
    /// The strongest table lock the step takes, and on which table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock: Option<Lock>,
    /// `SET lock_timeout` for the step, in milliseconds. Every step that
    /// takes a lock blocking writes has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_timeout_ms: Option<u64>,
    /// `SET statement_timeout` for the step, in milliseconds; `None` for
    /// steps that must run as long as they need (concurrent index builds,
    /// validations), which take no lock blocking writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_timeout_ms: Option<u64>,
    /// When and how to retry a failed attempt.
    pub retry: RetryPolicy,
    /// Whether [`Step::rollback`] undoes the step without losing data.
    pub reversible: bool,
    /// The SQL that undoes the step (empty when it cannot be undone).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollback: Vec<String>,
    /// Queries that must return 0 before the step runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preflight: Vec<Check>,
    /// For a backfill step: how to run it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backfill: Option<Backfill>,
    /// Rows touched and duration, when statistics were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
    /// Set when a person must approve the step before it runs (destructive
    /// steps, data loss).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// Set when the step cannot be made online: it blocks writes for as long
    /// as it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocking: Option<Blocking>,
    /// The index of the [`astrola_diff::ChangeSet`] change the step comes
    /// from, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<usize>,
}

/// A table lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    /// The mode.
    pub mode: LockMode,
    /// The table, in SQL spelling.
    pub table: String,
}

/// How to retry a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// Attempts in all (1: no retry).
    pub max_attempts: u32,
    /// The wait before the second attempt, in milliseconds; it doubles for
    /// each further attempt.
    pub backoff_ms: u64,
    /// The longest wait between attempts, in milliseconds.
    pub max_backoff_ms: u64,
    /// The SQLSTATEs worth retrying (`55P03` lock_not_available, `57014`
    /// query_canceled by statement_timeout, `40001`, `40P01`).
    pub retry_on: Vec<String>,
}

/// A query that must return a single row with a single integer 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// What a non-zero count means ("rows where email IS NULL").
    pub description: String,
    /// The query.
    pub sql: String,
}

/// How a backfill walks its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchStrategy {
    /// Keyset batches on the primary key, or on a unique key whose columns
    /// are all NOT NULL.
    Keyset,
    /// Batches of heap pages by `ctid` ranges, for a table with no such key
    /// (see [`Backfill::caveat`]).
    Ctid,
}

/// A batched, resumable, verifiable backfill.
///
/// The batch SQL is idempotent (it only writes rows whose new value differs)
/// and each batch is its own transaction. Every parameter is passed as
/// text. `first_batch_sql` takes `$1` = the batch size; `next_batch_sql`
/// takes `$1..$k` = the checkpoint (the last key done, one text value per
/// key column) and `$k+1` = the batch size. Both return no row when the
/// table is done, otherwise one row: the new checkpoint, one text column per
/// key column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backfill {
    /// The table, in SQL spelling.
    pub table: String,
    /// How batches are cut.
    pub strategy: BatchStrategy,
    /// The key columns batches are cut on, in order (for [`BatchStrategy::Ctid`]:
    /// the single pseudo-column `ctid`, and the checkpoint is a page number).
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
    /// How to check the result.
    pub verify: Verification,
    /// Limits of the strategy the operator must know (for `ctid` batches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
}

/// The batch size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchPolicy {
    /// Rows (or, for `ctid` batches, heap pages) per batch to start with.
    pub size: u64,
    /// When set, the executor resizes batches so that each takes about
    /// this long, within `min_size..=max_size`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_duration_ms: Option<u64>,
    /// The smallest batch.
    pub min_size: u64,
    /// The largest batch.
    pub max_size: u64,
}

/// How a backfill yields to production traffic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Throttle {
    /// The pause after each batch, in milliseconds.
    pub pause_ms: u64,
    /// A query returning the current replication lag in milliseconds (one
    /// row, one number); batches wait while it exceeds `max_lag_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag_query: Option<String>,
    /// The largest replication lag tolerated, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_lag_ms: Option<u64>,
    /// When batches may run (UTC); empty means always.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<TimeWindow>,
}

/// A daily time window, in UTC, `HH:MM` to `HH:MM` (it may wrap past
/// midnight).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    /// Start, `HH:MM`.
    pub start: String,
    /// End, `HH:MM`.
    pub end: String,
}

impl TimeWindow {
    /// Whether `text` is a time of day `HH:MM`, 00:00 to 23:59.
    pub fn valid_time(text: &str) -> bool {
        let Some((h, m)) = text.split_once(':') else { return false };
        h.len() == 2 && m.len() == 2 && h.parse::<u32>().is_ok_and(|h| h < 24) && m.parse::<u32>().is_ok_and(|m| m < 60)
    }

    /// Whether the minute of the day `minute` (0..1440) falls in the
    /// window; a window whose end is before its start wraps past midnight.
    pub fn contains(&self, minute: u32) -> bool {
        let parse = |t: &str| t.split_once(':').and_then(|(h, m)| Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?));
        match (parse(&self.start), parse(&self.end)) {
            (Some(a), Some(b)) if a <= b => (a..b).contains(&minute),
            (Some(a), Some(b)) => minute >= a || minute < b,
            _ => false,
        }
    }
}

/// The queries that check a backfill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// The number of rows in the table (one row, one bigint).
    pub row_count_sql: String,
    /// The number of rows still to backfill: 0 when done (one row, one bigint).
    pub remaining_sql: String,
    /// Checksums of the old and the new representation over one key range:
    /// takes `$1..$k` = the exclusive lower bound and `$k+1..$2k` = the
    /// inclusive upper bound (text, as batches take them) and returns one
    /// row of two text columns, `old` and `new`, equal when the range was
    /// copied faithfully. A NULL lower bound (`$1` NULL) means "from the
    /// start of the table": the range of the first batch.
    pub checksum_sql: String,
}

/// One step's runnable SQL (`--format sql`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Script {
    /// A file name that sorts in run order: `001-expand-1.sql`.
    pub name: String,
    /// The step's id.
    pub step: String,
    /// The script: a header comment (what, lock, checks), the timeouts,
    /// `BEGIN`/`COMMIT` when transactional, and the statements.
    pub sql: String,
}

/// What a step touches and how long it should take, from `--stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Rows the step reads or writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// Bytes the step reads or writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Expected duration in seconds (a rough figure from documented
    /// throughput assumptions, stated in `basis`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
    /// How the figure was reached.
    pub basis: String,
}

/// Why a step needs approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// In plain words ("drops column users.legacy_id and its data").
    pub reason: String,
    /// The rows whose data is lost, when statistics were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
}

/// A step that cannot be made online.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blocking {
    /// Why it cannot ("an exclusion constraint has no NOT VALID form and
    /// scans the table under ACCESS EXCLUSIVE").
    pub reason: String,
    /// The lock held while it runs.
    pub lock: LockMode,
    /// How long writers wait, in seconds, when statistics were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_seconds: Option<f64>,
}

impl Plan {
    /// Every step, in the order it runs.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.phases.iter().flat_map(|p| p.steps.iter())
    }

    /// Whether the plan has nothing to run.
    pub fn is_empty(&self) -> bool {
        self.steps().next().is_none()
    }

    /// The plan as a runbook for a person: phases, gates, each step with its
    /// lock, timeouts, pre-flight checks, estimate, approval and SQL.
    pub fn to_text(&self) -> String {
        crate::text::render(self)
    }

    /// The runnable scripts, one per step, in order (`--format sql`). A
    /// backfill step's script runs its batches in a loop until done.
    pub fn scripts(&self) -> Vec<Script> {
        crate::script::render(self)
    }

    /// Every script, concatenated in order, each under a `-- file:` line.
    pub fn to_sql(&self) -> String {
        self.scripts().iter().map(|s| format!("-- file: {}\n{}\n", s.name, s.sql)).collect()
    }

    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps().find(|s| s.id == id)
    }

    /// Reads a plan back from its JSON.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The plan as pretty-printed JSON (`docs/plan-json.md`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

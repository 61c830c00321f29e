//! # astrola-planner
//!
//! Turns a [`ChangeSet`](astrola_diff::ChangeSet) into an online-safe
//! [`Plan`]: indexes built concurrently, constraints added `NOT VALID` and
//! validated apart, `SET NOT NULL` through a validated CHECK, type changes
//! and renames through expand and contract with sync triggers, and batched,
//! resumable, verified backfills. Pure: it returns SQL and never runs it
//! (see `examples/` for a reference executor).
//!
//! ```
//! use astrola_core::{parse_sql, Dialect};
//! use astrola_planner::{plan, PlanOptions, PhaseKind};
//!
//! let from = parse_sql("CREATE TABLE users (id bigint PRIMARY KEY, email text);", Dialect::Postgres)?.schema;
//! let to = parse_sql("CREATE TABLE users (id bigint PRIMARY KEY, email text);
//!                     CREATE INDEX users_email_idx ON users (email);", Dialect::Postgres)?.schema;
//! let plan = plan(&from, &to, None, &PlanOptions::default())?;
//! let step = plan.steps().next().expect("one step");
//! assert!(!step.transactional);
//! assert!(step.sql.iter().any(|s| s.starts_with("CREATE INDEX CONCURRENTLY users_email_idx ON public.users")));
//! assert_eq!(plan.phases[0].kind, PhaseKind::Expand);
//! println!("{}", plan.to_text());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The JSON form ([`Plan::to_json`]) is the contract executors consume; it
//! is documented in `docs/plan-json.md`.

mod backfill;
mod estimate;
mod expand_contract;
pub mod plan;
mod preflight;
mod rewrite;
mod script;
mod text;
mod volatility;

use astrola_core::hints::RenameHint;
use astrola_core::stats::{Stats, StatsError};
use astrola_core::{Dialect, Schema};
use astrola_diff::{ChangeSet, DiffOptions};
use serde::{Deserialize, Serialize};

pub use astrola_core::locks::LockMode;
pub use plan::*;

/// How to plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanOptions {
    /// The PostgreSQL major version the plan runs on (default 15).
    pub pg_version: u32,
    /// `lock_timeout` of steps that take a lock blocking writes, in ms
    /// (default 2000).
    pub lock_timeout_ms: u64,
    /// `statement_timeout` of short steps, in ms (default 60000).
    pub statement_timeout_ms: u64,
    /// Attempts per step (default 5).
    pub max_attempts: u32,
    /// Rows per backfill batch to start with (default 1000).
    pub batch_size: u64,
    /// Target duration of a backfill batch, in ms; unset keeps the size fixed.
    pub target_batch_ms: Option<u64>,
    /// Pause between batches, in ms (default 0).
    pub pause_ms: u64,
    /// Query giving the replication lag in ms, checked between batches.
    pub lag_query: Option<String>,
    /// Largest replication lag tolerated, in ms.
    pub max_lag_ms: Option<u64>,
    /// Daily UTC windows in which backfill batches may run.
    pub windows: Vec<TimeWindow>,
    /// Plan destructive changes (drops) instead of leaving them out; they
    /// are still marked as needing approval.
    pub allow_destructive: bool,
    /// Renames to plan (the `-- @renamed from=old` annotations of the
    /// target SQL, [`astrola_core::Parsed::renames`], or given by the
    /// caller). A renamed column of an existing table goes through expand
    /// and contract; without a hint a rename is a drop and an add.
    pub renames: Vec<RenameHint>,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            pg_version: 15,
            lock_timeout_ms: 2000,
            statement_timeout_ms: 60_000,
            max_attempts: 5,
            batch_size: 1000,
            target_batch_ms: None,
            pause_ms: 0,
            lag_query: None,
            max_lag_ms: None,
            windows: Vec::new(),
            allow_destructive: false,
            renames: Vec::new(),
        }
    }
}

impl PlanOptions {
    /// Checks that every option is in range, naming the first one that is not.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |option: &'static str, message: &str| Err(Error::InvalidOption { option, message: message.to_string() });
        if !(10..=99).contains(&self.pg_version) {
            return bad("pg_version", "must be a PostgreSQL major version, 10 or later");
        }
        if self.lock_timeout_ms == 0 {
            return bad("lock_timeout_ms", "must be at least 1 (0 would wait for locks forever)");
        }
        if self.statement_timeout_ms == 0 {
            return bad("statement_timeout_ms", "must be at least 1 (0 would never time out)");
        }
        if self.max_attempts == 0 {
            return bad("max_attempts", "must be at least 1");
        }
        if self.batch_size == 0 {
            return bad("batch_size", "must be at least 1");
        }
        if self.target_batch_ms == Some(0) {
            return bad("target_batch_ms", "must be at least 1 when set");
        }
        if self.max_lag_ms.is_some() && self.lag_query.as_deref().is_none_or(|q| q.trim().is_empty()) {
            return bad("max_lag_ms", "needs lag_query, the query that reads the replication lag");
        }
        for w in &self.windows {
            if !TimeWindow::valid_time(&w.start) || !TimeWindow::valid_time(&w.end) {
                return Err(Error::InvalidOption { option: "windows", message: format!("{}-{}: times are HH:MM, 00:00 to 23:59", w.start, w.end) });
            }
        }
        Ok(())
    }
}

/// Why a plan could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The diff failed.
    #[error(transparent)]
    Diff(#[from] astrola_diff::Error),
    /// Planning is implemented for PostgreSQL only.
    #[error("online plans are made for PostgreSQL only, not {0}")]
    UnsupportedDialect(astrola_core::Dialect),
    /// An option is out of range.
    #[error("invalid option {option}: {message}")]
    InvalidOption {
        /// The option's name.
        option: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A statistics file does not read; the message names the field.
    #[error(transparent)]
    Stats(#[from] StatsError),
}

/// Reads a `--stats` file ([`Stats::from_json`]); the error names the file,
/// the place and the field.
pub fn read_stats(text: &str, file: &str) -> Result<Stats, Error> {
    Ok(Stats::from_json(text, file)?)
}

/// Plans the migration from `from` to `to`: diffs them (with
/// `options.allow_destructive` and `options.renames`) and rewrites the
/// change set with [`plan_changes`].
pub fn plan(from: &Schema, to: &Schema, stats: Option<&Stats>, options: &PlanOptions) -> Result<Plan, Error> {
    options.validate()?;
    if from.dialect != Dialect::Postgres {
        return Err(Error::UnsupportedDialect(from.dialect));
    }
    let changes = astrola_diff::diff(from, to, &DiffOptions { allow_destructive: options.allow_destructive, renames: options.renames.clone() })?;
    plan_changes(from, to, &changes, stats, options)
}

/// Rewrites a change set already computed by `astrola_diff::diff(from, to, ..)`
/// into an online plan. `from` and `to` must be the schemas it was computed
/// from.
pub fn plan_changes(from: &Schema, to: &Schema, changes: &ChangeSet, stats: Option<&Stats>, options: &PlanOptions) -> Result<Plan, Error> {
    options.validate()?;
    if changes.dialect != Dialect::Postgres || from.dialect != Dialect::Postgres {
        return Err(Error::UnsupportedDialect(if from.dialect != Dialect::Postgres { from.dialect } else { changes.dialect }));
    }
    Ok(rewrite::Planner::new(from, to, changes, stats, options).run())
}

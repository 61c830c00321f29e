//! Properties of every plan, over the change sets the diff's own tests
//! produce: the proptest generators of `crates/core/tests/common/generate.rs`
//! (as `crates/diff/tests/postgres_replay.rs` uses them) and the psqldef
//! corpus cases.
//!
//! 1. No step holds ACCESS EXCLUSIVE (or any lock that blocks writes)
//!    without a `lock_timeout`.
//! 2. Every index build is concurrent (`CREATE INDEX CONCURRENTLY`, keys
//!    through a concurrent unique index and `USING INDEX`); the exemption:
//!    a step marked blocking on a partitioned table, where PostgreSQL has no
//!    concurrent build.
//! 3. No FOREIGN KEY or CHECK is added already validated on a table that
//!    exists in FROM (they are added `NOT VALID`).
//! 4. Every destructive change is carried out by a step that needs approval,
//!    and every step that drops a table or a column needs approval.
//! 5. Replaying the SQL of every step but the backfills, in memory, on FROM
//!    gives TO (`diff(replayed, TO)` is empty). A corpus case whose plain
//!    diff SQL does not replay to TO either is the diff's limit, not the
//!    planner's, and is counted apart; other failures must be listed in
//!    `tests/properties_exclusions.txt` with a reason.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use std::collections::BTreeSet;

use astrola_core::locks::LockMode;
use astrola_core::{apply_sql, parse_sql, Dialect, Schema};
use astrola_diff::{diff, ChangeSet, DiffOptions};
use astrola_planner::{plan_changes, Plan, PlanOptions, StepKind};
use common::generate::{apply_edits, edit, schema_sql, table};
use proptest::prelude::*;

fn normalised(mut s: Schema) -> Schema {
    for t in s.tables.values_mut() {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s.without_spans()
}

/// The four safety properties.
fn safety(from: &Schema, changes: &ChangeSet, plan: &Plan) -> Result<(), String> {
    let existing = |sql: &str| from.tables.keys().any(|t| sql.contains(&format!("ALTER TABLE {t} ")) || sql.contains(&format!("ALTER TABLE ONLY {t} ")));
    for s in plan.steps() {
        let lock = s.lock.as_ref().map(|l| l.mode).into_iter().chain(s.blocking.as_ref().map(|b| b.lock));
        for mode in lock {
            if (mode == LockMode::AccessExclusive || mode.blocks_writes()) && s.lock_timeout_ms.is_none() {
                return Err(format!("{}: holds {mode} without a lock_timeout", s.id));
            }
        }
        for sql in &s.sql {
            let upper = sql.to_uppercase();
            let exempt = s.blocking.as_ref().is_some_and(|b| b.reason.contains("partitioned"));
            for (at, _) in upper.match_indices("INDEX ") {
                let before = &upper[..at];
                let creates = before.ends_with("CREATE ") || before.ends_with("CREATE UNIQUE ");
                if creates && !upper[at..].starts_with("INDEX CONCURRENTLY") && !exempt {
                    return Err(format!("{}: an index built without CONCURRENTLY: {sql}", s.id));
                }
            }
            let adds_key = (upper.contains(" PRIMARY KEY (") || upper.contains(" UNIQUE (") || upper.contains(" UNIQUE NULLS NOT DISTINCT (")) && upper.contains("ADD CONSTRAINT");
            if adds_key && !upper.contains("USING INDEX") && !exempt && s.blocking.is_none() {
                return Err(format!("{}: a key added with its own (non-concurrent) index build: {sql}", s.id));
            }
            let validated = (upper.contains(" FOREIGN KEY (") || upper.contains(" CHECK (")) && upper.contains("ADD CONSTRAINT") && !upper.trim_end().trim_end_matches(';').ends_with("NOT VALID");
            if validated && existing(sql) && !created_by_plan(changes, sql) {
                return Err(format!("{}: a constraint added already validated on an existing table: {sql}", s.id));
            }
            if (upper.starts_with("DROP TABLE") || upper.contains(" DROP COLUMN ")) && s.approval.is_none() {
                return Err(format!("{}: drops a table or a column without approval: {sql}", s.id));
            }
        }
    }
    for (i, c) in changes.changes.iter().enumerate() {
        if c.destruction.is_none() || c.refused {
            continue;
        }
        let own: Vec<_> = plan.steps().filter(|s| s.change == Some(i)).collect();
        let approved = if own.is_empty() {
            // Carried out by an expand/contract switch or drop.
            let table = c.object.rsplit_once('.').map(|(t, _)| t.to_string()).unwrap_or_default();
            plan.steps().any(|s| s.approval.is_some() && (s.object.contains(&table) || s.sql.iter().any(|q| q.contains(&table))))
        } else {
            own.iter().any(|s| s.approval.is_some())
        };
        if !approved {
            return Err(format!("destructive change {} {} has no step that needs approval", c.change.kind(), c.object));
        }
    }
    Ok(())
}

/// Whether the ALTER TABLE names a table the plan creates.
fn created_by_plan(changes: &ChangeSet, sql: &str) -> bool {
    changes.changes.iter().any(|c| match &c.change {
        astrola_diff::Change::CreateTable { name, .. } => sql.contains(&format!("ALTER TABLE {name} ")),
        _ => false,
    })
}

/// Replays every step's SQL but the backfills on `from`.
fn replay(from: &Schema, plan: &Plan) -> Result<Schema, String> {
    let mut s = from.clone();
    let mut warnings = Vec::new();
    for step in plan.steps().filter(|s| s.kind != StepKind::Backfill) {
        // `SELECT setval(...)` (an identity moved at a switch) is data, not DDL.
        for sql in step.sql.iter().filter(|q| !q.starts_with("SELECT ")) {
            apply_sql(&mut s, sql, "plan.sql", &mut warnings).map_err(|e| format!("{}: {e}\n{sql}", step.id))?;
        }
    }
    if !warnings.is_empty() {
        return Err(format!("warnings: {warnings:?}"));
    }
    Ok(s)
}

fn replays_to(from: &Schema, to: &Schema, plan: &Plan) -> Result<(), String> {
    let replayed = replay(from, plan)?;
    let left = diff(&normalised(replayed), &normalised(to.clone()), &DiffOptions { allow_destructive: true, renames: Vec::new() }).map_err(|e| e.to_string())?;
    if !left.changes.is_empty() {
        return Err(format!("replaying the plan does not give TO; left: {}", left.sql()));
    }
    Ok(())
}

fn options() -> PlanOptions {
    PlanOptions { allow_destructive: true, ..PlanOptions::default() }
}

fn check_pair(a: &Schema, b: &Schema) -> Result<(), TestCaseError> {
    let changes = diff(a, b, &DiffOptions { allow_destructive: true, renames: Vec::new() }).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let plan = plan_changes(a, b, &changes, None, &options()).map_err(|e| TestCaseError::fail(e.to_string()))?;
    safety(a, &changes, &plan).map_err(|e| TestCaseError::fail(format!("{e}\n{}", plan.to_text())))?;
    replays_to(a, b, &plan).map_err(|e| TestCaseError::fail(format!("{e}\n{}", plan.to_text())))?;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn generated_change_sets_plan_safely_and_replay_to_the_target(
        tables in proptest::collection::vec(table(), 1..5),
        edits in proptest::collection::vec(edit(), 1..8),
    ) {
        let a_sql = schema_sql(&tables);
        let b_sql = schema_sql(&apply_edits(&tables, &edits));
        let a = parse_sql(&a_sql, Dialect::Postgres).map_err(|e| TestCaseError::fail(format!("{e}\n{a_sql}")))?.schema;
        let b = parse_sql(&b_sql, Dialect::Postgres).map_err(|e| TestCaseError::fail(format!("{e}\n{b_sql}")))?.schema;
        check_pair(&a, &b)?;
        check_pair(&b, &a)?;
    }
}

#[test]
fn psqldef_change_sets_plan_safely_and_replay_to_the_target() {
    let exclusions = common::exclusions(include_str!("properties_exclusions.txt"));
    let mut planned = 0;
    let mut replayed = 0;
    let mut diff_limited = 0;
    let mut failures = Vec::new();
    let mut excluded_but_passing = Vec::new();
    let mut seen = BTreeSet::new();
    for (file, cases) in common::sqldef_cases("psqldef") {
        for (name, case) in cases {
            let (Some(desired), None) = (&case.desired, &case.error) else { continue };
            let label = format!("{file}:{name}");
            let Ok(a) = parse_sql(case.current.as_deref().unwrap_or(""), Dialect::Postgres) else { continue };
            let Ok(b) = parse_sql(desired, Dialect::Postgres) else { continue };
            let diff_options = DiffOptions { allow_destructive: true, renames: b.renames.clone() };
            let Ok(changes) = diff(&a.schema, &b.schema, &diff_options) else { continue };
            let plan = match plan_changes(&a.schema, &b.schema, &changes, None, &options()) {
                Ok(p) => p,
                Err(e) => {
                    failures.push(format!("{label}: plan failed: {e}"));
                    continue;
                }
            };
            planned += 1;
            seen.insert(label.clone());
            if let Err(e) = safety(&a.schema, &changes, &plan) {
                failures.push(format!("{label}: {e}"));
                continue;
            }
            // The diff's own SQL must replay to TO for the plan's to be
            // held to it.
            let mut plain = a.schema.clone();
            let mut w = Vec::new();
            let diff_replays = changes.is_complete()
                && apply_sql(&mut plain, &changes.sql(), "diff.sql", &mut w).is_ok()
                && w.is_empty()
                && diff(&normalised(plain), &normalised(b.schema.clone()), &DiffOptions { allow_destructive: true, renames: Vec::new() }).is_ok_and(|d| d.changes.is_empty());
            if !diff_replays {
                diff_limited += 1;
                continue;
            }
            match (replays_to(&a.schema, &b.schema, &plan), exclusions.contains_key(&label)) {
                (Ok(()), false) => replayed += 1,
                (Ok(()), true) => excluded_but_passing.push(label),
                (Err(_), true) => {}
                (Err(e), false) => failures.push(format!("{label}: {e}")),
            }
        }
    }
    println!("psqldef: {planned} change sets planned, {replayed} replayed to TO, {diff_limited} beyond the diff's own replay, {} excluded", exclusions.len());
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
    assert!(excluded_but_passing.is_empty(), "excluded cases that now pass (remove them): {excluded_but_passing:?}");
    let unknown: Vec<&String> = exclusions.keys().filter(|k| !seen.contains(*k)).collect();
    assert!(unknown.is_empty(), "exclusions naming no case: {unknown:?}");
    assert!(planned > 500, "only {planned} corpus change sets planned");
}

/// GitLab's schema against the edited copy of the diff bench (50 tables
/// changed): the same properties at scale.
#[test]
fn gitlab_change_set_plans_safely() {
    let sql = std::fs::read_to_string(common::corpus_dir().join("schemas/gitlab/structure.sql")).unwrap_or_else(|e| panic!("{e}"));
    let from = parse_sql(&sql, Dialect::Postgres).unwrap_or_else(|e| panic!("{e}")).schema;
    let mut to = from.clone();
    // A column added with a volatile default, an index and a foreign key on
    // a few tables: enough to exercise every rewrite on real definitions.
    let names: Vec<_> = to.tables.iter().filter(|(_, t)| t.partition_by.is_none() && t.partition_of.is_none() && t.primary_key().is_some()).map(|(n, _)| n.clone()).step_by(40).take(20).collect();
    for n in &names {
        if let Some(t) = to.tables.get_mut(n) {
            let mut c = astrola_core::model::Column::new("planner_token", "uuid");
            c.default = Some("gen_random_uuid()".into());
            c.not_null = true;
            t.columns.push(c);
        }
    }
    let to = parse_sql(&astrola_core::render_sql(&to), Dialect::Postgres).unwrap_or_else(|e| panic!("{e}")).schema;
    let changes = diff(&from, &to, &DiffOptions { allow_destructive: true, renames: Vec::new() }).unwrap_or_else(|e| panic!("{e}"));
    let plan = plan_changes(&from, &to, &changes, None, &options()).unwrap_or_else(|e| panic!("{e}"));
    safety(&from, &changes, &plan).unwrap_or_else(|e| panic!("{e}"));
    replays_to(&from, &to, &plan).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.steps().filter(|s| s.kind == StepKind::Backfill).count(), names.len());
}

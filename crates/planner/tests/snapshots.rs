//! Snapshots of plans a person reads (the runbook), the JSON executors
//! consume and the scripts, for representative changes; and the errors of
//! bad input.

use astrola_core::stats::Stats;
use astrola_core::{parse_sql, Dialect};
use astrola_planner::{plan, read_stats, BatchStrategy, Error, LockMode, PhaseKind, Plan, PlanOptions, StepKind, TimeWindow};

const STATS: &str = r#"{"tables": {
    "public.users": {"rows": 48000000, "bytes": 9663676416},
    "public.orders": {"rows": 1000000, "bytes": 214748364},
    "public.events": {"rows": 250000}
}}"#;

fn plan_of(from: &str, to: &str, stats: Option<&Stats>, options: PlanOptions) -> Plan {
    let from = parse_sql(from, Dialect::Postgres).unwrap_or_else(|e| panic!("{e}")).schema;
    let to = parse_sql(to, Dialect::Postgres).unwrap_or_else(|e| panic!("{e}"));
    let options = PlanOptions { renames: to.renames.clone(), ..options };
    plan(&from, &to.schema, stats, &options).unwrap_or_else(|e| panic!("{e}"))
}

fn stats() -> Stats {
    read_stats(STATS, "stats.json").unwrap_or_else(|e| panic!("{e}"))
}

const USERS: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);";

#[test]
fn create_index_is_concurrent() {
    let p = plan_of(USERS, &format!("{USERS} CREATE INDEX users_email_idx ON users (lower(email)) WHERE email IS NOT NULL;"), Some(&stats()), PlanOptions::default());
    insta::assert_snapshot!(p.to_text());
    let step = &p.phases[0].steps[0];
    assert_eq!(step.lock.as_ref().map(|l| l.mode), Some(LockMode::ShareUpdateExclusive));
    assert!(!step.transactional && step.lock_timeout_ms.is_none() && step.statement_timeout_ms.is_none());
}

#[test]
fn foreign_key_is_added_not_valid_then_validated() {
    let from = "CREATE TABLE users (id bigint PRIMARY KEY); CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);";
    let to = "CREATE TABLE users (id bigint PRIMARY KEY); CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users ON DELETE CASCADE);";
    let p = plan_of(from, to, Some(&stats()), PlanOptions::default());
    insta::assert_snapshot!(p.to_text());
    insta::assert_snapshot!("foreign_key_json", p.to_json());
}

#[test]
fn unique_and_set_not_null_go_through_an_index_and_a_check() {
    let to = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, CONSTRAINT users_email_key UNIQUE (email), CONSTRAINT name_len CHECK (length(name) < 100));";
    let p = plan_of(USERS, to, Some(&stats()), PlanOptions::default());
    insta::assert_snapshot!(p.to_text());
}

#[test]
fn volatile_default_is_added_then_backfilled() {
    let to = "CREATE TABLE orders (id bigint PRIMARY KEY, token uuid NOT NULL DEFAULT gen_random_uuid(), status text NOT NULL DEFAULT 'new');";
    let options = PlanOptions { batch_size: 5000, target_batch_ms: Some(200), pause_ms: 50, lag_query: Some("SELECT 0".into()), max_lag_ms: Some(1000), windows: vec![TimeWindow { start: "22:00".into(), end: "06:00".into() }], ..PlanOptions::default() };
    let p = plan_of("CREATE TABLE orders (id bigint PRIMARY KEY);", to, Some(&stats()), options);
    insta::assert_snapshot!(p.to_text());
    let scripts: Vec<String> = p.scripts().into_iter().map(|s| format!("==> {}\n{}", s.name, s.sql)).collect();
    insta::assert_snapshot!("volatile_default_scripts", scripts.join("\n"));
}

#[test]
fn int_to_bigint_on_a_referenced_primary_key_is_expand_and_contract() {
    let from = "CREATE TABLE orders (id serial PRIMARY KEY, total numeric); CREATE TABLE items (id bigint PRIMARY KEY, order_id integer NOT NULL REFERENCES orders (id)); CREATE INDEX items_order_id_idx ON items (order_id);";
    let to = "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric); CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id)); CREATE INDEX items_order_id_idx ON items (order_id);";
    let p = plan_of(from, to, Some(&stats()), PlanOptions::default());
    insta::assert_snapshot!(p.to_text());
    assert_eq!(p.steps().filter(|s| s.kind == StepKind::Backfill).count(), 2);
    let gate = p.phases.iter().find_map(|ph| ph.gate.as_ref()).expect("a gate before the contract phase");
    assert_eq!(gate.id, "contract");
    assert!(p.phases[3].steps.iter().filter(|s| s.sql.iter().any(|q| q.contains("DROP COLUMN"))).all(|s| s.approval.is_some()));
}

#[test]
fn rename_is_expand_and_contract() {
    let from = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL DEFAULT ''); CREATE UNIQUE INDEX users_email_idx ON users (email);";
    let to = "CREATE TABLE users (id bigint PRIMARY KEY, email_address text NOT NULL DEFAULT '' -- @renamed from=email\n); CREATE UNIQUE INDEX users_email_idx ON users (email_address);";
    let p = plan_of(from, to, None, PlanOptions::default());
    insta::assert_snapshot!(p.to_text());
}

#[test]
fn a_table_without_a_key_gets_a_ctid_batcher_with_its_caveat() {
    let p = plan_of("CREATE TABLE events (at timestamptz, payload jsonb);", "CREATE TABLE events (at timestamptz, payload jsonb, id uuid DEFAULT gen_random_uuid());", Some(&stats()), PlanOptions::default());
    let b = p.steps().find_map(|s| s.backfill.as_ref()).expect("a backfill");
    assert_eq!(b.strategy, BatchStrategy::Ctid);
    assert!(b.caveat.as_deref().is_some_and(|c| c.contains("ctid")));
    insta::assert_snapshot!(p.to_text());
}

#[test]
fn exclusion_constraints_and_drops_are_marked() {
    let from = "CREATE EXTENSION btree_gist; CREATE TABLE events (id bigint PRIMARY KEY, room int, during tstzrange, legacy text);";
    let to = "CREATE EXTENSION btree_gist; CREATE TABLE events (id bigint PRIMARY KEY, room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));";
    let p = plan_of(from, to, Some(&stats()), PlanOptions { allow_destructive: true, ..PlanOptions::default() });
    insta::assert_snapshot!(p.to_text());
    let blocking = p.steps().find(|s| s.blocking.is_some()).expect("a blocking step");
    assert_eq!(blocking.blocking.as_ref().map(|b| b.lock), Some(LockMode::AccessExclusive));
    assert!(blocking.lock_timeout_ms.is_some());
    let drop = p.phases[3].steps.iter().find(|s| s.sql.iter().any(|q| q.contains("DROP COLUMN"))).expect("the drop in the contract phase");
    assert_eq!(drop.approval.as_ref().and_then(|a| a.rows), Some(250_000));
    // Without allow_destructive the drop is left out, with a note.
    let p = plan_of(from, to, Some(&stats()), PlanOptions::default());
    assert!(p.steps().all(|s| !s.sql.iter().any(|q| q.contains("DROP COLUMN"))));
    assert!(p.notes.iter().any(|n| n.contains("drop_column")), "{:?}", p.notes);
}

#[test]
fn plans_round_trip_through_json_and_empty_plans_say_so() {
    let p = plan_of(USERS, &format!("{USERS} CREATE INDEX ON users (name);"), None, PlanOptions::default());
    assert_eq!(Plan::from_json(&p.to_json()).ok(), Some(p));
    let same = plan_of(USERS, USERS, None, PlanOptions::default());
    assert!(same.is_empty());
    assert!(same.phases.iter().all(|ph| ph.gate.is_none()));
    assert_eq!(same.to_text(), "Nothing to do: the schemas are the same.\n");
    assert!(same.scripts().is_empty());
    assert_eq!(same.phases.iter().map(|p| p.kind).collect::<Vec<_>>(), [PhaseKind::Expand, PhaseKind::Backfill, PhaseKind::Validate, PhaseKind::Contract]);
}

#[test]
fn malformed_stats_and_options_are_errors_naming_the_field() {
    let Err(e) = read_stats(r#"{"tables": {"users": {"rows": "many"}}}"#, "stats.json") else { panic!("a string row count reads") };
    assert!(matches!(e, Error::Stats(_)));
    assert!(e.to_string().starts_with("stats.json:1:"), "{e}");
    let Err(e) = read_stats(r#"{"tables": {"users": {"row": 5}}}"#, "stats.json") else { panic!("an unknown field reads") };
    assert!(e.to_string().contains("row"), "{e}");
    let s = parse_sql(USERS, Dialect::Postgres).unwrap_or_else(|e| panic!("{e}")).schema;
    for (options, field) in [
        (PlanOptions { batch_size: 0, ..PlanOptions::default() }, "batch_size"),
        (PlanOptions { lock_timeout_ms: 0, ..PlanOptions::default() }, "lock_timeout_ms"),
        (PlanOptions { max_lag_ms: Some(10), ..PlanOptions::default() }, "max_lag_ms"),
        (PlanOptions { windows: vec![TimeWindow { start: "25:00".into(), end: "01:00".into() }], ..PlanOptions::default() }, "windows"),
    ] {
        let Err(e) = plan(&s, &s, None, &options) else { panic!("{field} out of range is accepted") };
        assert!(matches!(&e, Error::InvalidOption { option, .. } if *option == field), "{e}");
    }
    let mysql = parse_sql("CREATE TABLE t (id int);", Dialect::Mysql).unwrap_or_else(|e| panic!("{e}")).schema;
    assert!(matches!(plan(&mysql, &mysql, None, &PlanOptions::default()), Err(Error::UnsupportedDialect(Dialect::Mysql))));
}

#[test]
fn time_windows_wrap_past_midnight() {
    let w = TimeWindow { start: "22:00".into(), end: "06:00".into() };
    assert!(w.contains(23 * 60) && w.contains(60) && !w.contains(12 * 60));
    assert!(TimeWindow { start: "09:00".into(), end: "17:30".into() }.contains(17 * 60 + 29));
}

//! End-to-end tests of `astrola plan`: the three formats, `--out-dir`,
//! `--stats`, the options, and exit codes (0 a plan with nothing to
//! approve, 1 a plan that needs a person, 2 input error).

mod common;

use std::path::Path;
use std::process::Output;

use astrola_core::stats::Stats;
use astrola_core::{parse_sql, Dialect};
use astrola_planner::{Plan, PlanOptions};
use common::{astrola, text, write};

const FROM: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n";
/// FROM with an index and a foreign key: the planner builds the index
/// concurrently and adds the key NOT VALID, then validates it.
const TO: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\nCREATE INDEX users_email_idx ON users (email);\n";
/// FROM without `orders.user_id`: dropping data needs approval.
const DROPPED: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY);\n";
const STATS: &str = r#"{"tables": {"users": {"rows": 48000000, "bytes": 9663676416}, "public.orders": {"rows": 1000}}}"#;

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// The plan the library makes for the same inputs, with the renames `to`
/// declares, as the CLI takes them.
fn library_plan(from: &str, to: &str, stats: Option<&str>, options: &PlanOptions) -> Plan {
    let a = parse_sql(from, Dialect::Postgres).expect("parses").schema;
    let b = parse_sql(to, Dialect::Postgres).expect("parses");
    let stats = stats.map(|s| Stats::from_json(s, "stats.json").expect("stats read"));
    let options = PlanOptions { renames: b.renames, ..options.clone() };
    astrola_planner::plan(&a, &b.schema, stats.as_ref(), &options).expect("plans")
}

/// `astrola plan FROM TO ARGS...` on files holding `from` and `to`.
fn plan_files(from: &str, to: &str, args: &[&str]) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (write(dir.path(), "from.sql", from), write(dir.path(), "to.sql", to));
    let mut all = vec!["plan", arg(&a), arg(&b)];
    all.extend_from_slice(args);
    (astrola(&all, None), dir)
}

#[test]
fn json_is_the_library_plan_and_reads_back() {
    let (out, _dir) = plan_files(FROM, TO, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let printed = text(&out.stdout);
    let back: Plan = serde_json::from_str(&printed).expect("the JSON is a Plan");
    let expected = library_plan(FROM, TO, None, &PlanOptions::default());
    assert_eq!(back, expected);
    assert_eq!(printed, expected.to_json() + "\n");
    let json: serde_json::Value = serde_json::from_str(&printed).expect("JSON");
    assert_eq!(json["format"], 1);
    assert_eq!(json["dialect"], "postgres");
    let kinds: Vec<&str> = json["phases"].as_array().expect("phases").iter().filter_map(|p| p["kind"].as_str()).collect();
    assert_eq!(kinds, ["expand", "backfill", "validate", "contract"]);
    let all_sql: Vec<&str> = back.steps().flat_map(|s| s.sql.iter().map(String::as_str)).collect();
    assert!(all_sql.iter().any(|s| s.contains("CONCURRENTLY")), "{all_sql:#?}");
    assert!(all_sql.iter().any(|s| s.contains("NOT VALID")), "{all_sql:#?}");
    assert!(all_sql.iter().any(|s| s.contains("VALIDATE CONSTRAINT")), "{all_sql:#?}");
}

#[test]
fn text_is_the_runbook() {
    let (out, _dir) = plan_files(FROM, TO, &[]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let expected = library_plan(FROM, TO, None, &PlanOptions::default());
    assert_eq!(text(&out.stdout), expected.to_text());
    assert!(text(&out.stdout).contains("CONCURRENTLY"), "{}", text(&out.stdout));
    let (explicit, _dir) = plan_files(FROM, TO, &["--format", "text"]);
    assert_eq!(explicit.stdout, out.stdout);
}

#[test]
fn sql_prints_every_script_in_order() {
    let (out, _dir) = plan_files(FROM, TO, &["--format", "sql"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let printed = text(&out.stdout);
    let plan = library_plan(FROM, TO, None, &PlanOptions::default());
    assert_eq!(printed, plan.to_sql());
    let scripts = plan.scripts();
    assert!(!scripts.is_empty());
    let mut at = 0;
    for script in &scripts {
        let found = printed[at..].find(&script.sql).unwrap_or_else(|| panic!("{} is missing or out of order:\n{printed}", script.name));
        assert!(printed[at..at + found].contains(&script.name), "{} is not named before its script", script.name);
        at += found + script.sql.len();
    }
}

#[test]
fn out_dir_writes_one_file_per_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (write(dir.path(), "from.sql", FROM), write(dir.path(), "to.sql", TO));
    // Created when missing; --out-dir alone means --format sql.
    let target = dir.path().join("scripts");
    let out = astrola(&["plan", arg(&a), arg(&b), "--out-dir", arg(&target)], None);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let scripts = library_plan(FROM, TO, None, &PlanOptions::default()).scripts();
    let listed: Vec<String> = text(&out.stdout).lines().map(str::to_string).collect();
    assert_eq!(listed.len(), scripts.len());
    for (script, line) in scripts.iter().zip(&listed) {
        let path = target.join(&script.name);
        assert_eq!(line, &path.display().to_string());
        assert_eq!(std::fs::read_to_string(&path).expect("script written"), script.sql);
    }
    let mut names: Vec<String> = std::fs::read_dir(&target).expect("dir").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let mut expected: Vec<String> = scripts.iter().map(|s| s.name.clone()).collect();
    expected.sort();
    assert_eq!(names, expected);

    // The same plan again into the same directory is fine; a stale script
    // of another plan is refused.
    let again = astrola(&["plan", arg(&a), arg(&b), "--out-dir", arg(&target)], None);
    assert_eq!(again.status.code(), Some(0), "stderr: {}", text(&again.stderr));
    write(&target, "999-stale.sql", "DROP TABLE users;\n");
    let stale = astrola(&["plan", arg(&a), arg(&b), "--out-dir", arg(&target)], None);
    assert_eq!(stale.status.code(), Some(2));
    assert!(text(&stale.stderr).contains("999-stale.sql"), "{}", text(&stale.stderr));

    // --out-dir writes scripts only.
    let json = astrola(&["plan", arg(&a), arg(&b), "--format", "json", "--out-dir", arg(&dir.path().join("other"))], None);
    assert_eq!(json.status.code(), Some(2));
    assert!(text(&json.stderr).contains("--out-dir"), "{}", text(&json.stderr));
}

#[test]
fn stats_give_estimates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (write(dir.path(), "from.sql", FROM), write(dir.path(), "to.sql", TO));
    let stats = write(dir.path(), "stats.json", STATS);
    let out = astrola(&["plan", arg(&a), arg(&b), "--stats", arg(&stats), "--format", "json"], None);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let back: Plan = serde_json::from_str(&text(&out.stdout)).expect("a Plan");
    assert_eq!(back, library_plan(FROM, TO, Some(STATS), &PlanOptions::default()));
    assert!(back.steps().any(|s| s.estimate.is_some()), "no estimate with stats:\n{}", text(&out.stdout));
}

#[test]
fn a_malformed_stats_file_names_the_field_and_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (write(dir.path(), "from.sql", FROM), write(dir.path(), "to.sql", TO));
    let stats = write(dir.path(), "stats.json", "{\n  \"tables\": {\n    \"users\": {\"row\": 1}\n  }\n}\n");
    let out = astrola(&["plan", arg(&a), arg(&b), "--stats", arg(&stats)], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{}:3:", stats.display())), "{err}");
    assert!(err.contains("`row`"), "{err}");

    let negative = write(dir.path(), "negative.json", r#"{"tables": {"users": {"rows": -5}}}"#);
    let out = astrola(&["plan", arg(&a), arg(&b), "--stats", arg(&negative)], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("negative.json:1:"), "{}", text(&out.stderr));

    let missing = dir.path().join("missing.json");
    let out = astrola(&["plan", arg(&a), arg(&b), "--stats", arg(&missing)], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("missing.json"), "{}", text(&out.stderr));
}

#[test]
fn options_reach_the_planner() {
    let options = PlanOptions {
        pg_version: 13,
        lock_timeout_ms: 500,
        statement_timeout_ms: 30_000,
        max_attempts: 3,
        batch_size: 250,
        target_batch_ms: Some(200),
        pause_ms: 50,
        lag_query: Some("SELECT 0".into()),
        max_lag_ms: Some(1000),
        windows: vec![astrola_planner::TimeWindow { start: "22:00".into(), end: "06:00".into() }],
        ..PlanOptions::default()
    };
    let args = [
        "--format", "json", "--pg-version", "13", "--lock-timeout", "500ms", "--statement-timeout", "30s", "--max-attempts", "3",
        "--batch-size", "250", "--target-batch-ms", "200", "--pause-ms", "50", "--lag-query", "SELECT 0", "--max-lag-ms", "1000",
        "--window", "22:00-06:00",
    ];
    let (out, _dir) = plan_files(FROM, TO, &args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let back: Plan = serde_json::from_str(&text(&out.stdout)).expect("a Plan");
    assert_eq!(back, library_plan(FROM, TO, None, &options));
    assert!(back.steps().filter_map(|s| s.lock_timeout_ms).all(|ms| ms == 500));
    assert!(back.steps().any(|s| s.lock_timeout_ms == Some(500)), "{}", text(&out.stdout));

    for bad in [["--window", "22:00"], ["--window", "25:00-01:00"], ["--lock-timeout", "2h"], ["--pg-version", "7"]] {
        let (out, _dir) = plan_files(FROM, TO, &bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn destructive_changes_need_approval_and_exit_1() {
    // Refused: the plan says what it left out.
    let (out, _dir) = plan_files(TO, DROPPED, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let refused: Plan = serde_json::from_str(&text(&out.stdout)).expect("a Plan");
    assert!(!refused.notes.is_empty(), "{}", text(&out.stdout));
    assert!(refused.steps().all(|s| !s.sql.iter().any(|q| q.contains("DROP COLUMN"))));

    // Allowed: planned, and marked for approval.
    let (out, _dir) = plan_files(TO, DROPPED, &["--format", "json", "--allow-destructive"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let allowed: Plan = serde_json::from_str(&text(&out.stdout)).expect("a Plan");
    let options = PlanOptions { allow_destructive: true, ..PlanOptions::default() };
    assert_eq!(allowed, library_plan(TO, DROPPED, None, &options));
    let approval = allowed.steps().find(|s| s.approval.is_some()).expect("a step needs approval");
    assert!(approval.sql.iter().any(|q| q.contains("DROP")), "{approval:#?}");
    assert!(text(&out.stderr).contains("approval needed"), "{}", text(&out.stderr));
}

#[test]
fn the_same_schema_plans_nothing() {
    let (out, _dir) = plan_files(FROM, FROM, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let back: Plan = serde_json::from_str(&text(&out.stdout)).expect("a Plan");
    assert!(back.is_empty());
    let (out, _dir) = plan_files(FROM, FROM, &["--format", "sql"]);
    assert_eq!((out.status.code(), text(&out.stdout)), (Some(0), String::new()));
}

#[test]
fn stdin_and_schema_json_are_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let schema_json = parse_sql(FROM, Dialect::Postgres).expect("parses").schema.to_json();
    let a = write(dir.path(), "from.json", &schema_json);
    let out = astrola(&["plan", arg(&a), "-", "--format", "json"], Some(TO));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let back: Plan = serde_json::from_str(&text(&out.stdout)).expect("a Plan");
    assert_eq!(back, library_plan(FROM, TO, None, &PlanOptions::default()));

    let out = astrola(&["plan", "-", "-"], Some(TO));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn other_dialects_and_bad_sql_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mysql = parse_sql("CREATE TABLE users (id INT PRIMARY KEY);", Dialect::Mysql).expect("parses").schema.to_json();
    let a = write(dir.path(), "from.json", &mysql);
    let b = write(dir.path(), "to.json", &mysql);
    let out = astrola(&["plan", arg(&a), arg(&b)], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("PostgreSQL"), "{}", text(&out.stderr));

    let (out, _dir) = plan_files(FROM, "CREATE TABLE (;", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("to.sql:1:"), "{}", text(&out.stderr));
}

#[test]
fn renames_in_to_are_planned() {
    let renamed = "CREATE TABLE users (id bigint PRIMARY KEY,\n  mail text -- @renamed from=email\n);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n";
    let (out, _dir) = plan_files(FROM, renamed, &["--format", "json", "--allow-destructive"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "stderr: {}", text(&out.stderr));
    let back: Plan = serde_json::from_str(&text(&out.stdout)).expect("a Plan");
    let options = PlanOptions { allow_destructive: true, ..PlanOptions::default() };
    assert_eq!(back, library_plan(FROM, renamed, None, &options));
    let a = parse_sql(FROM, Dialect::Postgres).expect("parses").schema;
    let b = parse_sql(renamed, Dialect::Postgres).expect("parses").schema;
    let unhinted = astrola_planner::plan(&a, &b, None, &options).expect("plans");
    assert_ne!(back, unhinted, "the @renamed annotation made no difference");
}

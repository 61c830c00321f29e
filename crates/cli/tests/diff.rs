//! End-to-end tests of `astrola diff` and `astrola drift`: output, streams
//! and exit codes (0 nothing to report, 1 findings, 2 input error).

mod common;


use astrola_core::{parse_sql, rename_hints, Dialect};
use astrola_diff::{diff, DiffOptions};
use common::{astrola, text, write};

const FROM: &str = "CREATE TABLE users (id bigint PRIMARY KEY, name text, legacy boolean);\n";
const TO: &str = "CREATE TABLE users (id bigint PRIMARY KEY,\n  full_name text, -- @renamed from=name\n  email text NOT NULL DEFAULT '');\n";

fn library_plan(from: &str, to: &str, allow: bool) -> astrola_diff::ChangeSet {
    let a = parse_sql(from, Dialect::Postgres).expect("parses").schema;
    let b = parse_sql(to, Dialect::Postgres).expect("parses").schema;
    diff(&a, &b, &DiffOptions { allow_destructive: allow, renames: rename_hints(to, Dialect::Postgres) }).expect("diffs")
}

#[test]
fn refuses_destructive_changes_with_exit_1_and_lists_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (write(dir.path(), "a.sql", FROM), write(dir.path(), "b.sql", TO));
    let out = astrola(&["diff", a.to_str().expect("utf8"), b.to_str().expect("utf8")], None);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let sql = text(&out.stdout);
    assert!(sql.contains("RENAME COLUMN name TO full_name"), "{sql}");
    assert!(sql.contains("-- refused (destructive: deletes data"), "{sql}");
    assert!(!sql.contains("DROP COLUMN"), "{sql}");
    assert!(text(&out.stderr).contains("drop_column public.users.legacy"), "{}", text(&out.stderr));
    assert_eq!(sql, library_plan(FROM, TO, false).annotated_sql());
}

#[test]
fn allow_destructive_gives_the_library_sql_and_exit_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (write(dir.path(), "a.sql", FROM), write(dir.path(), "b.sql", TO));
    let out = astrola(&["diff", a.to_str().expect("utf8"), b.to_str().expect("utf8"), "--allow-destructive"], None);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let plan = library_plan(FROM, TO, true);
    assert_eq!(text(&out.stdout), plan.sql());
    assert!(text(&out.stdout).contains("ALTER TABLE public.users DROP COLUMN legacy;"));
}

#[test]
fn the_same_schema_prints_nothing() {
    let out = astrola(&["diff", "-", "-"], Some(FROM));
    // `-` may be given once per command: the second read is a usage error.
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(dir.path(), "a.sql", FROM);
    let out = astrola(&["diff", a.to_str().expect("utf8"), a.to_str().expect("utf8")], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn json_output_is_the_changeset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (write(dir.path(), "a.sql", FROM), write(dir.path(), "b.sql", TO));
    let out = astrola(&["diff", a.to_str().expect("utf8"), b.to_str().expect("utf8"), "--format", "json"], None);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("JSON");
    assert_eq!(json["format"], 1);
    let kinds: Vec<&str> = json["changes"].as_array().expect("changes").iter().filter_map(|c| c["kind"].as_str()).collect();
    assert_eq!(kinds, ["rename_column", "drop_column", "add_column"]);
    assert_eq!(json["changes"][1]["refused"], true);
    assert_eq!(json["changes"][1]["destruction"], "data");
    let back: astrola_diff::ChangeSet = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, library_plan(FROM, TO, false));
}

#[test]
fn down_reverses_and_marks_what_cannot_come_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (write(dir.path(), "a.sql", FROM), write(dir.path(), "b.sql", TO));
    let out = astrola(&["diff", a.to_str().expect("utf8"), b.to_str().expect("utf8"), "--down", "--allow-destructive"], None);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let sql = text(&out.stdout);
    assert!(sql.contains("RENAME COLUMN full_name TO name"), "{sql}");
    assert!(sql.contains("DROP COLUMN email"), "{sql}");
    assert!(sql.contains("-- irreversible: add_column public.users.legacy"), "{sql}");
}

#[test]
fn unmanaged_differences_are_named_and_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rule = "CREATE RULE r AS ON INSERT TO users DO INSTEAD NOTHING;\n";
    let a = write(dir.path(), "a.sql", FROM);
    let b = write(dir.path(), "b.sql", &format!("{FROM}{rule}"));
    let out = astrola(&["diff", a.to_str().expect("utf8"), b.to_str().expect("utf8")], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(err.contains("b.sql:2:1") && err.contains("unmanaged statement only in TO"), "{err}");
}

#[test]
fn bad_input_is_an_error_with_its_location() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(dir.path(), "a.sql", FROM);
    let b = write(dir.path(), "b.sql", "CREATE TABLE ok (id int);\nCREATE TABLE broken (id int,);\n");
    let out = astrola(&["diff", a.to_str().expect("utf8"), b.to_str().expect("utf8")], None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("b.sql:2:"), "{err}");
    assert!(err.contains("CREATE TABLE broken"), "{err}");
}

#[test]
fn drift_reports_each_object_and_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let expected = write(dir.path(), "expected.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE INDEX users_email ON users (email);\n");
    let actual = write(dir.path(), "actual.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100), extra int);\n");
    let out = astrola(&["drift", expected.to_str().expect("utf8"), actual.to_str().expect("utf8")], None);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    assert!(report.contains("breaking: changed public.users.email"), "{report}");
    assert!(report.contains("warning: missing public.users_email"), "{report}");
    assert!(report.contains("warning: unexpected public.users.extra"), "{report}");
    assert!(report.contains("ALTER TABLE public.users ALTER COLUMN email TYPE text;"), "{report}");
    let out = astrola(&["drift", expected.to_str().expect("utf8"), actual.to_str().expect("utf8"), "--format", "json"], None);
    let json: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("JSON");
    assert_eq!(json["drifts"].as_array().map(Vec::len), Some(3));
    let out = astrola(&["drift", expected.to_str().expect("utf8"), expected.to_str().expect("utf8")], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "no drift\n");
}

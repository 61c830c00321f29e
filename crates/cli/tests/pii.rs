//! End-to-end tests of `astrola pii`: samples from CSV and JSON Lines,
//! table naming, the name-only note, exit codes (0 nothing found, 1
//! findings, 2 usage or input error) and errors naming file and line.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const SCHEMA: &str = "CREATE TABLE users (id int PRIMARY KEY, name text, email text, notes text, ssn text);\nCREATE TABLE products (id int, name text);\n";

fn astrola(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_astrola")).args(args).current_dir(dir).stdin(Stdio::null()).output().expect("astrola runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("schema.sql"), SCHEMA).expect("write schema");
    dir
}

#[test]
fn name_only_findings_exit_1_and_say_so() {
    let dir = setup();
    let out = astrola(&["pii", "schema.sql"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("name: person_name") && s.contains("(name only)"), "{s}");
    assert!(s.contains("email: email"), "{s}");
    assert!(!s.contains("public.products"), "products.name is not a person's name: {s}");
}

#[test]
fn nothing_found_exits_0() {
    let dir = setup();
    std::fs::write(dir.path().join("plain.sql"), "CREATE TABLE t (id int, amount numeric);").expect("write");
    let out = astrola(&["pii", "plain.sql"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn samples_csv_and_jsonl_decide_columns() {
    let dir = setup();
    let mut csv = String::from("id,notes,ssn\n");
    for i in 0..20 {
        csv.push_str(&format!("{i},user{i}@example.com,{}\n", 1000 + i * 37));
    }
    std::fs::write(dir.path().join("users.csv"), &csv).expect("write csv");
    let out = astrola(&["pii", "schema.sql", "--samples", "users.csv", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let reports = json["reports"].as_array().expect("reports");
    let find = |col: &str| reports.iter().find(|r| r["column"] == col).cloned().unwrap_or_default();
    assert_eq!(find("notes")["findings"][0]["pii_type"], "email");
    assert_eq!(find("notes")["basis"], "name_and_samples");
    assert_eq!(find("ssn")["findings"].as_array().map(Vec::len), Some(0), "random short numbers are not SSNs");
    assert!(find("ssn")["notes"][0].as_str().unwrap_or_default().contains("samples are valid us_ssn"));
    assert_eq!(find("name")["basis"], "name_only");

    let jsonl: String = (0..10).map(|i| format!("{{\"id\": {i}, \"notes\": \"call +44 20 7123 45{i:02}\"}}\n")).collect();
    std::fs::write(dir.path().join("u.jsonl"), jsonl).expect("write jsonl");
    let out = astrola(&["pii", "schema.sql", "--samples", "users=u.jsonl"], dir.path());
    assert!(text(&out.stdout).contains("notes: phone"), "{}", text(&out.stdout));
}

#[test]
fn bad_samples_are_errors_naming_file_and_line() {
    let dir = setup();
    std::fs::write(dir.path().join("users.csv"), "id,notes\n1,a\n2\n").expect("write");
    let out = astrola(&["pii", "schema.sql", "--samples", "users.csv"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("users.csv:3: record has 1 fields, the header has 2"), "{}", text(&out.stderr));

    std::fs::write(dir.path().join("empty.csv"), "").expect("write");
    let out = astrola(&["pii", "schema.sql", "--samples", "users=empty.csv"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("empty.csv: empty file"), "{}", text(&out.stderr));

    std::fs::write(dir.path().join("bad.jsonl"), b"{\"notes\": \"ok\"}\n{\"notes\": \"\xff\"}\n").expect("write");
    let out = astrola(&["pii", "schema.sql", "--samples", "users=bad.jsonl"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad.jsonl:2: not valid UTF-8"), "{}", text(&out.stderr));

    let out = astrola(&["pii", "schema.sql", "--samples", "missing.csv"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("missing.csv"));
}

#[test]
fn a_multi_megabyte_value_is_handled() {
    let dir = setup();
    let big = "lorem ipsum ".repeat(400_000);
    std::fs::write(dir.path().join("users.csv"), format!("id,notes\n1,{big}\n2,ana@example.org\n")).expect("write");
    let out = astrola(&["pii", "schema.sql", "--samples", "users.csv"], dir.path());
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(&out.stderr));
    assert!(text(&out.stderr).is_empty() || !text(&out.stderr).contains("panicked"));
}

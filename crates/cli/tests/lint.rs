//! End-to-end tests of `astrola lint`: output formats and exit codes (0
//! nothing at or above --fail-on, 1 findings, 2 usage or input error).

use std::io::Write;
use std::process::{Command, Output, Stdio};

const MIGRATION: &str = "CREATE TABLE teams (id bigint);\nCREATE INDEX teams_id ON teams (id);\nCREATE INDEX users_email ON users (email);\nALTER TABLE users DROP COLUMN fax;\n";

fn astrola(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_astrola"))
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("astrola starts");
    if let Some(text) = stdin {
        let _ = child.stdin.take().expect("piped").write_all(text.as_bytes());
    }
    child.wait_with_output().expect("astrola runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[test]
fn text_output_is_rustc_style_and_errors_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("001.sql");
    std::fs::write(&path, MIGRATION).expect("writes");
    let out = astrola(&["lint", path.to_str().expect("utf8")], None);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("error[create-index-non-concurrently]: CREATE INDEX without CONCURRENTLY blocks writes to public.users"), "{stdout}");
    assert!(stdout.contains(&format!("--> {}:3:1", path.display())), "{stdout}");
    assert!(stdout.contains("3 | CREATE INDEX users_email ON users (email);\n  | ^^^^"), "{stdout}");
    assert!(stdout.contains("= help: use CREATE INDEX CONCURRENTLY"), "{stdout}");
    assert!(stdout.contains("warning[drop-column]"), "{stdout}");
    assert!(!stdout.contains("teams"), "no finding on a table created in the migration: {stdout}");
    assert!(stdout.ends_with("2 finding(s) in 1 file(s)\n"), "{stdout}");
}

#[test]
fn json_output_lists_the_diagnostics_and_fail_on_sets_the_exit_code() {
    let warning_only = "ALTER TABLE users DROP COLUMN fax;\n";
    let out = astrola(&["lint", "-", "--format", "json"], Some(warning_only));
    assert_eq!(out.status.code(), Some(0), "a warning does not fail at the default --fail-on error");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(1), "{json}");
    assert_eq!(json[0]["rule"], "drop-column");
    assert_eq!(json[0]["severity"], "warning");
    assert_eq!(json[0]["span"]["file"], "<stdin>");
    assert_eq!(json[0]["span"]["line"], 1);
    let out = astrola(&["lint", "-", "--fail-on", "warning"], Some(warning_only));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn clean_input_exits_0_with_no_output() {
    let out = astrola(&["lint", "-"], Some("CREATE TABLE t (id bigint PRIMARY KEY);\nCREATE INDEX t_id ON t (id);\n"));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn pg_version_changes_the_findings() {
    let sql = "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';\n";
    assert_eq!(astrola(&["lint", "-"], Some(sql)).status.code(), Some(0));
    let out = astrola(&["lint", "-", "--pg-version", "10"], Some(sql));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("error[add-column-volatile-default]"), "{}", text(&out.stdout));
}

#[test]
fn syntax_errors_are_findings_and_linting_goes_on() {
    let out = astrola(&["lint", "-"], Some("CREATE TABLEX t (id int8);\nDROP INDEX users_email;\n"));
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("error[syntax-error]: syntax error at or near \"TABLEX\""), "{stdout}");
    assert!(stdout.contains("error[drop-index-non-concurrently]"), "{stdout}");
}

#[test]
fn usage_and_read_errors_exit_2() {
    assert_eq!(astrola(&["lint"], None).status.code(), Some(2));
    assert_eq!(astrola(&["lint", "-", "--fail-on", "fatal"], Some("")).status.code(), Some(2));
    assert_eq!(astrola(&["lint", "-", "-"], Some("")).status.code(), Some(2));
    let out = astrola(&["lint", "/nonexistent/migration.sql"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/migration.sql"), "{}", text(&out.stderr));
}

#[test]
fn sarif_and_github_outputs_name_the_rule_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("001.sql");
    std::fs::write(&path, MIGRATION).expect("writes");
    let file = path.to_str().expect("utf8");

    let out = astrola(&["lint", file, "--format", "sarif"], None);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let rules: Vec<&str> = results.iter().filter_map(|r| r["ruleId"].as_str()).collect();
    assert_eq!(rules, ["create-index-non-concurrently", "drop-column"]);
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);

    let out = astrola(&["lint", file, "--format", "github"], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("::error file=") && lines[0].contains(",line=3,col=1,") && lines[0].contains("title=create-index-non-concurrently::"), "{stdout}");
    assert!(lines[1].starts_with("::warning file=") && lines[1].contains("title=drop-column::"), "{stdout}");
}

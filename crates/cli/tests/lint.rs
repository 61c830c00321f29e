//! End-to-end tests of `astrola lint`: output formats and exit codes (0
//! nothing at or above --fail-on, 1 findings, 2 usage or input error).

use std::io::Write;
use std::process::{Command, Output, Stdio};

const MIGRATION: &str = "SET lock_timeout = '2s';\nCREATE TABLE teams (id bigint PRIMARY KEY, name text);\nCREATE INDEX teams_name ON teams (name);\nCREATE INDEX users_email ON users (email);\nALTER TABLE users DROP COLUMN fax;\n";

fn astrola(args: &[&str], stdin: Option<&str>) -> Output {
    astrola_in(None, args, stdin)
}

/// Runs astrola in `dir` (default: a directory with no astrola.toml above it).
fn astrola_in(dir: Option<&std::path::Path>, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_astrola"));
    command.args(args);
    match dir {
        Some(dir) => command.current_dir(dir),
        // The repository has no astrola.toml; /tmp's parents have none either.
        None => command.current_dir(std::env::temp_dir()),
    };
    let mut child = command
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
    assert!(stdout.contains(&format!("--> {}:4:1", path.display())), "{stdout}");
    assert!(stdout.contains("4 | CREATE INDEX users_email ON users (email);\n  | ^^^^"), "{stdout}");
    assert!(stdout.contains("= help: use CREATE INDEX CONCURRENTLY"), "{stdout}");
    assert!(stdout.contains("warning[drop-column]"), "{stdout}");
    assert!(!stdout.contains("teams"), "no finding on a table created in the migration: {stdout}");
    assert!(stdout.ends_with("2 finding(s) in 1 file(s)\n"), "{stdout}");
}

#[test]
fn json_output_lists_the_diagnostics_and_fail_on_sets_the_exit_code() {
    let warning_only = "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN fax;\n";
    let out = astrola(&["lint", "-", "--format", "json"], Some(warning_only));
    assert_eq!(out.status.code(), Some(0), "a warning does not fail at the default --fail-on error");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(1), "{json}");
    assert_eq!(json[0]["rule"], "drop-column");
    assert_eq!(json[0]["severity"], "warning");
    assert_eq!(json[0]["span"]["file"], "<stdin>");
    assert_eq!(json[0]["span"]["line"], 2);
    let out = astrola(&["lint", "-", "--fail-on", "warning"], Some(warning_only));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn clean_input_exits_0_with_no_output() {
    let out = astrola(&["lint", "-"], Some("CREATE TABLE t (id bigint PRIMARY KEY, name text);\nCREATE INDEX t_name ON t (name);\n"));
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
    assert_eq!(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 4);

    let out = astrola(&["lint", file, "--format", "github"], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("::error file=") && lines[0].contains(",line=4,col=1,") && lines[0].contains("title=create-index-non-concurrently::"), "{stdout}");
    assert!(lines[1].starts_with("::warning file=") && lines[1].contains("title=drop-column::"), "{stdout}");
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writes");
    path.to_str().expect("utf8").to_string()
}

#[test]
fn astrola_toml_is_found_by_walking_up_and_its_settings_apply() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nested = dir.path().join("db/migrations");
    std::fs::create_dir_all(&nested).expect("mkdir");
    write(dir.path(), "astrola.toml", "fail_on = \"warning\"\n[rules]\ndisable = [\"create-index-non-concurrently\"]\n");
    let file = write(&nested, "1.sql", MIGRATION);
    let out = astrola_in(Some(&nested), &["lint", &file, "--format", "json"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rules: Vec<&str> = json.as_array().expect("array").iter().filter_map(|d| d["rule"].as_str()).collect();
    assert!(!rules.contains(&"create-index-non-concurrently"), "{rules:?}");
    assert!(rules.contains(&"drop-column"), "{rules:?}");
    assert_eq!(out.status.code(), Some(1), "fail_on = warning makes the drop-column warning fail the run");
    // The command line wins over the file; --no-config ignores it.
    let out = astrola_in(Some(&nested), &["lint", &file, "--fail-on", "error", "--no-config", "--format", "json"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(json.as_array().expect("array").iter().any(|d| d["rule"] == "create-index-non-concurrently"));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_bad_config_is_a_usage_error_naming_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "astrola.toml", "pg_version = 15\n[rules]\ndisable = [\"create-index-concurrently\"]\n");
    let out = astrola_in(Some(dir.path()), &["lint", "-"], Some("SELECT 1;"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("astrola.toml:3:12: unknown rule `create-index-concurrently`"), "{stderr}");
    write(dir.path(), "astrola.toml", "pg_versoin = 15\n");
    let stderr = text(&astrola_in(Some(dir.path()), &["lint", "-"], Some("SELECT 1;")).stderr);
    assert!(stderr.contains("astrola.toml:1:1") && stderr.contains("pg_versoin"), "{stderr}");
}

#[test]
fn fix_applies_the_safe_fixes_and_reports_what_is_left() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "2.sql", "CREATE INDEX users_email ON users (email);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP COLUMN fax;\n");
    let out = astrola(&["lint", &file, "--fix", "--format", "json"], None);
    let fixed = std::fs::read_to_string(&file).expect("reads");
    assert!(fixed.starts_with("SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n"), "{fixed}");
    assert!(fixed.contains("CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;"), "{fixed}");
    assert!(text(&out.stderr).contains("applied 3 fix(es)"), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rules: Vec<&str> = json.as_array().expect("array").iter().filter_map(|d| d["rule"].as_str()).collect();
    assert!(!rules.contains(&"create-index-non-concurrently") && !rules.contains(&"set-not-null"), "{rules:?}");
    assert!(rules.contains(&"drop-column"), "no fix for a drop: {rules:?}");
}

#[test]
fn a_migration_directory_is_linted_in_order_against_what_earlier_files_created() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "V1__users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_id ON users (id);\n");
    write(dir.path(), "V2__index.sql", "CREATE INDEX users_email ON users (email);\n");
    let out = astrola(&["lint", dir.path().to_str().expect("utf8"), "--format", "json"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let found: Vec<(String, String)> = json.as_array().expect("array").iter().map(|d| (d["rule"].as_str().unwrap_or("").to_string(), d["span"]["file"].as_str().unwrap_or("").to_string())).collect();
    let index: Vec<_> = found.iter().filter(|(r, _)| r == "create-index-non-concurrently").collect();
    assert_eq!(index.len(), 1, "only V2 indexes a table that already exists: {found:?}");
    assert!(index[0].1.ends_with("V2__index.sql"), "{found:?}");
}

#[test]
fn schema_and_stats_inform_the_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let schema = write(dir.path(), "schema.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n");
    let stats = write(dir.path(), "stats.json", "{\"tables\": {\"public.users\": {\"rows\": 48000000, \"bytes\": 9663676416}}}");
    let migration = "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n";
    let out = astrola(&["lint", "-", "--schema", &schema, "--stats", &stats, "--format", "json"], Some(migration));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let all = json.as_array().expect("array");
    let fk = all.iter().find(|d| d["rule"] == "add-foreign-key-without-not-valid").expect("fk finding");
    // The referenced columns come from the schema's primary key.
    assert_eq!(fk["validation"], "SELECT count(*) FROM orders AS c WHERE c.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users AS p WHERE p.id = c.user_id);");
    let not_null = all.iter().find(|d| d["rule"] == "set-not-null").expect("set-not-null finding");
    assert!(not_null["message"].as_str().unwrap_or("").ends_with(": locks a table of 48M rows (9.0 GB)"), "{not_null}");
    let bad = write(dir.path(), "bad.json", "{\"tables\": {\"users\": {\"row\": 1}}}");
    let out = astrola(&["lint", "-", "--stats", &bad], Some(migration));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad.json:1:") && text(&out.stderr).contains("row"), "{}", text(&out.stderr));
}

#[test]
fn from_and_to_lint_the_migration_the_diff_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = write(dir.path(), "from.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text, fax text);\n");
    let to = write(dir.path(), "to.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE INDEX users_email ON users (email);\n");
    let out = astrola(&["lint", "--from", &from, "--to", &to, "--format", "json"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rules: Vec<&str> = json.as_array().expect("array").iter().filter_map(|d| d["rule"].as_str()).collect();
    for rule in ["drop-column", "set-not-null"] {
        assert!(rules.contains(&rule), "{rule} missing from {rules:?}");
    }
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn list_rules_prints_every_rule() {
    let out = astrola(&["lint", "--list-rules"], None);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), astrola_rule_count(&stdout));
    assert!(stdout.lines().any(|l| l.starts_with("set-not-null ") && l.contains("Locking") && l.ends_with("error")), "{stdout}");
}

/// The number of rule lines: each starts with a kebab-case id.
fn astrola_rule_count(stdout: &str) -> usize {
    stdout.lines().filter(|l| l.split_whitespace().next().is_some_and(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-'))).count()
}

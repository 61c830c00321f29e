//! End-to-end tests of `astrola inspect`: the binary, its streams and its exit
//! codes (0 success, 2 usage or input error).
//!
//! The expected output is what the library itself produces for the same
//! input, so these tests check the CLI's plumbing (reading files, directories,
//! stdin and JSON; replay order; error reporting), not the frontends.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use astrola_core::{parse_sql, parse_sql_named, render_sql, Dialect, QualifiedName, Schema};

const USERS: &str = "CREATE TABLE users (id serial PRIMARY KEY, email varchar(255) NOT NULL);\n";

/// Runs `astrola` with `args`, feeding `stdin` (or nothing).
fn astrola<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>, stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_astrola"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("astrola starts");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // The process may exit before reading (a usage error); that is the
        // test's business, not a reason to fail here.
        let _ = pipe.write_all(text.as_bytes());
    }
    child.wait_with_output().expect("astrola runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts exit status 0 and returns stdout.
#[track_caller]
fn success(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "expected success; stderr:\n{}",
        stderr(output)
    );
    stdout(output)
}

/// Asserts exit status 2 (usage or input error), no output, no panic, and
/// returns stderr.
#[track_caller]
fn input_error(output: &Output) -> String {
    let err = stderr(output);
    assert_eq!(
        output.status.code(),
        Some(2),
        "expected exit 2; stdout:\n{}\nstderr:\n{err}",
        stdout(output)
    );
    assert!(
        output.stdout.is_empty(),
        "nothing on stdout on error, got:\n{}",
        stdout(output)
    );
    assert!(
        !err.contains("panicked"),
        "an input error is reported, not a panic:\n{err}"
    );
    assert!(err.starts_with("error: "), "the error is on stderr:\n{err}");
    err
}

/// What `inspect` prints for `sql`: the library's canonical rendering, with
/// a final newline.
fn rendered(sql: &str, dialect: Dialect) -> String {
    let schema = parse_sql(sql, dialect).expect("the test SQL parses").schema;
    with_newline(render_sql(&schema))
}

fn with_newline(mut text: String) -> String {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test file");
    path
}

fn column_names(schema: &Schema, table: &str) -> Vec<String> {
    let table = &schema.tables[&QualifiedName::new("public", table)];
    table.columns.iter().map(|c| c.name.clone()).collect()
}

#[test]
fn stdin_sql_prints_the_canonical_sql() {
    let out = astrola(["inspect", "-"], Some(USERS));
    assert_eq!(success(&out), rendered(USERS, Dialect::Postgres));
    assert_eq!(stderr(&out), "", "no warnings for plain DDL");
    assert!(stdout(&out).contains("users"));
}

#[test]
fn text_is_an_alias_of_sql_and_sql_is_the_default() {
    let default = success(&astrola(["inspect", "-"], Some(USERS)));
    assert_eq!(
        success(&astrola(["inspect", "--format", "sql", "-"], Some(USERS))),
        default
    );
    assert_eq!(
        success(&astrola(["inspect", "--format", "text", "-"], Some(USERS))),
        default
    );
}

#[test]
fn json_output_reads_back_as_the_same_schema() {
    let json = success(&astrola(["inspect", "--format", "json", "-"], Some(USERS)));
    let schema = Schema::from_json(&json).expect("inspect --format json writes a schema JSON");
    assert_eq!(
        schema,
        parse_sql(USERS, Dialect::Postgres).expect("parses").schema
    );
    assert_eq!(column_names(&schema, "users"), ["id", "email"]);
}

#[test]
fn json_round_trip_gives_the_same_sql() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sql_file = write(dir.path(), "schema.sql", USERS);
    let direct = success(&astrola(
        [OsStr::new("inspect"), sql_file.as_os_str()],
        None,
    ));

    // inspect --format json | inspect -
    let json = success(&astrola(
        [
            OsStr::new("inspect"),
            OsStr::new("--format"),
            OsStr::new("json"),
            sql_file.as_os_str(),
        ],
        None,
    ));
    assert_eq!(success(&astrola(["inspect", "-"], Some(&json))), direct);

    // ... and from a .json file, with JSON out again unchanged.
    let json_file = write(dir.path(), "schema.json", &json);
    assert_eq!(
        success(&astrola(
            [OsStr::new("inspect"), json_file.as_os_str()],
            None
        )),
        direct
    );
    let again = success(&astrola(
        [
            OsStr::new("inspect"),
            OsStr::new("--format"),
            OsStr::new("json"),
            json_file.as_os_str(),
        ],
        None,
    ));
    assert_eq!(again, json);
}

#[test]
fn a_schema_json_carries_its_own_dialect() {
    let sqlite = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n";
    let json = success(&astrola(
        ["inspect", "--dialect", "sqlite", "--format", "json", "-"],
        Some(sqlite),
    ));
    assert_eq!(
        Schema::from_json(&json).expect("schema JSON").dialect,
        Dialect::Sqlite
    );
    // No --dialect: the JSON's own dialect renders it.
    assert_eq!(
        success(&astrola(["inspect", "-"], Some(&json))),
        rendered(sqlite, Dialect::Sqlite)
    );
    // A --dialect that contradicts the JSON is a usage error.
    let err = input_error(&astrola(
        ["inspect", "--dialect", "postgres", "-"],
        Some(&json),
    ));
    assert!(err.contains("sqlite") && err.contains("postgres"), "{err}");
}

#[test]
fn migration_directory_replays_in_version_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).expect("mkdir");
    let v1 = "CREATE TABLE users (id integer PRIMARY KEY);\n";
    let v2 = "ALTER TABLE users ADD COLUMN email text;\n";
    let v10 = "ALTER TABLE users ADD COLUMN name text;\n";
    // Written out of order; V10 must come after V2 (numeric, not lexical).
    write(&migrations, "V10__add_name.sql", v10);
    write(&migrations, "V1__create_users.sql", v1);
    write(&migrations, "V2__add_email.sql", v2);
    // Neither of these is replayed: an undo migration and a non-SQL file.
    write(&migrations, "U2__undo_email.sql", "DROP TABLE users;\n");
    std::fs::write(migrations.join("README.md"), b"\xff not even UTF-8").expect("write");
    std::fs::create_dir(migrations.join("V3__a_directory.sql")).expect("mkdir");

    let json = success(&astrola(
        [
            OsStr::new("inspect"),
            OsStr::new("--format"),
            OsStr::new("json"),
            migrations.as_os_str(),
        ],
        None,
    ));
    let schema = Schema::from_json(&json).expect("schema JSON");
    assert_eq!(column_names(&schema, "users"), ["id", "email", "name"]);

    let concatenated = format!("{v1}{v2}{v10}");
    assert_eq!(
        schema.without_spans(),
        parse_sql(&concatenated, Dialect::Postgres)
            .expect("parses")
            .schema
            .without_spans()
    );
    assert_eq!(
        success(&astrola(
            [OsStr::new("inspect"), migrations.as_os_str()],
            None
        )),
        rendered(&concatenated, Dialect::Postgres)
    );
}

#[test]
fn several_inputs_are_replayed_in_order_into_one_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let create = write(
        dir.path(),
        "create.sql",
        "CREATE TABLE users (id integer PRIMARY KEY);\n",
    );
    let alter = write(
        dir.path(),
        "alter.sql",
        "ALTER TABLE users ADD COLUMN email text;\n",
    );
    let out = success(&astrola(
        [OsStr::new("inspect"), create.as_os_str(), alter.as_os_str()],
        None,
    ));
    assert_eq!(out, rendered("CREATE TABLE users (id integer PRIMARY KEY);\nALTER TABLE users ADD COLUMN email text;\n", Dialect::Postgres));

    // stdin and a directory can be mixed with files.
    let migrations = dir.path().join("more");
    std::fs::create_dir(&migrations).expect("mkdir");
    write(
        &migrations,
        "001_name.sql",
        "ALTER TABLE users ADD COLUMN name text;\n",
    );
    let json = success(&astrola(
        [
            OsStr::new("inspect"),
            OsStr::new("--format"),
            OsStr::new("json"),
            create.as_os_str(),
            OsStr::new("-"),
            migrations.as_os_str(),
        ],
        Some("ALTER TABLE users ADD COLUMN email text;\n"),
    ));
    assert_eq!(
        column_names(&Schema::from_json(&json).expect("schema JSON"), "users"),
        ["id", "email", "name"]
    );

    // The other way round, the ALTER finds no table: an input error naming
    // the file.
    let err = input_error(&astrola(
        [OsStr::new("inspect"), alter.as_os_str(), create.as_os_str()],
        None,
    ));
    assert!(err.contains("alter.sql:1:"), "{err}");
}

#[test]
fn syntax_error_exits_2_with_file_line_column_and_statement() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = write(
        dir.path(),
        "bad.sql",
        "CREATE TABLE ok (id integer);\n\nCREATE TABLE broken (id integer,, name text);\n",
    );
    let err = input_error(&astrola([OsStr::new("inspect"), bad.as_os_str()], None));
    let location = format!("{}:3:", bad.display());
    assert!(
        err.contains(&location),
        "expected {location}<column> in:\n{err}"
    );
    let column = err
        .split(&location)
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next());
    assert!(
        column.is_some_and(|c| c.parse::<usize>().is_ok_and(|c| c >= 1)),
        "a column follows the line:\n{err}"
    );
    assert!(
        err.contains("CREATE TABLE broken (id integer,, name text)"),
        "the statement is quoted:\n{err}"
    );
}

#[test]
fn syntax_error_in_a_migration_names_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "0001_create.sql",
        "CREATE TABLE users (id integer PRIMARY KEY);\n",
    );
    write(
        dir.path(),
        "0002_broken.sql",
        "ALTER TABLE users ADD COLUMN;\n",
    );
    let err = input_error(&astrola(
        [OsStr::new("inspect"), dir.path().as_os_str()],
        None,
    ));
    assert!(err.contains("0002_broken.sql:1:"), "{err}");
    assert!(err.contains("ALTER TABLE users ADD COLUMN"), "{err}");
}

#[test]
fn unmanaged_statements_warn_on_stderr_and_exit_0() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sql = "CREATE TABLE t (id integer);\nCREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq);\n";
    let file = write(dir.path(), "ops.sql", sql);
    let name = file.display().to_string();
    let expected = parse_sql_named(sql, Dialect::Postgres, &name)
        .expect("parses")
        .warnings;
    assert!(
        !expected.is_empty(),
        "CREATE OPERATOR is not modelled, so it is kept as unmanaged with a warning"
    );

    let out = astrola([OsStr::new("inspect"), file.as_os_str()], None);
    success(&out);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    let expected: Vec<String> = expected.iter().map(ToString::to_string).collect();
    assert_eq!(lines, expected);
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with(&format!("{name}:")) && l.contains(": warning: ")),
        "{err}"
    );
}

#[test]
fn missing_file_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.sql");
    let err = input_error(&astrola([OsStr::new("inspect"), missing.as_os_str()], None));
    assert!(err.contains("missing.sql"), "{err}");
}

#[test]
fn bogus_dialect_exits_2() {
    let out = astrola(["inspect", "--dialect", "bogus", "-"], Some(USERS));
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("bogus"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    assert_eq!(
        astrola::<&str>([], None).status.code(),
        Some(2),
        "no subcommand"
    );
    assert_eq!(
        astrola(["inspect"], None).status.code(),
        Some(2),
        "no SCHEMA"
    );
    assert_eq!(
        astrola(["inspect", "--format", "yaml", "-"], Some(USERS))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(astrola(["frobnicate"], None).status.code(), Some(2));
    let help = astrola(["inspect", "--help"], None);
    assert!(success(&help).contains("--dialect"));
}

#[test]
fn malformed_json_exits_2() {
    let err = input_error(&astrola(["inspect", "-"], Some("{ \"format\": ")));
    assert!(
        err.contains("<stdin>") && err.contains("JSON") && err.contains("line"),
        "{err}"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "schema.json",
        "{\"format\": 1, \"dialect\": \"postgres\", \"tablez\": {}}",
    );
    let err = input_error(&astrola([OsStr::new("inspect"), file.as_os_str()], None));
    assert!(
        err.contains("schema.json") && err.contains("tablez"),
        "{err}"
    );
}

#[test]
fn a_schema_json_must_be_the_only_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = write(
        dir.path(),
        "schema.json",
        &Schema::new(Dialect::Postgres).to_json(),
    );
    let sql = write(dir.path(), "more.sql", USERS);
    let err = input_error(&astrola(
        [OsStr::new("inspect"), json.as_os_str(), sql.as_os_str()],
        None,
    ));
    assert!(err.contains("schema.json") && err.contains("only"), "{err}");
}

#[test]
fn stdin_can_be_given_only_once() {
    let err = input_error(&astrola(["inspect", "-", "-"], Some(USERS)));
    assert!(err.contains("stdin"), "{err}");
}

/// The commands in the README's CLI quickstart, run from the repository root.
#[test]
fn readme_quickstart_commands_work() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_astrola"))
            .args(args)
            .current_dir(&root)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("astrola starts");
        if let Some(text) = stdin {
            let _ = child
                .stdin
                .take()
                .expect("stdin is piped")
                .write_all(text.as_bytes());
        }
        child.wait_with_output().expect("astrola runs")
    };
    let danbooru = "../shared/corpus/schemas/danbooru/structure.sql";
    let sql = success(&run(&["inspect", danbooru], None));
    assert!(sql.contains("CREATE TABLE"));
    let json = success(&run(&["inspect", "--format", "json", danbooru], None));
    assert_eq!(success(&run(&["inspect", "-"], Some(&json))), sql);

    let migrations = success(&run(&["inspect", "examples/migrations"], None));
    assert!(migrations.contains("CREATE TABLE"));
}

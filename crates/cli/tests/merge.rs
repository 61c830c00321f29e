//! End-to-end tests of `astrola merge`: output formats, conflict markers,
//! migration histories and exit codes (0 clean, 1 conflicts, 2 bad input).

mod common;

use std::path::Path;
use std::process::Output;

use common::{text, write};

const BASE: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100));\n";
const OURS: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n";
const THEIRS_CLEAN: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100));\nCREATE TABLE teams (id bigint PRIMARY KEY);\n";
const THEIRS_CONFLICT: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(320));\n";

fn astrola(args: &[&str]) -> Output {
    common::astrola(args, None)
}

fn three(dir: &Path, theirs: &str) -> [String; 3] {
    [write(dir, "base.sql", BASE), write(dir, "ours.sql", OURS), write(dir, "theirs.sql", theirs)].map(|p| p.to_str().expect("utf8").to_string())
}

#[test]
fn a_clean_merge_prints_the_migration_and_exits_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [b, o, t] = three(dir.path(), THEIRS_CLEAN);
    let out = astrola(&["merge", &b, &o, &t, "--format", "sql"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "CREATE TABLE public.teams (\n    id bigint NOT NULL\n);\nALTER TABLE public.teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id);\n");
    let out = astrola(&["merge", &b, &o, &t]);
    assert_eq!(out.status.code(), Some(0));
    let report = text(&out.stdout);
    assert!(report.starts_with("The branches merge cleanly.\n"), "{report}");
    assert!(report.contains("CREATE TABLE public.teams"), "{report}");
}

#[test]
fn conflicts_exit_1_side_by_side_in_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [b, o, t] = three(dir.path(), THEIRS_CONFLICT);
    let out = astrola(&["merge", &b, &o, &t]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(report.starts_with("1 conflict(s):\n\n1. incompatible column public.users.email\n"), "{report}");
    let header = report.lines().nth(3).expect("a header line");
    assert!(header.starts_with("base ") && header.contains(" | ours ") && header.ends_with("| theirs"), "{header}");
    assert!(report.contains("text"), "{report}");
    assert!(report.contains("character varying(320)"), "{report}");
    assert!(text(&out.stderr).contains("incompatible column public.users.email"));
}

#[test]
fn json_is_the_library_merge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [b, o, t] = three(dir.path(), THEIRS_CONFLICT);
    let out = astrola(&["merge", &b, &o, &t, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(value["format"], 1);
    assert_eq!(value["conflicts"][0]["kind"], "incompatible");
    assert_eq!(value["conflicts"][0]["object"], "public.users.email");
    assert_eq!(value["conflicts"][0]["ours_sql"], "ALTER TABLE public.users ALTER COLUMN email TYPE text;\n");
    assert!(value["changes"]["statements"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn markers_wrap_both_sides_statements() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [b, o, t] = three(dir.path(), THEIRS_CONFLICT);
    let out = astrola(&["merge", &b, &o, &t, "--format", "sql", "--markers"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "<<<<<<< ours: column public.users.email (incompatible)\nALTER TABLE public.users ALTER COLUMN email TYPE text;\n=======\nALTER TABLE public.users ALTER COLUMN email TYPE character varying(320);\n>>>>>>> theirs\n"
    );
    let out = astrola(&["merge", &b, &o, &t, "--markers"]);
    assert_eq!(out.status.code(), Some(2), "--markers needs --format sql");
}

#[test]
fn bad_input_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [b, o, _] = three(dir.path(), THEIRS_CLEAN);
    let bad = write(dir.path(), "bad.sql", "CREATE TABLE (;");
    assert_eq!(astrola(&["merge", &b, &o, bad.to_str().expect("utf8")]).status.code(), Some(2));
    assert_eq!(astrola(&["merge", &b, &o]).status.code(), Some(2));
    assert_eq!(astrola(&["merge", &b, &o, "/nonexistent/x.sql"]).status.code(), Some(2));
    assert_eq!(astrola(&["merge", "--history", &b, &o]).status.code(), Some(2), "files are not directories");
}

#[test]
fn diverged_histories_are_renumbered_when_they_commute() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ours, theirs) = (dir.path().join("ours"), dir.path().join("theirs"));
    for d in [&ours, &theirs] {
        std::fs::create_dir(d).expect("mkdir");
        write(d, "V1__init.sql", BASE);
    }
    write(&ours, "V2__email_text.sql", "ALTER TABLE users ALTER COLUMN email TYPE text;\n");
    write(&theirs, "V2__teams.sql", "CREATE TABLE teams (id bigint PRIMARY KEY);\n");
    let (o, t) = (ours.to_str().expect("utf8"), theirs.to_str().expect("utf8"));
    let out = astrola(&["merge", "--history", o, t]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(report.contains("shared prefix: V1__init.sql\nours only:     V2__email_text.sql\ntheirs only:   V2__teams.sql\n"), "{report}");
    assert!(report.contains("  V1__init.sql\n  V2__email_text.sql\n  V3__teams.sql   (renamed from V2__teams.sql)\n"), "{report}");
    write(&theirs, "V3__email.sql", "ALTER TABLE users ALTER COLUMN email TYPE varchar(320);\n");
    let out = astrola(&["merge", "--history", o, t, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(value["diverged"], true);
    assert_eq!(value["commute"], false);
    assert_eq!(value["merge"]["conflicts"][0]["object"], "public.users.email");
}

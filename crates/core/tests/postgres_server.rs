//! The real-server test of the PostgreSQL frontend.
//!
//! For every `current` and `desired` schema in the sqldef corpus
//! (`../shared/corpus/sqldef/psqldef/*.yml`) that PostgreSQL itself accepts:
//! load it into a fresh database on the local server, dump it with
//! `pg_dump --schema-only`, and parse both the original SQL and the dump.
//! Every accepted SQL must parse, and the two models must be equal in at
//! least 97% of the cases. The cases where they differ are listed, each with
//! its reason, in `tests/postgres_server_exclusions.txt`; the test fails on a
//! difference that is not listed, and on a listed case that now agrees.
//!
//! The server must be running (127.0.0.1:5432, user `postgres`, trust auth):
//! this test fails, it never skips, when it is not.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use astrola_core::{parse_sql, Dialect, Schema};
use common::postgres::{Database, Server};

/// One distinct SQL text from the corpus and where it occurs.
struct Input {
    sql: String,
    /// `file.yml:CaseName:current|desired` for each occurrence.
    uses: Vec<String>,
}

#[derive(Default)]
struct Outcome {
    rejected_by_server: usize,
    parse_failures: Vec<(String, String)>,
    agree: usize,
    differ: Vec<(String, String)>,
    unmanaged: BTreeMap<String, usize>,
}

fn corpus_inputs() -> Vec<Input> {
    let mut by_text: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (file, cases) in common::sqldef_cases("psqldef") {
        for (name, case) in cases {
            for (field, sql) in [("current", &case.current), ("desired", &case.desired)] {
                if let Some(sql) = sql.as_ref().filter(|s| !s.trim().is_empty()) {
                    by_text.entry(sql.clone()).or_default().push(format!("{file}:{name}:{field}"));
                }
            }
        }
    }
    by_text.into_iter().map(|(sql, uses)| Input { sql, uses }).collect()
}

/// What pg_dump adds that the source SQL cannot carry: the comments that
/// extensions install on themselves from their control files.
fn without_server_defaults(mut s: Schema) -> Schema {
    for e in s.extensions.values_mut() {
        e.comment = None;
    }
    s.without_spans()
}

/// A short, readable description of how two models differ.
fn describe_difference(a: &Schema, b: &Schema) -> String {
    let a = a.to_json();
    let b = b.to_json();
    let al: Vec<&str> = a.lines().collect();
    let bl: Vec<&str> = b.lines().collect();
    let first = al.iter().zip(&bl).position(|(x, y)| x != y).unwrap_or(al.len().min(bl.len()));
    let from = first.saturating_sub(3);
    format!(
        "source: {}\n    dump:   {}",
        al.get(from..(first + 2).min(al.len())).unwrap_or(&[]).join(" "),
        bl.get(from..(first + 2).min(bl.len())).unwrap_or(&[]).join(" ")
    )
}

#[test]
fn models_from_source_and_from_pg_dump_agree() {
    let server = Server::connect().unwrap_or_else(|e| panic!("{e}"));
    let inputs = corpus_inputs();
    assert!(inputs.len() > 500, "the sqldef corpus should hold hundreds of schemas, found {}", inputs.len());
    let outcome = Mutex::new(Outcome::default());
    let next = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                // One database per worker, reset before each text: creating
                // a database forces a checkpoint, which is slow.
                let db = Database::create(&server).unwrap_or_else(|e| panic!("{e}"));
                loop {
                let i = {
                    let mut n = next.lock().unwrap_or_else(|e| e.into_inner());
                    let i = *n;
                    *n += 1;
                    i
                };
                let Some(input) = inputs.get(i) else { break };
                let result = check_one(&db, &input.sql);
                let mut o = outcome.lock().unwrap_or_else(|e| e.into_inner());
                let label = input.uses[0].clone();
                match result {
                    Check::Rejected => o.rejected_by_server += 1,
                    Check::ParseFailed(e) => o.parse_failures.push((label, e)),
                    Check::Agree(unmanaged) => {
                        o.agree += 1;
                        for u in unmanaged {
                            *o.unmanaged.entry(u).or_default() += 1;
                        }
                    }
                    Check::Differ(d, unmanaged) => {
                        o.differ.push((label, d));
                        for u in unmanaged {
                            *o.unmanaged.entry(u).or_default() += 1;
                        }
                    }
                }
                }
            });
        }
    });
    let o = outcome.into_inner().unwrap_or_else(|e| e.into_inner());
    let accepted = o.agree + o.differ.len() + o.parse_failures.len();
    println!("distinct SQL texts: {}, rejected by PostgreSQL: {}, accepted: {accepted}", inputs.len(), o.rejected_by_server);
    println!("parse failures on accepted SQL: {}", o.parse_failures.len());
    for (label, e) in &o.parse_failures {
        println!("  PARSE FAILURE {label}: {e}");
    }
    let rate = 100.0 * o.agree as f64 / accepted.max(1) as f64;
    println!("model(source) == model(pg_dump): {} of {accepted} ({rate:.1}%)", o.agree);
    println!("unmanaged statements in the accepted SQL, by kind: {:?}", o.unmanaged);
    let excluded = common::exclusions(include_str!("postgres_server_exclusions.txt"));
    let differing: BTreeSet<String> = o.differ.iter().map(|(l, _)| l.clone()).collect();
    let mut unexplained = Vec::new();
    for (label, d) in &o.differ {
        if !excluded.contains_key(label) {
            unexplained.push(format!("{label}\n    {d}"));
        }
    }
    let stale: Vec<&String> = excluded.keys().filter(|k| !differing.contains(*k)).collect();
    for (label, reason) in &excluded {
        if differing.contains(label) {
            println!("  EXCLUDED {label}: {reason}");
        }
    }
    assert!(o.parse_failures.is_empty(), "{} accepted SQL texts failed to parse", o.parse_failures.len());
    assert!(unexplained.is_empty(), "models differ in cases not listed in the exclusion file:\n{}", unexplained.join("\n"));
    assert!(stale.is_empty(), "listed as differing but now agree (remove them from the exclusion file): {stale:?}");
    assert!(rate >= 97.0, "agreement {rate:.1}% is below 97%");
}

enum Check {
    Rejected,
    ParseFailed(String),
    /// Agree, with the kinds of the unmanaged statements in the source.
    Agree(Vec<String>),
    /// Differ, with a description and the unmanaged statement kinds.
    Differ(String, Vec<String>),
}

fn check_one(db: &Database, sql: &str) -> Check {
    db.reset().unwrap_or_else(|e| panic!("reset: {e}"));
    if db.load(sql).is_err() {
        return Check::Rejected;
    }
    let source = match parse_sql(sql, Dialect::Postgres) {
        Ok(p) => p.schema,
        Err(e) => return Check::ParseFailed(e.to_string()),
    };
    let dump = db.dump().unwrap_or_else(|e| panic!("{e}"));
    let dumped = match parse_sql(&dump, Dialect::Postgres) {
        Ok(p) => p.schema,
        Err(e) => return Check::ParseFailed(format!("the dump does not parse: {e}")),
    };
    let (a, b) = (without_server_defaults(source), without_server_defaults(dumped));
    let unmanaged = a.unmanaged.iter().map(|u| u.kind.clone()).collect();
    if a == b {
        Check::Agree(unmanaged)
    } else {
        Check::Differ(describe_difference(&a, &b), unmanaged)
    }
}

/// GitLab's structure.sql: our rendering loads into an empty database with
/// no error, and inspecting `pg_dump` of that database renders the same DDL,
/// byte for byte, with all 1,401 tables and 4,630 indexes.
#[test]
fn gitlab_rendering_loads_and_survives_a_dump() {
    let server = Server::connect().unwrap_or_else(|e| panic!("{e}"));
    let path = common::corpus_dir().join("schemas/gitlab/structure.sql");
    let sql = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema = parse_sql(&sql, Dialect::Postgres).unwrap_or_else(|e| panic!("{e}")).schema;
    let rendered = astrola_core::render_sql(&schema);
    let db = Database::create(&server).unwrap_or_else(|e| panic!("{e}"));
    db.load(&rendered).unwrap_or_else(|e| panic!("the rendered GitLab schema does not load: {e}"));
    let dump = db.dump().unwrap_or_else(|e| panic!("{e}"));
    // pg_dump adds the comment each extension installs on itself (see
    // without_server_defaults); GitLab's file has none.
    let from_dump = without_server_defaults(parse_sql(&dump, Dialect::Postgres).unwrap_or_else(|e| panic!("{e}")).schema);
    assert_eq!(from_dump.tables.len(), 1401);
    assert_eq!(from_dump.indexes.len(), 4630);
    let rendered_again = astrola_core::render_sql(&from_dump);
    if rendered_again != rendered {
        let first = rendered.lines().zip(rendered_again.lines()).position(|(a, b)| a != b);
        let dir = std::env::temp_dir();
        let _ = std::fs::write(dir.join("astrola_gitlab_rendered.sql"), &rendered);
        let _ = std::fs::write(dir.join("astrola_gitlab_rendered_again.sql"), &rendered_again);
        panic!("the DDL differs after a trip through the server, first at line {first:?} (both written to {})", dir.display());
    }
}

//! The real-engine oracle of the SQLite diff (rusqlite, bundled SQLite).
//!
//! For each case of `../shared/corpus/sqldef/sqlite3def/*.yml` whose SQL
//! SQLite accepts: load `current` into an in-memory database, apply
//! `diff(current, desired)` (with `--allow-destructive` unless the case says
//! `enable_drop: false`), read the schema back from `sqlite_schema`, and
//! compare its model with the model of `desired` loaded directly into
//! another in-memory database and read back the same way. The migrated
//! database must also pass `PRAGMA foreign_key_check` and `PRAGMA
//! integrity_check`. Then diff again, from the migrated database's model to
//! `desired`, and expect an empty plan.
//!
//! With `enable_drop: false` the refused changes are expected to remain: the
//! second diff must hold exactly the destructive changes, and nothing else.
//!
//! Normalisations, each for something the engine itself does:
//!
//! - Names are compared without case (tables, views, indexes, the tables
//!   they are on, foreign key targets, constraints). SQLite identifiers are
//!   case-insensitive and a table keeps the spelling it was created with:
//!   renaming `USERS` to `users` is an error ("there is already another
//!   table or index with this name"), so a migrated `USERS` and a freshly
//!   created `users` are the same table. Constraint names follow, since
//!   unnamed constraints are named after their table.
//! - `sqlite_sequence` is left out: SQLite creates it with the first
//!   `AUTOINCREMENT` table and never drops it.
//! - Unmanaged statements (triggers) are compared as a set: `sqlite_schema`
//!   lists objects in the order they were created, which a migration
//!   changes.
//!
//! The cases that fail are listed, each with its reason, in
//! `tests/sqlite_oracle_exclusions.txt`; the test fails on a failure that
//! is not listed and on a listed case that passes.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};

use astrola_core::model::ConstraintKind;
use astrola_core::{parse_sql, rename_hints, Dialect, QualifiedName, Schema};
use astrola_diff::{diff, ChangeSet, DiffOptions};
use rusqlite::Connection;

enum Verdict {
    /// SQLite rejects `current` or `desired`: not a valid case.
    Invalid,
    Pass,
    Fail(String),
}

fn parse(sql: &str) -> Result<Schema, String> {
    parse_sql(sql, Dialect::Sqlite).map(|p| p.schema).map_err(|e| e.to_string())
}

/// The schema SQL SQLite stores, in creation order.
fn read_back(db: &Connection) -> String {
    let mut query = db.prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid").unwrap_or_else(|e| panic!("{e}"));
    let rows = query.query_map([], |r| r.get::<_, String>(0)).unwrap_or_else(|e| panic!("{e}"));
    rows.map(|r| r.unwrap_or_else(|e| panic!("{e}")) + ";\n").collect()
}

/// See the module documentation for each normalisation and its reason.
fn normalised(s: Schema) -> Schema {
    let mut s = s.without_spans();
    let key = |q: &QualifiedName| QualifiedName::new(q.schema.clone(), q.name.to_ascii_lowercase());
    s.tables = std::mem::take(&mut s.tables)
        .into_iter()
        .filter(|(k, _)| !k.name.eq_ignore_ascii_case("sqlite_sequence"))
        .map(|(k, mut t)| {
            t.constraints = std::mem::take(&mut t.constraints)
                .into_iter()
                .map(|(n, mut c)| {
                    if let ConstraintKind::ForeignKey { ref_table, .. } = &mut c.kind {
                        *ref_table = key(ref_table);
                    }
                    (n.to_ascii_lowercase(), c)
                })
                .collect();
            (key(&k), t)
        })
        .collect();
    s.indexes = std::mem::take(&mut s.indexes)
        .into_iter()
        .map(|(k, mut i)| {
            i.table = key(&i.table);
            (key(&k), i)
        })
        .collect();
    s.views = std::mem::take(&mut s.views).into_iter().map(|(k, v)| (key(&k), v)).collect();
    s.unmanaged.sort_by(|a, b| a.sql.cmp(&b.sql));
    s
}

fn first_difference(a: &Schema, b: &Schema) -> String {
    let (a, b) = (a.to_json(), b.to_json());
    let al: Vec<&str> = a.lines().collect();
    let bl: Vec<&str> = b.lines().collect();
    let i = al.iter().zip(&bl).position(|(x, y)| x != y).unwrap_or(al.len().min(bl.len()));
    let from = i.saturating_sub(2);
    format!(
        "migrated: {}\n      desired:  {}",
        al.get(from..(i + 2).min(al.len())).unwrap_or(&[]).join(" "),
        bl.get(from..(i + 2).min(bl.len())).unwrap_or(&[]).join(" ")
    )
}

/// The rows of a PRAGMA, one string per row.
fn pragma_rows(db: &Connection, pragma: &str) -> Result<Vec<String>, String> {
    let mut query = db.prepare(pragma).map_err(|e| e.to_string())?;
    let columns = query.column_count();
    let rows = query
        .query_map([], |r| {
            (0..columns).map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}"))).collect::<Result<Vec<_>, _>>().map(|v| v.join("|"))
        })
        .map_err(|e| e.to_string())?;
    rows.collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())
}

fn kinds(plan: &ChangeSet) -> Vec<String> {
    plan.changes.iter().map(|c| format!("{} {}", c.change.kind(), c.object)).collect()
}

fn check(current: &str, desired: &str, allow_drop: bool) -> Verdict {
    let open = || Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let (migrated, direct) = (open(), open());
    if migrated.execute_batch(current).is_err() || direct.execute_batch(desired).is_err() {
        return Verdict::Invalid;
    }
    let (from, to) = match (parse(current), parse(desired)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Verdict::Fail(format!("parse: {e}")),
    };
    let options = DiffOptions { allow_destructive: allow_drop, renames: rename_hints(desired, Dialect::Sqlite) };
    let plan = match diff(&from, &to, &options) {
        Ok(p) => p,
        Err(e) => return Verdict::Fail(format!("diff: {e}")),
    };
    if !plan.unsupported.is_empty() || !plan.unmanaged.is_empty() {
        return Verdict::Fail(format!("diff cannot express: {:?} {:?}", plan.unsupported, plan.unmanaged));
    }
    let sql = plan.sql();
    if let Err(e) = migrated.execute_batch(&sql) {
        return Verdict::Fail(format!("the migration fails: {e}\n--- migration:\n{sql}"));
    }
    match (pragma_rows(&migrated, "PRAGMA foreign_key_check"), pragma_rows(&migrated, "PRAGMA integrity_check")) {
        (Ok(fk), Ok(integrity)) if fk.is_empty() && integrity == ["Text(\"ok\")"] => {}
        (fk, integrity) => return Verdict::Fail(format!("after migrating, foreign_key_check: {fk:?}, integrity_check: {integrity:?}\n--- migration:\n{sql}")),
    }
    let (after, wanted) = match (parse(&read_back(&migrated)), parse(&read_back(&direct))) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Verdict::Fail(format!("a read-back does not parse: {e}")),
    };
    let again = match diff(&after, &to, &DiffOptions { allow_destructive: true, renames: Vec::new() }) {
        Ok(p) => p,
        Err(e) => return Verdict::Fail(format!("second diff: {e}")),
    };
    if allow_drop {
        let (after, wanted) = (normalised(after), normalised(wanted));
        if after != wanted {
            return Verdict::Fail(format!("the migrated schema differs from desired\n      {}\n--- migration:\n{sql}", first_difference(&after, &wanted)));
        }
        if !again.is_empty() {
            return Verdict::Fail(format!("the second diff is not empty: {:?} {:?}\n{}", kinds(&again), again.unmanaged, again.sql()));
        }
    } else {
        let refused: BTreeSet<String> = plan.refused().map(|c| format!("{} {}", c.change.kind(), c.object)).collect();
        let left: BTreeSet<String> = kinds(&again).into_iter().collect();
        if refused != left || !again.unmanaged.is_empty() {
            return Verdict::Fail(format!("with drops refused, the changes left {left:?} are not the refused ones {refused:?}"));
        }
    }
    Verdict::Pass
}

#[test]
fn sqlite3def_cases_migrate_on_the_real_engine() {
    let mut cases = Vec::new();
    for (file, list) in common::sqldef_cases("sqlite3def") {
        for (name, case) in list {
            let Some(desired) = case.desired.clone() else { continue };
            if case.error.is_some() {
                continue;
            }
            cases.push((file.clone(), name, case.current.clone().unwrap_or_default(), desired, case.enable_drop.unwrap_or(true)));
        }
    }
    assert!(cases.len() > 50, "the sqlite3def corpus should hold dozens of cases, found {}", cases.len());
    let results: Vec<(String, String, Verdict)> =
        cases.iter().map(|(file, name, current, desired, allow)| (file.clone(), name.clone(), check(current, desired, *allow))).collect();
    let excluded = common::exclusions(include_str!("sqlite_oracle_exclusions.txt"));
    let mut per_file: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut unexplained = Vec::new();
    let mut failing = BTreeSet::new();
    let (mut valid, mut passed) = (0, 0);
    for (file, name, verdict) in &results {
        let label = format!("{file}:{name}");
        let entry = per_file.entry(file).or_default();
        match verdict {
            Verdict::Invalid => {}
            Verdict::Pass => {
                valid += 1;
                passed += 1;
                entry.0 += 1;
                entry.1 += 1;
            }
            Verdict::Fail(why) => {
                valid += 1;
                entry.1 += 1;
                failing.insert(label.clone());
                if !excluded.contains_key(&label) {
                    unexplained.push(format!("{label}: {why}"));
                }
            }
        }
    }
    println!(
        "sqlite3def cases: {}, valid on SQLite {}: {valid}, passed: {passed} ({:.1}%)",
        results.len(),
        rusqlite::version(),
        100.0 * passed as f64 / valid.max(1) as f64
    );
    for (file, (p, v)) in &per_file {
        println!("  {file}: {p}/{v} ({:.1}%)", 100.0 * *p as f64 / (*v).max(1) as f64);
    }
    unexplained.sort();
    for u in &unexplained {
        println!("FAIL {u}\n");
    }
    let stale: Vec<&String> = excluded.keys().filter(|k| !failing.contains(*k)).collect();
    assert!(unexplained.is_empty(), "{} cases fail and are not in the exclusion file", unexplained.len());
    assert!(stale.is_empty(), "listed as failing but now pass (remove them): {stale:?}");
    let rate = 100.0 * passed as f64 / valid.max(1) as f64;
    assert!(rate >= 90.0, "pass rate {rate:.1}% is below 90%");
}

// ---------------------------------------------------------------------------
// Rows survive a rebuild
// ---------------------------------------------------------------------------

/// Loads `current` and `rows`, applies `diff(current, desired)`, and returns
/// the database (or the migration's error with the database as it is).
fn migrate(current: &str, rows: &str, desired: &str) -> (Connection, Result<String, String>) {
    let db = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
    db.execute_batch(current).unwrap_or_else(|e| panic!("{e}"));
    db.execute_batch(rows).unwrap_or_else(|e| panic!("{e}"));
    let (from, to) = (parse(current).unwrap_or_else(|e| panic!("{e}")), parse(desired).unwrap_or_else(|e| panic!("{e}")));
    let plan = diff(&from, &to, &DiffOptions { allow_destructive: true, renames: rename_hints(desired, Dialect::Sqlite) }).unwrap_or_else(|e| panic!("{e}"));
    let sql = plan.sql();
    let outcome = db.execute_batch(&sql).map(|()| sql.clone()).map_err(|e| format!("{e}\n{sql}"));
    (db, outcome)
}

fn rows(db: &Connection, query: &str) -> Vec<String> {
    pragma_rows(db, query).unwrap_or_else(|e| panic!("{query}: {e}"))
}

#[test]
fn a_rebuild_keeps_the_rows() {
    let current = "CREATE TABLE users (id integer PRIMARY KEY, name text, age text);
        CREATE TABLE notes (body text, user_id integer REFERENCES users (id));
        CREATE INDEX notes_user ON notes (user_id);";
    let data = "INSERT INTO users VALUES (1, 'ann', '31'), (2, NULL, '45'), (7, 'cy', NULL);
        INSERT INTO notes (rowid, body, user_id) VALUES (10, 'a', 1), (20, 'b', 7), (30, 'c', NULL);";
    // A type change and a column that becomes NOT NULL with a default; a new
    // NOT NULL column with a default; a new column placed first in notes.
    let desired = "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL DEFAULT 'anon', age integer,
            active integer NOT NULL DEFAULT 1);
        CREATE TABLE notes (created text NOT NULL DEFAULT 'never', body text, user_id integer REFERENCES users (id));
        CREATE INDEX notes_user ON notes (user_id);";
    let (db, outcome) = migrate(current, data, desired);
    let sql = outcome.unwrap_or_else(|e| panic!("the migration fails: {e}"));
    assert!(sql.contains("CREATE TABLE \"new_users\""), "users is rebuilt:\n{sql}");
    assert_eq!(
        rows(&db, "SELECT id, name, age, typeof(age), active FROM users ORDER BY id"),
        [
            "Integer(1)|Text(\"ann\")|Integer(31)|Text(\"integer\")|Integer(1)",
            "Integer(2)|Text(\"anon\")|Integer(45)|Text(\"integer\")|Integer(1)",
            "Integer(7)|Text(\"cy\")|Null|Text(\"null\")|Integer(1)",
        ]
    );
    assert_eq!(
        rows(&db, "SELECT rowid, created, body, user_id FROM notes ORDER BY rowid"),
        [
            "Integer(10)|Text(\"never\")|Text(\"a\")|Integer(1)",
            "Integer(20)|Text(\"never\")|Text(\"b\")|Integer(7)",
            "Integer(30)|Text(\"never\")|Text(\"c\")|Null",
        ],
        "implicit rowids are kept"
    );
    assert!(rows(&db, "PRAGMA foreign_key_check").is_empty());
    assert_eq!(rows(&db, "PRAGMA integrity_check"), ["Text(\"ok\")"]);
    assert_eq!(rows(&db, "SELECT name FROM sqlite_schema WHERE type = 'index'"), ["Text(\"notes_user\")"]);
}

#[test]
fn a_rebuild_keeps_the_autoincrement_counter() {
    let current = "CREATE TABLE t (id integer PRIMARY KEY AUTOINCREMENT, v text);";
    let data = "INSERT INTO t (v) VALUES ('a'), ('b'), ('c'); DELETE FROM t WHERE id = 3;";
    let desired = "CREATE TABLE t (id integer PRIMARY KEY AUTOINCREMENT, v text NOT NULL DEFAULT '');";
    let (db, outcome) = migrate(current, data, desired);
    outcome.unwrap_or_else(|e| panic!("the migration fails: {e}"));
    db.execute_batch("INSERT INTO t (v) VALUES ('d');").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows(&db, "SELECT id FROM t WHERE v = 'd'"), ["Integer(4)"], "ids are not reused after a rebuild");
    assert_eq!(rows(&db, "SELECT name, seq FROM sqlite_sequence"), ["Text(\"t\")|Integer(4)"]);
}

#[test]
fn a_null_where_a_column_without_default_becomes_not_null_fails_loudly() {
    let current = "CREATE TABLE t (id integer PRIMARY KEY, v text);";
    let data = "INSERT INTO t VALUES (1, 'a'), (2, NULL);";
    let desired = "CREATE TABLE t (id integer PRIMARY KEY, v text NOT NULL);";
    let (db, outcome) = migrate(current, data, desired);
    let err = outcome.expect_err("a NULL cannot be copied into a NOT NULL column");
    assert!(err.contains("NOT NULL constraint failed"), "{err}");
    db.execute_batch("ROLLBACK;").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows(&db, "SELECT id, v FROM t ORDER BY id"), ["Integer(1)|Text(\"a\")", "Integer(2)|Null"]);
    assert!(read_back(&db).contains("v text)"), "the table is unchanged");
}

#[test]
fn views_and_triggers_over_a_rebuilt_table_survive() {
    let current = "CREATE TABLE users (id integer PRIMARY KEY, age text);
        CREATE TABLE log (msg text);
        CREATE VIEW adults AS SELECT id FROM users WHERE age >= 18;
        CREATE VIEW adult_ids AS SELECT id FROM adults;
        CREATE TRIGGER users_insert AFTER INSERT ON users BEGIN INSERT INTO log VALUES ('user'); END;
        CREATE TRIGGER log_insert AFTER INSERT ON log BEGIN DELETE FROM users WHERE id < 0; END;";
    let desired = current.replace("age text", "age integer");
    let (db, outcome) = migrate(current, "INSERT INTO users VALUES (1, '20');", &desired);
    outcome.unwrap_or_else(|e| panic!("the migration fails: {e}"));
    let want = parse(&desired).unwrap_or_else(|e| panic!("{e}"));
    let got = parse(&read_back(&db)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(normalised(got), normalised(want));
    db.execute_batch("INSERT INTO users VALUES (2, 30);").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows(&db, "SELECT count(*) FROM log"), ["Integer(2)"], "the trigger on users fires, before and after");
    assert_eq!(rows(&db, "SELECT id FROM adult_ids ORDER BY id"), ["Integer(1)", "Integer(2)"]);
}

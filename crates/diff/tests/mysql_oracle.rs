//! The real-server oracle of the MySQL/MariaDB diff.
//!
//! For each case of `../shared/corpus/sqldef/mysqldef/*.yml` whose SQL the
//! local MariaDB 10.11 accepts: load `current` into a fresh database, apply
//! `diff(current, desired)` (with `--allow-destructive` unless the case says
//! `enable_drop: false`), dump the result with `mariadb-dump --no-data`, and
//! compare its model with the model of `desired` loaded directly into
//! another fresh database and dumped. Then diff again, from the migrated
//! database's dump to `desired`, and expect an empty plan.
//!
//! With `enable_drop: false` the refused changes are expected to remain: the
//! second diff must hold exactly the destructive changes, and nothing else.
//!
//! The two dumps are compared as they are: both come from the same server.
//! The second diff compares a dump with the model of the `desired` SQL,
//! which leaves to the server what the dump spells out; these server
//! rewrites are applied to the `desired` model first (see
//! [`as_the_server_stores_it`]).
//!
//! The cases that fail are listed, each with its reason, in
//! `tests/mysql_oracle_exclusions.txt`; the test fails on a failure that is
//! not listed and on a listed case that passes. The server must be running;
//! the test fails, never skips, when it is not.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use astrola_core::{parse_sql, rename_hints, Dialect, Schema};
use astrola_diff::{diff, DiffOptions};
use common::mysql::{Database, Server};

enum Verdict {
    /// MariaDB rejects `current` or `desired` (the server's message): not a
    /// valid case.
    Invalid(String),
    Pass,
    Fail(String),
}

/// What the server does to a schema that the `desired` SQL leaves
/// implicit or writes its own way, applied to the model of `desired`
/// before the second diff (`server_model` is the model of `desired` loaded
/// and dumped):
///
/// - Every table gets the server's `ENGINE` (InnoDB), `DEFAULT CHARSET`
///   and `COLLATE` (the default collation of its character set), which
///   `SHOW CREATE TABLE` always prints.
/// - A column with a character set of its own gets that character set's
///   default collation, which `SHOW CREATE TABLE` prints with it; and a
///   column character set that is the table's (now known) is no longer
///   the column's own, as the frontend writes it when it knows the
///   table's.
/// - MariaDB has no JSON type: a `JSON` column is stored as `LONGTEXT`
///   with the `utf8mb4_bin` collation and a `json_valid` check named after
///   the column (the model keeps `json`, which is a type in MySQL 8).
/// - Views take the server's text: MariaDB stores a view's query
///   rewritten (qualified, backquoted, aliased) with `ALGORITHM`, `DEFINER`
///   and `SQL SECURITY`, while the model keeps the query as written; the
///   views are compared through the two dumps instead.
/// - `PARTITION BY` takes the server's text, for the same reason: MariaDB
///   prints the partitioning in its own form and the model keeps the
///   clause as written.
fn as_the_server_stores_it(mut desired: Schema, server_model: &Schema, defaults: &ServerDefaults) -> Schema {
    for (name, t) in desired.tables.iter_mut() {
        t.options.entry("ENGINE".into()).or_insert_with(|| "InnoDB".into());
        let charset = t.options.entry("DEFAULT CHARSET".into()).or_insert_with(|| defaults.charset.clone()).clone();
        if let Some(collation) = defaults.collations.get(&charset) {
            t.options.entry("COLLATE".into()).or_insert_with(|| collation.clone());
        }
        match server_model.tables.get(name).and_then(|s| s.options.get("PARTITION BY")) {
            Some(p) if t.options.contains_key("PARTITION BY") => {
                t.options.insert("PARTITION BY".into(), p.clone());
            }
            _ => {}
        }
        let mut json_checks = Vec::new();
        for c in &mut t.columns {
            if c.data_type == "json" {
                c.data_type = if charset == "utf8mb4" { "longtext".into() } else { "longtext character set utf8mb4".into() };
                c.collation = Some("utf8mb4_bin".into());
                json_checks.push(c.name.clone());
            }
            if let Some((base, cs)) = c.data_type.split_once(" character set ") {
                if c.collation.is_none() {
                    c.collation = defaults.collations.get(cs).cloned();
                }
                if cs == charset {
                    c.data_type = base.to_string();
                }
            }
        }
        for column in json_checks {
            let quoted = format!("`{}`", column.replace('`', "``"));
            let probe = format!("CREATE TABLE t ({quoted} longtext CHECK (json_valid({quoted})));");
            let check = parse_sql(&probe, Dialect::Mysql).ok().and_then(|p| p.schema.tables.into_values().next()).and_then(|t| t.constraints.into_values().next());
            if let Some(check) = check {
                t.constraints.entry(column).or_insert(check);
            }
        }
    }
    for (name, v) in desired.views.iter_mut() {
        if let Some(stored) = server_model.views.get(name) {
            *v = stored.clone();
        }
    }
    desired
}

/// The server's default character set and the default collation of each
/// character set.
struct ServerDefaults {
    charset: String,
    collations: BTreeMap<String, String>,
}

impl ServerDefaults {
    fn read(server: &Server) -> Self {
        let charset = server.query(None, "SELECT @@character_set_server").unwrap_or_else(|e| panic!("{e}")).trim().to_string();
        let rows = server
            .query(None, "SELECT CHARACTER_SET_NAME, DEFAULT_COLLATE_NAME FROM information_schema.CHARACTER_SETS")
            .unwrap_or_else(|e| panic!("{e}"));
        let collations = rows.lines().filter_map(|l| l.split_once('\t')).map(|(a, b)| (a.to_string(), b.to_string())).collect();
        ServerDefaults { charset, collations }
    }
}

/// The database sqldef's own harness runs the cases in; some cases name
/// it (`mysqldef_test.users`). Loaded into the server, it is replaced by
/// the fresh database's name; parsed, the SQL runs after `USE
/// mysqldef_test`, as sqldef's session would.
const HARNESS_DATABASE: &str = "mysqldef_test";

/// Replaces the word `word` (not part of a longer name) in `text`.
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let is_name = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back().or_else(|| out.chars().next_back());
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        out.push_str(if is_name(before) || is_name(after) { word } else { with });
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
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

fn check(server: &Server, defaults: &ServerDefaults, current: &str, desired: &str, allow_drop: bool) -> Verdict {
    let migrated = Database::create(server).unwrap_or_else(|e| panic!("{e}"));
    let direct = Database::create(server).unwrap_or_else(|e| panic!("{e}"));
    for (db, sql) in [(&migrated, current), (&direct, desired)] {
        if let Err(e) = db.load(&replace_word(sql, HARNESS_DATABASE, &db.name)) {
            let message = e.lines().find(|l| l.starts_with("ERROR")).unwrap_or(e.trim()).to_string();
            return Verdict::Invalid(message);
        }
    }
    let parse = |sql: &str| parse_sql(sql, Dialect::Mysql).map(|p| p.schema);
    let in_harness_database = |sql: &str| parse(&format!("USE {HARNESS_DATABASE};\n{sql}"));
    let (from, to) = match (in_harness_database(current), in_harness_database(desired)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Verdict::Fail(format!("parse: {e}")),
    };
    let options = DiffOptions { allow_destructive: allow_drop, renames: rename_hints(desired, Dialect::Mysql) };
    let plan = match diff(&from, &to, &options) {
        Ok(p) => p,
        Err(e) => return Verdict::Fail(format!("diff: {e}")),
    };
    if !plan.unsupported.is_empty() || !plan.unmanaged.is_empty() {
        let unmanaged: Vec<&str> = plan.unmanaged.iter().map(|u| u.statement.kind.as_str()).collect();
        return Verdict::Fail(format!("diff cannot express: {:?} unmanaged {unmanaged:?}", plan.unsupported));
    }
    let sql = plan.sql();
    if let Err(e) = migrated.load(&sql) {
        return Verdict::Fail(format!("the migration fails: {}\n--- migration:\n{sql}", e.trim()));
    }
    let dump = |db: &Database| parse(&db.dump().unwrap_or_else(|e| panic!("{e}"))).map(|s| s.without_spans());
    let (after, wanted) = match (dump(&migrated), dump(&direct)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Verdict::Fail(format!("a dump does not parse: {e}")),
    };
    let target = as_the_server_stores_it(to.clone(), &wanted, defaults);
    let again = match diff(&after, &target, &DiffOptions { allow_destructive: true, renames: Vec::new() }) {
        Ok(p) => p,
        Err(e) => return Verdict::Fail(format!("second diff: {e}")),
    };
    if allow_drop {
        if after != wanted {
            return Verdict::Fail(format!("the migrated schema differs from desired\n      {}\n--- migration:\n{sql}", first_difference(&after, &wanted)));
        }
        if !again.changes.is_empty() {
            let kinds: Vec<String> = again.changes.iter().map(|c| format!("{} {}", c.change.kind(), c.object)).collect();
            return Verdict::Fail(format!("the second diff is not empty: {kinds:?}\n{}", again.sql()));
        }
    } else {
        let refused: BTreeSet<String> = plan.refused().map(|c| format!("{} {}", c.change.kind(), c.object)).collect();
        let left: BTreeSet<String> = again.changes.iter().map(|c| format!("{} {}", c.change.kind(), c.object)).collect();
        if refused != left {
            return Verdict::Fail(format!("with drops refused, the changes left {left:?} are not the refused ones {refused:?}\n--- migration:\n{sql}"));
        }
    }
    Verdict::Pass
}

#[test]
fn mysqldef_cases_migrate_on_the_real_server() {
    let server = Server::connect().unwrap_or_else(|e| panic!("{e}"));
    let version = server.version().unwrap_or_else(|e| panic!("{e}"));
    let defaults = ServerDefaults::read(&server);
    let only = std::env::var("ASTROLA_ORACLE_CASE").ok();
    let mut cases = Vec::new();
    for (file, list) in common::sqldef_cases("mysqldef") {
        for (name, case) in list {
            let Some(desired) = case.desired.clone() else { continue };
            if case.error.is_some() {
                continue;
            }
            if only.as_ref().is_some_and(|o| *o != name && *o != format!("{file}:{name}")) {
                continue;
            }
            cases.push((file.clone(), name, case.current.clone().unwrap_or_default(), desired, case.enable_drop.unwrap_or(true)));
        }
    }
    assert!(only.is_some() || cases.len() > 250, "the mysqldef corpus should hold hundreds of cases, found {}", cases.len());
    let results: Mutex<Vec<(String, String, Verdict)>> = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| loop {
                let i = {
                    let mut n = next.lock().unwrap_or_else(|e| e.into_inner());
                    *n += 1;
                    *n - 1
                };
                let Some((file, name, current, desired, allow)) = cases.get(i) else { break };
                let verdict = check(&server, &defaults, current, desired, *allow);
                results.lock().unwrap_or_else(|e| e.into_inner()).push((file.clone(), name.clone(), verdict));
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let excluded = common::exclusions(include_str!("mysql_oracle_exclusions.txt"));
    let mut per_file: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut unexplained = Vec::new();
    let mut invalid = Vec::new();
    let mut failing = BTreeSet::new();
    let (mut valid, mut passed) = (0, 0);
    for (file, name, verdict) in &results {
        let label = format!("{file}:{name}");
        let entry = per_file.entry(file).or_default();
        match verdict {
            Verdict::Invalid(why) => invalid.push(format!("{label}: {why}")),
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
        "mysqldef cases: {}, valid on {version}: {valid}, passed: {passed} ({:.1}%)",
        results.len(),
        100.0 * passed as f64 / valid.max(1) as f64
    );
    for (file, (p, v)) in &per_file {
        println!("  {file}: {p}/{v} ({:.1}%)", 100.0 * *p as f64 / (*v).max(1) as f64);
    }
    invalid.sort();
    println!("not valid on this server (MariaDB rejects `current` or `desired`): {}", invalid.len());
    for i in &invalid {
        println!("  {i}");
    }
    unexplained.sort();
    for u in &unexplained {
        println!("FAIL {u}\n");
    }
    if only.is_some() {
        return;
    }
    let stale: Vec<&String> = excluded.keys().filter(|k| !failing.contains(*k)).collect();
    assert!(unexplained.is_empty(), "{} cases fail and are not in the exclusion file", unexplained.len());
    assert!(stale.is_empty(), "listed as failing but now pass (remove them): {stale:?}");
    let rate = 100.0 * passed as f64 / valid.max(1) as f64;
    assert!(rate >= 85.0, "pass rate {rate:.1}% is below 85%");
}

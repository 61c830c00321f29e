//! The real-server oracle of the PostgreSQL diff.
//!
//! For each case of `../shared/corpus/sqldef/psqldef/*.yml` whose SQL
//! PostgreSQL 15 accepts: load `current` into a fresh database, apply
//! `diff(current, desired)` (with `--allow-destructive` unless the case says
//! `enable_drop: false`), dump the result with `pg_dump --schema-only`, and
//! compare its model with the model of `desired` loaded directly into
//! another fresh database and dumped. Then diff again, from the migrated
//! database's dump to `desired`, and expect an empty plan.
//!
//! With `enable_drop: false` the refused changes are expected to remain: the
//! second diff must hold exactly the destructive changes, and nothing else.
//!
//! One normalisation is applied before comparing: columns are compared as a
//! set. PostgreSQL appends an added column at the end of its table (no
//! ALTER can place it), so a migrated table and a freshly created one can
//! list the same columns in different orders.
//!
//! The cases that fail are listed, each with its reason, in
//! `tests/postgres_oracle_exclusions.txt`; the test fails on a failure that
//! is not listed and on a listed case that passes. The server must be
//! running; the test fails, never skips, when it is not.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use astrola_core::{parse_sql, rename_hints, Dialect, Schema};
use astrola_diff::{diff, DiffOptions};
use common::postgres::{Database, Server};

enum Verdict {
    /// PostgreSQL rejects `current` or `desired`: not a valid case.
    Invalid,
    Pass,
    Fail(String),
}

fn normalised(mut s: Schema) -> Schema {
    for e in s.extensions.values_mut() {
        e.comment = None;
    }
    for t in s.tables.values_mut() {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s.without_spans()
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

fn check(server: &Server, current: &str, desired: &str, allow_drop: bool) -> Verdict {
    let migrated = Database::create(server).unwrap_or_else(|e| panic!("{e}"));
    let direct = Database::create(server).unwrap_or_else(|e| panic!("{e}"));
    if migrated.load(current).is_err() || direct.load(desired).is_err() {
        return Verdict::Invalid;
    }
    let parse = |sql: &str| parse_sql(sql, Dialect::Postgres).map(|p| p.schema);
    let (from, to) = match (parse(current), parse(desired)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Verdict::Fail(format!("parse: {e}")),
    };
    let options = DiffOptions { allow_destructive: allow_drop, renames: rename_hints(desired, Dialect::Postgres) };
    let plan = match diff(&from, &to, &options) {
        Ok(p) => p,
        Err(e) => return Verdict::Fail(format!("diff: {e}")),
    };
    if !plan.unsupported.is_empty() || !plan.unmanaged.is_empty() {
        return Verdict::Fail(format!("diff cannot express: {:?} {:?}", plan.unsupported, plan.unmanaged.len()));
    }
    let sql = plan.sql();
    if let Err(e) = migrated.load(&sql) {
        return Verdict::Fail(format!("the migration fails: {}\n--- migration:\n{sql}", e.trim()));
    }
    let dump = |db: &Database| parse(&db.dump().unwrap_or_else(|e| panic!("{e}"))).map(normalised);
    let (after, wanted) = match (dump(&migrated), dump(&direct)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Verdict::Fail(format!("a dump does not parse: {e}")),
    };
    let again = match diff(&after, &normalised(to.clone()), &DiffOptions { allow_destructive: true, renames: Vec::new() }) {
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
            return Verdict::Fail(format!("with drops refused, the changes left {left:?} are not the refused ones {refused:?}"));
        }
    }
    Verdict::Pass
}

#[test]
fn psqldef_cases_migrate_on_the_real_server() {
    let server = Server::connect().unwrap_or_else(|e| panic!("{e}"));
    let mut cases = Vec::new();
    for (file, list) in common::sqldef_cases("psqldef") {
        for (name, case) in list {
            let Some(desired) = case.desired.clone() else { continue };
            if case.error.is_some() {
                continue;
            }
            cases.push((file.clone(), name, case.current.clone().unwrap_or_default(), desired, case.enable_drop.unwrap_or(true)));
        }
    }
    assert!(cases.len() > 500, "the psqldef corpus should hold hundreds of cases, found {}", cases.len());
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
                let verdict = check(&server, current, desired, *allow);
                results.lock().unwrap_or_else(|e| e.into_inner()).push((file.clone(), name.clone(), verdict));
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let excluded = common::exclusions(include_str!("postgres_oracle_exclusions.txt"));
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
    println!("psqldef cases: {}, valid on PostgreSQL 15: {valid}, passed: {passed} ({:.1}%)", results.len(), 100.0 * passed as f64 / valid.max(1) as f64);
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
    assert!(rate >= 95.0, "pass rate {rate:.1}% is below 95%");
}

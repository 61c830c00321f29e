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

mod pg_oracle;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use common::postgres::{Database, Server};
use pg_oracle::{check_in, Verdict};

#[test]
fn psqldef_cases_migrate_on_the_real_server() {
    let server = Server::connect().unwrap_or_else(|e| panic!("{e}"));
    let mut cases = Vec::new();
    for (file, list) in common::sqldef_cases("psqldef") {
        for (name, case) in list {
            let Some(desired) = case.desired.clone() else {
                continue;
            };
            if case.error.is_some() {
                continue;
            }
            cases.push((
                file.clone(),
                name,
                case.current.clone().unwrap_or_default(),
                desired,
                case.enable_drop.unwrap_or(true),
            ));
        }
    }
    assert!(
        cases.len() > 500,
        "the psqldef corpus should hold hundreds of cases, found {}",
        cases.len()
    );
    let results: Mutex<Vec<(String, String, Verdict)>> = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let migrated = Database::create(&server).unwrap_or_else(|e| panic!("{e}"));
                let direct = Database::create(&server).unwrap_or_else(|e| panic!("{e}"));
                loop {
                    let i = {
                        let mut n = next.lock().unwrap_or_else(|e| e.into_inner());
                        *n += 1;
                        *n - 1
                    };
                    let Some((file, name, current, desired, allow)) = cases.get(i) else {
                        break;
                    };
                    let started = std::time::Instant::now();
                    let verdict = check_in(&migrated, &direct, current, desired, *allow);
                    let took = started.elapsed();
                    if took > std::time::Duration::from_secs(5) {
                        eprintln!("slow case {file}:{name}: {took:?}");
                    }
                    results.lock().unwrap_or_else(|e| e.into_inner()).push((
                        file.clone(),
                        name.clone(),
                        verdict,
                    ));
                }
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
    println!(
        "psqldef cases: {}, valid on PostgreSQL 15: {valid}, passed: {passed} ({:.1}%)",
        results.len(),
        100.0 * passed as f64 / valid.max(1) as f64
    );
    for (file, (p, v)) in &per_file {
        println!(
            "  {file}: {p}/{v} ({:.1}%)",
            100.0 * *p as f64 / (*v).max(1) as f64
        );
    }
    unexplained.sort();
    for u in &unexplained {
        println!("FAIL {u}\n");
    }
    let stale: Vec<&String> = excluded.keys().filter(|k| !failing.contains(*k)).collect();
    assert!(
        unexplained.is_empty(),
        "{} cases fail and are not in the exclusion file",
        unexplained.len()
    );
    assert!(
        stale.is_empty(),
        "listed as failing but now pass (remove them): {stale:?}"
    );
    let rate = 100.0 * passed as f64 / valid.max(1) as f64;
    assert!(rate >= 95.0, "pass rate {rate:.1}% is below 95%");
}

//! The merge case suite on the real server: for every case that merges
//! cleanly, load ours into a fresh database, run the merged migration, dump
//! the database and parse the dump; it must hold the merged schema (no
//! difference left to migrate). The server must be running; the test
//! fails, never skips, when it is not.

#[path = "../../core/tests/common/mod.rs"]
mod common;
mod merge_cases;
#[allow(dead_code)]
mod pg_oracle;

use astrola_core::{parse_sql, Dialect};
use astrola_diff::{diff, DiffOptions};
use common::postgres::{Database, Server};

#[test]
fn clean_merges_migrate_ours_to_the_merged_schema_on_postgres() {
    let server = Server::connect().unwrap_or_else(|e| panic!("{e}"));
    let db = Database::create(&server).unwrap_or_else(|e| panic!("{e}"));
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in merge_cases::cases().iter().filter(|c| c.clean) {
        let (_, _, merged) = merge_cases::run(case);
        db.reset().unwrap_or_else(|e| panic!("reset: {e}"));
        db.load(&case.ours).unwrap_or_else(|e| panic!("{}: PostgreSQL rejects ours: {e}", case.name));
        let sql = merged.sql();
        if let Err(e) = db.load(&sql) {
            failures.push(format!("{}: the merged migration fails: {e}\n{sql}", case.name));
            continue;
        }
        let dump = db.dump().unwrap_or_else(|e| panic!("{e}"));
        let dumped = parse_sql(&dump, Dialect::Postgres).unwrap_or_else(|e| panic!("{}: the dump does not parse: {e}", case.name)).schema;
        let left = diff(&pg_oracle::normalised(dumped.clone()), &pg_oracle::normalised(merged.schema.clone()), &DiffOptions { allow_destructive: true, renames: Vec::new() }).unwrap_or_else(|e| panic!("{e}"));
        if !left.is_empty() {
            failures.push(format!("{}: the migrated database differs from the merged schema:\n{}\n--- migration:\n{sql}", case.name, left.sql()));
            continue;
        }
        // PostgreSQL appends added columns; the merged schema must say so.
        for (name, table) in &merged.schema.tables {
            let got: Vec<&str> = dumped.tables.get(name).map(|t| t.columns.iter().map(|c| c.name.as_str()).collect()).unwrap_or_default();
            let want: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
            if got != want {
                failures.push(format!("{}: column order of {name}: database {got:?}, merged schema {want:?}", case.name));
            }
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(checked >= 20, "only {checked} clean cases checked");
    println!("{checked} clean merge cases checked on PostgreSQL");
}

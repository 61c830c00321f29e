//! The in-memory oracle of the PostgreSQL diff, over generated schemas:
//! replaying `diff(a, b)` on `a` through astrola's own frontend gives `b`,
//! and `diff(s, s)` is always empty. It needs no server, so it runs on
//! hundreds of generated pairs.
//!
//! Columns are compared as a set, since PostgreSQL (and so the frontend)
//! appends an added column at the end of its table.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use astrola_core::{apply_sql, parse_sql, Dialect, Schema};
use astrola_diff::{diff, DiffOptions};
use common::generate::{apply_edits, edit, schema_sql, table};
use proptest::prelude::*;

fn normalised(mut s: Schema) -> Schema {
    for t in s.tables.values_mut() {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s.without_spans()
}

fn replay(a: &Schema, b: &Schema) -> Result<(), TestCaseError> {
    let plan = diff(a, b, &DiffOptions { allow_destructive: true, renames: Vec::new() }).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(plan.is_complete(), "plan not complete: {:?} {:?}", plan.unsupported, plan.unmanaged);
    let sql = plan.sql();
    let mut replayed = a.clone();
    let mut warnings = Vec::new();
    apply_sql(&mut replayed, &sql, "migration.sql", &mut warnings).map_err(|e| TestCaseError::fail(format!("{e}\n--- migration:\n{sql}")))?;
    prop_assert!(warnings.is_empty(), "warnings replaying the migration: {warnings:?}\n{sql}");
    prop_assert_eq!(normalised(replayed), normalised(b.clone()), "migration:\n{}", sql);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn replaying_the_diff_gives_the_target(
        tables in proptest::collection::vec(table(), 1..5),
        edits in proptest::collection::vec(edit(), 1..8),
    ) {
        let a_sql = schema_sql(&tables);
        let b_sql = schema_sql(&apply_edits(&tables, &edits));
        let a = parse_sql(&a_sql, Dialect::Postgres).map_err(|e| TestCaseError::fail(format!("{e}\n{a_sql}")))?.schema;
        let b = parse_sql(&b_sql, Dialect::Postgres).map_err(|e| TestCaseError::fail(format!("{e}\n{b_sql}")))?.schema;
        replay(&a, &b)?;
        replay(&b, &a)?;
    }

    #[test]
    fn unrelated_schemas_diff_both_ways(
        x in proptest::collection::vec(table(), 1..4),
        y in proptest::collection::vec(table(), 1..4),
    ) {
        let a = parse_sql(&schema_sql(&x), Dialect::Postgres).map_err(|e| TestCaseError::fail(e.to_string()))?.schema;
        let b = parse_sql(&schema_sql(&y), Dialect::Postgres).map_err(|e| TestCaseError::fail(e.to_string()))?.schema;
        replay(&a, &b)?;
        replay(&b, &a)?;
    }

    #[test]
    fn a_schema_against_itself_is_empty(tables in proptest::collection::vec(table(), 1..6)) {
        let s = parse_sql(&schema_sql(&tables), Dialect::Postgres).map_err(|e| TestCaseError::fail(e.to_string()))?.schema;
        let plan = diff(&s, &s, &DiffOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(plan.is_empty());
        prop_assert_eq!(plan.sql(), "");
    }
}

/// Every real schema of the corpus against itself: no change.
#[test]
fn corpus_schemas_against_themselves_are_empty() {
    let mut checked = 0;
    for (file, cases) in common::sqldef_cases("psqldef") {
        for (name, case) in cases {
            for sql in [&case.current, &case.desired].into_iter().flatten() {
                let Ok(parsed) = parse_sql(sql, Dialect::Postgres) else { continue };
                let plan = diff(&parsed.schema, &parsed.schema, &DiffOptions::default()).unwrap_or_else(|e| panic!("{file}:{name}: {e}"));
                assert!(plan.is_empty(), "{file}:{name}: diff(s, s) is not empty: {}", plan.sql());
                checked += 1;
            }
        }
    }
    let gitlab = std::fs::read_to_string(common::corpus_dir().join("schemas/gitlab/structure.sql")).unwrap_or_else(|e| panic!("{e}"));
    let s = parse_sql(&gitlab, Dialect::Postgres).unwrap_or_else(|e| panic!("{e}")).schema;
    assert!(diff(&s, &s, &DiffOptions::default()).unwrap_or_else(|e| panic!("{e}")).is_empty());
    assert!(checked > 1000, "only {checked} schemas checked");
}

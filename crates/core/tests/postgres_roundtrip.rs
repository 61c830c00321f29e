//! `parse(render(s)) == s` for PostgreSQL: over generated schemas
//! (proptest), over every real schema in the corpus, and over every sqldef
//! schema that parses.

mod common;

use astrola_core::{parse_sql, parse_sql_named, render_sql, Dialect, Schema};
use common::generate::{schema_sql, table};
use proptest::prelude::*;

fn round_trip(schema: &Schema) -> Result<(), String> {
    let rendered = render_sql(schema);
    let again = parse_sql(&rendered, Dialect::Postgres).map_err(|e| format!("rendered SQL does not parse: {e}\n{rendered}"))?;
    if again.schema.without_spans() == schema.without_spans() {
        Ok(())
    } else {
        Err(format!("round trip changed the model\n--- rendered:\n{rendered}"))
    }
}

#[test]
fn real_schemas_round_trip() {
    let dir = common::corpus_dir().join("schemas");
    let files = [
        "gitlab/structure.sql",
        "danbooru/structure.sql",
        "pagila/pagila-schema.2024-10.sql",
        "pagila/pagila-schema.sql",
        "sakila/postgres-sakila-schema.sql",
        "chinook/Chinook_PostgreSql.sql",
        "northwind/northwind.sql",
        "adventureworks/install.sql",
    ];
    for file in files {
        let path = dir.join(file);
        let sql = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let parsed = parse_sql_named(&sql, Dialect::Postgres, file).unwrap_or_else(|e| panic!("{e}"));
        assert!(!parsed.schema.tables.is_empty(), "{file}: no tables");
        if let Err(e) = round_trip(&parsed.schema) {
            panic!("{file}: {}", &e[..e.len().min(2000)]);
        }
        if file == "gitlab/structure.sql" {
            assert_eq!(parsed.schema.tables.len(), 1401, "GitLab tables");
            assert_eq!(parsed.schema.indexes.len(), 4630, "GitLab CREATE INDEX statements");
            assert!(parsed.schema.unmanaged.is_empty(), "GitLab unmanaged statements: {:?}", parsed.schema.unmanaged);
        }
    }
}

#[test]
fn sqldef_schemas_round_trip() {
    let mut checked = 0;
    for (file, cases) in common::sqldef_cases("psqldef") {
        for (name, case) in cases {
            for sql in [&case.current, &case.desired].into_iter().flatten() {
                // Schemas the server itself rejects may not parse either;
                // what parses must round-trip.
                let Ok(parsed) = parse_sql(sql, Dialect::Postgres) else { continue };
                if let Err(e) = round_trip(&parsed.schema) {
                    panic!("{file}:{name}: {e}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} sqldef schemas parsed");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn generated_schemas_round_trip(tables in proptest::collection::vec(table(), 1..6)) {
        let sql = schema_sql(&tables);
        let parsed = parse_sql(&sql, Dialect::Postgres).map_err(|e| TestCaseError::fail(format!("{e}\n{sql}")))?;
        prop_assert!(!parsed.schema.tables.is_empty());
        round_trip(&parsed.schema).map_err(TestCaseError::fail)?;
        // JSON is lossless too.
        let json = parsed.schema.to_json();
        prop_assert_eq!(Schema::from_json(&json).map_err(|e| TestCaseError::fail(e.to_string()))?, parsed.schema.clone());
        // And the schema is the same when parsed twice.
        prop_assert_eq!(parse_sql(&sql, Dialect::Postgres).map_err(|e| TestCaseError::fail(e.to_string()))?.schema, parsed.schema);
    }
}

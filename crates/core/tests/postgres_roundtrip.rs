//! `parse(render(s)) == s` for PostgreSQL: over generated schemas
//! (proptest), over every real schema in the corpus, and over every sqldef
//! schema that parses.

mod common;

use astrola_core::ident::{quote_ident, quote_literal};
use astrola_core::{parse_sql, parse_sql_named, render_sql, Dialect, Schema};
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

/// Identifiers that need care: keywords, upper case, spaces, quotes,
/// semicolons and non-ASCII letters.
fn identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9_]{0,10}",
        Just("user".to_string()),
        Just("order".to_string()),
        Just("select".to_string()),
        Just("Mixed Case".to_string()),
        Just("quo\"te".to_string()),
        Just("semi;colon -- x".to_string()),
        Just("naïve_ü".to_string()),
    ]
}

#[derive(Debug, Clone)]
struct GenColumn {
    name: String,
    data_type: &'static str,
    not_null: bool,
    default: Option<&'static str>,
    comment: Option<String>,
}

#[derive(Debug, Clone)]
struct GenTable {
    name: String,
    columns: Vec<GenColumn>,
    primary_key: bool,
    unique: Option<usize>,
    check: bool,
    index: Option<(usize, bool, bool)>,
    references_previous: bool,
}

const TYPES: &[(&str, &[&str])] = &[
    ("integer", &["0", "-1", "42"]),
    ("bigint", &["0", "7"]),
    ("text", &["'x'", "'it''s'", "''"]),
    ("character varying(40)", &["'abc'"]),
    ("numeric(10,2)", &["0", "1.5"]),
    ("boolean", &["true", "false"]),
    ("timestamp with time zone", &["now()", "CURRENT_TIMESTAMP"]),
    ("jsonb", &["'{}'::jsonb"]),
    ("uuid", &["gen_random_uuid()"]),
    ("text[]", &["'{}'::text[]"]),
    ("date", &["CURRENT_DATE"]),
];

fn column() -> impl Strategy<Value = GenColumn> {
    (identifier(), 0..TYPES.len(), any::<bool>(), any::<bool>(), 0usize..3, proptest::option::of("[ -~]{0,12}")).prop_map(
        |(name, t, not_null, with_default, d, comment)| {
            let (data_type, defaults) = TYPES[t];
            GenColumn { name, data_type, not_null, default: with_default.then(|| defaults[d % defaults.len()]), comment }
        },
    )
}

fn table() -> impl Strategy<Value = GenTable> {
    (
        identifier(),
        proptest::collection::vec(column(), 1..6),
        any::<bool>(),
        proptest::option::of(0usize..6),
        any::<bool>(),
        proptest::option::of((0usize..6, any::<bool>(), any::<bool>())),
        any::<bool>(),
    )
        .prop_map(|(name, mut columns, primary_key, unique, check, index, references_previous)| {
            // Column names must be distinct within a table.
            let mut seen = std::collections::BTreeSet::new();
            columns.retain(|c| seen.insert(c.name.clone()));
            GenTable { name, columns, primary_key, unique, check, index, references_previous }
        })
}

fn schema_sql(tables: &[GenTable]) -> String {
    let mut sql = String::new();
    let mut pk_tables: Vec<(String, &'static str)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for t in tables {
        if !seen.insert(t.name.clone()) {
            continue;
        }
        let table = quote_ident(&t.name);
        let mut items: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                let mut s = format!("{} {}", quote_ident(&c.name), c.data_type);
                if c.not_null {
                    s.push_str(" NOT NULL");
                }
                if let Some(d) = c.default {
                    s.push_str(&format!(" DEFAULT {d}"));
                }
                s
            })
            .collect();
        let first = &t.columns[0];
        let pk_capable = !first.data_type.ends_with("[]") && first.data_type != "jsonb";
        if t.primary_key && pk_capable {
            items.push(format!("PRIMARY KEY ({})", quote_ident(&first.name)));
        }
        if let Some(u) = t.unique.and_then(|u| t.columns.get(u)) {
            if u.data_type != "jsonb" {
                items.push(format!("UNIQUE ({})", quote_ident(&u.name)));
            }
        }
        if t.check {
            if let Some(c) = t.columns.iter().find(|c| c.data_type == "integer" || c.data_type == "bigint") {
                items.push(format!("CHECK ({} > -100)", quote_ident(&c.name)));
            }
        }
        if t.references_previous {
            if let Some((target, ty)) = pk_tables.last() {
                items.push(format!("fk_col {ty} REFERENCES {} ON DELETE CASCADE", quote_ident(target)));
            }
        }
        sql.push_str(&format!("CREATE TABLE {table} ({});\n", items.join(", ")));
        if let Some((i, desc, partial)) = t.index {
            if let Some(c) = t.columns.get(i).filter(|c| c.data_type != "jsonb" && !c.data_type.ends_with("[]")) {
                let order = if desc { " DESC" } else { "" };
                let predicate = if partial { format!(" WHERE {} IS NOT NULL", quote_ident(&c.name)) } else { String::new() };
                sql.push_str(&format!("CREATE INDEX ON {table} ({}{order}){predicate};\n", quote_ident(&c.name)));
            }
        }
        for c in &t.columns {
            if let Some(text) = &c.comment {
                sql.push_str(&format!("COMMENT ON COLUMN {table}.{} IS {};\n", quote_ident(&c.name), quote_literal(text)));
            }
        }
        if t.primary_key && pk_capable {
            pk_tables.push((t.name.clone(), first.data_type));
        }
    }
    sql
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

//! The SQLite frontend and renderer: one test per construct, round trips
//! over the sakila and chinook corpora, and server tests that load the
//! rendered DDL (and the original corpus files) into an in-memory SQLite.
//!
//! Round trips compare models without the source spans of unmanaged
//! statements (`Schema::without_spans`): rendering moves statements, so their
//! spans change, and nothing else may.

use std::collections::BTreeSet;

use astrola_core::model::{ConstraintKind, FkAction, Index, IndexTarget, Table};
use astrola_core::{
    parse_sql, parse_sql_named, render_sql, Dialect, Error, Parsed, QualifiedName, Schema, Span,
};
use rusqlite::Connection;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn parse(sql: &str) -> Parsed {
    parse_sql(sql, Dialect::Sqlite).unwrap_or_else(|e| panic!("{e}"))
}

fn schema(sql: &str) -> Schema {
    parse(sql).schema
}

fn key(name: &str) -> QualifiedName {
    QualifiedName::new("", name)
}

fn table<'a>(schema: &'a Schema, name: &str) -> &'a Table {
    schema
        .tables
        .get(&key(name))
        .unwrap_or_else(|| panic!("no table `{name}`"))
}

fn index<'a>(schema: &'a Schema, name: &str) -> &'a Index {
    schema
        .indexes
        .get(&key(name))
        .unwrap_or_else(|| panic!("no index `{name}`"))
}

fn constraint_kind<'a>(t: &'a Table, name: &str) -> &'a ConstraintKind {
    &t.constraints
        .get(name)
        .unwrap_or_else(|| panic!("no constraint `{name}` in {:?}", t.constraints.keys()))
        .kind
}

fn parse_error(sql: &str) -> (String, Span, String) {
    match parse_sql_named(sql, Dialect::Sqlite, "s.sql") {
        Err(Error::Parse {
            message,
            span,
            statement,
        }) => (message, span, statement),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

/// Asserts `parse(render(s)) == s` and returns the rendered SQL.
fn assert_round_trip(schema: &Schema) -> String {
    let rendered = render_sql(schema);
    assert!(
        rendered.is_empty() || rendered.ends_with(";\n"),
        "rendered SQL must end with `;\\n`:\n{rendered}"
    );
    let again = parse_sql(&rendered, Dialect::Sqlite)
        .unwrap_or_else(|e| panic!("rendered SQL does not parse: {e}\n{rendered}"));
    assert_eq!(
        again.schema.without_spans(),
        schema.without_spans(),
        "the round trip changed the schema; rendered:\n{rendered}"
    );
    rendered
}

fn corpus(path: &str) -> String {
    let full = format!(
        "{}/../../../shared/corpus/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&full)
        .unwrap_or_else(|e| panic!("cannot read the corpus file {full}: {e}"))
}

/// Loads `sql` into a fresh in-memory database, failing the test on error.
fn load(sql: &str, what: &str) -> Connection {
    let connection =
        Connection::open_in_memory().unwrap_or_else(|e| panic!("cannot open SQLite: {e}"));
    if let Err(e) = connection.execute_batch(sql) {
        panic!("SQLite rejected {what}: {e}");
    }
    connection
}

/// The names of the objects of `kind` SQLite holds, without its own
/// (`sqlite_autoindex_*`, `sqlite_sequence`).
fn object_names(connection: &Connection, kind: &str) -> BTreeSet<String> {
    let query = "SELECT name FROM sqlite_master WHERE type = ?1 AND name NOT LIKE 'sqlite_%'";
    let mut statement = connection.prepare(query).unwrap_or_else(|e| panic!("{e}"));
    let rows = statement
        .query_map([kind], |row| row.get::<_, String>(0))
        .unwrap_or_else(|e| panic!("{e}"));
    rows.map(|r| r.unwrap_or_else(|e| panic!("{e}"))).collect()
}

/// Checks that SQLite holds the model's tables, indexes and views.
fn assert_database_matches(connection: &Connection, s: &Schema) {
    let names = |keys: Vec<&QualifiedName>| {
        keys.into_iter()
            .map(|k| k.name.clone())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(
        object_names(connection, "table"),
        names(s.tables.keys().collect())
    );
    assert_eq!(
        object_names(connection, "index"),
        names(s.indexes.keys().collect())
    );
    assert_eq!(
        object_names(connection, "view"),
        names(s.views.keys().collect())
    );
}

// ---------------------------------------------------------------------------
// Columns and table options
// ---------------------------------------------------------------------------

#[test]
fn columns_keep_declared_types_defaults_and_attributes() {
    let s = schema(
        "CREATE TABLE t (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name varchar( 40 ) NOT NULL DEFAULT 'it''s',
          price NUMERIC(10, 2) DEFAULT -1.5,
          created DATETIME DEFAULT (datetime('now')),
          stamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
          nick TEXT COLLATE nocase,
          blob_text BLOB SUB_TYPE TEXT DEFAULT NULL,
          big UNSIGNED BIG INT,
          anything,
          total REAL GENERATED ALWAYS AS (price * 2) STORED
        );",
    );
    let t = table(&s, "t");
    let column = |name: &str| t.column(name).unwrap_or_else(|| panic!("no column {name}"));
    assert_eq!(column("id").data_type, "INTEGER");
    assert_eq!(column("id").extra, ["AUTOINCREMENT"]);
    assert_eq!(
        t.primary_key()
            .map(|(n, c)| (n.as_str(), c.kind.columns().to_vec())),
        Some(("t_pkey", vec!["id".to_string()]))
    );
    assert_eq!(column("name").data_type, "VARCHAR(40)");
    assert!(column("name").not_null);
    assert_eq!(column("name").default.as_deref(), Some("'it''s'"));
    assert_eq!(column("price").data_type, "NUMERIC(10,2)");
    assert_eq!(column("price").default.as_deref(), Some("-1.5"));
    assert_eq!(
        column("created").default.as_deref(),
        Some("(datetime('now'))")
    );
    assert_eq!(
        column("stamp").default.as_deref(),
        Some("CURRENT_TIMESTAMP")
    );
    assert_eq!(column("nick").collation.as_deref(), Some("NOCASE"));
    assert_eq!(column("blob_text").data_type, "BLOB SUB_TYPE TEXT");
    assert_eq!(column("blob_text").default, None);
    assert_eq!(column("big").data_type, "UNSIGNED BIG INT");
    assert_eq!(column("anything").data_type, "");
    assert_eq!(column("total").generated.as_deref(), Some("price * 2"));
    assert_eq!(column("total").extra, ["STORED"]);
    let rendered = assert_round_trip(&s);
    assert!(
        rendered.contains("\"id\" INTEGER CONSTRAINT \"t_pkey\" PRIMARY KEY AUTOINCREMENT"),
        "{rendered}"
    );
    assert_database_matches(&load(&rendered, "the rendered columns"), &s);
}

#[test]
fn table_options_are_kept() {
    let s = schema("CREATE TABLE kv (k TEXT PRIMARY KEY, v ANY) WITHOUT ROWID, STRICT;");
    let options: Vec<&str> = table(&s, "kv").options.keys().map(String::as_str).collect();
    assert_eq!(options, ["STRICT", "WITHOUT ROWID"]);
    let rendered = assert_round_trip(&s);
    load(&rendered, "a WITHOUT ROWID, STRICT table");
}

// ---------------------------------------------------------------------------
// Constraints and indexes
// ---------------------------------------------------------------------------

#[test]
fn constraints_get_deterministic_names() {
    let s = schema(
        "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
         CREATE TABLE c (
           id INTEGER,
           p_id INTEGER REFERENCES p (id) ON DELETE CASCADE,
           code TEXT CONSTRAINT code_fk REFERENCES p (code) DEFERRABLE INITIALLY DEFERRED,
           qty INTEGER CHECK (qty > 0),
           a INT, b INT,
           CONSTRAINT c_pk PRIMARY KEY (id),
           UNIQUE (a, b),
           CHECK (a < b),
           FOREIGN KEY (a) REFERENCES p (id) ON UPDATE SET NULL
         );",
    );
    let p = table(&s, "p");
    assert!(matches!(
        constraint_kind(p, "p_pkey"),
        ConstraintKind::PrimaryKey { .. }
    ));
    assert!(matches!(
        constraint_kind(p, "p_code_key"),
        ConstraintKind::Unique { .. }
    ));
    let c = table(&s, "c");
    assert!(matches!(
        constraint_kind(c, "c_pk"),
        ConstraintKind::PrimaryKey { .. }
    ));
    match constraint_kind(c, "c_p_id_fkey") {
        ConstraintKind::ForeignKey {
            ref_table,
            on_delete,
            on_update,
            ..
        } => {
            assert_eq!(
                (ref_table.name.as_str(), *on_delete, *on_update),
                ("p", FkAction::Cascade, FkAction::NoAction)
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(c.constraints["code_fk"].deferrable && c.constraints["code_fk"].initially_deferred);
    assert_eq!(
        constraint_kind(c, "c_qty_check"),
        &ConstraintKind::Check {
            expr: "qty > 0".into(),
            no_inherit: false
        }
    );
    assert_eq!(
        constraint_kind(c, "c_check"),
        &ConstraintKind::Check {
            expr: "a < b".into(),
            no_inherit: false
        }
    );
    assert!(matches!(
        constraint_kind(c, "c_a_b_key"),
        ConstraintKind::Unique { .. }
    ));
    match constraint_kind(c, "c_a_fkey") {
        ConstraintKind::ForeignKey { on_update, .. } => assert_eq!(*on_update, FkAction::SetNull),
        other => panic!("{other:?}"),
    }
    assert_eq!(c.constraints.len(), 7);
    assert_eq!(
        s.index_count(),
        4,
        "two primary keys, two unique constraints"
    );
    let rendered = assert_round_trip(&s);
    assert_database_matches(&load(&rendered, "the rendered constraints"), &s);
}

#[test]
fn create_and_drop_index() {
    let s = schema(
        "CREATE TABLE t (a TEXT, b INT);
         CREATE INDEX t_a ON t (a COLLATE nocase DESC);
         CREATE UNIQUE INDEX IF NOT EXISTS t_lower ON t (lower(a), b) WHERE b > 0;
         CREATE INDEX IF NOT EXISTS t_a ON t (b);
         CREATE INDEX dropped ON t (b);
         DROP INDEX dropped;
         DROP INDEX IF EXISTS never_there;",
    );
    assert_eq!(s.indexes.len(), 2);
    let t_a = index(&s, "t_a");
    assert_eq!(t_a.keys[0].target, IndexTarget::Column("a".into()));
    assert_eq!(t_a.keys[0].collation.as_deref(), Some("NOCASE"));
    assert!(t_a.keys[0].descending);
    let lower = index(&s, "t_lower");
    assert!(lower.unique);
    assert_eq!(
        lower.keys[0].target,
        IndexTarget::Expression("lower(a)".into())
    );
    assert_eq!(lower.predicate.as_deref(), Some("b > 0"));
    let rendered = assert_round_trip(&s);
    assert_database_matches(&load(&rendered, "the rendered indexes"), &s);
}

// ---------------------------------------------------------------------------
// ALTER TABLE, views, names
// ---------------------------------------------------------------------------

#[test]
fn alter_table_operations() {
    let s = schema(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);
         CREATE TABLE t (a INT, b INT REFERENCES p (id));
         CREATE INDEX t_a ON t (a);
         ALTER TABLE t ADD COLUMN c TEXT NOT NULL DEFAULT 'x';
         ALTER TABLE t RENAME COLUMN a TO a2;
         ALTER TABLE t DROP COLUMN c;
         ALTER TABLE p RENAME TO parent;
         ALTER TABLE t RENAME TO child;",
    );
    let child = table(&s, "child");
    assert_eq!(
        child
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["a2", "b"]
    );
    match constraint_kind(child, "t_b_fkey") {
        ConstraintKind::ForeignKey { ref_table, .. } => assert_eq!(ref_table.name, "parent"),
        other => panic!("{other:?}"),
    }
    assert_eq!(index(&s, "t_a").table, key("child"));
    assert_eq!(
        index(&s, "t_a").keys[0].target,
        IndexTarget::Column("a2".into())
    );
    let rendered = assert_round_trip(&s);
    assert_database_matches(&load(&rendered, "the altered tables"), &s);
}

#[test]
fn alter_table_forms_sqlite_lacks_are_errors() {
    let (message, span, _) =
        parse_error("CREATE TABLE t (a INT);\nALTER TABLE t ADD CONSTRAINT u UNIQUE (a);");
    assert!(message.contains("not supported"), "{message}");
    assert_eq!(span.line, 2);
}

#[test]
fn names_are_matched_without_regard_to_case() {
    let s = schema(
        "CREATE TABLE Foo (Id INTEGER PRIMARY KEY, Name TEXT);
         CREATE INDEX foo_name ON foo (name);
         ALTER TABLE FOO ADD COLUMN extra INT;
         CREATE TABLE bar (foo_id INT REFERENCES FOO (ID));",
    );
    assert_eq!(
        s.tables.keys().map(|k| k.name.as_str()).collect::<Vec<_>>(),
        ["Foo", "bar"]
    );
    assert_eq!(
        index(&s, "foo_name").keys[0].target,
        IndexTarget::Column("Name".into())
    );
    match constraint_kind(table(&s, "bar"), "bar_foo_id_fkey") {
        ConstraintKind::ForeignKey {
            ref_table,
            ref_columns,
            ..
        } => {
            assert_eq!(
                (ref_table.name.as_str(), ref_columns.as_slice()),
                ("Foo", ["Id".to_string()].as_slice())
            );
        }
        other => panic!("{other:?}"),
    }
    let (message, _, _) = parse_error("CREATE TABLE Foo (a);\nCREATE TABLE foo (b);");
    assert!(message.contains("already exists"), "{message}");
    assert_round_trip(&s);
}

#[test]
fn foreign_keys_to_later_tables_resolve_to_their_spelling() {
    let s = schema("CREATE TABLE child (p INT REFERENCES PARENT (ID)); CREATE TABLE Parent (Id INTEGER PRIMARY KEY);");
    match constraint_kind(table(&s, "child"), "child_p_fkey") {
        ConstraintKind::ForeignKey {
            ref_table,
            ref_columns,
            ..
        } => {
            assert_eq!(
                (ref_table.name.as_str(), ref_columns[0].as_str()),
                ("Parent", "Id")
            );
        }
        other => panic!("{other:?}"),
    }
    let rendered = assert_round_trip(&s);
    assert!(
        rendered.find("CREATE TABLE \"Parent\"") < rendered.find("CREATE TABLE \"child\""),
        "tables in foreign key order"
    );
}

#[test]
fn views_are_stored_normalised_and_rendered_in_dependency_order() {
    let s = schema(
        "CREATE TABLE t (a INT, b INT);
         CREATE VIEW IF NOT EXISTS z_base (x, y) AS SELECT a || 'b', \"b\" FROM main.t;
         CREATE VIEW a_top AS SELECT x FROM z_base;
         CREATE VIEW IF NOT EXISTS z_base AS SELECT 1;
         CREATE VIEW gone AS SELECT 1;
         DROP VIEW gone;
         DROP VIEW IF EXISTS never_there;",
    );
    let base = &s.views[&key("z_base")];
    assert_eq!(base.query, "SELECT a || 'b', b FROM t");
    assert_eq!(base.columns, ["x", "y"]);
    assert_eq!(s.views.len(), 2);
    let rendered = assert_round_trip(&s);
    assert!(
        rendered.find("VIEW \"z_base\"") < rendered.find("VIEW \"a_top\""),
        "{rendered}"
    );
    assert_database_matches(&load(&rendered, "the rendered views"), &s);
}

// ---------------------------------------------------------------------------
// Triggers, noise, unmanaged statements
// ---------------------------------------------------------------------------

#[test]
fn triggers_data_and_pragmas_are_unmanaged_and_session_noise_is_ignored() {
    let parsed = parse(
        "PRAGMA foreign_keys = ON;
BEGIN TRANSACTION;
CREATE TABLE t (a INT, updated TEXT);
CREATE TRIGGER t_touch AFTER UPDATE ON t
BEGIN
  UPDATE t SET updated = datetime('now') WHERE rowid = new.rowid;
END;
CREATE TRIGGER t_gone AFTER INSERT ON t BEGIN SELECT 1; END;
DROP TRIGGER t_gone;
INSERT INTO t (a) VALUES (1);
PRAGMA user_version = 3;
CREATE VIRTUAL TABLE docs USING fts5(body);
COMMIT;",
    );
    let kinds: Vec<(&str, usize)> = parsed
        .schema
        .unmanaged
        .iter()
        .map(|u| (u.kind.as_str(), u.span.line))
        .collect();
    assert_eq!(
        kinds,
        [
            ("CREATE TRIGGER", 4),
            ("INSERT", 10),
            ("PRAGMA", 11),
            ("CREATE VIRTUAL TABLE", 12)
        ]
    );
    assert!(parsed.schema.unmanaged[0].sql.ends_with("END"));
    assert_eq!(
        parsed.warnings.len(),
        5,
        "one per unmanaged statement, and the dropped trigger's creation"
    );
    let rendered = assert_round_trip(&parsed.schema);
    let connection = load(&rendered, "the rendered triggers and data");
    assert_eq!(
        object_names(&connection, "trigger"),
        BTreeSet::from(["t_touch".to_string()])
    );
}

#[test]
fn dropping_a_table_drops_its_triggers() {
    let s = schema(
        "CREATE TABLE t (a INT);
         CREATE TRIGGER t_trg AFTER INSERT ON t BEGIN SELECT 1; END;
         CREATE TABLE u (a INT);
         CREATE TRIGGER u_trg AFTER INSERT ON u BEGIN SELECT 1; END;
         DROP TABLE t;",
    );
    assert_eq!(s.unmanaged.len(), 1);
    assert!(s.unmanaged[0].sql.contains("u_trg"));
}

// ---------------------------------------------------------------------------
// Errors and hostile input
// ---------------------------------------------------------------------------

#[test]
fn syntax_errors_point_at_the_token() {
    let (message, span, statement) = parse_error(
        "CREATE TABLE ok (a);\nCREATE TABLE bad (\n  a INT,\n  b INT PRIMARY PRIMARY\n);",
    );
    assert!(message.contains("found: PRIMARY"), "{message}");
    // `PRIMARY` without `KEY` is no column constraint: the first one is wrong.
    assert_eq!(
        (span.file.as_str(), span.line, span.column),
        ("s.sql", 4, 9),
        "{message}"
    );
    assert_eq!(span.end - span.start, "PRIMARY".len());
    assert_eq!(
        statement,
        "CREATE TABLE bad (\n  a INT,\n  b INT PRIMARY PRIMARY\n)"
    );
}

#[test]
fn statements_on_missing_tables_are_errors_with_their_location() {
    for (sql, line) in [
        ("ALTER TABLE nope ADD COLUMN a INT", 1),
        ("CREATE TABLE t (a);\nDROP TABLE nope;", 2),
        ("CREATE TABLE t (a);\n\nCREATE INDEX i ON nope (a);", 3),
        ("CREATE TABLE t (a);\nDROP INDEX nope;", 2),
        ("CREATE TABLE t (a);\nDROP VIEW nope;", 2),
    ] {
        let (message, span, statement) = parse_error(sql);
        assert!(message.contains("does not exist"), "{sql}: {message}");
        assert_eq!((span.line, span.column), (line, 1), "{sql}");
        assert!(sql.contains(&statement), "{statement}");
    }
    assert!(parse_sql(
        "DROP TABLE IF EXISTS nope; DROP INDEX IF EXISTS nope; DROP VIEW IF EXISTS nope;",
        Dialect::Sqlite
    )
    .is_ok());
}

#[test]
fn long_operator_chains_are_refused_rather_than_overflowing_the_stack() {
    let refused = format!(
        "CREATE TABLE t (a INT CHECK (a > {}1));",
        "1+".repeat(100_000)
    );
    let (message, span, _) = parse_error(&refused);
    assert!(message.contains("chains more than"), "{message}");
    assert_eq!(span.line, 1);
    let accepted = format!(
        "CREATE TABLE t (a INT CHECK (a > {}1));",
        "1 + ".repeat(1_000)
    );
    assert_round_trip(&schema(&accepted));
}

#[test]
fn hostile_input_never_panics() {
    let deep = format!("SELECT {}1{}", "(".repeat(5000), ")".repeat(5000));
    let mut inputs: Vec<String> = [
        "",
        ";;;",
        "CREATE",
        "CREATE TABLE",
        "CREATE TABLE t (",
        "CREATE TABLE t (a",
        "'unterminated",
        "\"x",
        "[x",
        "/* open",
        "CREATE TRIGGER t AFTER INSERT ON x BEGIN",
        "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;",
        "PRAGMA",
        "PRAGMA x(",
        "\u{0}\u{1}",
        "ALTER TABLE",
        "CREATE TABLE t (a VARCHAR(",
        "CREATE TABLE t (a INT, PRIMARY KEY (b))",
        "CREATE TABLE ü (é TEXT DEFAULT '☃')",
        "CREATE INDEX i ON",
        "CREATE VIEW v AS",
        "DROP",
        "END;",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    inputs.push(deep);
    let fragments = [
        "CREATE", "TABLE", "TRIGGER", "BEGIN", "END", "t", "(", ")", ",", "a", "INT", "'", "\"",
        "[", ";", "DEFAULT", "--", "\n", "é",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..20 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(fragments[(seed % fragments.len() as u64) as usize]);
            text.push(' ');
        }
        inputs.push(text);
    }
    for input in &inputs {
        if let Ok(parsed) = parse_sql(input, Dialect::Sqlite) {
            let _ = render_sql(&parsed.schema);
        }
    }
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

const EDGE_CASES: &str = r#"CREATE TABLE "we""ird; DROP TABLE x" (
  "it's" TEXT DEFAULT 'a''b; c' NOT NULL,
  [bracketed name] INTEGER,
  `back` REAL,
  CONSTRAINT "p""k" PRIMARY KEY ("it's")
);
CREATE TABLE child (ref TEXT REFERENCES "we""ird; DROP TABLE x" ("it's"));
CREATE INDEX "i""x" ON "we""ird; DROP TABLE x" ([bracketed name]);
CREATE VIEW "v w" AS SELECT "it's" AS "a b", 'x;y' AS s FROM "we""ird; DROP TABLE x";"#;

#[test]
fn rendering_quotes_identifiers_and_escapes_literals() {
    let s = schema(EDGE_CASES);
    let weird = table(&s, "we\"ird; DROP TABLE x");
    assert_eq!(
        weird.column("it's").and_then(|c| c.default.as_deref()),
        Some("'a''b; c'")
    );
    assert!(weird.column("bracketed name").is_some());
    assert!(weird.constraints.contains_key("p\"k"));
    let rendered = assert_round_trip(&s);
    assert!(
        rendered.contains("CREATE TABLE \"we\"\"ird; DROP TABLE x\" ("),
        "{rendered}"
    );
    assert_eq!(
        render_sql(&s),
        render_sql(&schema(&rendered)),
        "rendering is deterministic"
    );
    assert_database_matches(&load(&rendered, "the rendered edge cases"), &s);
}

// ---------------------------------------------------------------------------
// Corpus round trips and loads
// ---------------------------------------------------------------------------

const SAKILA: &str = "schemas/sakila/sqlite-sakila-schema.sql";
const CHINOOK: &str = "schemas/chinook/Chinook_Sqlite.sql";

#[test]
fn sakila_round_trips() {
    let parsed = parse(&corpus(SAKILA));
    let s = &parsed.schema;
    // 16 tables, each with a primary key, and 24 `CREATE INDEX` (one unique):
    // 40 indexes in the model's count (SQLite itself needs no index for an
    // INTEGER PRIMARY KEY). The `actor_info` view is commented out: 5 views.
    assert_eq!(s.tables.len(), 16);
    assert_eq!(s.indexes.len(), 24);
    assert_eq!(s.index_count(), 40);
    assert_eq!(s.views.len(), 5);
    assert_eq!(s.unmanaged.len(), 30);
    assert!(s.unmanaged.iter().all(|u| u.kind == "CREATE TRIGGER"));
    assert_eq!(
        table(s, "film")
            .column("description")
            .map(|c| c.data_type.as_str()),
        Some("BLOB SUB_TYPE TEXT")
    );
    assert_round_trip(s);
}

#[test]
fn chinook_round_trips() {
    let parsed = parse(&corpus(CHINOOK));
    let s = &parsed.schema;
    // 11 tables with 11 primary keys and 11 `IFK_` indexes.
    assert_eq!(s.tables.len(), 11);
    assert_eq!(s.index_count(), 22);
    assert_eq!(s.unmanaged.len(), 24);
    assert!(s.unmanaged.iter().all(|u| u.kind == "INSERT"));
    assert_round_trip(s);
}

#[test]
fn sqlite_loads_rendered_and_original_sakila() {
    let original = corpus(SAKILA);
    let s = parse(&original).schema;
    assert_database_matches(&load(&original, "the original sakila file"), &s);
    let connection = load(&render_sql(&s), "the rendered sakila DDL");
    assert_database_matches(&connection, &s);
    assert_eq!(object_names(&connection, "trigger").len(), 30);
}

#[test]
fn sqlite_loads_rendered_and_original_chinook() {
    let original = corpus(CHINOOK);
    let s = parse(&original).schema;
    assert_database_matches(&load(&original, "the original chinook file"), &s);
    let connection = load(&render_sql(&s), "the rendered chinook DDL and data");
    assert_database_matches(&connection, &s);
    let tracks: i64 = connection
        .query_row("SELECT COUNT(*) FROM \"Track\"", [], |row| row.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tracks, 3503);
}

// ---------------------------------------------------------------------------
// Generated schemas
// ---------------------------------------------------------------------------

mod generated {
    use astrola_core::{parse_sql, Dialect};
    use proptest::prelude::*;

    const NAMES: &[&str] = &[
        "id",
        "Name",
        "we\"ird",
        "sp ace",
        "ü",
        "order",
        "semi;colon",
        "key",
    ];
    const TYPES: &[&str] = &[
        "INTEGER",
        "INT",
        "VARCHAR(20)",
        "DECIMAL(8,2)",
        "TEXT",
        "BLOB SUB_TYPE TEXT",
        "",
        "DATETIME",
        "REAL",
        "UNSIGNED BIG INT",
    ];
    const ATTRIBUTES: &[&str] = &[
        "",
        " DEFAULT NULL",
        " DEFAULT 0",
        " DEFAULT 'x''y\\z'",
        " DEFAULT CURRENT_TIMESTAMP",
        " DEFAULT (1 + 2)",
        " COLLATE NOCASE",
    ];

    /// A column: name, type, NOT NULL, attribute.
    type ColumnChoice = (usize, usize, bool, usize);
    /// A table: columns, primary key on the first column, index on the
    /// last, foreign key from the first column to the first table.
    type TableChoice = (Vec<ColumnChoice>, bool, bool, bool);

    fn quote(name: &str) -> String {
        format!("\"{}\"", name.replace('"', "\"\""))
    }

    fn table_sql(at: usize, (columns, primary_key, index, foreign_key): &TableChoice) -> String {
        let table = quote(&format!("t{at} {}", NAMES[at % NAMES.len()]));
        let names: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| quote(&format!("{}{i}", NAMES[c.0])))
            .collect();
        let mut parts: Vec<String> = columns
            .iter()
            .zip(&names)
            .map(|((_, ty, not_null, attribute), name)| {
                let not_null = if *not_null { " NOT NULL" } else { "" };
                format!("{name} {}{not_null}{}", TYPES[*ty], ATTRIBUTES[*attribute])
            })
            .collect();
        if *primary_key {
            parts.push(format!("PRIMARY KEY ({})", names[0]));
        }
        if *foreign_key && at > 0 {
            parts.push(format!(
                "FOREIGN KEY ({}) REFERENCES {} ({})",
                names[0],
                quote(&format!("t0 {}", NAMES[0])),
                quote(&format!("{}0", NAMES[0]))
            ));
        }
        let mut sql = format!("CREATE TABLE {table} ({});\n", parts.join(", "));
        if *index {
            let last = names.last().map(String::as_str).unwrap_or_default();
            sql.push_str(&format!(
                "CREATE INDEX {} ON {table} ({last});\n",
                quote(&format!("i{at}"))
            ));
        }
        sql
    }

    fn tables() -> impl Strategy<Value = Vec<TableChoice>> {
        let column = (
            0..NAMES.len(),
            0..TYPES.len(),
            any::<bool>(),
            0..ATTRIBUTES.len(),
        );
        let table = (
            prop::collection::vec(column, 1..6),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        );
        prop::collection::vec(table, 1..4)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn generated_schemas_round_trip(tables in tables()) {
            let sql: String = tables.iter().enumerate().map(|(at, t)| table_sql(at, t)).collect();
            let parsed = parse_sql(&sql, Dialect::Sqlite).unwrap_or_else(|e| panic!("{e}\n{sql}"));
            super::assert_round_trip(&parsed.schema);
        }
    }
}

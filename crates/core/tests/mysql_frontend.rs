//! The MySQL/MariaDB frontend and renderer: one test per construct, round
//! trips over the sakila and chinook corpora, and server tests that load the
//! rendered DDL (and the original corpus files) into the local MariaDB 10.11.
//!
//! Round trips compare models without the source spans of unmanaged
//! statements (`Schema::without_spans`): rendering moves statements, so their
//! spans change, and nothing else may.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use astrola_core::model::{ConstraintKind, FkAction, Index, IndexTarget, Table};
use astrola_core::{
    parse_sql, parse_sql_named, render_sql, Dialect, Error, Parsed, QualifiedName, Schema, Span,
};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn parse(sql: &str) -> Parsed {
    parse_sql(sql, Dialect::Mysql).unwrap_or_else(|e| panic!("{e}"))
}

fn schema(sql: &str) -> Schema {
    parse(sql).schema
}

fn table<'a>(schema: &'a Schema, name: &str) -> &'a Table {
    schema
        .tables
        .get(&QualifiedName::new("", name))
        .unwrap_or_else(|| panic!("no table `{name}`"))
}

fn index<'a>(schema: &'a Schema, table: &str, name: &str) -> &'a Index {
    schema
        .indexes
        .get(&QualifiedName::new(table, name))
        .unwrap_or_else(|| panic!("no index `{name}` on `{table}`"))
}

fn index_names(schema: &Schema) -> BTreeSet<(String, String)> {
    let indexes = schema
        .indexes
        .iter()
        .map(|(k, i)| (i.table.name.clone(), k.name.clone()));
    let primary_keys = schema
        .tables
        .iter()
        .filter(|(_, t)| t.primary_key().is_some())
        .map(|(k, _)| (k.name.clone(), "PRIMARY".to_string()));
    indexes.chain(primary_keys).collect()
}

fn parse_error(sql: &str) -> (String, Span, String) {
    match parse_sql_named(sql, Dialect::Mysql, "m.sql") {
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
    let again = parse_sql(&rendered, Dialect::Mysql)
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

// ---------------------------------------------------------------------------
// Columns, types and table options
// ---------------------------------------------------------------------------

#[test]
fn columns_keep_types_nullability_defaults_and_attributes() {
    let s = schema(
        r"CREATE TABLE t (
          id INT(11) UNSIGNED NOT NULL AUTO_INCREMENT,
          name VARCHAR(40) BINARY DEFAULT NULL,
          flag BOOL NOT NULL DEFAULT TRUE,
          price DECIMAL(6,2) DEFAULT '1.50',
          code CHAR(3) CHARACTER SET latin1 COLLATE latin1_general_ci NOT NULL DEFAULT 'abc',
          note TEXT NULL COMMENT 'it''s a \\ note',
          updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE NOW(),
          created DATETIME(6) DEFAULT NOW(6),
          label VARCHAR(10) DEFAULT 5,
          PRIMARY KEY (id)
        ) ENGINE=innodb DEFAULT CHARSET=utf8 COLLATE=utf8_general_ci AUTO_INCREMENT=42 COMMENT='the \'t\' table';",
    );
    let t = table(&s, "t");
    let column = |name: &str| t.column(name).unwrap_or_else(|| panic!("no column {name}"));

    assert_eq!(column("id").data_type, "int unsigned");
    assert!(column("id").not_null);
    assert_eq!(column("id").extra, ["AUTO_INCREMENT"]);

    assert_eq!(column("name").data_type, "varchar(40)");
    assert_eq!(
        column("name").collation.as_deref(),
        Some("utf8mb3_bin"),
        "BINARY is the table charset's _bin collation"
    );
    assert_eq!(column("name").default, None, "DEFAULT NULL is no default");
    assert!(!column("name").not_null);

    assert_eq!(column("flag").data_type, "tinyint(1)");
    assert_eq!(column("flag").default.as_deref(), Some("1"));

    assert_eq!(
        column("price").default.as_deref(),
        Some("1.50"),
        "a quoted number on a numeric column loses its quotes"
    );
    assert_eq!(
        column("label").default.as_deref(),
        Some("'5'"),
        "a number on a string column gains quotes"
    );

    assert_eq!(column("code").data_type, "char(3) character set latin1");
    assert_eq!(
        column("code").collation.as_deref(),
        Some("latin1_general_ci")
    );
    assert_eq!(column("code").default.as_deref(), Some("'abc'"));

    assert_eq!(column("note").comment.as_deref(), Some("it's a \\ note"));

    assert_eq!(
        column("updated").default.as_deref(),
        Some("current_timestamp()")
    );
    assert_eq!(column("updated").extra, ["ON UPDATE current_timestamp()"]);
    assert_eq!(column("created").data_type, "datetime(6)");
    assert_eq!(
        column("created").default.as_deref(),
        Some("current_timestamp(6)")
    );

    assert_eq!(t.options.get("ENGINE").map(String::as_str), Some("InnoDB"));
    assert_eq!(
        t.options.get("DEFAULT CHARSET").map(String::as_str),
        Some("utf8mb3")
    );
    assert_eq!(
        t.options.get("COLLATE").map(String::as_str),
        Some("utf8mb3_general_ci")
    );
    assert_eq!(
        t.options.get("AUTO_INCREMENT").map(String::as_str),
        Some("42")
    );
    assert_eq!(t.comment.as_deref(), Some("the 't' table"));
    assert_round_trip(&s);
}

#[test]
fn equivalent_spellings_give_equal_models() {
    let a = schema(
        "CREATE TABLE t (a INT(11) NOT NULL, b BOOL DEFAULT FALSE, c NUMERIC, d VARCHAR(5) DEFAULT NULL, e INT DEFAULT '3',
           f DOUBLE PRECISION, g NATIONAL VARCHAR(10), PRIMARY KEY (a), UNIQUE KEY (d),
           CONSTRAINT fk FOREIGN KEY (e) REFERENCES t (a) ON DELETE RESTRICT) ENGINE=INNODB CHARSET=UTF8;",
    );
    let b = schema(
        "create table `t` (`a` integer primary key, `b` tinyint(1) default 0, `c` decimal(10,0), `d` varchar(5), `e` int(11) default 3,
           `f` real, `g` nvarchar(10), unique index d (d),
           constraint `fk` foreign key (`e`) references `t` (`a`)) engine=InnoDB default character set utf8mb3",
    );
    assert_eq!(a, b);
}

#[test]
fn unknown_types_are_errors() {
    let (message, span, _) = parse_error("CREATE TABLE t (a INTEGRE)");
    assert!(
        message.contains("unknown column type `INTEGRE`"),
        "{message}"
    );
    assert_eq!((span.line, span.column), (1, 1));
}

// ---------------------------------------------------------------------------
// Keys and constraints
// ---------------------------------------------------------------------------

#[test]
fn primary_keys_are_named_primary_and_make_columns_not_null() {
    let s = schema(
        "CREATE TABLE a (id INT PRIMARY KEY, x INT);
         CREATE TABLE b (x INT, y INT, CONSTRAINT pk_b PRIMARY KEY (x, y));
         ALTER TABLE a DROP PRIMARY KEY, ADD PRIMARY KEY (id, x);",
    );
    let a = table(&s, "a");
    assert_eq!(
        a.primary_key()
            .map(|(n, c)| (n.as_str(), c.kind.columns().to_vec())),
        Some(("PRIMARY", vec!["id".into(), "x".into()]))
    );
    assert!(a.columns.iter().all(|c| c.not_null));
    let b = table(&s, "b");
    assert_eq!(b.primary_key().map(|(n, _)| n.as_str()), Some("PRIMARY"));
    assert!(b.columns.iter().all(|c| c.not_null));
    assert_eq!(s.index_count(), 2);
    assert_round_trip(&s);
}

#[test]
fn keys_are_indexes_named_like_mariadb_names_them() {
    let s = schema(
        "CREATE TABLE t (a INT, b INT, c VARCHAR(100), d TEXT,
           UNIQUE KEY (a), UNIQUE (a), KEY (a, b), INDEX named_idx (b DESC), KEY (c(10)),
           FULLTEXT KEY ft (d), UNIQUE KEY u_ab (a, b) COMMENT 'pair', KEY h (b) USING HASH);
         CREATE TABLE s (a INT UNIQUE, named_idx INT, KEY named_idx (named_idx));",
    );
    assert!(index(&s, "t", "a").unique);
    assert!(index(&s, "t", "a_2").unique);
    assert!(!index(&s, "t", "a_3").unique);
    assert_eq!(index(&s, "t", "a_3").keys.len(), 2);
    assert!(index(&s, "t", "named_idx").keys[0].descending);
    assert_eq!(
        index(&s, "t", "c").keys[0].target,
        IndexTarget::Expression("`c`(10)".into()),
        "a prefix key part"
    );
    assert_eq!(index(&s, "t", "ft").method, "fulltext");
    assert_eq!(index(&s, "t", "u_ab").comment.as_deref(), Some("pair"));
    assert_eq!(index(&s, "t", "h").method, "hash");
    assert!(
        index(&s, "s", "a").unique,
        "a column-level UNIQUE is a unique index named after the column"
    );
    assert_eq!(
        index(&s, "s", "named_idx").table,
        QualifiedName::new("", "s"),
        "index names are per table"
    );
    assert_eq!(s.index_count(), 10);
    assert!(
        table(&s, "t").constraints.is_empty(),
        "MySQL unique constraints are indexes"
    );
    assert_round_trip(&s);
}

#[test]
fn checks_are_named_like_mariadb_names_them() {
    let s = schema(
        "CREATE TABLE t (a INT CHECK (a > 0), b INT, CHECK (b > 0), CONSTRAINT b_small CHECK (b < 50), CHECK (`b` <> 7));
         ALTER TABLE t ADD CHECK (a < b);",
    );
    let checks: Vec<(String, String)> = table(&s, "t")
        .constraints
        .iter()
        .filter_map(|(n, c)| match &c.kind {
            ConstraintKind::Check { expr, .. } => Some((n.clone(), expr.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        checks,
        [
            ("CONSTRAINT_1".to_string(), "b > 0".to_string()),
            ("CONSTRAINT_2".to_string(), "b <> 7".to_string()),
            ("CONSTRAINT_3".to_string(), "a < b".to_string()),
            ("a".to_string(), "a > 0".to_string()),
            ("b_small".to_string(), "b < 50".to_string()),
        ]
    );
    assert_round_trip(&s);
}

#[test]
fn foreign_keys_get_names_actions_and_implicit_indexes() {
    let mut s = schema(
        "CREATE TABLE p (id INT PRIMARY KEY);
         CREATE TABLE c (id INT PRIMARY KEY, p1 INT REFERENCES p (id), p2 INT, p3 INT, p4 INT,
           FOREIGN KEY (p2) REFERENCES p (id) ON DELETE CASCADE ON UPDATE SET NULL,
           CONSTRAINT fk_named FOREIGN KEY (p3) REFERENCES p (id) ON DELETE NO ACTION,
           KEY p4_idx (p4),
           FOREIGN KEY (p4) REFERENCES p (id));",
    );
    let c = table(&s, "c");
    let fk = |name: &str| match &c
        .constraints
        .get(name)
        .unwrap_or_else(|| panic!("no constraint {name}"))
        .kind
    {
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            on_delete,
            on_update,
            ..
        } => (
            columns[0].clone(),
            ref_table.name.clone(),
            *on_delete,
            *on_update,
        ),
        other => panic!("{name} is {other:?}"),
    };
    assert_eq!(
        fk("c_ibfk_1"),
        (
            "p1".into(),
            "p".into(),
            FkAction::Restrict,
            FkAction::Restrict
        )
    );
    assert_eq!(
        fk("c_ibfk_2"),
        (
            "p2".into(),
            "p".into(),
            FkAction::Cascade,
            FkAction::SetNull
        )
    );
    assert_eq!(
        fk("fk_named"),
        (
            "p3".into(),
            "p".into(),
            FkAction::NoAction,
            FkAction::Restrict
        )
    );
    assert_eq!(fk("c_ibfk_3").0, "p4");
    // InnoDB indexes foreign key columns no index covers, naming the index
    // after the constraint, or after the column when the key is unnamed.
    let names: Vec<String> = s.indexes.keys().map(|k| k.name.clone()).collect();
    assert_eq!(names, ["fk_named", "p1", "p2", "p4_idx"]);
    assert_round_trip(&s);

    // A later index that covers the key replaces the implicit one.
    astrola_core::apply_sql(
        &mut s,
        "CREATE INDEX p3_idx ON c (p3); ALTER TABLE c DROP FOREIGN KEY fk_named;",
        "",
        &mut Vec::new(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = s.indexes.keys().map(|k| k.name.clone()).collect();
    assert_eq!(names, ["p1", "p2", "p3_idx", "p4_idx"]);
    assert!(!table(&s, "c").constraints.contains_key("fk_named"));
}

// ---------------------------------------------------------------------------
// CREATE INDEX, ALTER TABLE, DROP, RENAME
// ---------------------------------------------------------------------------

#[test]
fn create_and_drop_index() {
    let s = schema(
        "CREATE TABLE t (a INT, b INT);
         CREATE INDEX i_a ON t (a);
         CREATE UNIQUE INDEX i_ab ON t (a, b DESC) USING HASH COMMENT 'both';
         DROP INDEX i_a ON t;",
    );
    assert_eq!(s.indexes.len(), 1);
    let i = index(&s, "t", "i_ab");
    assert!(i.unique);
    assert_eq!(i.method, "hash");
    assert!(i.keys[1].descending);
    assert_eq!(i.comment.as_deref(), Some("both"));
    assert_round_trip(&s);
}

#[test]
fn alter_table_operations() {
    let s = schema(
        "CREATE TABLE t (a INT, b INT, c INT, KEY kc (c));
         ALTER TABLE t ADD COLUMN d VARCHAR(10) NOT NULL DEFAULT 'x' AFTER a, ADD COLUMN z INT FIRST;
         ALTER TABLE t MODIFY COLUMN b BIGINT NOT NULL;
         ALTER TABLE t CHANGE COLUMN c c2 INT COMMENT 'renamed';
         ALTER TABLE t RENAME COLUMN a TO a2;
         ALTER TABLE t ALTER COLUMN b SET DEFAULT 7, ALTER COLUMN d DROP DEFAULT;
         ALTER TABLE t ADD INDEX (c2), ADD UNIQUE KEY u (b), ADD PRIMARY KEY (a2);
         ALTER TABLE t DROP INDEX kc, DROP COLUMN z;
         ALTER TABLE t ADD CONSTRAINT positive CHECK (b > 0);
         ALTER TABLE t DROP CONSTRAINT positive;
         ALTER TABLE t RENAME TO t2;",
    );
    assert!(!s.tables.contains_key(&QualifiedName::new("", "t")));
    let t = table(&s, "t2");
    let columns: Vec<(&str, &str, bool, Option<&str>)> = t
        .columns
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.data_type.as_str(),
                c.not_null,
                c.default.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        columns,
        [
            ("a2", "int", true, None),
            ("d", "varchar(10)", true, None),
            ("b", "bigint", true, Some("7")),
            ("c2", "int", false, None)
        ]
    );
    assert_eq!(
        t.column("c2").and_then(|c| c.comment.as_deref()),
        Some("renamed")
    );
    assert_eq!(
        t.primary_key().map(|(_, c)| c.kind.columns().to_vec()),
        Some(vec!["a2".to_string()])
    );
    assert!(t.constraints.len() == 1);
    let names: Vec<(String, String)> = s
        .indexes
        .iter()
        .map(|(k, i)| (k.schema.clone(), format!("{}:{}", i.table.name, k.name)))
        .collect();
    assert_eq!(
        names,
        [("t2".into(), "t2:c2".into()), ("t2".into(), "t2:u".into())]
    );
    assert_round_trip(&s);
}

#[test]
fn alter_table_options_are_applied() {
    // `sqlparser` cannot read these; the frontend reads them itself.
    let s = schema(
        "CREATE TABLE t (a INT) ENGINE=MyISAM;
         ALTER TABLE t ENGINE = InnoDB, AUTO_INCREMENT = 100;
         ALTER TABLE `t` DEFAULT CHARACTER SET utf8 COMMENT 'hello';",
    );
    let t = table(&s, "t");
    assert_eq!(t.options.get("ENGINE").map(String::as_str), Some("InnoDB"));
    assert_eq!(
        t.options.get("AUTO_INCREMENT").map(String::as_str),
        Some("100")
    );
    assert_eq!(
        t.options.get("DEFAULT CHARSET").map(String::as_str),
        Some("utf8mb3")
    );
    assert_eq!(t.comment.as_deref(), Some("hello"));
    assert_round_trip(&s);
    let (_, span, _) = parse_error("CREATE TABLE t (a INT);\nALTER TABLE t FROBNICATE = 1;");
    assert_eq!(span.line, 2);
}

#[test]
fn drop_and_rename_tables() {
    let s = schema(
        "CREATE TABLE a (id INT PRIMARY KEY);
         CREATE TABLE b (id INT PRIMARY KEY, a_id INT, KEY k (a_id), CONSTRAINT fk FOREIGN KEY (a_id) REFERENCES a (id));
         CREATE TABLE gone (x INT, KEY kx (x));
         RENAME TABLE a TO a_new, b TO b_new;
         DROP TABLE IF EXISTS missing, gone;
         DROP TABLE IF EXISTS missing;",
    );
    assert_eq!(
        s.tables.keys().map(|k| k.name.as_str()).collect::<Vec<_>>(),
        ["a_new", "b_new"]
    );
    match &table(&s, "b_new").constraints["fk"].kind {
        ConstraintKind::ForeignKey { ref_table, .. } => assert_eq!(ref_table.name, "a_new"),
        other => panic!("{other:?}"),
    }
    assert_eq!(index(&s, "b_new", "k").table.name, "b_new");
    assert_eq!(s.indexes.len(), 1, "dropping a table drops its indexes");
    assert_round_trip(&s);
}

// ---------------------------------------------------------------------------
// Views, noise, unmanaged statements
// ---------------------------------------------------------------------------

#[test]
fn views_are_stored_normalised_and_rendered_in_dependency_order() {
    let s = schema(
        "USE shop;
         CREATE TABLE t (a INT, b INT);
         CREATE VIEW v AS SELECT   a,  `b` FROM shop.t WHERE a > 1;
         CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW z_base (x) AS SELECT a FROM t;
         CREATE VIEW a_top AS SELECT x FROM z_base;
         CREATE VIEW dropped AS SELECT 1;
         DROP VIEW dropped;
         DROP VIEW IF EXISTS never_there;",
    );
    let v = &s.views[&QualifiedName::new("", "v")];
    assert_eq!(
        v.query, "SELECT a, b FROM t WHERE a > 1",
        "the current database's qualifier and needless quotes go"
    );
    let base = &s.views[&QualifiedName::new("", "z_base")];
    assert_eq!(base.columns, ["x"]);
    assert_eq!(
        base.options.get("algorithm").map(String::as_str),
        Some("MERGE")
    );
    assert_eq!(
        base.options.get("sql_security").map(String::as_str),
        Some("INVOKER")
    );
    assert_eq!(s.views.len(), 3);
    let rendered = assert_round_trip(&s);
    let position = |needle: &str| {
        rendered
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not rendered"))
    };
    assert!(
        position("VIEW `z_base`") < position("VIEW `a_top`"),
        "{rendered}"
    );
}

#[test]
fn session_noise_is_ignored_and_data_statements_are_kept_unmanaged() {
    let parsed = parse(
        "SET NAMES utf8mb4;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE */;
/*!50717 SELECT 'mysql only' */;
SET FOREIGN_KEY_CHECKS=0;
START TRANSACTION;
LOCK TABLES t WRITE;
CREATE TABLE t (a INT);
INSERT INTO t VALUES (1), (2);
UNLOCK TABLES;
COMMIT;
BEGIN;
UPDATE t SET a = 3;
DELETE FROM t;
COMMIT;",
    );
    let kinds: Vec<(&str, usize)> = parsed
        .schema
        .unmanaged
        .iter()
        .map(|u| (u.kind.as_str(), u.span.line))
        .collect();
    assert_eq!(kinds, [("INSERT", 8), ("UPDATE", 12), ("DELETE", 13)]);
    assert_eq!(
        parsed.schema.unmanaged[0].sql,
        "INSERT INTO t VALUES (1), (2)"
    );
    assert_eq!(parsed.warnings.len(), 3);
    assert!(parsed.warnings[0].message.contains("INSERT"));
    assert_eq!(parsed.warnings[0].span, parsed.schema.unmanaged[0].span);
    assert_round_trip(&parsed.schema);
}

#[test]
fn triggers_and_routines_are_unmanaged_and_dropped_by_name() {
    let sql = "CREATE TABLE t (a INT);
CREATE TABLE u (a INT);
DELIMITER ;;
CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = NEW.a + 1; END;;
CREATE DEFINER=`root`@`localhost` TRIGGER trg_u BEFORE INSERT ON u FOR EACH ROW SET NEW.a = 1;;
CREATE PROCEDURE p() BEGIN SELECT 1; END;;
CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC BEGIN DECLARE y INT; SET y = x; RETURN y; END;;
DELIMITER ;
DROP TRIGGER trg;
DROP TABLE u;";
    let parsed = parse(sql);
    let kinds: Vec<&str> = parsed
        .schema
        .unmanaged
        .iter()
        .map(|u| u.kind.as_str())
        .collect();
    assert_eq!(
        kinds,
        ["CREATE PROCEDURE", "CREATE FUNCTION"],
        "DROP TRIGGER and DROP TABLE remove the triggers"
    );
    assert_eq!(parsed.schema.unmanaged[0].span.line, 6);
    let rendered = assert_round_trip(&parsed.schema);
    assert!(
        rendered
            .contains("DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END;;\nDELIMITER ;\n"),
        "{rendered}"
    );
}

#[test]
fn create_table_like_copies_columns_and_keys_but_not_foreign_keys() {
    let s = schema(
        "CREATE TABLE p (id INT PRIMARY KEY);
         CREATE TABLE a (id INT PRIMARY KEY, p_id INT, KEY k (p_id), FOREIGN KEY (p_id) REFERENCES p (id));
         CREATE TABLE b LIKE a;",
    );
    let b = table(&s, "b");
    assert_eq!(b.columns, table(&s, "a").columns);
    assert!(b.primary_key().is_some());
    assert_eq!(b.constraints.len(), 1);
    assert_eq!(index(&s, "b", "k").table.name, "b");
    assert_round_trip(&s);
}

// ---------------------------------------------------------------------------
// Errors and hostile input
// ---------------------------------------------------------------------------

#[test]
fn syntax_errors_point_at_the_token() {
    let (message, span, statement) =
        parse_error("CREATE TABLE ok (a INT);\nCREATE TABLE bad (\n  a INT,,\n  b INT\n);");
    assert!(message.contains("found: ,"), "{message}");
    assert_eq!(
        (span.file.as_str(), span.line, span.column),
        ("m.sql", 3, 9)
    );
    assert_eq!(span.end, span.start + 1);
    assert_eq!(statement, "CREATE TABLE bad (\n  a INT,,\n  b INT\n)");
}

#[test]
fn syntax_errors_after_a_column_type_point_at_the_token() {
    let (message, span, _) =
        parse_error("CREATE TABLE t (\n  a VARCHAR(10) CHARACTER SET utf8 NOT NULL DEFALT 'x'\n)");
    assert!(message.contains("DEFALT"), "{message}");
    assert_eq!((span.line, span.column), (2, 45));
}

#[test]
fn statements_on_missing_tables_are_errors_with_their_location() {
    for (sql, line) in [
        ("ALTER TABLE nope ADD COLUMN a INT", 1),
        ("CREATE TABLE t (a INT);\nDROP TABLE nope;", 2),
        ("CREATE TABLE t (a INT);\n\nCREATE INDEX i ON nope (a);", 3),
        (
            "CREATE TABLE t (a INT);\nALTER TABLE t DROP COLUMN missing;",
            2,
        ),
        ("CREATE TABLE t (a INT);\nDROP INDEX missing ON t;", 2),
        ("CREATE TABLE t (a INT);\nCREATE TABLE t (b INT);", 2),
    ] {
        let (message, span, statement) = parse_error(sql);
        assert!(
            message.contains("does not exist") || message.contains("already exists"),
            "{sql}: {message}"
        );
        assert_eq!(span.line, line, "{sql}");
        assert_eq!(span.column, 1, "{sql}");
        assert!(sql.contains(&statement), "{statement}");
    }
    assert!(parse_sql(
        "DROP TABLE IF EXISTS nope; ALTER TABLE IF EXISTS nope ADD COLUMN a INT",
        Dialect::Mysql
    )
    .is_ok());
}

#[test]
fn a_failed_statement_leaves_the_schema_unchanged() {
    let mut s = schema("CREATE TABLE t (a INT);");
    let before = s.clone();
    let result = astrola_core::apply_sql(
        &mut s,
        "ALTER TABLE t ADD COLUMN b INT, DROP COLUMN missing;",
        "",
        &mut Vec::new(),
    );
    assert!(result.is_err());
    assert_eq!(s, before);
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
    let deep_default = format!(
        "CREATE TABLE t (a INT DEFAULT {}1{})",
        "(".repeat(3000),
        ")".repeat(3000)
    );
    let mut inputs: Vec<String> = [
        "",
        ";;;",
        "CREATE",
        "CREATE TABLE",
        "CREATE TABLE t (",
        "CREATE TABLE t (a",
        "'unterminated",
        "`x",
        "/* open",
        "/*! open",
        "DELIMITER",
        "DELIMITER \n",
        "DELIMITER $$\nSELECT 1",
        "\u{0}\u{1}\u{2}",
        "ALTER TABLE",
        "ALTER TABLE t ADD",
        "CREATE TABLE t (a INT) ENGINE=",
        "CREATE TABLE t (a ENUM('",
        "CREATE TABLE t (a INT, PRIMARY KEY (b))",
        "CREATE TABLE t (a INT); ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES",
        "RENAME TABLE a TO",
        "DROP INDEX i",
        "CREATE TABLE é (ü VARCHAR(1) COMMENT '☃')",
        "CREATE TABLE t (a INT(99999999999999999999999))",
        "CREATE TABLE t (a DECIMAL(,))",
        "CREATE VIEW v AS",
        "USE",
        "CREATE TABLE t (a INT) /*!",
        "CREATE TABLE t (a VARCHAR(10) CHARACTER SET)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    inputs.push(deep);
    inputs.push(deep_default);
    let fragments = [
        "CREATE", "TABLE", "t", "(", ")", ",", "a", "INT", "KEY", "'", "`", ";", "DEFAULT", "/*",
        "*/", "--", "\n", "ALTER", "é",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
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
        if let Ok(parsed) = parse_sql(input, Dialect::Mysql) {
            let _ = render_sql(&parsed.schema);
        }
    }
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

const EDGE_CASES: &str = r"CREATE TABLE `we``ird; DROP TABLE x` (
  `it's` INT NOT NULL COMMENT 'a ''quoted'' \\ back\\slash; comment',
  `na me` ENUM('a''b', 'c\\d', 'e;f') DEFAULT 'a''b',
  `ü` VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  body TEXT,
  amount DECIMAL(10,2) UNSIGNED ZEROFILL,
  PRIMARY KEY (`it's`),
  KEY `prefix` (`ü`(5), `it's` DESC),
  FULLTEXT KEY ft (body),
  CONSTRAINT `chk` CHECK (`it's` >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='table \'comment\'';
CREATE TABLE child (id INT PRIMARY KEY, ref INT, CONSTRAINT `fk``x` FOREIGN KEY (ref) REFERENCES `we``ird; DROP TABLE x` (`it's`) ON DELETE CASCADE)
  ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE VIEW `v w` AS SELECT `it's` AS `a b`, 'x;y' AS s FROM `we``ird; DROP TABLE x`;";

#[test]
fn rendering_quotes_identifiers_and_escapes_literals() {
    let s = schema(EDGE_CASES);
    let weird = table(&s, "we`ird; DROP TABLE x");
    assert_eq!(
        weird.column("it's").and_then(|c| c.comment.as_deref()),
        Some("a 'quoted' \\ back\\slash; comment")
    );
    assert_eq!(
        weird.column("na me").map(|c| c.data_type.as_str()),
        Some(r"enum('a''b','c\\d','e;f')")
    );
    assert_eq!(
        weird.column("amount").map(|c| c.data_type.as_str()),
        Some("decimal(10,2) unsigned zerofill")
    );
    let rendered = assert_round_trip(&s);
    assert!(
        rendered.contains("CREATE TABLE `we``ird; DROP TABLE x` ("),
        "{rendered}"
    );
    assert!(
        rendered.contains(r"COMMENT 'a ''quoted'' \\ back\\slash; comment'"),
        "{rendered}"
    );
    assert!(rendered.contains("ALTER TABLE `child` ADD CONSTRAINT `fk``x` FOREIGN KEY (`ref`) REFERENCES `we``ird; DROP TABLE x` (`it's`) ON DELETE CASCADE;\n"), "{rendered}");
}

#[test]
fn rendering_is_deterministic() {
    let s = schema(EDGE_CASES);
    assert_eq!(render_sql(&s), render_sql(&schema(EDGE_CASES)));
    assert_eq!(render_sql(&s), render_sql(&schema(&render_sql(&s))));
}

// ---------------------------------------------------------------------------
// Corpus round trips
// ---------------------------------------------------------------------------

const SAKILA: &str = "schemas/sakila/mysql-sakila-schema.sql";
const CHINOOK: &str = "schemas/chinook/Chinook_MySql.sql";

#[test]
fn sakila_round_trips() {
    let parsed = parse(&corpus(SAKILA));
    let s = &parsed.schema;
    // 16 tables; 16 primary keys, 22 KEYs, 1 UNIQUE KEY, 1 FULLTEXT KEY, and
    // the 2 indexes InnoDB adds for foreign keys no index covers
    // (film_category.category_id, payment.rental_id): 41 indexes.
    assert_eq!(s.tables.len(), 16);
    assert_eq!(s.index_count(), 41);
    assert!(s.indexes.contains_key(&QualifiedName::new(
        "film_category",
        "fk_film_category_category"
    )));
    assert!(
        s.indexes
            .contains_key(&QualifiedName::new("rental", "rental_date")),
        "the unnamed UNIQUE KEY"
    );
    assert_eq!(s.views.len(), 7);
    let kinds: Vec<&str> = s.unmanaged.iter().map(|u| u.kind.as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "CREATE TRIGGER").count(), 3);
    assert_eq!(
        kinds.iter().filter(|k| **k == "CREATE PROCEDURE").count(),
        3
    );
    assert_eq!(kinds.iter().filter(|k| **k == "CREATE FUNCTION").count(), 3);
    assert_eq!(kinds.len(), 9);
    assert_eq!(
        table(s, "staff")
            .column("password")
            .and_then(|c| c.collation.as_deref()),
        Some("utf8mb3_bin")
    );
    assert!(
        s.views[&QualifiedName::new("", "actor_info")]
            .query
            .contains("FROM film f"),
        "`sakila.` qualifiers are dropped"
    );
    assert_round_trip(s);
}

#[test]
fn chinook_round_trips() {
    let parsed = parse(&corpus(CHINOOK));
    let s = &parsed.schema;
    // 11 tables with 11 primary keys and 11 `IFK_` indexes; the indexes
    // InnoDB creates for the foreign keys are dropped when the `IFK_`
    // indexes are created.
    assert_eq!(s.tables.len(), 11);
    assert_eq!(s.index_count(), 22);
    assert!(s.indexes.keys().all(|k| k.name.starts_with("IFK_")));
    assert_eq!(s.unmanaged.len(), 24);
    assert!(s.unmanaged.iter().all(|u| u.kind == "INSERT"));
    assert_eq!(
        table(s, "Album")
            .column("Title")
            .map(|c| c.data_type.as_str()),
        Some("varchar(160) character set utf8mb3")
    );
    assert_round_trip(s);
}

// ---------------------------------------------------------------------------
// Server tests: the local MariaDB
// ---------------------------------------------------------------------------

const CLIENT_ARGS: [&str; 5] = [
    "--host=127.0.0.1",
    "--port=3306",
    "--user=root",
    "--default-character-set=utf8mb4",
    "--batch",
];

/// Runs `program` (the `mariadb` client or `mariadb-dump`) with `args`,
/// feeding it `input`; returns its output or its error output.
fn run_client(program: &str, args: &[&str], input: &str) -> Result<String, String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{program}`: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("`{program}` failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "the stdin writer panicked".to_string())?
        .map_err(|e| format!("cannot write to `{program}`: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// A fresh database on the local MariaDB, dropped when the test ends.
struct ScratchDatabase {
    name: String,
}

impl ScratchDatabase {
    fn create() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "astrola_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        run_client("mariadb", &CLIENT_ARGS, &format!("DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`;"))
            .unwrap_or_else(|e| {
                panic!(
                    "MariaDB is unreachable at 127.0.0.1:3306 (user root, empty password), or refused to create a database; \
                     the server tests need it running.\n{e}"
                )
            });
        Self { name }
    }

    fn run(&self, sql: &str) -> Result<String, String> {
        let mut args = CLIENT_ARGS.to_vec();
        args.extend(["--skip-column-names", &self.name]);
        run_client("mariadb", &args, sql)
    }

    fn load(&self, sql: &str, what: &str) {
        if let Err(e) = self.run(sql) {
            panic!("MariaDB rejected {what}: {e}");
        }
    }

    fn rows(&self, query: &str) -> BTreeSet<String> {
        self.run(query)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// `table PRIMARY`, `table index`, ... as the server reports them.
    fn index_names(&self) -> BTreeSet<(String, String)> {
        let query = format!(
            "SELECT DISTINCT TABLE_NAME, INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '{}'",
            self.name
        );
        self.rows(&query)
            .into_iter()
            .filter_map(|line| {
                line.split_once('\t')
                    .map(|(t, i)| (t.to_string(), i.to_string()))
            })
            .collect()
    }

    fn table_names(&self, table_type: &str) -> BTreeSet<String> {
        self.rows(&format!(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{}' AND TABLE_TYPE = '{table_type}'",
            self.name
        ))
    }

    fn dump(&self) -> String {
        let mut args = CLIENT_ARGS[..4].to_vec();
        args.extend([
            "--no-data",
            "--skip-triggers",
            "--skip-comments",
            &self.name,
        ]);
        run_client("mariadb-dump", &args, "").unwrap_or_else(|e| panic!("mariadb-dump failed: {e}"))
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let _ = run_client(
            "mariadb",
            &CLIENT_ARGS,
            &format!("DROP DATABASE IF EXISTS `{}`;", self.name),
        );
    }
}

/// Replaces the word `word` (not parts of longer names) in `text`.
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let is_name = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at]
            .chars()
            .next_back()
            .or_else(|| out.chars().next_back());
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        out.push_str(if is_name(before) || is_name(after) {
            word
        } else {
            with
        });
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// Checks that the server holds the model's tables, views and indexes.
fn assert_server_matches(db: &ScratchDatabase, s: &Schema) {
    let tables: BTreeSet<String> = s.tables.keys().map(|k| k.name.clone()).collect();
    let views: BTreeSet<String> = s.views.keys().map(|k| k.name.clone()).collect();
    assert_eq!(db.table_names("BASE TABLE"), tables);
    assert_eq!(db.table_names("VIEW"), views);
    assert_eq!(
        db.index_names(),
        index_names(s),
        "the server's indexes differ from the model's"
    );
}

#[test]
fn server_loads_rendered_sakila() {
    let s = parse(&corpus(SAKILA)).schema;
    let db = ScratchDatabase::create();
    db.load(&render_sql(&s), "the rendered sakila DDL");
    assert_server_matches(&db, &s);
}

#[test]
fn server_loads_original_sakila() {
    // The file creates, fills and uses a database called `sakila`; point it
    // at the scratch database instead. Everything else loads unchanged.
    let original = corpus(SAKILA);
    let s = parse(&original).schema;
    let db = ScratchDatabase::create();
    db.load(
        &replace_word(&original, "sakila", &db.name),
        "the original sakila file",
    );
    assert_server_matches(&db, &s);
}

#[test]
fn server_loads_rendered_chinook() {
    let s = parse(&corpus(CHINOOK)).schema;
    let db = ScratchDatabase::create();
    db.load(&render_sql(&s), "the rendered chinook DDL and data");
    assert_server_matches(&db, &s);
    assert_eq!(
        db.rows("SELECT COUNT(*) FROM `Track`"),
        BTreeSet::from(["3503".to_string()])
    );
}

#[test]
fn server_loads_original_chinook() {
    // The file drops, creates and uses a database called `Chinook`; point it
    // at the scratch database instead.
    let original = corpus(CHINOOK);
    let s = parse(&original).schema;
    let db = ScratchDatabase::create();
    db.load(
        &original.replace("`Chinook`", &format!("`{}`", db.name)),
        "the original chinook file",
    );
    assert_server_matches(&db, &s);
}

#[test]
fn server_loads_rendered_edge_cases() {
    let s = schema(EDGE_CASES);
    let db = ScratchDatabase::create();
    db.load(&render_sql(&s), "the rendered edge cases");
    assert_server_matches(&db, &s);
}

/// What `mariadb-dump` spells out that the original files leave to the
/// server: the default collation of the table's character set.
fn without_server_defaults(mut s: Schema) -> Schema {
    for table in s.tables.values_mut() {
        table.options.remove("COLLATE");
    }
    s.views.clear();
    s.unmanaged.clear();
    s
}

#[test]
fn server_dump_parses_to_the_same_tables() {
    for (sql, what) in [
        (corpus(SAKILA), "sakila"),
        (EDGE_CASES.to_string(), "edge cases"),
    ] {
        let db = ScratchDatabase::create();
        let sql = replace_word(&sql, "sakila", &db.name);
        db.load(&sql, what);
        let dumped = parse(&db.dump()).schema;
        let original = parse(&sql).schema;
        assert_eq!(
            without_server_defaults(dumped),
            without_server_defaults(original),
            "{what}: the dump's model differs"
        );
    }
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
        "we`ird",
        "sp ace",
        "ü",
        "order",
        "semi;colon",
        "key",
    ];
    const TYPES: &[&str] = &[
        "INT",
        "BIGINT UNSIGNED",
        "VARCHAR(20)",
        "DECIMAL(8,2)",
        "TEXT",
        "DATETIME",
        "ENUM('a','b''c')",
        "TINYINT(1)",
        "DOUBLE",
        "CHAR(3) CHARACTER SET latin1",
    ];
    const ATTRIBUTES: &[&str] = &[
        "",
        " DEFAULT NULL",
        " DEFAULT 0",
        " DEFAULT 'x''y\\z'",
        " DEFAULT CURRENT_TIMESTAMP",
        " COMMENT 'c''\\d'",
        " AUTO_INCREMENT",
    ];

    /// A column: name, type, NOT NULL, attribute.
    type ColumnChoice = (usize, usize, bool, usize);
    /// A table: columns, primary key on the first column, index on the
    /// last, foreign key from the first column to the first table.
    type TableChoice = (Vec<ColumnChoice>, bool, bool, bool);

    fn quote(name: &str) -> String {
        format!("`{}`", name.replace('`', "``"))
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
            let parsed = parse_sql(&sql, Dialect::Mysql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
            super::assert_round_trip(&parsed.schema);
        }
    }
}

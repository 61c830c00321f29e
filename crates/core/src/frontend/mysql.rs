//! The MySQL/MariaDB frontend: replays MySQL DDL, as the `mysql` client
//! would send it to a MariaDB 10.11 server, into a [`Schema`].
//!
//! Scripts are split like the `mysql` client does (`DELIMITER`, `#` and
//! `-- ` comments, executable `/*! ... */` comments) and each statement is
//! parsed by `sqlparser`'s `MySqlDialect`.
//!
//! # Canonical form
//!
//! - Names have no namespace (`QualifiedName::new("", name)`) and keep the
//!   case they are written in. Indexes are keyed by `(table, index)`, since
//!   MySQL index names are per table.
//! - Types are lower case, as `SHOW CREATE TABLE` prints them, with MySQL 8's
//!   rules for display widths: `INT(11)` and `INTEGER` are `int`, `BOOL` is
//!   `tinyint(1)`, widths stay only for `tinyint(1)` and `ZEROFILL`.
//!   `DECIMAL` is `decimal(10,0)`, `FLOAT(30)` is `double`, `YEAR(4)` is
//!   `year`, `NVARCHAR(n)` is `varchar(n) character set utf8mb3`.
//!   A column character set is part of the type; the `BINARY` attribute
//!   becomes the `_bin` collation of the column's (or table's) character set.
//! - `utf8` is `utf8mb3`, as in MariaDB 10.6+ and MySQL 8.
//! - `UNIQUE` constraints are unique indexes; the primary key is `PRIMARY`;
//!   unnamed indexes are named after their first column (`a`, `a_2`, ...),
//!   unnamed foreign keys `<table>_ibfk_<n>`, unnamed table checks
//!   `CONSTRAINT_<n>` and column checks after their column, as MariaDB does.
//! - A foreign key whose columns no index covers creates an index, named
//!   after the constraint (or its first column), which is dropped again when
//!   another index covers the key, as InnoDB does.
//! - `ON DELETE`/`ON UPDATE` left out is `RESTRICT`, as MariaDB reports it.
//! - Defaults are written as `SHOW CREATE TABLE` writes them: `TRUE` is `1`,
//!   numbers in quotes on numeric columns lose the quotes and get the
//!   column's decimals, `NOW()` and `CURRENT_TIMESTAMP` are
//!   `current_timestamp()`, `DATE '...'` is `'...'`, a parenthesised call or
//!   literal loses its parentheses, `DEFAULT NULL` is no default.
//! - Expressions (defaults, checks, generated columns, view queries) are
//!   printed by `sqlparser`, with function names in lower case and quotes
//!   kept only on names that need them. `JSON` stays `json` (MariaDB would
//!   store `longtext` with a `json_valid` check; MySQL 8 has a real type).
//! - A closing `PARTITION BY` clause, which `sqlparser` cannot read, is kept
//!   verbatim (whitespace collapsed) in `Table::options["PARTITION BY"]`.
//! - Column attributes without a model field go to `Column::extra`
//!   (`AUTO_INCREMENT`, `ON UPDATE current_timestamp()`, `INVISIBLE`,
//!   `VIRTUAL`/`STORED` for generated columns); table options go to
//!   `Table::options` (`ENGINE`, `DEFAULT CHARSET`, `COLLATE`,
//!   `AUTO_INCREMENT`, `ROW_FORMAT`, ...).
//!
//! Triggers, routines and events (also when `sqlparser` cannot read their
//! bodies, and also written without `DELIMITER`, as migration tools accept),
//! data statements (`INSERT`, ...) and other statements the model cannot
//! hold are kept as unmanaged statements with a warning. `SET`, `USE`,
//! transactions and `LOCK TABLES` are session noise; `CREATE`/`DROP
//! DATABASE` are ignored with a warning (the model is one database).

use std::collections::BTreeMap;

use sqlparser::ast::{Expr, SqlOption};
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect};
use sqlparser::tokenizer::Token;

use super::sqlparser_replay::{
    canonical_sql, first_free, numbered, numeric_literal, replay, significant_tokens, skip_group,
    string_literal, ColumnType, DialectRules, Disposition, LeadingWord, ScriptSyntax, Tok,
};
use crate::ident::quote_ident_backtick;
use crate::model::{Column, Constraint, FkAction, IndexKey, IndexTarget, Table};
use crate::{Error, QualifiedName, Schema, Warning};

/// Replays MySQL/MariaDB DDL on `schema`.
pub fn apply(
    schema: &mut Schema,
    sql: &str,
    file: &str,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    replay(&MysqlRules, schema, sql, file, warnings)
}

/// Quotes a string literal for MySQL: single quotes doubled and backslashes
/// escaped, so the text means the same whatever `sql_mode` says.
pub fn quote_string(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
}

/// The value of a MySQL string literal's raw text (between the quotes).
pub fn unescape_string(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('0') => out.push('\0'),
                Some('b') => out.push('\u{8}'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('Z') => out.push('\u{1a}'),
                Some(c @ ('%' | '_')) => {
                    out.push('\\');
                    out.push(c);
                }
                Some(c) => out.push(c),
                None => out.push('\\'),
            },
            '\'' | '"' if chars.peek() == Some(&c) => {
                chars.next();
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The canonical name of a character set or collation: lower case, with
/// `utf8` spelled `utf8mb3`.
pub fn canonical_charset(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.strip_prefix("utf8") {
        Some(rest) if rest.is_empty() || rest.starts_with('_') => format!("utf8mb3{rest}"),
        _ => lower,
    }
}

/// MySQL 8 and MariaDB 10.11 reserved words, and `TRUE`/`FALSE`, sorted
/// for binary search.
const RESERVED: &[&str] = &[
    "ACCESSIBLE",
    "ADD",
    "ALL",
    "ALTER",
    "ANALYZE",
    "AND",
    "AS",
    "ASC",
    "ASENSITIVE",
    "BEFORE",
    "BETWEEN",
    "BIGINT",
    "BINARY",
    "BLOB",
    "BOTH",
    "BY",
    "CALL",
    "CASCADE",
    "CASE",
    "CHANGE",
    "CHAR",
    "CHARACTER",
    "CHECK",
    "COLLATE",
    "COLUMN",
    "CONDITION",
    "CONSTRAINT",
    "CONTINUE",
    "CONVERT",
    "CREATE",
    "CROSS",
    "CUBE",
    "CUME_DIST",
    "CURRENT_DATE",
    "CURRENT_ROLE",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "CURRENT_USER",
    "CURSOR",
    "DATABASE",
    "DATABASES",
    "DAY_HOUR",
    "DAY_MICROSECOND",
    "DAY_MINUTE",
    "DAY_SECOND",
    "DEC",
    "DECIMAL",
    "DECLARE",
    "DEFAULT",
    "DELAYED",
    "DELETE",
    "DELETE_DOMAIN_ID",
    "DENSE_RANK",
    "DESC",
    "DESCRIBE",
    "DETERMINISTIC",
    "DISTINCT",
    "DISTINCTROW",
    "DIV",
    "DOUBLE",
    "DO_DOMAIN_IDS",
    "DROP",
    "DUAL",
    "EACH",
    "ELSE",
    "ELSEIF",
    "EMPTY",
    "ENCLOSED",
    "ESCAPED",
    "EXCEPT",
    "EXISTS",
    "EXIT",
    "EXPLAIN",
    "FALSE",
    "FETCH",
    "FIRST_VALUE",
    "FLOAT",
    "FLOAT4",
    "FLOAT8",
    "FOR",
    "FORCE",
    "FOREIGN",
    "FROM",
    "FULLTEXT",
    "FUNCTION",
    "GENERAL",
    "GENERATED",
    "GET",
    "GRANT",
    "GROUP",
    "GROUPING",
    "GROUPS",
    "HAVING",
    "HIGH_PRIORITY",
    "HOUR_MICROSECOND",
    "HOUR_MINUTE",
    "HOUR_SECOND",
    "IF",
    "IGNORE",
    "IGNORE_DOMAIN_IDS",
    "IGNORE_SERVER_IDS",
    "IN",
    "INDEX",
    "INFILE",
    "INNER",
    "INOUT",
    "INSENSITIVE",
    "INSERT",
    "INT",
    "INT1",
    "INT2",
    "INT3",
    "INT4",
    "INT8",
    "INTEGER",
    "INTERSECT",
    "INTERVAL",
    "INTO",
    "IO_AFTER_GTIDS",
    "IO_BEFORE_GTIDS",
    "IS",
    "ITERATE",
    "JOIN",
    "JSON_TABLE",
    "KEY",
    "KEYS",
    "KILL",
    "LAG",
    "LAST_VALUE",
    "LATERAL",
    "LEAD",
    "LEADING",
    "LEAVE",
    "LEFT",
    "LIKE",
    "LIMIT",
    "LINEAR",
    "LINES",
    "LOAD",
    "LOCALTIME",
    "LOCALTIMESTAMP",
    "LOCK",
    "LONG",
    "LONGBLOB",
    "LONGTEXT",
    "LOOP",
    "LOW_PRIORITY",
    "MASTER_BIND",
    "MASTER_HEARTBEAT_PERIOD",
    "MASTER_SSL_VERIFY_SERVER_CERT",
    "MATCH",
    "MAXVALUE",
    "MEDIUMBLOB",
    "MEDIUMINT",
    "MEDIUMTEXT",
    "MIDDLEINT",
    "MINUTE_MICROSECOND",
    "MINUTE_SECOND",
    "MOD",
    "MODIFIES",
    "NATURAL",
    "NOT",
    "NO_WRITE_TO_BINLOG",
    "NTH_VALUE",
    "NTILE",
    "NULL",
    "NUMERIC",
    "OF",
    "OFFSET",
    "ON",
    "OPTIMIZE",
    "OPTIMIZER_COSTS",
    "OPTION",
    "OPTIONALLY",
    "OR",
    "ORDER",
    "OUT",
    "OUTER",
    "OUTFILE",
    "OVER",
    "PAGE_CHECKSUM",
    "PARSE_VCOL_EXPR",
    "PARTITION",
    "PERCENT_RANK",
    "POSITION",
    "PRECISION",
    "PRIMARY",
    "PROCEDURE",
    "PURGE",
    "RANGE",
    "RANK",
    "READ",
    "READS",
    "READ_WRITE",
    "REAL",
    "RECURSIVE",
    "REFERENCES",
    "REF_SYSTEM_ID",
    "REGEXP",
    "RELEASE",
    "RENAME",
    "REPEAT",
    "REPLACE",
    "REQUIRE",
    "RESIGNAL",
    "RESTRICT",
    "RETURN",
    "RETURNING",
    "REVOKE",
    "RIGHT",
    "RLIKE",
    "ROW",
    "ROWS",
    "ROW_NUMBER",
    "SCHEMA",
    "SCHEMAS",
    "SECOND_MICROSECOND",
    "SELECT",
    "SENSITIVE",
    "SEPARATOR",
    "SET",
    "SHOW",
    "SIGNAL",
    "SLOW",
    "SMALLINT",
    "SPATIAL",
    "SPECIFIC",
    "SQL",
    "SQLEXCEPTION",
    "SQLSTATE",
    "SQLWARNING",
    "SQL_BIG_RESULT",
    "SQL_CALC_FOUND_ROWS",
    "SQL_SMALL_RESULT",
    "SSL",
    "STARTING",
    "STATS_AUTO_RECALC",
    "STATS_PERSISTENT",
    "STATS_SAMPLE_PAGES",
    "STORED",
    "STRAIGHT_JOIN",
    "SYSTEM",
    "TABLE",
    "TERMINATED",
    "THEN",
    "TINYBLOB",
    "TINYINT",
    "TINYTEXT",
    "TO",
    "TRAILING",
    "TRIGGER",
    "TRUE",
    "UNDO",
    "UNION",
    "UNIQUE",
    "UNLOCK",
    "UNSIGNED",
    "UPDATE",
    "USAGE",
    "USE",
    "USING",
    "UTC_DATE",
    "UTC_TIME",
    "UTC_TIMESTAMP",
    "VALUES",
    "VARBINARY",
    "VARCHAR",
    "VARCHARACTER",
    "VARYING",
    "VIRTUAL",
    "WHEN",
    "WHERE",
    "WHILE",
    "WINDOW",
    "WITH",
    "WRITE",
    "XOR",
    "YEAR_MONTH",
    "ZEROFILL",
];

struct MysqlRules;

const DIALECT: MySqlDialect = MySqlDialect {};

/// Session statements that change nothing in the schema.
const SESSION_NOISE: &[&str] = &[
    "SET",
    "LOCK",
    "UNLOCK",
    "BEGIN",
    "START",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE",
];

impl DialectRules for MysqlRules {
    fn sql_dialect(&self) -> &dyn SqlDialect {
        &DIALECT
    }

    fn script_syntax(&self) -> ScriptSyntax {
        ScriptSyntax {
            client_delimiter: true,
            backslash_escapes: true,
            hash_comments: true,
            dash_comment_needs_space: true,
            bracket_identifiers: false,
            executable_comments: true,
            compound_bodies: true,
        }
    }

    fn classify_unparsed(&self, words: &[LeadingWord]) -> Option<Disposition> {
        let first = words.first()?;
        SESSION_NOISE
            .iter()
            .any(|w| first.is(w))
            .then_some(Disposition::Ignore)
    }

    fn starts_table_constraint(&self, word: &str) -> bool {
        matches!(
            word,
            "CONSTRAINT"
                | "PRIMARY"
                | "UNIQUE"
                | "KEY"
                | "INDEX"
                | "FULLTEXT"
                | "SPATIAL"
                | "CHECK"
                | "FOREIGN"
                | "PERIOD"
        )
    }

    fn type_extent(&self, tokens: &[Tok], start: usize) -> usize {
        let Some(mut previous) = tokens.get(start).and_then(Tok::keyword) else {
            return start;
        };
        let mut at = start + 1;
        while let Some(tok) = tokens.get(at) {
            if matches!(tok.token, Token::LParen) {
                at = skip_group(tokens, at);
                continue;
            }
            let Some(word) = tok.keyword() else { break };
            let before_set = tokens.get(at + 1).is_some_and(|t| t.is_keyword("SET"));
            let continues = match word.as_str() {
                "UNSIGNED" | "SIGNED" | "ZEROFILL" | "BINARY" | "ASCII" | "UNICODE" | "BYTE"
                | "CHARSET" => true,
                "PRECISION" => previous == "DOUBLE",
                "VARYING" => matches!(previous.as_str(), "CHAR" | "CHARACTER" | "NCHAR"),
                "VARCHAR" | "VARBINARY" => {
                    matches!(previous.as_str(), "LONG" | "NATIONAL" | "NCHAR")
                }
                "CHAR" | "CHARACTER" => previous == "NATIONAL" || before_set,
                "SET" => matches!(previous.as_str(), "CHAR" | "CHARACTER"),
                _ => false,
            };
            if !continues {
                break;
            }
            at += if matches!(word.as_str(), "CHARSET" | "SET") {
                2
            } else {
                1
            };
            previous = word;
        }
        at
    }

    fn column_type(&self, raw: &str, table: &Table) -> Result<ColumnType, String> {
        TypeParts::read(raw)?.canonical(table)
    }

    fn unescape_literal(&self, raw: &str) -> String {
        unescape_string(raw)
    }

    fn canonical_default(
        &self,
        expr: &Expr,
        column: &Column,
        current_database: Option<&str>,
    ) -> Option<String> {
        // MariaDB prints a parenthesised literal or function call bare.
        let expr = match expr {
            Expr::Nested(inner)
                if matches!(
                    **inner,
                    Expr::Value(_) | Expr::Function(_) | Expr::TypedString(_)
                ) =>
            {
                inner
            }
            other => other,
        };
        if let Expr::Value(v) = expr {
            match &v.value {
                sqlparser::ast::Value::Null => return None,
                sqlparser::ast::Value::Boolean(b) => {
                    return Some(if *b { "1" } else { "0" }.to_string())
                }
                _ => {}
            }
        }
        if let Some(raw) = string_literal(expr).or_else(|| temporal_literal(expr)) {
            let value = unescape_string(raw);
            let numeric = is_numeric_type(&column.data_type) && value.trim().parse::<f64>().is_ok();
            return Some(if numeric {
                scaled(value.trim(), &column.data_type)
            } else {
                quote_string(&value)
            });
        }
        if let Some(number) = numeric_literal(expr) {
            return Some(if is_string_type(&column.data_type) {
                quote_string(&number)
            } else {
                scaled(&number, &column.data_type)
            });
        }
        if let Some(time) = current_timestamp(expr) {
            return Some(time);
        }
        Some(canonical_sql(&expr.to_string(), self, current_database))
    }

    fn canonical_on_update(&self, expr: &Expr) -> String {
        current_timestamp(expr).unwrap_or_else(|| canonical_sql(&expr.to_string(), self, None))
    }

    fn canonical_collation(&self, name: &str) -> String {
        canonical_charset(name)
    }

    fn is_reserved(&self, word: &str) -> bool {
        RESERVED.binary_search(&word).is_ok()
    }

    fn lowercases_function_names(&self) -> bool {
        true
    }

    fn table_option(&self, option: &SqlOption, table: &mut Table) -> Result<(), String> {
        match option {
            SqlOption::KeyValue { key, value } => {
                set_table_option(table, &key.to_string(), option_value(value))
            }
            SqlOption::NamedParenthesizedList(list) => {
                let value = list
                    .name
                    .as_ref()
                    .map(|n| n.value.clone())
                    .unwrap_or_default();
                set_table_option(table, &list.key.value, value);
            }
            SqlOption::Comment(comment) => {
                let (sqlparser::ast::CommentDef::WithEq(raw)
                | sqlparser::ast::CommentDef::WithoutEq(raw)) = comment;
                set_table_option(table, "COMMENT", unescape_string(raw));
            }
            other => {
                table.options.insert(other.to_string(), String::new());
            }
        }
        Ok(())
    }

    fn reads_partition_clauses(&self) -> bool {
        true
    }

    fn alter_table_options(&self, tokens: &[Tok], table: &mut Table) -> bool {
        let Some(options) = read_table_options(tokens) else {
            return false;
        };
        for (key, value) in options {
            set_table_option(table, &key, value);
        }
        true
    }

    fn table_names_ignore_case(&self) -> bool {
        false
    }

    fn index_key(&self, table: &str, index: &str) -> QualifiedName {
        QualifiedName::new(table, index)
    }

    fn unique_as_index(&self) -> bool {
        true
    }

    fn primary_key_implies_not_null(&self) -> bool {
        true
    }

    fn implicit_foreign_key_index(&self) -> bool {
        true
    }

    fn default_fk_action(&self) -> FkAction {
        FkAction::Restrict
    }

    fn default_index_method(&self) -> &'static str {
        "btree"
    }

    fn primary_key_name(&self, _table: &str, _name: Option<&str>) -> String {
        "PRIMARY".to_string()
    }

    fn unnamed_check_name(
        &self,
        _table: &str,
        existing: &BTreeMap<String, Constraint>,
        column: Option<&str>,
    ) -> String {
        if let Some(column) = column {
            return column.to_string();
        }
        let last = existing
            .keys()
            .filter_map(|n| numbered(n, "CONSTRAINT_"))
            .max()
            .unwrap_or(0);
        format!("CONSTRAINT_{}", last + 1)
    }

    fn unnamed_unique_name(
        &self,
        _table: &str,
        existing: &BTreeMap<String, Constraint>,
        columns: &[String],
    ) -> String {
        let base = columns
            .first()
            .cloned()
            .unwrap_or_else(|| "unique".to_string());
        first_free(&base, "_", &|n| existing.contains_key(n))
    }

    fn unnamed_foreign_key_name(
        &self,
        table: &str,
        existing: &BTreeMap<String, Constraint>,
        _columns: &[String],
    ) -> String {
        let prefix = format!("{table}_ibfk_");
        let last = existing
            .keys()
            .filter_map(|n| numbered(n, &prefix))
            .max()
            .unwrap_or(0);
        format!("{prefix}{}", last + 1)
    }

    fn unnamed_index_name(&self, keys: &[IndexKey], taken: &dyn Fn(&str) -> bool) -> String {
        let base = match keys.first().map(|k| &k.target) {
            Some(IndexTarget::Column(column)) => column.clone(),
            Some(IndexTarget::Expression(expr)) => {
                prefix_column(expr).unwrap_or_else(|| "functional_index".to_string())
            }
            None => "key".to_string(),
        };
        first_free(&base, "_", taken)
    }

    fn prefix_key_part(&self, name: &str, length: &str) -> Option<IndexTarget> {
        Some(IndexTarget::Expression(format!(
            "{}({length})",
            quote_ident_backtick(name)
        )))
    }

    fn tracks_current_database(&self) -> bool {
        true
    }
}

/// The column of a prefix key part written `` `name`(n) ``.
fn prefix_column(expr: &str) -> Option<String> {
    let rest = expr.strip_prefix('`')?;
    let (name, tail) = rest.rsplit_once("`(")?;
    tail.strip_suffix(')')?.parse::<u64>().ok()?;
    Some(name.replace("``", "`"))
}

/// Sets a table option under its canonical key (`DEFAULT CHARSET` for all
/// spellings of the character set, `COLLATE`, `ENGINE`, ...) and value.
fn set_table_option(table: &mut Table, key: &str, value: String) {
    let key = key
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    let (key, value) = match key.as_str() {
        "CHARSET" | "CHARACTER SET" | "DEFAULT CHARSET" | "DEFAULT CHARACTER SET" => {
            ("DEFAULT CHARSET".to_string(), canonical_charset(&value))
        }
        "COLLATE" | "DEFAULT COLLATE" => ("COLLATE".to_string(), canonical_charset(&value)),
        "ENGINE" => (key, canonical_engine(&value)),
        "COMMENT" => {
            table.comment = Some(value).filter(|c| !c.is_empty());
            return;
        }
        _ => (key, value),
    };
    table.options.insert(key, value);
}

/// Table options `sqlparser` cannot read in `ALTER TABLE`.
const ALTERABLE_TABLE_OPTIONS: &[&str] = &[
    "ENGINE",
    "AUTO_INCREMENT",
    "COMMENT",
    "CHARSET",
    "COLLATE",
    "ROW_FORMAT",
    "KEY_BLOCK_SIZE",
    "AVG_ROW_LENGTH",
    "MAX_ROWS",
    "MIN_ROWS",
    "PACK_KEYS",
    "CHECKSUM",
    "PAGE_CHECKSUM",
    "STATS_PERSISTENT",
    "STATS_AUTO_RECALC",
    "STATS_SAMPLE_PAGES",
    "TRANSACTIONAL",
    "DELAY_KEY_WRITE",
    "INSERT_METHOD",
];

/// Reads `[DEFAULT] key [=] value [,] ...` (the table options of an `ALTER
/// TABLE`); `None` when the tokens are anything else.
fn read_table_options(tokens: &[Tok]) -> Option<Vec<(String, String)>> {
    let mut options = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        if matches!(tokens[at].token, Token::Comma) {
            at += 1;
            continue;
        }
        if tokens[at].is_keyword("DEFAULT") {
            at += 1;
        }
        let mut key = tokens.get(at)?.keyword()?;
        if key == "CHARACTER" && tokens.get(at + 1).is_some_and(|t| t.is_keyword("SET")) {
            key = "CHARSET".to_string();
            at += 1;
        }
        if !ALTERABLE_TABLE_OPTIONS.contains(&key.as_str()) {
            return None;
        }
        at += 1;
        if matches!(tokens.get(at).map(|t| &t.token), Some(Token::Eq)) {
            at += 1;
        }
        let value = match &tokens.get(at)?.token {
            Token::Word(w) => w.value.clone(),
            Token::Number(n, _) => n.clone(),
            Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => unescape_string(s),
            _ => return None,
        };
        options.push((key, value));
        at += 1;
    }
    (!options.is_empty()).then_some(options)
}

fn option_value(value: &Expr) -> String {
    if let Some(raw) = string_literal(value) {
        return unescape_string(raw);
    }
    match value {
        Expr::Identifier(ident) => ident.value.clone(),
        other => numeric_literal(other).unwrap_or_else(|| other.to_string()),
    }
}

fn canonical_engine(name: &str) -> String {
    const ENGINES: &[&str] = &[
        "InnoDB",
        "MyISAM",
        "MEMORY",
        "Aria",
        "CSV",
        "ARCHIVE",
        "BLACKHOLE",
        "MRG_MyISAM",
        "ROCKSDB",
    ];
    ENGINES
        .iter()
        .find(|e| e.eq_ignore_ascii_case(name))
        .map_or_else(|| name.to_string(), |e| (*e).to_string())
}

/// `CURRENT_TIMESTAMP`, `NOW()`, `LOCALTIME`, `LOCALTIMESTAMP` (with an
/// optional precision) as MariaDB prints them: `current_timestamp([n])`.
fn current_timestamp(expr: &Expr) -> Option<String> {
    use sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments};
    let Expr::Function(f) = expr else { return None };
    let name = super::sqlparser_replay::last_name(&f.name).to_ascii_uppercase();
    if !matches!(
        name.as_str(),
        "CURRENT_TIMESTAMP" | "NOW" | "LOCALTIME" | "LOCALTIMESTAMP"
    ) {
        return None;
    }
    let precision = match &f.args {
        FunctionArguments::None => None,
        FunctionArguments::List(list) => match list.args.as_slice() {
            [] => None,
            [FunctionArg::Unnamed(FunctionArgExpr::Expr(e))] => Some(numeric_literal(e)?),
            _ => return None,
        },
        FunctionArguments::Subquery(_) => return None,
    };
    Some(match precision.filter(|p| p != "0") {
        Some(p) => format!("current_timestamp({p})"),
        None => "current_timestamp()".to_string(),
    })
}

/// The string of a `DATE '...'`, `TIME '...'` or `TIMESTAMP '...'` literal.
fn temporal_literal(expr: &Expr) -> Option<&str> {
    let Expr::TypedString(typed) = expr else {
        return None;
    };
    match &typed.value.value {
        sqlparser::ast::Value::SingleQuotedString(s)
        | sqlparser::ast::Value::DoubleQuotedString(s) => Some(s),
        _ => None,
    }
}

/// A number as a `decimal(p,s)` column stores it: with `s` decimals
/// (`20` is `20.00` in `decimal(5,2)`). Numbers with more decimals, or in
/// exponent form, and other types, are left as written.
fn scaled(number: &str, data_type: &str) -> String {
    let scale = data_type
        .strip_prefix("decimal(")
        .and_then(|rest| rest.split(')').next())
        .and_then(|args| args.split(',').nth(1))
        .and_then(|s| s.trim().parse::<usize>().ok());
    let Some(scale) = scale else {
        return number.to_string();
    };
    if number.contains(['e', 'E']) {
        return number.to_string();
    }
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if fraction.len() > scale
        || !whole
            .trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit())
    {
        return number.to_string();
    }
    if scale == 0 {
        return whole.to_string();
    }
    format!("{whole}.{fraction:0<scale$}")
}

fn type_base(data_type: &str) -> &str {
    data_type.split(['(', ' ']).next().unwrap_or(data_type)
}

fn is_numeric_type(data_type: &str) -> bool {
    matches!(
        type_base(data_type),
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" | "decimal" | "float" | "double"
    )
}

fn is_string_type(data_type: &str) -> bool {
    matches!(
        type_base(data_type),
        "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "enum" | "set"
    )
}

/// Types that need no canonicalisation beyond lower case.
const OTHER_TYPES: &[&str] = &[
    "DATE",
    "VARBINARY",
    "TINYBLOB",
    "BLOB",
    "MEDIUMBLOB",
    "LONGBLOB",
    "TINYTEXT",
    "TEXT",
    "MEDIUMTEXT",
    "LONGTEXT",
    "JSON",
    "GEOMETRY",
    "POINT",
    "LINESTRING",
    "POLYGON",
    "MULTIPOINT",
    "MULTILINESTRING",
    "MULTIPOLYGON",
    "GEOMETRYCOLLECTION",
    "UUID",
    "INET4",
    "INET6",
    "VECTOR",
];

/// A MySQL column type taken apart: base words, arguments, attributes.
#[derive(Debug, Default)]
struct TypeParts {
    words: Vec<String>,
    args: Vec<String>,
    unsigned: bool,
    zerofill: bool,
    binary: bool,
    charset: Option<String>,
}

impl TypeParts {
    fn read(raw: &str) -> Result<Self, String> {
        let tokens = significant_tokens(raw, &DIALECT)
            .map_err(|(message, _)| format!("invalid type `{raw}`: {message}"))?;
        let mut parts = TypeParts::default();
        let mut at = 0;
        while let Some(tok) = tokens.get(at) {
            if matches!(tok.token, Token::LParen) {
                let end = skip_group(&tokens, at);
                parts.args =
                    type_arguments(tokens.get(at + 1..end.saturating_sub(1)).unwrap_or(&[]));
                at = end;
                continue;
            }
            at += 1;
            let word = tok.keyword().unwrap_or_else(|| tok.token.to_string());
            let has_base = !parts.words.is_empty();
            let before_set = tokens.get(at).is_some_and(|t| t.is_keyword("SET"));
            match word.as_str() {
                "UNSIGNED" => parts.unsigned = true,
                "SIGNED" => {}
                "ZEROFILL" => parts.zerofill = true,
                "BINARY" if has_base => parts.binary = true,
                "ASCII" if has_base => parts.charset = Some("latin1".to_string()),
                "UNICODE" if has_base => parts.charset = Some("ucs2".to_string()),
                "CHARSET" => {
                    parts.charset = charset_name(tokens.get(at));
                    at += 1;
                }
                "CHARACTER" | "CHAR" if has_base && before_set => {
                    parts.charset = charset_name(tokens.get(at + 1));
                    at += 2;
                }
                _ => parts.words.push(word),
            }
        }
        if parts.words.is_empty() {
            return Err(format!("invalid type `{raw}`"));
        }
        Ok(parts)
    }

    fn canonical(self, table: &Table) -> Result<ColumnType, String> {
        let base = self.words.join(" ");
        let mut result = ColumnType::default();
        let (data_type, implied_charset) = self.base_type(&base, &mut result)?;
        let charset = self
            .charset
            .clone()
            .map(|c| canonical_charset(&c))
            .or(implied_charset);
        let table_charset = table.options.get("DEFAULT CHARSET").cloned();
        let mut data_type = data_type;
        if let Some(cs) = charset
            .as_ref()
            .filter(|cs| Some(*cs) != table_charset.as_ref())
        {
            data_type = format!("{data_type} character set {cs}");
        }
        if self.binary {
            match charset.or(table_charset) {
                Some(cs) => result.collation = Some(format!("{cs}_bin")),
                None => data_type.push_str(" binary"),
            }
        }
        result.data_type = data_type;
        Ok(result)
    }

    /// The canonical type and the character set a `NATIONAL` type implies.
    fn base_type(
        &self,
        base: &str,
        result: &mut ColumnType,
    ) -> Result<(String, Option<String>), String> {
        let national = Some("utf8mb3".to_string());
        let sign = |t: &str| self.signed(t);
        Ok(match base {
            "TINYINT" | "INT1" => (self.integer("tinyint", 3), None),
            "SMALLINT" | "INT2" => (self.integer("smallint", 5), None),
            "MEDIUMINT" | "INT3" | "MIDDLEINT" => (self.integer("mediumint", 8), None),
            "INT" | "INTEGER" | "INT4" => (self.integer("int", 10), None),
            "BIGINT" | "INT8" => (self.integer("bigint", 20), None),
            "BOOL" | "BOOLEAN" => ("tinyint(1)".to_string(), None),
            "SERIAL" => {
                result.not_null = true;
                result.extra.push("AUTO_INCREMENT".to_string());
                result.unique = true;
                ("bigint unsigned".to_string(), None)
            }
            "DECIMAL" | "DEC" | "NUMERIC" | "FIXED" => (sign(&self.decimal()), None),
            "FLOAT" | "FLOAT4" => (sign(&self.float()), None),
            "DOUBLE" | "DOUBLE PRECISION" | "REAL" | "FLOAT8" => {
                (sign(&self.with_args("double")), None)
            }
            "BIT" => (self.with_default_length("bit"), None),
            "CHAR" | "CHARACTER" => (self.with_default_length("char"), None),
            "NCHAR" | "NATIONAL CHAR" | "NATIONAL CHARACTER" => {
                (self.with_default_length("char"), national)
            }
            "VARCHAR" | "CHARACTER VARYING" | "CHAR VARYING" => (self.with_args("varchar"), None),
            "NVARCHAR"
            | "NATIONAL VARCHAR"
            | "NATIONAL CHARACTER VARYING"
            | "NATIONAL CHAR VARYING"
            | "NCHAR VARCHAR"
            | "NCHAR VARYING" => (self.with_args("varchar"), national),
            "BINARY" => (self.with_default_length("binary"), None),
            "LONG VARBINARY" => ("mediumblob".to_string(), None),
            "LONG" | "LONG VARCHAR" => ("mediumtext".to_string(), None),
            "DATETIME" | "TIMESTAMP" | "TIME" => {
                (self.with_precision(&base.to_ascii_lowercase()), None)
            }
            "YEAR" => (
                if self.args == ["2"] {
                    "year(2)".to_string()
                } else {
                    "year".to_string()
                },
                None,
            ),
            "ENUM" | "SET" => (
                format!("{}({})", base.to_ascii_lowercase(), self.args.join(",")),
                None,
            ),
            _ if OTHER_TYPES.contains(&base) => (self.with_args(&base.to_ascii_lowercase()), None),
            _ => return Err(format!("unknown column type `{}`", self.words.join(" "))),
        })
    }

    fn integer(&self, name: &str, zerofill_width: u32) -> String {
        if self.zerofill {
            let width = self
                .args
                .first()
                .cloned()
                .unwrap_or_else(|| zerofill_width.to_string());
            return format!("{name}({width}) unsigned zerofill");
        }
        let width = if name == "tinyint" && self.args == ["1"] {
            "(1)"
        } else {
            ""
        };
        let unsigned = if self.unsigned { " unsigned" } else { "" };
        format!("{name}{width}{unsigned}")
    }

    fn signed(&self, text: &str) -> String {
        match (self.unsigned || self.zerofill, self.zerofill) {
            (_, true) => format!("{text} unsigned zerofill"),
            (true, false) => format!("{text} unsigned"),
            _ => text.to_string(),
        }
    }

    fn decimal(&self) -> String {
        match self.args.as_slice() {
            [] => "decimal(10,0)".to_string(),
            [p] => format!("decimal({p},0)"),
            args => format!("decimal({})", args.join(",")),
        }
    }

    fn float(&self) -> String {
        match self.args.as_slice() {
            [] => "float".to_string(),
            [p] => {
                if p.parse::<u32>().is_ok_and(|p| p > 24) {
                    "double".to_string()
                } else {
                    "float".to_string()
                }
            }
            args => format!("float({})", args.join(",")),
        }
    }

    fn with_args(&self, name: &str) -> String {
        if self.args.is_empty() {
            name.to_string()
        } else {
            format!("{name}({})", self.args.join(","))
        }
    }

    fn with_default_length(&self, name: &str) -> String {
        if self.args.is_empty() {
            format!("{name}(1)")
        } else {
            self.with_args(name)
        }
    }

    fn with_precision(&self, name: &str) -> String {
        if self.args == ["0"] {
            name.to_string()
        } else {
            self.with_args(name)
        }
    }
}

fn charset_name(tok: Option<&Tok>) -> Option<String> {
    let tok = tok?;
    match &tok.token {
        Token::Word(w) => Some(w.value.clone()),
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => Some(unescape_string(s)),
        _ => None,
    }
}

/// The arguments of a type, split at top-level commas. String arguments
/// (`ENUM` members) are re-quoted canonically.
fn type_arguments(tokens: &[Tok]) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    for tok in tokens {
        match &tok.token {
            Token::Comma => args.push(std::mem::take(&mut current)),
            Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => {
                current.push_str(&quote_string(&unescape_string(s)))
            }
            other => current.push_str(&other.to_string()),
        }
    }
    if !current.is_empty() || !args.is_empty() {
        args.push(current);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(raw: &str) -> String {
        MysqlRules
            .column_type(raw, &Table::default())
            .map(|t| t.data_type)
            .unwrap_or_else(|e| e)
    }

    #[test]
    fn canonicalises_types() {
        assert_eq!(canonical("INT(11)"), "int");
        assert_eq!(canonical("INTEGER UNSIGNED"), "int unsigned");
        assert_eq!(canonical("int(5) zerofill"), "int(5) unsigned zerofill");
        assert_eq!(canonical("BOOLEAN"), "tinyint(1)");
        assert_eq!(canonical("TINYINT(4)"), "tinyint");
        assert_eq!(canonical("DECIMAL"), "decimal(10,0)");
        assert_eq!(canonical("NUMERIC(10, 2)"), "decimal(10,2)");
        assert_eq!(canonical("FLOAT(30)"), "double");
        assert_eq!(canonical("DOUBLE PRECISION"), "double");
        assert_eq!(
            canonical("NVARCHAR(160)"),
            "varchar(160) character set utf8mb3"
        );
        assert_eq!(
            canonical("varchar(10) CHARACTER SET utf8"),
            "varchar(10) character set utf8mb3"
        );
        assert_eq!(
            canonical("ENUM('G','PG-13', 'it''s')"),
            "enum('G','PG-13','it''s')"
        );
        assert_eq!(canonical("YEAR(4)"), "year");
        assert_eq!(canonical("CHAR"), "char(1)");
        assert_eq!(canonical("DATETIME(0)"), "datetime");
        assert_eq!(canonical("VARCHAR(40) BINARY"), "varchar(40) binary");
        assert_eq!(canonical("INTEGRE"), "unknown column type `INTEGRE`");
    }

    #[test]
    fn unescapes_and_quotes_strings() {
        assert_eq!(unescape_string(r"it''s \\ \n"), "it's \\ \n");
        assert_eq!(quote_string("a'b\\c"), r"'a''b\\c'");
        assert_eq!(canonical_charset("UTF8_General_CI"), "utf8mb3_general_ci");
        assert_eq!(canonical_charset("utf8mb4"), "utf8mb4");
    }
}

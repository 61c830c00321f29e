//! The SQLite frontend: replays SQLite DDL into a [`Schema`].
//!
//! Scripts are split as `sqlite3` does (a `CREATE TRIGGER ... BEGIN ...;
//! END;` is one statement) and each statement is parsed by `sqlparser`'s
//! `SQLiteDialect`. Column types follow SQLite's own grammar (any words, with
//! up to two numbers in parentheses) and are kept as declared, since SQLite
//! keeps declared types: upper case, single spaces (`VARCHAR(45)`,
//! `BLOB SUB_TYPE TEXT`, `DECIMAL(4,2)`).
//!
//! # Canonical form
//!
//! - Names have no namespace and keep the case they are written in; lookups
//!   ignore case, as SQLite does. `main.` qualifiers are dropped.
//! - Unnamed constraints get deterministic names: `<table>_pkey`,
//!   `<table>_<columns>_key`, `<table>_<columns>_fkey`, `<table>_check`
//!   (`<table>_<column>_check` for a column check). SQLite does not keep
//!   constraint names apart from the table's SQL, so the renderer writes
//!   these names out and the model round-trips.
//! - `UNIQUE` in `CREATE TABLE` is a table constraint; `CREATE UNIQUE INDEX`
//!   is an index.
//! - `AUTOINCREMENT` is kept in `Column::extra`; `WITHOUT ROWID` and `STRICT`
//!   in `Table::options`.
//!
//! Triggers, virtual tables, data statements and other statements the model
//! cannot hold are kept as unmanaged statements with a warning.
//! Transactions and `PRAGMA foreign_keys` (and similar connection settings)
//! are session noise.

use std::collections::BTreeMap;

use sqlparser::ast::{AlterTableOperation, Expr, SqlOption};
use sqlparser::dialect::{Dialect as SqlDialect, SQLiteDialect};
use sqlparser::tokenizer::Token;

use super::sqlparser_replay::{
    canonical_sql, first_free, replay, significant_tokens, skip_group, string_literal, ColumnType,
    DialectRules, Disposition, LeadingWord, ScriptSyntax, Tok,
};
use crate::ident::quote_literal;
use crate::model::{Column, Constraint, FkAction, IndexKey, IndexTarget, Table};
use crate::{Error, QualifiedName, Schema, Warning};

/// Replays SQLite DDL on `schema`.
pub fn apply(
    schema: &mut Schema,
    sql: &str,
    file: &str,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    replay(&SqliteRules, schema, sql, file, warnings)
}

struct SqliteRules;

const DIALECT: SQLiteDialect = SQLiteDialect {};

/// `PRAGMA`s that only configure the connection.
const SESSION_PRAGMAS: &[&str] = &[
    "foreign_keys",
    "defer_foreign_keys",
    "legacy_alter_table",
    "journal_mode",
    "synchronous",
    "busy_timeout",
    "cache_size",
    "temp_store",
    "recursive_triggers",
    "ignore_check_constraints",
];

/// SQLite's keywords (all of them, since any may need quotes somewhere), and
/// `TRUE`/`FALSE`, sorted for binary search.
const RESERVED: &[&str] = &[
    "ABORT",
    "ACTION",
    "ADD",
    "AFTER",
    "ALL",
    "ALTER",
    "ALWAYS",
    "ANALYZE",
    "AND",
    "AS",
    "ASC",
    "ATTACH",
    "AUTOINCREMENT",
    "BEFORE",
    "BEGIN",
    "BETWEEN",
    "BY",
    "CASCADE",
    "CASE",
    "CAST",
    "CHECK",
    "COLLATE",
    "COLUMN",
    "COMMIT",
    "CONFLICT",
    "CONSTRAINT",
    "CREATE",
    "CROSS",
    "CURRENT",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "DATABASE",
    "DEFAULT",
    "DEFERRABLE",
    "DEFERRED",
    "DELETE",
    "DESC",
    "DETACH",
    "DISTINCT",
    "DO",
    "DROP",
    "EACH",
    "ELSE",
    "END",
    "ESCAPE",
    "EXCEPT",
    "EXCLUDE",
    "EXCLUSIVE",
    "EXISTS",
    "EXPLAIN",
    "FAIL",
    "FALSE",
    "FILTER",
    "FIRST",
    "FOLLOWING",
    "FOR",
    "FOREIGN",
    "FROM",
    "FULL",
    "GENERATED",
    "GLOB",
    "GROUP",
    "GROUPS",
    "HAVING",
    "IF",
    "IGNORE",
    "IMMEDIATE",
    "IN",
    "INDEX",
    "INDEXED",
    "INITIALLY",
    "INNER",
    "INSERT",
    "INSTEAD",
    "INTERSECT",
    "INTO",
    "IS",
    "ISNULL",
    "JOIN",
    "KEY",
    "LAST",
    "LEFT",
    "LIKE",
    "LIMIT",
    "MATCH",
    "MATERIALIZED",
    "NATURAL",
    "NO",
    "NOT",
    "NOTHING",
    "NOTNULL",
    "NULL",
    "NULLS",
    "OF",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OTHERS",
    "OUTER",
    "OVER",
    "PARTITION",
    "PLAN",
    "PRAGMA",
    "PRECEDING",
    "PRIMARY",
    "QUERY",
    "RAISE",
    "RANGE",
    "RECURSIVE",
    "REFERENCES",
    "REGEXP",
    "REINDEX",
    "RELEASE",
    "RENAME",
    "REPLACE",
    "RESTRICT",
    "RETURNING",
    "RIGHT",
    "ROLLBACK",
    "ROW",
    "ROWS",
    "SAVEPOINT",
    "SELECT",
    "SET",
    "TABLE",
    "TEMP",
    "TEMPORARY",
    "THEN",
    "TIES",
    "TO",
    "TRANSACTION",
    "TRIGGER",
    "TRUE",
    "UNBOUNDED",
    "UNION",
    "UNIQUE",
    "UPDATE",
    "USING",
    "VACUUM",
    "VALUES",
    "VIEW",
    "VIRTUAL",
    "WHEN",
    "WHERE",
    "WINDOW",
    "WITH",
    "WITHOUT",
];

/// Transaction statements.
const TRANSACTIONS: &[&str] = &["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"];

impl DialectRules for SqliteRules {
    fn sql_dialect(&self) -> &dyn SqlDialect {
        &DIALECT
    }

    fn script_syntax(&self) -> ScriptSyntax {
        ScriptSyntax {
            bracket_identifiers: true,
            compound_bodies: true,
            ..ScriptSyntax::default()
        }
    }

    fn default_database(&self) -> Option<&str> {
        Some("main")
    }

    fn classify_unparsed(&self, words: &[LeadingWord]) -> Option<Disposition> {
        let first = words.first()?;
        if first.is("PRAGMA") {
            let name = words
                .get(1)
                .map(|w| w.text.to_ascii_lowercase())
                .unwrap_or_default();
            let session = SESSION_PRAGMAS.contains(&name.as_str());
            return Some(if session {
                Disposition::Ignore
            } else {
                Disposition::Unmanaged
            });
        }
        TRANSACTIONS
            .iter()
            .any(|w| first.is(w))
            .then_some(Disposition::Ignore)
    }

    fn starts_table_constraint(&self, word: &str) -> bool {
        matches!(
            word,
            "CONSTRAINT" | "PRIMARY" | "UNIQUE" | "CHECK" | "FOREIGN"
        )
    }

    fn type_extent(&self, tokens: &[Tok], start: usize) -> usize {
        const STOP: &[&str] = &[
            "CONSTRAINT",
            "PRIMARY",
            "NOT",
            "NULL",
            "UNIQUE",
            "CHECK",
            "DEFAULT",
            "COLLATE",
            "REFERENCES",
            "GENERATED",
            "AS",
        ];
        let mut at = start;
        while let Some(tok) = tokens.get(at) {
            let Token::Word(word) = &tok.token else { break };
            if word.quote_style.is_none() && STOP.iter().any(|s| word.value.eq_ignore_ascii_case(s))
            {
                break;
            }
            at += 1;
        }
        if at > start {
            at = skip_group(tokens, at);
        }
        at
    }

    fn column_type(&self, raw: &str, _table: &Table) -> Result<ColumnType, String> {
        // SQLite's type-name: one or more names, then optionally
        // `(number)` or `(number, number)`; anything else is not a type.
        let tokens = significant_tokens(raw, &DIALECT)
            .map_err(|(message, _)| format!("invalid type `{raw}`: {message}"))?;
        let invalid = || format!("invalid type `{}`", raw.trim());
        let mut words = Vec::new();
        let mut rest = tokens.iter().map(|t| &t.token).peekable();
        while let Some(Token::Word(w)) = rest.peek() {
            words.push(if w.quote_style.is_none() { w.value.to_ascii_uppercase() } else { w.to_string() });
            rest.next();
        }
        let mut args = String::new();
        if rest.peek().is_some() {
            let mut numbers = Vec::new();
            if !matches!(rest.next(), Some(Token::LParen)) {
                return Err(invalid());
            }
            loop {
                let mut number = String::new();
                if let Some(sign @ (Token::Plus | Token::Minus)) = rest.peek() {
                    number.push_str(&sign.to_string());
                    rest.next();
                }
                match rest.next() {
                    Some(Token::Number(n, _)) => number.push_str(n),
                    _ => return Err(invalid()),
                }
                numbers.push(number);
                match rest.next() {
                    Some(Token::Comma) if numbers.len() < 2 => continue,
                    Some(Token::RParen) => break,
                    _ => return Err(invalid()),
                }
            }
            if rest.next().is_some() {
                return Err(invalid());
            }
            args = format!("({})", numbers.join(","));
        }
        if words.is_empty() && !args.is_empty() {
            return Err(invalid());
        }
        Ok(ColumnType {
            data_type: format!("{}{args}", words.join(" ")),
            ..ColumnType::default()
        })
    }

    fn unescape_literal(&self, raw: &str) -> String {
        raw.replace("''", "'")
    }

    fn canonical_default(
        &self,
        expr: &Expr,
        _column: &Column,
        current_database: Option<&str>,
    ) -> Option<String> {
        if let Expr::Value(v) = expr {
            if v.value == sqlparser::ast::Value::Null {
                return None;
            }
        }
        if let Some(raw) = string_literal(expr) {
            return Some(quote_literal(&self.unescape_literal(raw)));
        }
        Some(canonical_sql(&expr.to_string(), self, current_database))
    }

    fn canonical_collation(&self, name: &str) -> String {
        name.to_ascii_uppercase()
    }

    fn is_reserved(&self, word: &str) -> bool {
        RESERVED.binary_search(&word).is_ok()
    }

    fn table_option(&self, option: &SqlOption, table: &mut Table) -> Result<(), String> {
        table.options.insert(option.to_string(), String::new());
        Ok(())
    }

    fn table_names_ignore_case(&self) -> bool {
        true
    }

    fn index_key(&self, _table: &str, index: &str) -> QualifiedName {
        QualifiedName::new("", index)
    }

    fn unique_as_index(&self) -> bool {
        false
    }

    fn primary_key_implies_not_null(&self) -> bool {
        false
    }

    fn implicit_foreign_key_index(&self) -> bool {
        false
    }

    fn default_fk_action(&self) -> FkAction {
        FkAction::NoAction
    }

    fn default_index_method(&self) -> &'static str {
        ""
    }

    fn primary_key_name(&self, table: &str, name: Option<&str>) -> String {
        name.map_or_else(|| format!("{table}_pkey"), str::to_string)
    }

    fn unnamed_check_name(
        &self,
        table: &str,
        existing: &BTreeMap<String, Constraint>,
        column: Option<&str>,
    ) -> String {
        let base = match column {
            Some(column) => format!("{table}_{column}_check"),
            None => format!("{table}_check"),
        };
        first_free(&base, "", &|n| existing.contains_key(n))
    }

    fn unnamed_unique_name(
        &self,
        table: &str,
        existing: &BTreeMap<String, Constraint>,
        columns: &[String],
    ) -> String {
        first_free(&format!("{table}_{}_key", columns.join("_")), "", &|n| {
            existing.contains_key(n)
        })
    }

    fn unnamed_foreign_key_name(
        &self,
        table: &str,
        existing: &BTreeMap<String, Constraint>,
        columns: &[String],
    ) -> String {
        first_free(&format!("{table}_{}_fkey", columns.join("_")), "", &|n| {
            existing.contains_key(n)
        })
    }

    fn unnamed_index_name(&self, keys: &[IndexKey], taken: &dyn Fn(&str) -> bool) -> String {
        let base = match keys.first().map(|k| &k.target) {
            Some(IndexTarget::Column(column)) => format!("{column}_idx"),
            _ => "expression_idx".to_string(),
        };
        first_free(&base, "", taken)
    }

    fn alter_supported(&self, operation: &AlterTableOperation) -> bool {
        matches!(
            operation,
            AlterTableOperation::AddColumn { .. }
                | AlterTableOperation::DropColumn { .. }
                | AlterTableOperation::RenameColumn { .. }
                | AlterTableOperation::RenameTable { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(raw: &str) -> String {
        SqliteRules
            .column_type(raw, &Table::default())
            .map(|t| t.data_type)
            .unwrap_or_else(|e| e)
    }

    #[test]
    fn keeps_declared_types() {
        assert_eq!(canonical("varchar( 10 ,  20 )"), "VARCHAR(10,20)");
        assert_eq!(canonical("BLOB  SUB_TYPE\n TEXT"), "BLOB SUB_TYPE TEXT");
        assert_eq!(canonical("unsigned big int"), "UNSIGNED BIG INT");
        assert_eq!(canonical("NUMERIC(-5)"), "NUMERIC(-5)");
        assert_eq!(canonical(""), "");
    }
}

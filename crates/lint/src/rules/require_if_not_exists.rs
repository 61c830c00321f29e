use pg_query::protobuf::{AlterTableType, ObjectType};
use pg_query::NodeEnum;

use super::{alter_table_cmds, cmd_def, find_keywords, Checker, Token, STATEMENT};
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for `CREATE TABLE`, `CREATE TABLE ... AS`, `CREATE FOREIGN
    /// TABLE`, `CREATE MATERIALIZED VIEW`, `CREATE INDEX`, `CREATE SCHEMA`,
    /// `CREATE SEQUENCE`, `CREATE EXTENSION` and `ALTER TABLE ... ADD
    /// COLUMN` without `IF NOT EXISTS`. (`CREATE VIEW` has no `IF NOT
    /// EXISTS`; `CREATE OR REPLACE VIEW` is its re-runnable form.)
    /// Temporary tables are left alone: each session starts without them.
    ///
    /// Off by default: a migration tool runs each file once, in order, and
    /// records that it did, so a second run never happens. Switch it on
    /// (`[rules] enable = ["require-if-not-exists"]`) for scripts that are
    /// run again and again, such as setup scripts and hand-run fixes.
    ///
    /// ## Why is this bad?
    /// Run a second time, the statement fails with "already exists" and
    /// the rest of the script does not run (or the transaction around it
    /// rolls back).
    ///
    /// Mind the caveat: `IF NOT EXISTS` only checks the name. When an
    /// object of that name exists with a different definition (other
    /// columns, another indexed expression), the statement skips silently
    /// with a notice and the script goes on with the old object.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE events (id bigint PRIMARY KEY);
    /// CREATE INDEX events_created_at ON events (created_at);
    /// ALTER TABLE events ADD COLUMN source text;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE IF NOT EXISTS events (id bigint PRIMARY KEY);
    /// CREATE INDEX IF NOT EXISTS events_created_at ON events (created_at);
    /// ALTER TABLE events ADD COLUMN IF NOT EXISTS source text;
    /// ```
    ///
    /// ## Fix safety
    /// The fix inserts `IF NOT EXISTS` and is safe: on a first run the
    /// statement does the same thing. There is no fix for an index without
    /// a name (`IF NOT EXISTS` needs one) or a `CREATE SCHEMA` that creates
    /// objects inside it (PostgreSQL does not allow `IF NOT EXISTS` there).
    pub(crate) RULE = { id: "require-if-not-exists", category: Idempotency, severity: Info, check: check, default_enabled: false }
}

fn check(checker: &mut Checker<'_>) {
    let (what, keyword, fixable) = match checker.node {
        NodeEnum::CreateStmt(s) if !s.if_not_exists && s.relation.as_ref().is_some_and(|r| r.relpersistence != "t") => ("CREATE TABLE", "TABLE", true),
        NodeEnum::CreateForeignTableStmt(s) if s.base_stmt.as_ref().is_some_and(|b| !b.if_not_exists) => ("CREATE FOREIGN TABLE", "TABLE", true),
        NodeEnum::CreateTableAsStmt(s) if !s.if_not_exists && !s.is_select_into => {
            if s.into.as_ref().and_then(|i| i.rel.as_ref()).is_some_and(|r| r.relpersistence == "t") {
                return;
            }
            match s.objtype() {
                ObjectType::ObjectMatview => ("CREATE MATERIALIZED VIEW", "VIEW", true),
                _ => ("CREATE TABLE AS", "TABLE", true),
            }
        }
        NodeEnum::IndexStmt(s) if !s.if_not_exists => ("CREATE INDEX", "INDEX", !s.idxname.is_empty()),
        NodeEnum::CreateSchemaStmt(s) if !s.if_not_exists => ("CREATE SCHEMA", "SCHEMA", s.schema_elts.is_empty()),
        NodeEnum::CreateSeqStmt(s) if !s.if_not_exists => ("CREATE SEQUENCE", "SEQUENCE", true),
        NodeEnum::CreateExtensionStmt(s) if !s.if_not_exists => ("CREATE EXTENSION", "EXTENSION", true),
        NodeEnum::AlterTableStmt(_) => return add_column(checker),
        _ => return,
    };
    let tokens = checker.tokens();
    let insert_at = object_keyword_end(&tokens, keyword);
    let help = match (what, fixable) {
        ("CREATE INDEX", false) => "name the index and add IF NOT EXISTS, so that a second run does not fail or build another copy".to_string(),
        ("CREATE SCHEMA", false) => "create the schema with CREATE SCHEMA IF NOT EXISTS, and the objects in it in statements of their own".to_string(),
        ("CREATE TABLE AS", _) => "write CREATE TABLE IF NOT EXISTS ... AS if the script may run more than once".to_string(),
        _ => format!("write {what} IF NOT EXISTS if the script may run more than once"),
    };
    let message = format!("{what} without IF NOT EXISTS fails when the script runs a second time");
    let diagnostic = checker.report(&RULE, STATEMENT, message, help);
    if let (true, Some(at)) = (fixable, insert_at) {
        diagnostic.with_fix(Fix::new("add IF NOT EXISTS", Applicability::Safe, Edit { start: at, end: at, replacement: " IF NOT EXISTS".to_string() }));
    }
}

/// The end of the statement's object keyword (`TABLE`, `INDEX`, ...) and of
/// a `CONCURRENTLY` right after it: where `IF NOT EXISTS` goes.
fn object_keyword_end(tokens: &[Token<'_>], keyword: &str) -> Option<usize> {
    let (_, end) = find_keywords(tokens, &[keyword])?;
    let next = tokens.iter().position(|t| t.start >= end)?;
    match tokens.get(next) {
        Some(t) if t.word && t.text.eq_ignore_ascii_case("CONCURRENTLY") => Some(t.end),
        _ => Some(end),
    }
}

/// `ALTER TABLE ... ADD COLUMN` without `IF NOT EXISTS`.
fn add_column(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let mut found = Vec::new();
    for cmd in alter_table_cmds(stmt) {
        if cmd.subtype() != AlterTableType::AtAddColumn || cmd.missing_ok {
            continue;
        }
        let Some(NodeEnum::ColumnDef(column)) = cmd_def(cmd) else { continue };
        found.push((column.colname.clone(), column.location));
    }
    for (name, location) in found {
        let message = format!("ADD COLUMN {name} without IF NOT EXISTS fails when the script runs a second time");
        let (start, _) = checker.location(location);
        let fix = (location >= 0).then(|| Fix::new("add IF NOT EXISTS", Applicability::Safe, Edit { start, end: start, replacement: "IF NOT EXISTS ".to_string() }));
        let diagnostic = checker.report(&RULE, location, message, "write ADD COLUMN IF NOT EXISTS if the script may run more than once");
        diagnostic.fix = fix;
    }
}

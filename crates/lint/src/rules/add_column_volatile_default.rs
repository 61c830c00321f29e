use pg_query::protobuf::{AlterTableType, ConstrType, Node};
use pg_query::NodeEnum;

use super::{alter_table_cmds, cmd_def, column_constraints, is_serial, string_value, Checker};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ADD COLUMN` with a default that rewrites
    /// the table, on a table that the migration did not create: a volatile
    /// default (`random()`, `gen_random_uuid()`, `clock_timestamp()`, a
    /// serial column's `nextval`, any function not known to be stable), or,
    /// before PostgreSQL 11, any default other than NULL.
    ///
    /// ## Why is this bad?
    /// Each existing row needs its own value, so PostgreSQL rewrites the
    /// whole table, and its indexes, under an ACCESS EXCLUSIVE lock: reads
    /// and writes wait for the rewrite. From PostgreSQL 11 a non-volatile
    /// default is stored once in the catalog and costs no rewrite.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE users ADD COLUMN token uuid;
    /// ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();
    /// -- then backfill the existing rows in batches
    /// ```
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "add-column-volatile-default", category: Rewrite, severity: Error, check: check }
}

/// Functions that are not volatile: a default calling them is evaluated once
/// (PostgreSQL 11 and later). Any other function is taken as volatile, as
/// `CREATE FUNCTION` makes functions by default.
const NON_VOLATILE: &[&str] = &[
    "now", "statement_timestamp", "transaction_timestamp", "lower", "upper", "btrim", "ltrim", "rtrim", "length", "concat", "to_char",
    "to_json", "to_jsonb", "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array", "array_fill", "make_interval",
    "make_date", "date_trunc", "abs", "round", "nullif", "current_setting", "replace", "md5", "to_timestamp", "timezone",
];

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        let Some(NodeEnum::ColumnDef(column)) = cmd_def(cmd) else { continue };
        if cmd.subtype() != AlterTableType::AtAddColumn {
            continue;
        }
        let default = column.raw_default.as_deref().or_else(|| {
            column_constraints(column).find(|c| c.contype() == ConstrType::ConstrDefault).and_then(|c| c.raw_expr.as_deref())
        });
        let serial = column.type_name.as_ref().is_some_and(is_serial);
        let why = match default {
            _ if serial => "a serial column's nextval() default is computed for each row",
            Some(expr) if is_volatile(expr) => "its volatile default is computed for each row",
            Some(expr) if checker.options.pg_version < 11 && !is_null(expr) => "before PostgreSQL 11 every default is written into each row",
            _ => continue,
        };
        let message = format!("adding column {} to {} rewrites the table under an ACCESS EXCLUSIVE lock: {why}", column.colname, relation_key(table));
        checker.report(&RULE, column.location, message, "add the column without the default, set the default in a second statement, and backfill existing rows in batches");
    }
}

/// Whether evaluating the expression may give a different value per row.
fn is_volatile(node: &Node) -> bool {
    let all = |nodes: &[Node]| nodes.iter().any(is_volatile);
    match &node.node {
        Some(NodeEnum::FuncCall(f)) => {
            let name = f.funcname.last().map(string_value).unwrap_or_default().to_ascii_lowercase();
            !NON_VOLATILE.contains(&name.as_str()) || all(&f.args)
        }
        Some(NodeEnum::TypeCast(c)) => c.arg.as_deref().is_some_and(is_volatile),
        Some(NodeEnum::AExpr(e)) => e.lexpr.as_deref().is_some_and(is_volatile) || e.rexpr.as_deref().is_some_and(is_volatile),
        Some(NodeEnum::BoolExpr(e)) => all(&e.args),
        Some(NodeEnum::CoalesceExpr(e)) => all(&e.args),
        Some(NodeEnum::MinMaxExpr(e)) => all(&e.args),
        Some(NodeEnum::AArrayExpr(e)) => all(&e.elements),
        Some(NodeEnum::RowExpr(e)) => all(&e.args),
        Some(NodeEnum::CaseExpr(e)) => {
            e.arg.as_deref().is_some_and(is_volatile)
                || e.defresult.as_deref().is_some_and(is_volatile)
                || e.args.iter().any(|w| match &w.node {
                    Some(NodeEnum::CaseWhen(w)) => w.expr.as_deref().is_some_and(is_volatile) || w.result.as_deref().is_some_and(is_volatile),
                    _ => false,
                })
        }
        _ => false,
    }
}

/// Whether the expression is a NULL literal (possibly cast).
fn is_null(node: &Node) -> bool {
    match &node.node {
        Some(NodeEnum::AConst(c)) => c.isnull,
        Some(NodeEnum::TypeCast(c)) => c.arg.as_deref().is_some_and(is_null),
        _ => false,
    }
}

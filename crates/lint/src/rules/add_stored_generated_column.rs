use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

use super::{alter_table_cmds, cmd_def, column_constraints, Checker};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ADD COLUMN` of a stored generated column
    /// (`GENERATED ALWAYS AS (...) STORED`) or of an identity column
    /// (`GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY`) on a table that the
    /// migration did not create. (Serial columns, whose `nextval()` default
    /// is volatile, are reported by `add-column-volatile-default`; virtual
    /// generated columns, PostgreSQL 18's default, store nothing and are
    /// left alone.)
    ///
    /// ## Why is this bad?
    /// Every existing row needs its own value: the generation expression
    /// computed from the row, or the next number of the identity's
    /// sequence. PostgreSQL rewrites the whole table, and rebuilds its
    /// indexes, under an ACCESS EXCLUSIVE lock: reads and writes wait for
    /// the rewrite. A stored generated column also fails the statement if
    /// the expression errors on any existing row.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (total * 100) STORED;
    /// ```
    ///
    /// ## Use instead
    /// On PostgreSQL 18 and later, a virtual generated column costs no
    /// rewrite:
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (total * 100) VIRTUAL;
    /// ```
    /// Otherwise add a plain nullable column, keep it filled for new rows
    /// (a default or a trigger), and backfill the old rows in batches. For
    /// an identity column: add the column without `IDENTITY`, backfill it
    /// in batches, make it NOT NULL (through a validated CHECK), then
    /// `ALTER COLUMN ... ADD GENERATED ... AS IDENTITY`, which does not
    /// rewrite, and set its sequence past the largest value.
    ///
    /// ## Fix safety
    /// There is no fix: the safe path spans several statements and a
    /// backfill.
    pub(crate) RULE = { id: "add-stored-generated-column", category: Rewrite, severity: Error, check: check }
}

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
        let (what, help) = if column_constraints(column).any(|c| c.contype() == ConstrType::ConstrGenerated && c.generated_kind == "s") {
            (
                "a stored generated column, computed for each existing row,",
                if checker.options.pg_version >= 18 {
                    "make it VIRTUAL, or add a plain column, fill new rows with a trigger, and backfill in batches"
                } else {
                    "add a plain column, fill new rows with a trigger, and backfill existing rows in batches"
                },
            )
        } else if column_constraints(column).any(|c| c.contype() == ConstrType::ConstrIdentity) {
            ("an identity column, numbered for each existing row,", "add the column without IDENTITY, backfill it in batches, then ALTER COLUMN ... ADD GENERATED ... AS IDENTITY")
        } else {
            continue;
        };
        let message = format!("adding {} as {what} rewrites {} under an ACCESS EXCLUSIVE lock", column.colname, relation_key(table));
        checker.report(&RULE, column.location, message, help).on_table(relation_key(table));
    }
}

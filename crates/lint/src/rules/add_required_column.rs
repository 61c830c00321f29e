use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

use super::{alter_table_cmds, cmd_def, has_constraint, is_serial, Checker};
use crate::context::relation_key;
use crate::validation::{any_rows, table_sql};

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ADD COLUMN ... NOT NULL` without a
    /// `DEFAULT` (nor identity, generated or serial values) on a table that
    /// the migration did not create.
    ///
    /// ## Why is this bad?
    /// The existing rows get NULL in the new column, which violates NOT NULL:
    /// the statement fails on any table that has rows. It passes on an empty
    /// development database and fails in production. Code that inserts
    /// without the column breaks too.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD COLUMN plan text NOT NULL;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';
    /// ```
    /// A constant default does not rewrite the table from PostgreSQL 11 on.
    /// Or add the column as nullable, backfill it, and set NOT NULL later.
    ///
    /// ## Fix safety
    /// No fix: the right default is the author's choice. The finding
    /// carries a query that counts the table's rows; the statement fails
    /// unless it returns 0.
    pub(crate) RULE = { id: "add-required-column", category: FailsOnExistingData, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        let Some(NodeEnum::ColumnDef(column)) = cmd_def(cmd) else { continue };
        if cmd.subtype() != AlterTableType::AtAddColumn || !(column.is_not_null || has_constraint(column, ConstrType::ConstrNotnull) || has_constraint(column, ConstrType::ConstrPrimary)) {
            continue;
        }
        let filled = column.raw_default.is_some()
            || [ConstrType::ConstrDefault, ConstrType::ConstrIdentity, ConstrType::ConstrGenerated].into_iter().any(|t| has_constraint(column, t))
            || column.type_name.as_ref().is_some_and(is_serial);
        if !filled {
            let message = format!("adding NOT NULL column {} to {} without a default fails if the table has rows", column.colname, relation_key(table));
            let validation = any_rows(&table_sql(table));
            checker.report(&RULE, column.location, message, "give the column a DEFAULT, or add it nullable, backfill it and set NOT NULL later").on_table(relation_key(table)).with_validation(validation);
        }
    }
}

use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{alter_table_cmds, Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ALTER COLUMN ... TYPE` on a table that the
    /// migration did not create.
    ///
    /// ## Why is this bad?
    /// Changing a column's type takes an ACCESS EXCLUSIVE lock and, unless
    /// the old type is binary-coercible to the new one (such as widening
    /// `varchar(n)` or `varchar` to `text`), rewrites the whole table and
    /// rebuilds its indexes. Reads and writes wait for the rewrite, and code
    /// that reads the column may break on the new type.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2);
    /// ```
    ///
    /// ## Use instead
    /// Add a new column of the new type, backfill it in batches, switch the
    /// code over, and drop the old column:
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN total_new numeric(12, 2);
    /// -- backfill in batches, then switch reads and writes to total_new
    /// ```
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "change-column-type", category: Rewrite, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        if cmd.subtype() == AlterTableType::AtAlterColumnType {
            let message = format!("changing the type of {}.{} may rewrite the table under an ACCESS EXCLUSIVE lock", relation_key(table), cmd.name);
            checker.report(&RULE, STATEMENT, message, "add a column of the new type, backfill it in batches, then switch over and drop the old one");
        }
    }
}

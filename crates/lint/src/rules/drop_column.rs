use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{alter_table_cmds, Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... DROP COLUMN` on a table that the migration
    /// did not create.
    ///
    /// ## Why is this bad?
    /// The column's data is gone for good, and code that still names the
    /// column (including `INSERT`s listing it, and ORMs that cache the
    /// column list) fails as soon as the migration runs.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users DROP COLUMN nickname;
    /// ```
    ///
    /// ## Use instead
    /// Stop reading and writing the column first (tell the ORM to ignore
    /// it), deploy, and drop it in a later migration.
    ///
    /// ## Fix safety
    /// No fix.
    pub(crate) RULE = { id: "drop-column", category: DataLoss, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        if cmd.subtype() == AlterTableType::AtDropColumn {
            let message = format!("dropping column {}.{} deletes its data", relation_key(table), cmd.name);
            checker.report(&RULE, STATEMENT, message, "stop using the column in the code and deploy before dropping it");
        }
    }
}

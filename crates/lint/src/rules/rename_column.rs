use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... RENAME COLUMN` on a table that the
    /// migration did not create.
    ///
    /// ## Why is this bad?
    /// Code deployed before the migration still reads and writes the old
    /// column name and fails from the moment the rename commits until the
    /// new code is out.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users RENAME COLUMN name TO full_name;
    /// ```
    ///
    /// ## Use instead
    /// Add the new column, write to both, backfill, switch reads, stop
    /// writing the old column, and drop it in a later migration.
    ///
    /// ## Fix safety
    /// No fix.
    pub(crate) RULE = { id: "rename-column", category: BackwardIncompatible, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::RenameStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if stmt.rename_type() != ObjectType::ObjectColumn || checker.context.created_table(table) {
        return;
    }
    let message = format!("renaming column {}.{} to {} breaks code that uses the old name", relation_key(table), stmt.subname, stmt.newname);
    checker.report(&RULE, STATEMENT, message, "add the new column and migrate to it in steps that deployed code survives");
}

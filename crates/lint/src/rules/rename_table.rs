use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... RENAME TO` on a table that the migration
    /// did not create.
    ///
    /// ## Why is this bad?
    /// Code deployed before the migration still uses the old name and fails
    /// from the moment the rename commits until the new code is out.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users RENAME TO accounts;
    /// ```
    ///
    /// ## Use instead
    /// Rename in steps the running code survives: for example, rename the
    /// table and create a view with the old name, switch the code to the new
    /// name, then drop the view in a later migration.
    ///
    /// ## Fix safety
    /// No fix.
    pub(crate) RULE = { id: "rename-table", category: BackwardIncompatible, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::RenameStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if stmt.rename_type() != ObjectType::ObjectTable || checker.context.created_table(table) {
        return;
    }
    let message = format!("renaming table {} to {} breaks code that uses the old name", relation_key(table), stmt.newname);
    checker.report(&RULE, STATEMENT, message, "keep the old name working (a view) until no deployed code uses it");
}

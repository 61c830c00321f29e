use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::context::dropped_keys;

declare_rule! {
    /// ## What it does
    /// Checks for `DROP TABLE` of a table that the migration did not create.
    ///
    /// ## Why is this bad?
    /// The table's rows are gone for good, and code still reading or writing
    /// the table fails. `DROP TABLE` also waits for an ACCESS EXCLUSIVE lock.
    ///
    /// ## Example
    /// ```sql
    /// DROP TABLE legacy_events;
    /// ```
    ///
    /// ## Use instead
    /// Stop using the table in the code first, deploy, back the data up if it
    /// may be needed, and drop it in a later migration. Keep the finding
    /// suppressed there as a record that the drop is intended.
    ///
    /// ## Fix safety
    /// No fix.
    pub(crate) RULE = { id: "drop-table", category: DataLoss, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::DropStmt(stmt) = checker.node else { return };
    if stmt.remove_type() != ObjectType::ObjectTable {
        return;
    }
    for table in dropped_keys(&stmt.objects) {
        if !checker.context.created_table_key(&table) {
            checker.report(&RULE, STATEMENT, format!("dropping table {table} deletes its data"), "make sure no code uses the table and its data is no longer needed");
        }
    }
}

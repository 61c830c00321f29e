use pg_query::NodeEnum;

use super::Checker;
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `TRUNCATE` of a table that the migration did not create.
    ///
    /// ## Why is this bad?
    /// Every row of the table is deleted, with no way back once committed.
    /// `TRUNCATE` also takes an ACCESS EXCLUSIVE lock, and with `CASCADE` it
    /// empties the tables that reference this one as well.
    ///
    /// ## Example
    /// ```sql
    /// TRUNCATE sessions;
    /// ```
    ///
    /// ## Use instead
    /// Delete the rows you mean to delete, in batches, from a data
    /// migration or a job, not from a schema migration.
    ///
    /// ## Fix safety
    /// No fix.
    pub(crate) RULE = { id: "truncate", category: DataLoss, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::TruncateStmt(stmt) = checker.node else { return };
    for relation in &stmt.relations {
        let Some(NodeEnum::RangeVar(table)) = &relation.node else { continue };
        if !checker.context.created_table(table) {
            checker.report(&RULE, table.location, format!("truncating {} deletes all of its rows", relation_key(table)), "delete the rows you mean to delete, in batches");
        }
    }
}

use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{alter_table_cmds, Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... SET ACCESS METHOD` (PostgreSQL 15 and
    /// later) on a table that the migration did not create. A partitioned
    /// table, where the statement only sets the method for future
    /// partitions, is left alone when the schema knows it.
    ///
    /// ## Why is this bad?
    /// A new table access method means a new storage format: PostgreSQL
    /// rewrites the whole table, and rebuilds its indexes, under an ACCESS
    /// EXCLUSIVE lock. Reads and writes wait for the rewrite.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE events SET ACCESS METHOD columnar;
    /// ```
    ///
    /// ## Use instead
    /// Create a new table with `USING method`, copy the rows in batches, and
    /// swap the names, or run the statement in a maintenance window.
    ///
    /// ## Fix safety
    /// There is no fix.
    pub(crate) RULE = { id: "set-access-method", category: Rewrite, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        // The schema is read only for the command this rule is about.
        if cmd.subtype() != AlterTableType::AtSetAccessMethod || checker.context.table(table).is_some_and(|t| t.partition_by.is_some()) {
            continue;
        }
        let key = relation_key(table);
        let method = if cmd.name.is_empty() { "DEFAULT".to_string() } else { cmd.name.clone() };
        let message = format!("SET ACCESS METHOD {method} rewrites {key} and its indexes under an ACCESS EXCLUSIVE lock");
        checker.report(&RULE, STATEMENT, message, "create a new table USING the method, copy the rows in batches, and swap names; or run it in a maintenance window").on_table(key);
    }
}

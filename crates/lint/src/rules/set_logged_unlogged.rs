use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{alter_table_cmds, Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... SET LOGGED` and `SET UNLOGGED` on a table
    /// that the migration did not create, unless the schema (`--schema`
    /// and the statements before) shows the table is already in that state
    /// (then PostgreSQL does nothing).
    ///
    /// ## Why is this bad?
    /// Changing a table's persistence rewrites it, and its indexes, into new
    /// files under an ACCESS EXCLUSIVE lock: reads and writes wait for the
    /// whole copy. `SET LOGGED` also writes the entire table to the WAL,
    /// which replicas must replay. `SET UNLOGGED` takes the table off the
    /// replicas and makes it empty after a crash.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE import_rows SET LOGGED;
    /// ```
    ///
    /// ## Use instead
    /// Choose the persistence when creating the table. To change it on a
    /// large table, create a new table with the wanted persistence, copy the
    /// rows in batches, and swap the names, or run the statement in a
    /// maintenance window.
    ///
    /// ## Fix safety
    /// There is no fix.
    pub(crate) RULE = { id: "set-logged-unlogged", category: Rewrite, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        let (what, unlogged) = match cmd.subtype() {
            AlterTableType::AtSetLogged => ("SET LOGGED", false),
            AlterTableType::AtSetUnLogged => ("SET UNLOGGED", true),
            _ => continue,
        };
        if checker.context.table(table).is_some_and(|t| t.unlogged == unlogged) {
            continue;
        }
        let key = relation_key(table);
        let message = format!("{what} rewrites {key} and its indexes under an ACCESS EXCLUSIVE lock");
        checker.report(&RULE, STATEMENT, message, "choose the persistence when creating the table, or copy into a new table in batches and swap names").on_table(key);
    }
}

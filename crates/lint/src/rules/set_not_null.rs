use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{alter_table_cmds, Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ALTER COLUMN ... SET NOT NULL` on a table
    /// that the migration did not create, unless a validated
    /// `CHECK (column IS NOT NULL)` earlier in the migration already proves
    /// it (PostgreSQL 12 and later skip the scan then).
    ///
    /// ## Why is this bad?
    /// `SET NOT NULL` takes an ACCESS EXCLUSIVE lock and scans every row for
    /// NULLs. Reads and writes wait for the whole scan, and the statement
    /// fails if a NULL is found.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ALTER COLUMN email SET NOT NULL;
    /// ```
    ///
    /// ## Use instead
    /// On PostgreSQL 12 and later:
    /// ```sql
    /// ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
    /// ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
    /// ALTER TABLE users ALTER COLUMN email SET NOT NULL;
    /// ALTER TABLE users DROP CONSTRAINT users_email_not_null;
    /// ```
    /// The validation scans under a SHARE UPDATE EXCLUSIVE lock, which lets
    /// writes go on, and `SET NOT NULL` then uses the constraint instead of
    /// scanning.
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "set-not-null", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        if cmd.subtype() != AlterTableType::AtSetNotNull {
            continue;
        }
        if checker.options.pg_version >= 12 && checker.context.proven_not_null(table, &cmd.name) {
            continue;
        }
        let message = format!("SET NOT NULL on {}.{} scans every row under an ACCESS EXCLUSIVE lock", relation_key(table), cmd.name);
        let help = if checker.options.pg_version >= 12 {
            "add CHECK (column IS NOT NULL) NOT VALID and VALIDATE it first; SET NOT NULL then skips the scan"
        } else {
            "before PostgreSQL 12 SET NOT NULL always scans; run it when the table is quiet, or keep a validated CHECK (column IS NOT NULL) instead"
        };
        checker.report(&RULE, STATEMENT, message, help);
    }
}

use astrola_core::ident::quote_ident;
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{alter_table_cmds, Checker, STATEMENT};
use crate::context::relation_key;
use crate::validation::{nulls, table_sql};
use crate::{Applicability, Edit, Fix};

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
    /// On PostgreSQL 12 and later, when the statement does nothing else,
    /// the fix replaces it with the four statements above. It is safe
    /// outside a transaction block and unsafe inside one, where the
    /// validation would run under the ADD's ACCESS EXCLUSIVE lock.
    ///
    /// The finding carries a query that counts the NULLs that would make
    /// the statement fail.
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
        let validation = nulls(&table_sql(table), &[cmd.name.as_str()]);
        let fix = (checker.options.pg_version >= 12 && stmt.cmds.len() == 1).then(|| check_dance(checker, table, &cmd.name));
        let diagnostic = checker.report(&RULE, STATEMENT, message, help).on_table(relation_key(table)).with_validation(validation);
        diagnostic.fix = fix;
    }
}

/// The four statements that set NOT NULL without a long lock: a CHECK added
/// NOT VALID, its validation, SET NOT NULL (which uses the check), and the
/// check's drop.
fn check_dance(checker: &Checker<'_>, table: &pg_query::protobuf::RangeVar, column: &str) -> Fix {
    let target = table_sql(table);
    let mut name = format!("{}_{column}_not_null", table.relname);
    while name.len() > 63 {
        name.pop();
    }
    let name = quote_ident(&name);
    let col = quote_ident(column);
    let replacement = format!(
        "ALTER TABLE {target} ADD CONSTRAINT {name} CHECK ({col} IS NOT NULL) NOT VALID;\nALTER TABLE {target} VALIDATE CONSTRAINT {name};\nALTER TABLE {target} ALTER COLUMN {col} SET NOT NULL;\nALTER TABLE {target} DROP CONSTRAINT {name}"
    );
    let applicability = if checker.in_transaction() { Applicability::Unsafe } else { Applicability::Safe };
    Fix::new("prove the column NOT NULL with a validated CHECK first", applicability, Edit { start: checker.range.0, end: checker.range.1, replacement })
}

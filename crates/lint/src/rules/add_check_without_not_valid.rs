use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

use astrola_core::frontend::postgres::deparse_expression;

use super::{alter_table_cmds, cmd_def, not_valid_then_validate, Checker};
use crate::context::relation_key;
use crate::validation::{check_violations, table_sql};

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ADD CHECK` without `NOT VALID` on a table
    /// that the migration did not create.
    ///
    /// ## Why is this bad?
    /// Adding a CHECK constraint takes an ACCESS EXCLUSIVE lock and scans
    /// every row to verify it. Reads and writes wait for the whole scan, and
    /// the statement fails if a row violates the check.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;
    /// ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
    /// ```
    /// `NOT VALID` skips the scan and holds the lock only briefly.
    /// `VALIDATE CONSTRAINT` then scans under a SHARE UPDATE EXCLUSIVE lock,
    /// which lets reads and writes go on; run it in a separate transaction.
    ///
    /// ## Fix safety
    /// For a named constraint added by itself, the fix appends `NOT VALID`
    /// and a separate `VALIDATE CONSTRAINT`. It is safe outside a
    /// transaction block, unsafe inside one.
    ///
    /// The finding carries a query that counts the rows the condition
    /// rejects; run it before deploying.
    pub(crate) RULE = { id: "add-check-without-not-valid", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        let Some(NodeEnum::Constraint(c)) = cmd_def(cmd) else { continue };
        if cmd.subtype() == AlterTableType::AtAddConstraint && c.contype() == ConstrType::ConstrCheck && !c.skip_validation {
            let key = relation_key(table);
            let message = format!("adding a CHECK constraint to {key} scans every row under an ACCESS EXCLUSIVE lock");
            let fix = not_valid_then_validate(checker, stmt, c);
            let validation = c.raw_expr.as_deref().and_then(|e| deparse_expression(e).ok()).map(|condition| check_violations(&table_sql(table), &condition));
            let diagnostic = checker.report(&RULE, c.location, message, "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate transaction").on_table(key);
            diagnostic.fix = fix;
            diagnostic.validation = validation;
        }
    }
}

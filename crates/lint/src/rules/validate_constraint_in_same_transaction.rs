use astrola_core::model::ConstraintKind;
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::missing_lock_timeout::line_start_before_comments;
use super::{alter_table_cmds, Checker, STATEMENT};
use crate::context::relation_key;
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... VALIDATE CONSTRAINT` in the same
    /// transaction as the `ADD CONSTRAINT ... NOT VALID` that added the
    /// constraint, on a table that the migration did not create. The
    /// transaction is a `BEGIN` in the file, or the runner's own when it
    /// wraps each file in one.
    ///
    /// ## Why is this bad?
    /// `NOT VALID` exists so that the check of the existing rows can run
    /// later, under `VALIDATE CONSTRAINT`'s SHARE UPDATE EXCLUSIVE lock,
    /// which lets reads and writes go on. But locks are held until the
    /// transaction ends: in the same transaction the ADD's lock (ACCESS
    /// EXCLUSIVE for a CHECK, SHARE ROW EXCLUSIVE on both tables for a
    /// foreign key) is still held while every row is checked, so `NOT VALID`
    /// bought nothing.
    ///
    /// ## Example
    /// ```sql
    /// BEGIN;
    /// ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;
    /// ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
    /// COMMIT;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// BEGIN;
    /// ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;
    /// COMMIT;
    /// BEGIN;
    /// ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
    /// COMMIT;
    /// ```
    /// When the runner wraps each file in a transaction, move the
    /// `VALIDATE` to the next migration.
    ///
    /// ## Fix safety
    /// When the transaction is a `BEGIN` in the file, the fix ends it before
    /// the `VALIDATE` and opens a new one (`COMMIT; BEGIN;`). It is unsafe:
    /// the statements before it then commit even if the validation fails.
    /// There is no fix inside the runner's own transaction.
    pub(crate) RULE = { id: "validate-constraint-in-same-transaction", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    let Some(transaction) = checker.context.transaction() else { return };
    if checker.context.created_table(table) {
        return;
    }
    let key = relation_key(table);
    let explicit = transaction.begin.is_some();
    for cmd in alter_table_cmds(stmt) {
        if cmd.subtype() != AlterTableType::AtValidateConstraint || !transaction.not_valid_added.contains(&(key.clone(), cmd.name.clone())) {
            continue;
        }
        let lock = match checker.context.table(table).and_then(|t| t.constraints.get(&cmd.name)).map(|c| &c.kind) {
            Some(ConstraintKind::ForeignKey { .. }) => "SHARE ROW EXCLUSIVE lock, which blocks writes,",
            Some(_) => "ACCESS EXCLUSIVE lock",
            None => "lock, which blocks writes,",
        };
        let message = format!("VALIDATE CONSTRAINT {} on {key} runs in the transaction that added it NOT VALID: the ADD's {lock} is still held while every row is checked", cmd.name);
        let help = if explicit {
            "COMMIT after adding the constraint NOT VALID, and VALIDATE it in a new transaction"
        } else {
            "the runner wraps the file in one transaction: move the VALIDATE to the next migration"
        };
        let fix = explicit.then(|| {
            let at = line_start_before_comments(checker);
            Fix::new("commit before validating, and validate in a new transaction", Applicability::Unsafe, Edit { start: at, end: at, replacement: "COMMIT;\nBEGIN;\n".into() })
        });
        let diagnostic = checker.report(&RULE, STATEMENT, message, help).on_table(key.clone());
        diagnostic.fix = fix;
    }
}

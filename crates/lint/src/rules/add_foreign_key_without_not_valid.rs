use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

use super::{alter_table_cmds, cmd_def, Checker};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ADD FOREIGN KEY` without `NOT VALID` on a
    /// table that the migration did not create.
    ///
    /// ## Why is this bad?
    /// Adding a foreign key takes a SHARE ROW EXCLUSIVE lock on the table and
    /// on the table it references, then checks every existing row. Writes to
    /// both tables wait for the whole scan, and the statement fails if a row
    /// has no match.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
    /// ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
    /// ```
    /// `NOT VALID` makes the constraint hold for new rows at once, without a
    /// scan. `VALIDATE CONSTRAINT` then checks the old rows under a SHARE
    /// UPDATE EXCLUSIVE lock, which lets writes go on; run it in a separate
    /// transaction.
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "add-foreign-key-without-not-valid", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        let Some(NodeEnum::Constraint(c)) = cmd_def(cmd) else { continue };
        if cmd.subtype() == AlterTableType::AtAddConstraint && c.contype() == ConstrType::ConstrForeign && !c.skip_validation {
            let message = format!("adding a foreign key to {} checks every row while writes to both tables are blocked", relation_key(table));
            checker.report(&RULE, c.location, message, "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate transaction");
        }
    }
}

use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

use super::{alter_table_cmds, cmd_def, not_valid_then_validate, string_value, Checker};
use crate::context::relation_key;
use crate::validation::{orphans, table_sql};

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
    /// For a named constraint added by itself, the fix appends `NOT VALID`
    /// and a separate `VALIDATE CONSTRAINT`. It is safe outside a
    /// transaction block, unsafe inside one (the validation would still run
    /// under the first statement's lock).
    ///
    /// The finding carries a query that counts the rows with no parent row;
    /// run it before deploying.
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
            let key = relation_key(table);
            let message = format!("adding a foreign key to {key} checks every row while writes to both tables are blocked");
            let fix = not_valid_then_validate(checker, stmt, c);
            let validation = orphans_query(checker, table, c);
            let diagnostic = checker.report(&RULE, c.location, message, "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate transaction").on_table(key);
            diagnostic.fix = fix;
            diagnostic.validation = validation;
        }
    }
}

/// The rows that have no parent: the constraint's columns, or the
/// referenced table's primary key when the constraint names none.
fn orphans_query(checker: &Checker<'_>, table: &pg_query::protobuf::RangeVar, c: &pg_query::protobuf::Constraint) -> Option<String> {
    let referenced = c.pktable.as_ref()?;
    let columns: Vec<&str> = c.fk_attrs.iter().map(string_value).collect();
    let mut ref_columns: Vec<String> = c.pk_attrs.iter().map(|n| string_value(n).to_string()).collect();
    if ref_columns.is_empty() {
        let (_, pk) = checker.context.table(referenced)?.primary_key()?;
        ref_columns = pk.kind.columns().to_vec();
    }
    if columns.is_empty() || columns.len() != ref_columns.len() {
        return None;
    }
    let ref_columns: Vec<&str> = ref_columns.iter().map(String::as_str).collect();
    Some(orphans(&table_sql(table), &columns, &table_sql(referenced), &ref_columns, c.fk_matchtype == "f"))
}

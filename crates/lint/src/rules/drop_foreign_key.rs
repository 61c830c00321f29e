use astrola_core::model::ConstraintKind;
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{alter_table_cmds, Checker, STATEMENT};
use crate::context::{name_key, relation_key};

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... DROP CONSTRAINT` of a foreign key that
    /// existed before the migration. The rule fires only when the schema
    /// model (`--schema` and the migration's earlier statements) knows the
    /// constraint is a foreign key; a constraint it does not know is not
    /// guessed at.
    ///
    /// ## Why is this bad?
    /// Once the foreign key is gone, nothing stops rows that point at
    /// missing parents: deletes of parent rows no longer cascade or fail,
    /// and inserts with a dangling reference succeed. Orphans written in
    /// that window stay, and adding the constraint back later fails on
    /// them (or needs a `NOT VALID` constraint that never covers them).
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;
    /// ```
    ///
    /// ## Use instead
    /// Keep the constraint. If it must go (the parent table moves to
    /// another database, say), make sure the code enforces the reference
    /// first, and suppress the finding on the statement as a record that
    /// the drop is intended:
    /// ```sql
    /// -- astrola-ignore drop-foreign-key
    /// ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    pub(crate) RULE = { id: "drop-foreign-key", category: DataLoss, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(rv) = &stmt.relation else { return };
    if checker.context.created_table(rv) {
        return;
    }
    let key = relation_key(rv);
    for cmd in alter_table_cmds(stmt) {
        if cmd.subtype() != AlterTableType::AtDropConstraint {
            continue;
        }
        // A foreign key this migration added is not a guarantee anyone relied on yet.
        if checker.context.constraint_origin(&key, &cmd.name).is_some() {
            continue;
        }
        let Some(constraint) = checker.context.table(rv).and_then(|t| t.constraints.get(&cmd.name)) else { continue };
        let ConstraintKind::ForeignKey { columns, ref_table, .. } = &constraint.kind else { continue };
        let message = format!("dropping foreign key {} on {key} ({}) lets rows reference missing {} rows", cmd.name, columns.join(", "), name_key(ref_table));
        checker.report(&RULE, STATEMENT, message, "keep the constraint, or make sure the code enforces the reference before dropping it").on_table(key.clone());
    }
}

use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{alter_table_cmds, Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL` on a table
    /// that the migration did not create. When the schema model knows the
    /// column is nullable already, the statement changes nothing and the
    /// rule stays quiet.
    ///
    /// ## Why is this bad?
    /// Code that reads the column has been written against a column that
    /// always holds a value. As soon as the first NULL is written, readers
    /// that do not expect one break: a non-optional field in an ORM model,
    /// arithmetic or string concatenation that now yields NULL, a `NOT IN`
    /// subquery that stops matching anything.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
    /// ```
    ///
    /// ## Use instead
    /// Deploy code that handles a missing value everywhere the column is
    /// read first, then drop the constraint in a later migration, with the
    /// finding suppressed there as a record that the readers are ready:
    /// ```sql
    /// -- astrola-ignore drop-not-null
    /// ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    pub(crate) RULE = { id: "drop-not-null", category: BackwardIncompatible, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(rv) = &stmt.relation else { return };
    if checker.context.created_table(rv) {
        return;
    }
    let key = relation_key(rv);
    for cmd in alter_table_cmds(stmt) {
        if cmd.subtype() != AlterTableType::AtDropNotNull {
            continue;
        }
        if checker.context.column(rv, &cmd.name).is_some_and(|c| !c.not_null) {
            continue;
        }
        let message = format!("dropping NOT NULL on {key}.{} lets NULLs reach code that expects a value", cmd.name);
        checker.report(&RULE, STATEMENT, message, "deploy code that handles NULL in this column before dropping the constraint").on_table(key.clone());
    }
}

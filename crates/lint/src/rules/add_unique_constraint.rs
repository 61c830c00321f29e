use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

use super::{alter_table_cmds, cmd_def, Checker};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ADD UNIQUE` or `ADD PRIMARY KEY` that
    /// builds its index (no `USING INDEX`) on a table that the migration did
    /// not create.
    ///
    /// ## Why is this bad?
    /// The constraint's index is built while the statement holds an ACCESS
    /// EXCLUSIVE lock: reads and writes wait for a full scan and sort of the
    /// table. The statement fails if existing rows hold duplicates.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
    /// ```
    /// The index is built without blocking writes; attaching it as the
    /// constraint only takes the lock briefly.
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "add-unique-constraint", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        let Some(NodeEnum::Constraint(c)) = cmd_def(cmd) else { continue };
        let kind = match c.contype() {
            ConstrType::ConstrUnique => "UNIQUE",
            ConstrType::ConstrPrimary => "PRIMARY KEY",
            _ => continue,
        };
        if cmd.subtype() == AlterTableType::AtAddConstraint && c.indexname.is_empty() {
            let message = format!("adding a {kind} constraint to {} builds its index under an ACCESS EXCLUSIVE lock", relation_key(table));
            let help = format!("build the index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... {kind} USING INDEX");
            checker.report(&RULE, c.location, message, help);
        }
    }
}

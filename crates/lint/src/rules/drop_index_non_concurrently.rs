use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::context::dropped_keys;

declare_rule! {
    /// ## What it does
    /// Checks for `DROP INDEX` without `CONCURRENTLY` on an index that the
    /// migration did not create.
    ///
    /// ## Why is this bad?
    /// A plain `DROP INDEX` takes an ACCESS EXCLUSIVE lock on the index's
    /// table. While it waits for that lock behind a long query, every other
    /// query on the table, reads included, queues behind it.
    ///
    /// ## Example
    /// ```sql
    /// DROP INDEX users_email_idx;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// DROP INDEX CONCURRENTLY users_email_idx;
    /// ```
    /// `CONCURRENTLY` waits for the transactions using the index without
    /// blocking new queries. It cannot run inside a transaction block.
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "drop-index-non-concurrently", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::DropStmt(stmt) = checker.node else { return };
    if stmt.remove_type() != ObjectType::ObjectIndex || stmt.concurrent {
        return;
    }
    for index in dropped_keys(&stmt.objects) {
        if !checker.context.created_index_key(&index) {
            let message = format!("DROP INDEX without CONCURRENTLY locks the table of {index} against reads and writes");
            checker.report(&RULE, STATEMENT, message, "use DROP INDEX CONCURRENTLY, outside a transaction block");
        }
    }
}

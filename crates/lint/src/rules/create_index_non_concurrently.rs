use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `CREATE INDEX` without `CONCURRENTLY` on a table that the
    /// migration did not create.
    ///
    /// ## Why is this bad?
    /// A plain `CREATE INDEX` holds a SHARE lock on the table while it
    /// builds the index. SHARE conflicts with ROW EXCLUSIVE, so every
    /// `INSERT`, `UPDATE` and `DELETE` waits until the build, a full scan and
    /// sort of the table, is done.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX users_email_idx ON users (email);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
    /// ```
    /// `CONCURRENTLY` takes a SHARE UPDATE EXCLUSIVE lock, which lets writes
    /// go on. It cannot run inside a transaction block, and a failed build
    /// leaves an invalid index to drop.
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "create-index-non-concurrently", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::IndexStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if stmt.concurrent || checker.context.created_table(table) {
        return;
    }
    let message = format!("CREATE INDEX without CONCURRENTLY blocks writes to {} while the index builds", relation_key(table));
    checker.report(&RULE, STATEMENT, message, "use CREATE INDEX CONCURRENTLY, outside a transaction block");
}

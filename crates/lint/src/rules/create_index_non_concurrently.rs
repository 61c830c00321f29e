use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::context::relation_key;
use crate::{Applicability, Edit, Fix};

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
    /// The fix adds `CONCURRENTLY`. It is safe outside a transaction block;
    /// inside one it is unsafe, because `CREATE INDEX CONCURRENTLY` cannot
    /// run in a transaction and the statement must move out of it. There is
    /// no fix for a partitioned table, where `CONCURRENTLY` is not allowed.
    pub(crate) RULE = { id: "create-index-non-concurrently", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::IndexStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if stmt.concurrent || checker.context.created_table(table) {
        return;
    }
    let key = relation_key(table);
    let message = format!("CREATE INDEX without CONCURRENTLY blocks writes to {key} while the index builds");
    if checker.context.table(table).is_some_and(|t| t.partition_by.is_some()) {
        // CONCURRENTLY is not supported on a partitioned table.
        let help = "build the index CONCURRENTLY on each partition, create it ON ONLY the partitioned table, then ALTER INDEX ... ATTACH PARTITION each one";
        checker.report(&RULE, STATEMENT, message, help).on_table(key);
        return;
    }
    let fix = checker.find_keywords(&["INDEX"]).map(|(_, end)| {
        let applicability = if checker.in_transaction() { Applicability::Unsafe } else { Applicability::Safe };
        Fix::new("build the index CONCURRENTLY", applicability, Edit { start: end, end, replacement: " CONCURRENTLY".into() })
    });
    let diagnostic = checker.report(&RULE, STATEMENT, message, "use CREATE INDEX CONCURRENTLY, outside a transaction block").on_table(key);
    diagnostic.fix = fix;
}

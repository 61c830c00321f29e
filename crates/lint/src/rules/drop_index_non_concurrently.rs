use pg_query::protobuf::{DropBehavior, ObjectType};
use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::context::dropped_keys;
use crate::{Applicability, Edit, Fix};

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
    /// The fix adds `CONCURRENTLY` when the statement drops one index
    /// without `CASCADE` (the only form `CONCURRENTLY` allows). It is safe
    /// outside a transaction block and unsafe inside one, which
    /// `DROP INDEX CONCURRENTLY` cannot run in.
    pub(crate) RULE = { id: "drop-index-non-concurrently", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::DropStmt(stmt) = checker.node else { return };
    if stmt.remove_type() != ObjectType::ObjectIndex || stmt.concurrent {
        return;
    }
    let indexes = dropped_keys(&stmt.objects);
    // DROP INDEX CONCURRENTLY drops one index, without CASCADE.
    let fixable = indexes.len() == 1 && stmt.behavior() != DropBehavior::DropCascade;
    for index in indexes {
        if checker.context.created_index_key(&index) {
            continue;
        }
        let table = checker.context.index_table(&index);
        let message = match &table {
            Some(table) => format!("DROP INDEX without CONCURRENTLY locks {table} against reads and writes while {index} is dropped"),
            None => format!("DROP INDEX without CONCURRENTLY locks the table of {index} against reads and writes"),
        };
        let fix = checker.find_keywords(&["INDEX"]).filter(|_| fixable).map(|(_, end)| {
            let applicability = if checker.in_transaction() { Applicability::Unsafe } else { Applicability::Safe };
            Fix::new("drop the index CONCURRENTLY", applicability, Edit { start: end, end, replacement: " CONCURRENTLY".into() })
        });
        let diagnostic = checker.report(&RULE, STATEMENT, message, "use DROP INDEX CONCURRENTLY, outside a transaction block");
        diagnostic.table = table;
        diagnostic.fix = fix;
    }
}

use super::{Checker, STATEMENT};
use crate::locks::{table_locks, LockMode};
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for the first statement of the file that takes a lock which
    /// blocks writes (SHARE or stronger) on a table that the migration did
    /// not create, when no `SET lock_timeout` to a non-zero value ran before
    /// it. It is reported once per file.
    ///
    /// When the migration runner sets a lock timeout itself, switch the rule
    /// off with `disable = ["missing-lock-timeout"]` under `[rules]` in
    /// `astrola.toml`.
    ///
    /// ## Why is this bad?
    /// A statement that needs a strong lock waits for every transaction
    /// already using the table, however long it runs, and while it waits
    /// every new query that conflicts with the lock it wants queues behind
    /// it. An `ALTER TABLE` that would take milliseconds can stop all reads
    /// and writes of a busy table for as long as the slowest open
    /// transaction. A `lock_timeout` makes it give up instead, so the
    /// migration can be retried.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD COLUMN nickname text;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SET lock_timeout = '5s';
    /// ALTER TABLE users ADD COLUMN nickname text;
    /// ```
    ///
    /// ## Fix safety
    /// The fix inserts `SET lock_timeout = '5s';` before the statement (and
    /// before the comment lines directly above it, so suppressions stay with
    /// their statement). It is safe: the migration does the same work, and
    /// only gives up with an error instead of queueing for the lock. The fix
    /// uses a plain `SET`, which is right both inside and outside a
    /// transaction block: it lasts to the end of the session, covering the
    /// rest of the file, whereas `SET LOCAL` would end with the transaction
    /// (and does nothing outside one). Inside a transaction that is rolled
    /// back, the `SET` is undone with it.
    pub(crate) RULE = { id: "missing-lock-timeout", category: Locking, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    if checker.context.lock_timeout_set() {
        return;
    }
    let locks = table_locks(checker.node, checker.context);
    let Some(lock) = locks.iter().filter(|l| l.mode.blocks_writes()).max_by_key(|l| l.mode) else { return };
    // Once per file: the first such statement.
    if checker.diagnostics.iter().any(|d| d.rule == RULE.id) {
        return;
    }
    let queued = if lock.mode == LockMode::AccessExclusive { "every read and write" } else { "every write" };
    let message = format!("this statement takes {} lock on {} without a lock_timeout: while it waits for the lock, {queued} of the table queues behind it", lock.mode.with_article(), lock.table);
    let at = line_start_before_comments(checker);
    let fix = Fix::new("set a lock_timeout before the first statement that locks an existing table", Applicability::Safe, Edit { start: at, end: at, replacement: "SET lock_timeout = '5s';\n".into() });
    let table = lock.table.clone();
    checker.report(&RULE, STATEMENT, message, "run SET lock_timeout = '5s' (or another short limit) first, and retry the migration when it times out").on_table(table).with_fix(fix);
}

/// Where to insert a statement before the one being checked: the start of
/// the comment lines directly above it (so that a suppression comment
/// stays with its statement), or the statement itself when something else
/// precedes it on its line.
pub(super) fn line_start_before_comments(checker: &Checker<'_>) -> usize {
    let source = checker.source;
    let start = checker.range.0.min(source.len());
    let Some(before) = source.get(..start) else { return start };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if !before[line_start..].trim().is_empty() {
        return start;
    }
    let mut at = line_start;
    while at > 0 {
        let previous_start = source[..at - 1].rfind('\n').map_or(0, |i| i + 1);
        if source[previous_start..at - 1].trim_start().starts_with("--") {
            at = previous_start;
        } else {
            break;
        }
    }
    at
}

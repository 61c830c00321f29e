use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::locks::table_locks;

declare_rule! {
    /// ## What it does
    /// Checks, inside a transaction (a `BEGIN` in the file, or the runner's
    /// own when it wraps each file in one), for statements that run after
    /// an earlier statement of the same transaction took an ACCESS
    /// EXCLUSIVE lock on a table that the migration did not create, and
    /// that can take time while that lock is held: statements that lock
    /// another existing table (they may wait for it), and statements that
    /// read or write the rows of an existing table or build its indexes
    /// (DML, `CREATE INDEX`, `REINDEX`, `CLUSTER`, `VACUUM`,
    /// `REFRESH MATERIALIZED VIEW`, `LOCK`). Further `ALTER TABLE`s of the
    /// locked table itself, statements that only touch objects the
    /// migration created, and `SET`, `COMMIT` and `ROLLBACK` are left
    /// alone; the rules about scans and rewrites report the slow
    /// `ALTER TABLE`s.
    ///
    /// ## Why is this bad?
    /// Locks are held until the transaction ends. Everything that runs after
    /// the ACCESS EXCLUSIVE lock is taken runs while no one else can read or
    /// write that table, so a statement that is harmless on its own (an
    /// index build, a backfill, a wait for another table's lock) becomes an
    /// outage of the locked table. Waiting for a second table's lock while
    /// holding the first is also how deadlocks with the application start.
    ///
    /// ## Example
    /// ```sql
    /// BEGIN;
    /// ALTER TABLE users ADD COLUMN plan text;
    /// UPDATE accounts SET plan = 'free';
    /// COMMIT;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// BEGIN;
    /// ALTER TABLE users ADD COLUMN plan text;
    /// COMMIT;
    /// BEGIN;
    /// UPDATE accounts SET plan = 'free';
    /// COMMIT;
    /// ```
    /// Put the statement that takes ACCESS EXCLUSIVE last in its
    /// transaction, or in a transaction of its own.
    ///
    /// ## Fix safety
    /// There is no fix: splitting the transaction changes what happens when
    /// a later statement fails.
    pub(crate) RULE = { id: "statements-after-access-exclusive", category: Locking, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let Some(transaction) = checker.context.transaction() else { return };
    let Some((locked, range)) = &transaction.access_exclusive else { return };
    let locks = table_locks(checker.node, checker.context);
    let other = locks.iter().find(|l| &l.table != locked);
    let works_on_rows = !locks.is_empty()
        && matches!(
            checker.node,
            NodeEnum::UpdateStmt(_)
                | NodeEnum::DeleteStmt(_)
                | NodeEnum::InsertStmt(_)
                | NodeEnum::MergeStmt(_)
                | NodeEnum::IndexStmt(_)
                | NodeEnum::ReindexStmt(_)
                | NodeEnum::ClusterStmt(_)
                | NodeEnum::VacuumStmt(_)
                | NodeEnum::RefreshMatViewStmt(_)
                | NodeEnum::LockStmt(_)
        );
    if other.is_none() && !works_on_rows {
        return;
    }
    let line = checker.lines.span(checker.file, checker.source, range.0, range.1).line;
    let what = match other {
        Some(lock) => format!("takes {} lock on {}", lock.mode.with_article(), lock.table),
        None => "works through existing rows".to_string(),
    };
    let message = format!("this statement {what} while the ACCESS EXCLUSIVE lock on {locked} taken on line {line} is held: {locked} stays blocked for reads and writes until the transaction ends");
    let help = format!("commit right after the statement on line {line}, or move this statement before it or into its own transaction");
    let table = locked.clone();
    checker.report(&RULE, STATEMENT, message, help).on_table(table);
}

use super::{Checker, FileEnd};
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for a `BEGIN` (or `START TRANSACTION`) in the file that no
    /// `COMMIT` or `ROLLBACK` ends by the end of the file. It is reported
    /// at the `BEGIN`.
    ///
    /// ## Why is this bad?
    /// What happens next depends on the tool running the file: `psql` ends
    /// the session and PostgreSQL rolls the whole migration back, silently;
    /// a runner that keeps the connection leaves the transaction open,
    /// holding every lock it took, until something else commits it or the
    /// connection closes. Either way, whether the migration is applied is
    /// left to chance.
    ///
    /// ## Example
    /// ```sql
    /// BEGIN;
    /// ALTER TABLE users ADD COLUMN plan text;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// BEGIN;
    /// ALTER TABLE users ADD COLUMN plan text;
    /// COMMIT;
    /// ```
    ///
    /// ## Fix safety
    /// The fix appends `COMMIT;` to the end of the file. It is unsafe: it
    /// makes the migration's changes permanent where running the file may
    /// so far have rolled them back.
    pub(crate) RULE = { id: "unfinished-transaction", category: Transaction, severity: Error, check: check, finish: finish }
}

fn check(_: &mut Checker<'_>) {}

fn finish(end: &mut FileEnd<'_>) {
    let Some(transaction) = end.context.transaction() else { return };
    let Some(begin) = transaction.begin else { return };
    let at = end.source.len();
    let replacement = if end.source.ends_with('\n') || end.source.is_empty() { "COMMIT;\n" } else { "\nCOMMIT;\n" };
    let fix = Fix::new("end the transaction with COMMIT at the end of the file", Applicability::Unsafe, Edit { start: at, end: at, replacement: replacement.into() });
    end.report(&RULE, begin, "BEGIN has no COMMIT or ROLLBACK by the end of the file".to_string(), "end the transaction with COMMIT (or ROLLBACK) in the same file".to_string()).with_fix(fix);
}

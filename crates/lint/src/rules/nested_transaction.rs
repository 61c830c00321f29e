use pg_query::protobuf::TransactionStmtKind;
use pg_query::NodeEnum;

use super::{Checker, STATEMENT};

declare_rule! {
    /// ## What it does
    /// Checks for `BEGIN` (or `START TRANSACTION`) while a transaction is
    /// already open: one begun earlier in the file and not yet committed or
    /// rolled back, or, when the runner wraps each file in a transaction
    /// (`transactional = true`), the runner's own.
    ///
    /// ## Why is this bad?
    /// PostgreSQL has no nested transactions. It ignores the second `BEGIN`
    /// with only a warning, so the `COMMIT` meant for the inner transaction
    /// commits the outer one early: the statements after it run outside any
    /// transaction (each commits on its own), and the outer `COMMIT` or
    /// `ROLLBACK` then finds nothing to end. A failure after that point
    /// leaves the migration half applied.
    ///
    /// ## Example
    /// ```sql
    /// BEGIN;
    /// ALTER TABLE users ADD COLUMN plan text;
    /// BEGIN;
    /// ALTER TABLE accounts ADD COLUMN plan text;
    /// COMMIT;
    /// COMMIT;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// BEGIN;
    /// ALTER TABLE users ADD COLUMN plan text;
    /// SAVEPOINT accounts_plan;
    /// ALTER TABLE accounts ADD COLUMN plan text;
    /// RELEASE SAVEPOINT accounts_plan;
    /// COMMIT;
    /// ```
    /// Use one transaction, with savepoints for the parts that may be
    /// rolled back on their own. When the runner already wraps the file in
    /// a transaction, leave `BEGIN` and `COMMIT` out of the file.
    ///
    /// ## Fix safety
    /// There is no fix: which `COMMIT` belongs to which `BEGIN` is for the
    /// author to decide.
    pub(crate) RULE = { id: "nested-transaction", category: Transaction, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::TransactionStmt(stmt) = checker.node else { return };
    if !matches!(stmt.kind(), TransactionStmtKind::TransStmtBegin | TransactionStmtKind::TransStmtStart) {
        return;
    }
    let Some(transaction) = checker.context.transaction() else { return };
    let (message, help) = match transaction.begin {
        Some((start, end)) => {
            let line = checker.lines.span(checker.file, checker.source, start, end).line;
            (
                format!("BEGIN while the transaction begun on line {line} is open: PostgreSQL ignores it, and the next COMMIT ends the outer transaction early"),
                "remove this BEGIN and its COMMIT, or use SAVEPOINT for a part that may roll back on its own",
            )
        }
        None => (
            "BEGIN inside the transaction the migration runner wraps the file in: PostgreSQL ignores it, and the file's COMMIT ends the runner's transaction early".to_string(),
            "remove BEGIN and COMMIT from the file, or configure the runner not to wrap it in a transaction",
        ),
    };
    checker.report(&RULE, STATEMENT, message, help);
}

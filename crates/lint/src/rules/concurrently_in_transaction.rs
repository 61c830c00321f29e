use pg_query::NodeEnum;

use super::{Checker, STATEMENT};

declare_rule! {
    /// ## What it does
    /// Checks for `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY` and
    /// `REINDEX ... CONCURRENTLY` after a `BEGIN` that no `COMMIT` or
    /// `ROLLBACK` has closed yet.
    ///
    /// ## Why is this bad?
    /// These commands run several transactions of their own, so PostgreSQL
    /// refuses them inside a transaction block: the migration fails with
    /// "cannot run inside a transaction block".
    ///
    /// ## Example
    /// ```sql
    /// BEGIN;
    /// CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
    /// COMMIT;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
    /// ```
    /// Run it outside the transaction, and tell the migration runner not to
    /// wrap the file in one.
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "concurrently-in-transaction", category: Transaction, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    if !checker.context.in_transaction() {
        return;
    }
    let what = match checker.node {
        NodeEnum::IndexStmt(s) if s.concurrent => "CREATE INDEX CONCURRENTLY",
        NodeEnum::DropStmt(s) if s.concurrent => "DROP INDEX CONCURRENTLY",
        NodeEnum::ReindexStmt(s) if s.params.iter().any(|p| matches!(&p.node, Some(NodeEnum::DefElem(d)) if d.defname == "concurrently")) => "REINDEX CONCURRENTLY",
        _ => return,
    };
    checker.report(&RULE, STATEMENT, format!("{what} cannot run inside a transaction block"), "move it after COMMIT, outside the transaction");
}

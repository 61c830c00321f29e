use pg_query::NodeEnum;

use super::{Checker, STATEMENT};

declare_rule! {
    /// ## What it does
    /// Checks for `DROP DATABASE`.
    ///
    /// ## Why is this bad?
    /// Every schema, table and row in the database is deleted, and the
    /// statement cannot run inside a transaction block, so nothing rolls it
    /// back. A migration is the wrong place for it: a mistyped name or a
    /// migration run against the wrong server loses everything.
    ///
    /// ## Example
    /// ```sql
    /// DROP DATABASE analytics;
    /// ```
    ///
    /// ## Use instead
    /// Drop databases by hand, after a backup, outside the migrations. A
    /// migration changes objects inside the database it runs in.
    ///
    /// ## Fix safety
    /// No fix.
    pub(crate) RULE = { id: "drop-database", category: DataLoss, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::DropdbStmt(stmt) = checker.node else { return };
    let message = format!("dropping database {} deletes all of its data", stmt.dbname);
    checker.report(&RULE, STATEMENT, message, "drop databases by hand after a backup, not in a migration");
}

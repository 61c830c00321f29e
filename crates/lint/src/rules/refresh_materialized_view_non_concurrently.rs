use astrola_core::model::IndexTarget;
use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::context::relation_key;
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for `REFRESH MATERIALIZED VIEW` without `CONCURRENTLY` on a
    /// materialized view that the migration did not create (`WITH NO DATA`,
    /// which only empties the view, is left alone).
    ///
    /// ## Why is this bad?
    /// A plain refresh takes an ACCESS EXCLUSIVE lock on the view and holds
    /// it while the view's query runs: every read of the view waits for the
    /// whole refresh.
    ///
    /// ## Example
    /// ```sql
    /// REFRESH MATERIALIZED VIEW daily_totals;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE UNIQUE INDEX CONCURRENTLY daily_totals_day ON daily_totals (day);
    /// REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;
    /// ```
    /// `CONCURRENTLY` computes the new contents aside and applies the
    /// difference under an EXCLUSIVE lock, which lets reads go on. It needs
    /// a unique index on plain columns of the view, with no `WHERE` clause,
    /// and a view that is already populated; it does more work than a plain
    /// refresh.
    ///
    /// ## Fix safety
    /// The fix adds `CONCURRENTLY`. It is safe when the schema (`--schema`
    /// and the statements before) shows a unique index on plain columns of
    /// the view without a `WHERE` clause; it fails only if the view was
    /// never populated (`WITH NO DATA`). Without such an index the fix is
    /// display-only: create the unique index first.
    pub(crate) RULE = { id: "refresh-materialized-view-non-concurrently", category: Locking, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::RefreshMatViewStmt(stmt) = checker.node else { return };
    let Some(view) = &stmt.relation else { return };
    if stmt.concurrent || stmt.skip_data || checker.context.created_table(view) {
        return;
    }
    let key = relation_key(view);
    let has_unique_index = checker.context.indexes_on(&key).any(|(_, index)| index.unique && index.predicate.is_none() && index.keys.iter().all(|k| matches!(k.target, IndexTarget::Column(_))));
    let message = format!("REFRESH MATERIALIZED VIEW {key} without CONCURRENTLY blocks every read of the view until the refresh is done");
    let help = if has_unique_index { "use REFRESH MATERIALIZED VIEW CONCURRENTLY" } else { "create a unique index on the view (CONCURRENTLY), then use REFRESH MATERIALIZED VIEW CONCURRENTLY" };
    let fix = checker.find_keywords(&["VIEW"]).map(|(_, end)| {
        let (message, applicability) =
            if has_unique_index { ("refresh CONCURRENTLY", Applicability::Safe) } else { ("refresh CONCURRENTLY, after creating a unique index on the view", Applicability::DisplayOnly) };
        Fix::new(message, applicability, Edit { start: end, end, replacement: " CONCURRENTLY".into() })
    });
    let diagnostic = checker.report(&RULE, STATEMENT, message, help).on_table(key);
    diagnostic.fix = fix;
}

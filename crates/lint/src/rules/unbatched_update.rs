use pg_query::protobuf::{Node, RangeVar};
use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `UPDATE` and `DELETE` without a `WHERE` clause (or with
    /// `WHERE true`) on a table that the migration did not create: a change
    /// of every row in one statement. A statement with any other `WHERE`
    /// is taken as a deliberate, bounded change and left alone.
    ///
    /// ## Why is this bad?
    /// One statement over the whole table locks every row it changes until
    /// the transaction commits, so application writes to those rows wait
    /// (and may deadlock) for as long as the migration runs. Every updated
    /// or deleted row leaves a dead version behind: the table and its
    /// indexes bloat, replicas fall behind on the flood of WAL, and on a
    /// large table the statement can run for hours. Inside the migration's
    /// transaction, any lock the migration took before is held for all that
    /// time too.
    ///
    /// ## Example
    /// ```sql
    /// UPDATE users SET plan = 'free';
    /// ```
    ///
    /// ## Use instead
    /// Backfill outside the migration, in batches of a few thousand rows by
    /// primary key, each in its own transaction:
    /// ```sql
    /// UPDATE users SET plan = 'free'
    /// WHERE id IN (SELECT id FROM users WHERE plan IS NULL ORDER BY id LIMIT 5000);
    /// -- repeat until no row is updated
    /// ```
    /// To empty a table, `TRUNCATE` is instant but takes an ACCESS
    /// EXCLUSIVE lock; otherwise delete in batches the same way.
    ///
    /// ## Fix safety
    /// There is no fix: the batch condition depends on the data.
    pub(crate) RULE = { id: "unbatched-update", category: Locking, severity: Warning, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let (verb, table, filter): (&str, &RangeVar, Option<&Node>) = match checker.node {
        NodeEnum::UpdateStmt(s) => match &s.relation {
            Some(rv) => ("UPDATE", rv, s.where_clause.as_deref()),
            None => return,
        },
        NodeEnum::DeleteStmt(s) => match &s.relation {
            Some(rv) => ("DELETE", rv, s.where_clause.as_deref()),
            None => return,
        },
        _ => return,
    };
    if checker.context.created_table(table) || filter.is_some_and(|f| !is_true(f)) {
        return;
    }
    let key = relation_key(table);
    let message = format!("{verb} of every row of {key} in one statement locks each row until commit and leaves a dead version of each behind");
    let help = if verb == "UPDATE" {
        "backfill in batches by primary key, each in its own transaction, outside the migration"
    } else {
        "delete in batches by primary key, each in its own transaction, outside the migration (or TRUNCATE, which is instant but takes ACCESS EXCLUSIVE)"
    };
    checker.report(&RULE, STATEMENT, message, help).on_table(key);
}

/// Whether a condition is the constant `true`.
fn is_true(node: &Node) -> bool {
    match &node.node {
        Some(NodeEnum::AConst(c)) => matches!(&c.val, Some(pg_query::protobuf::a_const::Val::Boolval(b)) if b.boolval),
        Some(NodeEnum::TypeCast(c)) => c.arg.as_deref().is_some_and(is_true),
        _ => false,
    }
}


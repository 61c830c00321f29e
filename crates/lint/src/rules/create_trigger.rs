use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER` on a table that
    /// the migration did not create. `INSTEAD OF` triggers, which only
    /// views have, are left alone.
    ///
    /// ## Why is this bad?
    /// Creating a trigger takes a SHARE ROW EXCLUSIVE lock on the table,
    /// which conflicts with the ROW EXCLUSIVE lock of every `INSERT`,
    /// `UPDATE` and `DELETE`. The statement itself is quick, but while it
    /// waits for transactions already using the table, all writes queue
    /// behind it. Once created, the trigger's function runs on every write
    /// it fires for, adding work (and possibly locks on other tables) to
    /// each one.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TRIGGER users_audit AFTER UPDATE ON users FOR EACH ROW EXECUTE FUNCTION audit();
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SET lock_timeout = '5s';
    /// CREATE TRIGGER users_audit AFTER UPDATE ON users FOR EACH ROW EXECUTE FUNCTION audit();
    /// ```
    /// Bound the wait with a short `lock_timeout` and retry, keep the
    /// trigger function cheap, and limit it with `WHEN (...)` or
    /// `UPDATE OF column` where you can.
    ///
    /// ## Fix safety
    /// There is no fix: the trigger is what the migration wants.
    pub(crate) RULE = { id: "create-trigger", category: Locking, severity: Warning, check: check }
}

/// `TRIGGER_TYPE_INSTEAD` in the timing bits.
const INSTEAD: i32 = 1 << 6;

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::CreateTrigStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if stmt.timing & INSTEAD != 0 || checker.context.created_table(table) {
        return;
    }
    let key = relation_key(table);
    let events = events(stmt.events);
    let message = format!("CREATE TRIGGER {} takes a SHARE ROW EXCLUSIVE lock on {key}, blocking writes while it waits, and then runs on every {events}", stmt.trigname);
    checker.report(&RULE, STATEMENT, message, "set a short lock_timeout before it and retry on timeout; keep the trigger function cheap").on_table(key);
}

/// The events a trigger fires on ("INSERT or UPDATE"), from its bits.
fn events(bits: i32) -> String {
    let names: Vec<&str> = [(1 << 2, "INSERT"), (1 << 4, "UPDATE"), (1 << 3, "DELETE"), (1 << 5, "TRUNCATE")].iter().filter(|(bit, _)| bits & bit != 0).map(|(_, name)| *name).collect();
    if names.is_empty() {
        "write".to_string()
    } else {
        names.join(" or ")
    }
}

use super::missing_lock_timeout::line_start_before_comments;
use super::{tokens, Checker, STATEMENT};
use crate::locks::{table_locks, LockMode};
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for the first statement of the file that takes an ACCESS
    /// EXCLUSIVE lock on a table that the migration did not create, when no
    /// `SET statement_timeout` to a non-zero value ran before it. It is
    /// reported once per file.
    ///
    /// Off by default, like `missing-lock-timeout`: switch it on with
    /// `enable = ["missing-statement-timeout"]` under `[rules]` in
    /// `astrola.toml`.
    ///
    /// ## Why is this bad?
    /// While a statement holds ACCESS EXCLUSIVE, nothing else can read or
    /// write the table. If it turns out to be slow (a rewrite, a scan, a
    /// lock wait) the table is unavailable for as long as it runs. A
    /// `statement_timeout` caps that time (it counts the wait for the lock
    /// too): the statement is cancelled and its transaction rolled back,
    /// and the migration can be rethought or retried.
    ///
    /// Do not leave a short `statement_timeout` in place for statements
    /// that are meant to run long without blocking:
    /// `CREATE INDEX CONCURRENTLY`, `REINDEX CONCURRENTLY`,
    /// `VALIDATE CONSTRAINT` and batched backfills. Reset it
    /// (`SET statement_timeout = 0`) before those.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ALTER COLUMN id TYPE bigint;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SET statement_timeout = '1min';
    /// ALTER TABLE users ALTER COLUMN id TYPE bigint;
    /// ```
    ///
    /// ## Fix safety
    /// The fix inserts `SET statement_timeout = '1min';` before the
    /// statement (and before the comment lines directly above it). A plain
    /// `SET` lasts for the rest of the session, inside or outside a
    /// transaction block. It is safe when nothing later in the file runs
    /// `CONCURRENTLY` or `VALIDATE` (which the timeout would cancel), and
    /// unsafe otherwise. Either way, choose a limit that fits the table: a
    /// statement that legitimately takes longer now fails instead.
    pub(crate) RULE = { id: "missing-statement-timeout", category: Transaction, severity: Warning, check: check, default_enabled: false }
}

fn check(checker: &mut Checker<'_>) {
    if checker.context.statement_timeout_set() || checker.diagnostics.iter().any(|d| d.rule == RULE.id) {
        return;
    }
    let locks = table_locks(checker.node, checker.context);
    let Some(lock) = locks.iter().find(|l| l.mode == LockMode::AccessExclusive) else { return };
    let message = format!("this statement takes an ACCESS EXCLUSIVE lock on {} without a statement_timeout: if it is slow, the table is unavailable for as long as it runs", lock.table);
    let long_running_later = tokens(checker.source, (checker.range.1, checker.source.len())).iter().any(|t| t.word && (t.text.eq_ignore_ascii_case("CONCURRENTLY") || t.text.eq_ignore_ascii_case("VALIDATE")));
    let applicability = if long_running_later { Applicability::Unsafe } else { Applicability::Safe };
    let at = line_start_before_comments(checker);
    let fix = Fix::new("set a statement_timeout before the first statement that takes ACCESS EXCLUSIVE on an existing table", applicability, Edit { start: at, end: at, replacement: "SET statement_timeout = '1min';\n".into() });
    let table = lock.table.clone();
    let help = "run SET statement_timeout first (reset it before CREATE INDEX CONCURRENTLY or VALIDATE CONSTRAINT later in the file)";
    checker.report(&RULE, STATEMENT, message, help).on_table(table).with_fix(fix);
}

use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{alter_table_cmds, cmd_def, Checker, STATEMENT};
use crate::context::{name_key, relation_key};
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... DETACH PARTITION` without `CONCURRENTLY`
    /// on a partitioned table that the migration did not create.
    ///
    /// ## Why is this bad?
    /// A plain `DETACH PARTITION` takes an ACCESS EXCLUSIVE lock on the
    /// partitioned table (and on the partition). Every read and write of any
    /// partition waits for it, and, while it waits for a long query to
    /// finish, every query queued behind it waits too.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE measurements DETACH PARTITION measurements_2020;
    /// ```
    ///
    /// ## Use instead
    /// On PostgreSQL 14 and later:
    /// ```sql
    /// ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;
    /// ```
    /// `CONCURRENTLY` takes only a SHARE UPDATE EXCLUSIVE lock on the
    /// partitioned table and runs in two transactions. It cannot run inside
    /// a transaction block, must be the statement's only subcommand, and is
    /// refused when the partitioned table has a default partition. If it is
    /// interrupted, finish it with `DETACH PARTITION ... FINALIZE`.
    ///
    /// ## Fix safety
    /// On PostgreSQL 14 and later, for a statement that only detaches, the
    /// fix adds `CONCURRENTLY`. It is safe outside a transaction block when
    /// the schema (`--schema`) knows the partitioned table and shows it has
    /// no default partition. It is unsafe inside a transaction block, and
    /// when the table is unknown (it may have a default partition). There is
    /// no fix when the schema shows a default partition.
    pub(crate) RULE = { id: "detach-partition-non-concurrently", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(parent) = &stmt.relation else { return };
    if checker.context.created_table(parent) {
        return;
    }
    let parent_key = relation_key(parent);
    for cmd in alter_table_cmds(stmt) {
        if cmd.subtype() != AlterTableType::AtDetachPartition {
            continue;
        }
        let Some(NodeEnum::PartitionCmd(partition)) = cmd_def(cmd) else { continue };
        if partition.concurrent {
            continue;
        }
        let Some(rv) = &partition.name else { continue };
        let message = format!("DETACH PARTITION {} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on {parent_key}, blocking reads and writes of every partition", relation_key(rv));
        let default_partition = has_default_partition(checker, &parent_key);
        let help = match (checker.options.pg_version >= 14, default_partition) {
            (false, _) => "before PostgreSQL 14 DETACH PARTITION always takes ACCESS EXCLUSIVE: set a short lock_timeout and run it when the table is quiet",
            (true, Some(true)) => "the table has a default partition, so CONCURRENTLY is refused: set a short lock_timeout and run it when the table is quiet",
            (true, _) => "use DETACH PARTITION ... CONCURRENTLY, alone in its statement, outside a transaction block",
        };
        let fix = (checker.options.pg_version >= 14 && stmt.cmds.len() == 1 && default_partition != Some(true)).then(|| {
            let (_, end) = checker.location(rv.location);
            let applicability = if checker.in_transaction() || default_partition.is_none() { Applicability::Unsafe } else { Applicability::Safe };
            Fix::new("detach the partition CONCURRENTLY", applicability, Edit { start: end, end, replacement: " CONCURRENTLY".into() })
        });
        let fix = fix.filter(|f| f.edits[0].start > checker.range.0 && f.edits[0].start <= checker.range.1);
        let diagnostic = checker.report(&RULE, STATEMENT, message, help).on_table(parent_key.clone());
        diagnostic.fix = fix;
    }
}

/// Whether the partitioned table (key `schema.name`) has a default
/// partition, or `None` when the schema does not know the table.
fn has_default_partition(checker: &Checker<'_>, parent: &str) -> Option<bool> {
    checker.context.table_by_key(parent)?;
    Some(checker.context.schema().tables.values().any(|t| t.partition_of.as_ref().is_some_and(|p| name_key(&p.parent) == parent && p.bound.trim().eq_ignore_ascii_case("DEFAULT"))))
}

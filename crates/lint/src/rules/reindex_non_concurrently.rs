use astrola_core::model::ConstraintKind;
use pg_query::protobuf::{Node, ReindexObjectType};
use pg_query::NodeEnum;

use super::{Checker, STATEMENT};
use crate::context::relation_key;
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for `REINDEX INDEX`, `REINDEX TABLE`, `REINDEX SCHEMA` and
    /// `REINDEX DATABASE` without `CONCURRENTLY`, on objects that the
    /// migration did not create. `REINDEX SYSTEM`, which only rebuilds the
    /// system catalogs and has no concurrent form, is left alone.
    ///
    /// ## Why is this bad?
    /// A plain `REINDEX` takes a SHARE lock on the table, which blocks every
    /// `INSERT`, `UPDATE` and `DELETE`, and an ACCESS EXCLUSIVE lock on each
    /// index it rebuilds, which blocks the reads that would use that index,
    /// until the rebuild is done. `REINDEX SCHEMA` and `REINDEX DATABASE`
    /// do this to every table in turn.
    ///
    /// ## Example
    /// ```sql
    /// REINDEX INDEX users_email_idx;
    /// ```
    ///
    /// ## Use instead
    /// On PostgreSQL 12 and later:
    /// ```sql
    /// REINDEX INDEX CONCURRENTLY users_email_idx;
    /// ```
    /// `CONCURRENTLY` builds a new copy of the index under a SHARE UPDATE
    /// EXCLUSIVE lock, which lets reads and writes go on, and swaps it in.
    /// It cannot run inside a transaction block, and a failed rebuild leaves
    /// an INVALID `_ccnew` index to drop. Before PostgreSQL 12, build a new
    /// index with `CREATE INDEX CONCURRENTLY`, then drop the old one
    /// `CONCURRENTLY` and rename the new one.
    ///
    /// ## Fix safety
    /// On PostgreSQL 12 and later the fix adds `CONCURRENTLY` after the
    /// object kind (`REINDEX TABLE CONCURRENTLY t`). It is safe outside a
    /// transaction block and unsafe inside one, where `REINDEX CONCURRENTLY`
    /// cannot run. There is no fix for an index that the schema shows backs
    /// an exclusion constraint (PostgreSQL cannot rebuild those
    /// concurrently), for a partitioned table before PostgreSQL 14, or
    /// before PostgreSQL 12.
    pub(crate) RULE = { id: "reindex-non-concurrently", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::ReindexStmt(stmt) = checker.node else { return };
    if stmt.params.iter().any(|p| option_on(p, "concurrently")) {
        return;
    }
    let mut fixable = checker.options.pg_version >= 12;
    let (keyword, table, message) = match stmt.kind() {
        ReindexObjectType::ReindexObjectIndex => {
            let Some(rv) = &stmt.relation else { return };
            let index = relation_key(rv);
            let table = checker.context.index_table(&index);
            if checker.context.created_index_key(&index) || table.as_deref().is_some_and(|t| checker.context.created_table_key(t)) {
                return;
            }
            if backs_exclusion_constraint(checker, &index) {
                fixable = false;
            }
            let message = match &table {
                Some(table) => format!("REINDEX INDEX {index} without CONCURRENTLY blocks writes to {table}, and reads that use the index, until it is rebuilt"),
                None => format!("REINDEX INDEX {index} without CONCURRENTLY blocks writes to its table, and reads that use the index, until it is rebuilt"),
            };
            ("INDEX", table, message)
        }
        ReindexObjectType::ReindexObjectTable => {
            let Some(rv) = &stmt.relation else { return };
            if checker.context.created_table(rv) {
                return;
            }
            if checker.options.pg_version < 14 && checker.context.table(rv).is_some_and(|t| t.partition_by.is_some()) {
                fixable = false;
            }
            let table = relation_key(rv);
            let message = format!("REINDEX TABLE {table} without CONCURRENTLY blocks writes to it, and reads that use its indexes, until they are rebuilt");
            ("TABLE", Some(table), message)
        }
        ReindexObjectType::ReindexObjectSchema => {
            if checker.context.created_schema(&stmt.name) {
                return;
            }
            ("SCHEMA", None, format!("REINDEX SCHEMA {} without CONCURRENTLY blocks writes to each of its tables, and reads that use their indexes, in turn", stmt.name))
        }
        ReindexObjectType::ReindexObjectDatabase => ("DATABASE", None, "REINDEX DATABASE without CONCURRENTLY blocks writes to every table, and reads that use their indexes, in turn".to_string()),
        _ => return,
    };
    let help = if checker.options.pg_version >= 12 {
        "use REINDEX ... CONCURRENTLY, outside a transaction block"
    } else {
        "before PostgreSQL 12 there is no REINDEX CONCURRENTLY: CREATE INDEX CONCURRENTLY a copy, DROP INDEX CONCURRENTLY the old one, and rename the copy"
    };
    let fix = checker.find_keywords(&[keyword]).filter(|_| fixable).map(|(_, end)| {
        let applicability = if checker.in_transaction() { Applicability::Unsafe } else { Applicability::Safe };
        Fix::new("rebuild CONCURRENTLY", applicability, Edit { start: end, end, replacement: " CONCURRENTLY".into() })
    });
    let diagnostic = checker.report(&RULE, STATEMENT, message, help);
    diagnostic.table = table;
    diagnostic.fix = fix;
}

/// Whether the index (key `schema.name`) is the one behind an exclusion
/// constraint, as far as the schema knows.
fn backs_exclusion_constraint(checker: &Checker<'_>, index: &str) -> bool {
    let Some((schema, name)) = index.split_once('.') else { return false };
    checker.context.schema().tables.iter().any(|(table, t)| table.schema == schema && t.constraints.get(name).is_some_and(|c| matches!(c.kind, ConstraintKind::Exclusion { .. })))
}

/// Whether a statement option (`DefElem`) named `name` is switched on:
/// written bare (`CONCURRENTLY`, `FULL`) or with a true value, as
/// PostgreSQL's `defGetBoolean` reads it.
pub(super) fn option_on(node: &Node, name: &str) -> bool {
    let Some(NodeEnum::DefElem(d)) = &node.node else { return false };
    if d.defname != name {
        return false;
    }
    match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
        None => true,
        Some(NodeEnum::String(s)) => !matches!(s.sval.to_ascii_lowercase().as_str(), "false" | "off" | "0"),
        Some(NodeEnum::Boolean(b)) => b.boolval,
        Some(NodeEnum::Integer(i)) => i.ival != 0,
        Some(NodeEnum::AConst(c)) => match &c.val {
            Some(pg_query::protobuf::a_const::Val::Ival(i)) => i.ival != 0,
            Some(pg_query::protobuf::a_const::Val::Boolval(b)) => b.boolval,
            Some(pg_query::protobuf::a_const::Val::Sval(s)) => !matches!(s.sval.to_ascii_lowercase().as_str(), "false" | "off" | "0"),
            _ => true,
        },
        Some(_) => true,
    }
}

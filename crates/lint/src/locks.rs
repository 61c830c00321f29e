//! The table-level locks a statement takes, as PostgreSQL's documentation
//! lists them ("Explicit Locking", table 13.2, and each command's reference
//! page). Only tables that existed before the migration count: a table the
//! migration created is not yet visible to anyone else.

use pg_query::protobuf::{AlterTableType, ConstrType, ObjectType, RangeVar};
use pg_query::NodeEnum;

use crate::context::{relation_key, Context};
use crate::rules::{alter_table_cmds, cmd_def};

pub(crate) use astrola_core::locks::LockMode;

/// The mode `LOCK TABLE ... IN mode MODE` names (pg_query numbers them 1 to
/// 8, as the server's lockdefs.h does).
fn lock_stmt_mode(mode: i32) -> LockMode {
    match mode {
        1 => LockMode::AccessShare,
        2 => LockMode::RowShare,
        3 => LockMode::RowExclusive,
        4 => LockMode::ShareUpdateExclusive,
        5 => LockMode::Share,
        6 => LockMode::ShareRowExclusive,
        7 => LockMode::Exclusive,
        _ => LockMode::AccessExclusive,
    }
}

/// A lock a statement takes on a table that existed before the migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableLock {
    /// The table's `schema.name` key.
    pub(crate) table: String,
    /// The mode.
    pub(crate) mode: LockMode,
}

/// The locks `node` takes on tables that existed before the migration, the
/// strongest per table, in the order the statement names them.
pub(crate) fn table_locks(node: &NodeEnum, context: &Context) -> Vec<TableLock> {
    let mut locks: Vec<TableLock> = Vec::new();
    let mut take = |table: String, mode: LockMode| {
        if context.created_table_key(&table) {
            return;
        }
        match locks.iter_mut().find(|l| l.table == table) {
            Some(lock) => lock.mode = lock.mode.max(mode),
            None => locks.push(TableLock { table, mode }),
        }
    };
    match node {
        NodeEnum::AlterTableStmt(s) => {
            let Some(rv) = &s.relation else { return locks };
            if s.objtype() == ObjectType::ObjectIndex {
                // ALTER INDEX ... SET TABLESPACE / SET (...) / ATTACH
                // PARTITION: the index's table, unless the migration created
                // the index (and so its table).
                let index = relation_key(rv);
                if context.created_index_key(&index) {
                    return locks;
                }
                if let Some(table) = context.index_table(&index) {
                    take(table, LockMode::ShareUpdateExclusive);
                }
                return locks;
            }
            let table = relation_key(rv);
            for cmd in alter_table_cmds(s) {
                take(table.clone(), alter_table_cmd_lock(cmd));
                if let Some(referenced) = added_foreign_key_target(cmd) {
                    take(referenced, LockMode::ShareRowExclusive);
                }
            }
        }
        NodeEnum::IndexStmt(s) => {
            if let Some(rv) = &s.relation {
                take(relation_key(rv), if s.concurrent { LockMode::ShareUpdateExclusive } else { LockMode::Share });
            }
        }
        NodeEnum::DropStmt(s) => {
            let mode = if s.concurrent { LockMode::ShareUpdateExclusive } else { LockMode::AccessExclusive };
            match s.remove_type() {
                ObjectType::ObjectTable | ObjectType::ObjectMatview | ObjectType::ObjectView | ObjectType::ObjectForeignTable => {
                    for key in crate::context::dropped_keys(&s.objects) {
                        take(key, LockMode::AccessExclusive);
                    }
                }
                ObjectType::ObjectIndex => {
                    for key in crate::context::dropped_keys(&s.objects) {
                        if !context.created_index_key(&key) {
                            take(index_table_or_name(context, &key), mode);
                        }
                    }
                }
                // Every table in the schema, which only the server knows.
                ObjectType::ObjectSchema => {
                    for name in crate::context::dropped_keys(&s.objects) {
                        if !context.created_schema(&name) {
                            take(format!("every table in schema {name}"), LockMode::AccessExclusive);
                        }
                    }
                }
                ObjectType::ObjectTrigger | ObjectType::ObjectRule | ObjectType::ObjectPolicy => {
                    // DROP TRIGGER name ON table: the last list holds table then name.
                    for object in &s.objects {
                        if let Some(NodeEnum::List(list)) = &object.node {
                            let names: Vec<&str> = list.items.iter().map(crate::rules::string_value).collect();
                            if let [.., table, _name] = names.as_slice() {
                                let key = if names.len() >= 3 { format!("{}.{table}", names[names.len() - 3]) } else { format!("public.{table}") };
                                take(key, LockMode::AccessExclusive);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        NodeEnum::TruncateStmt(s) => {
            for rv in range_vars(&s.relations) {
                take(relation_key(rv), LockMode::AccessExclusive);
            }
        }
        NodeEnum::RenameStmt(s) => {
            if let Some(rv) = &s.relation {
                // Renaming an index takes SHARE UPDATE EXCLUSIVE since 12; the rest ACCESS EXCLUSIVE.
                let mode = if s.rename_type() == ObjectType::ObjectIndex { LockMode::ShareUpdateExclusive } else { LockMode::AccessExclusive };
                let table = if s.rename_type() == ObjectType::ObjectIndex { context.index_table(&relation_key(rv)) } else { Some(relation_key(rv)) };
                if let Some(table) = table {
                    take(table, mode);
                }
            }
        }
        NodeEnum::CreateTrigStmt(s) => {
            if let Some(rv) = &s.relation {
                take(relation_key(rv), LockMode::ShareRowExclusive);
            }
        }
        NodeEnum::CreateStmt(s) => {
            // REFERENCES to an existing table lock it in SHARE ROW EXCLUSIVE.
            for element in &s.table_elts {
                let constraints: Vec<&pg_query::protobuf::Constraint> = match &element.node {
                    Some(NodeEnum::Constraint(c)) => vec![c.as_ref()],
                    Some(NodeEnum::ColumnDef(c)) => crate::rules::column_constraints(c).collect(),
                    _ => Vec::new(),
                };
                for c in constraints {
                    if c.contype() == ConstrType::ConstrForeign {
                        if let Some(pk) = &c.pktable {
                            take(relation_key(pk), LockMode::ShareRowExclusive);
                        }
                    }
                }
            }
            if s.partbound.is_some() {
                // CREATE TABLE ... PARTITION OF parent: ACCESS EXCLUSIVE on the parent.
                for parent in range_vars(&s.inh_relations) {
                    take(relation_key(parent), LockMode::AccessExclusive);
                }
            }
        }
        NodeEnum::ReindexStmt(s) => {
            let concurrent = s.params.iter().any(|p| matches!(&p.node, Some(NodeEnum::DefElem(d)) if d.defname == "concurrently"));
            if let Some(rv) = &s.relation {
                let key = relation_key(rv);
                let index = s.kind() == pg_query::protobuf::ReindexObjectType::ReindexObjectIndex;
                if !(index && context.created_index_key(&key)) {
                    let table = if index { index_table_or_name(context, &key) } else { key };
                    // REINDEX locks the table in SHARE (the index in ACCESS EXCLUSIVE).
                    take(table, if concurrent { LockMode::ShareUpdateExclusive } else { LockMode::Share });
                }
            }
        }
        NodeEnum::ClusterStmt(s) => {
            if let Some(rv) = &s.relation {
                take(relation_key(rv), LockMode::AccessExclusive);
            }
        }
        NodeEnum::VacuumStmt(s) => {
            let full = s.options.iter().any(|o| matches!(&o.node, Some(NodeEnum::DefElem(d)) if d.defname == "full"));
            for rel in &s.rels {
                if let Some(NodeEnum::VacuumRelation(v)) = &rel.node {
                    if let Some(rv) = &v.relation {
                        take(relation_key(rv), if full && s.is_vacuumcmd { LockMode::AccessExclusive } else { LockMode::ShareUpdateExclusive });
                    }
                }
            }
        }
        NodeEnum::RefreshMatViewStmt(s) => {
            if let Some(rv) = &s.relation {
                take(relation_key(rv), if s.concurrent { LockMode::Exclusive } else { LockMode::AccessExclusive });
            }
        }
        NodeEnum::LockStmt(s) => {
            for rv in range_vars(&s.relations) {
                take(relation_key(rv), lock_stmt_mode(s.mode));
            }
        }
        NodeEnum::CommentStmt(_) => {}
        NodeEnum::UpdateStmt(s) => {
            if let Some(rv) = &s.relation {
                take(relation_key(rv), LockMode::RowExclusive);
            }
        }
        NodeEnum::DeleteStmt(s) => {
            if let Some(rv) = &s.relation {
                take(relation_key(rv), LockMode::RowExclusive);
            }
        }
        NodeEnum::InsertStmt(s) => {
            if let Some(rv) = &s.relation {
                take(relation_key(rv), LockMode::RowExclusive);
            }
        }
        _ => {}
    }
    locks
}

/// The table of an index, or, when the schema does not know the index,
/// "the table of index x" (the lock is real; only its table is unknown).
fn index_table_or_name(context: &Context, index: &str) -> String {
    context.index_table(index).unwrap_or_else(|| format!("the table of index {index}"))
}

/// The lock one `ALTER TABLE` subcommand takes (the ALTER TABLE reference
/// page lists the exceptions to ACCESS EXCLUSIVE).
fn alter_table_cmd_lock(cmd: &pg_query::protobuf::AlterTableCmd) -> LockMode {
    use AlterTableType as T;
    match cmd.subtype() {
        T::AtValidateConstraint | T::AtSetStatistics | T::AtClusterOn | T::AtDropCluster | T::AtAttachPartition => LockMode::ShareUpdateExclusive,
        T::AtDetachPartition if is_concurrent_detach(cmd) => LockMode::ShareUpdateExclusive,
        T::AtDetachPartitionFinalize => LockMode::ShareUpdateExclusive,
        // SET (fillfactor, autovacuum_*, ...) takes SHARE UPDATE EXCLUSIVE;
        // other storage parameters take ACCESS EXCLUSIVE. Count it as the
        // weaker one only when every parameter is of the first kind.
        T::AtSetRelOptions | T::AtResetRelOptions if only_light_reloptions(cmd) => LockMode::ShareUpdateExclusive,
        T::AtEnableTrig | T::AtEnableAlwaysTrig | T::AtEnableReplicaTrig | T::AtDisableTrig | T::AtEnableTrigAll | T::AtDisableTrigAll | T::AtEnableTrigUser | T::AtDisableTrigUser => {
            LockMode::ShareRowExclusive
        }
        T::AtAddConstraint => match cmd_def(cmd) {
            Some(NodeEnum::Constraint(c)) if c.contype() == ConstrType::ConstrForeign => LockMode::ShareRowExclusive,
            _ => LockMode::AccessExclusive,
        },
        _ => LockMode::AccessExclusive,
    }
}

/// `DETACH PARTITION ... CONCURRENTLY`.
fn is_concurrent_detach(cmd: &pg_query::protobuf::AlterTableCmd) -> bool {
    matches!(cmd_def(cmd), Some(NodeEnum::PartitionCmd(p)) if p.concurrent)
}

/// Whether `SET (...)`/`RESET (...)` names only parameters that take SHARE
/// UPDATE EXCLUSIVE: fillfactor, the autovacuum and toast.autovacuum ones,
/// parallel_workers, and the statistics targets.
fn only_light_reloptions(cmd: &pg_query::protobuf::AlterTableCmd) -> bool {
    let Some(NodeEnum::List(list)) = cmd_def(cmd) else { return false };
    list.items.iter().all(|item| match &item.node {
        Some(NodeEnum::DefElem(d)) => {
            let name = d.defname.as_str();
            matches!(name, "fillfactor" | "parallel_workers" | "vacuum_index_cleanup" | "vacuum_truncate" | "log_autovacuum_min_duration" | "toast_tuple_target" | "user_catalog_table")
                || name.starts_with("autovacuum_")
                || (d.defnamespace == "toast" && name.starts_with("autovacuum_"))
        }
        _ => false,
    })
}

/// The table an `ADD CONSTRAINT ... FOREIGN KEY` references.
fn added_foreign_key_target(cmd: &pg_query::protobuf::AlterTableCmd) -> Option<String> {
    if cmd.subtype() != AlterTableType::AtAddConstraint {
        return None;
    }
    match cmd_def(cmd) {
        Some(NodeEnum::Constraint(c)) if c.contype() == ConstrType::ConstrForeign => c.pktable.as_ref().map(relation_key),
        _ => None,
    }
}

/// The `RangeVar`s of a node list.
fn range_vars(nodes: &[pg_query::protobuf::Node]) -> impl Iterator<Item = &RangeVar> {
    nodes.iter().filter_map(|n| match &n.node {
        Some(NodeEnum::RangeVar(rv)) => Some(rv),
        _ => None,
    })
}

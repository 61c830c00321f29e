use astrola_core::model::{ConstraintKind, IndexTarget, Table};
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::change_column_type::{binary_coercible, keeps_values, TypeShape};
use super::{alter_table_cmds, cmd_def, string_value, Checker, STATEMENT};
use crate::context::relation_key;

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ALTER COLUMN ... TYPE ... COLLATE` on a
    /// table that the migration did not create.
    ///
    /// When the schema (`--schema` and the statements before) knows the
    /// column, a statement that keeps its collation (`change-column-type`
    /// judges the type change), or that changes the collation of a column
    /// no index uses while keeping its type (or changing it in a
    /// binary-coercible way), is not reported.
    ///
    /// ## Why is this bad?
    /// A collation decides how values sort and compare, so PostgreSQL
    /// rebuilds every index on the column (and, unless the type change is
    /// binary-coercible, rewrites the table) under an ACCESS EXCLUSIVE
    /// lock: reads and writes wait for all of it. Uniqueness can also
    /// change meaning under a nondeterministic collation.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ALTER COLUMN email TYPE text COLLATE "C";
    /// ```
    ///
    /// ## Use instead
    /// When only some queries need the other collation, index for them
    /// without touching the column:
    /// ```sql
    /// CREATE INDEX CONCURRENTLY users_email_c ON users (email COLLATE "C");
    /// ```
    /// Otherwise add a new column with the collation, backfill it in
    /// batches, build its indexes `CONCURRENTLY`, and switch over.
    ///
    /// ## Fix safety
    /// There is no fix: the safe path spans several deployments.
    pub(crate) RULE = { id: "change-column-collation", category: Rewrite, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        if cmd.subtype() != AlterTableType::AtAlterColumnType {
            continue;
        }
        let Some(NodeEnum::ColumnDef(def)) = cmd_def(cmd) else { continue };
        let (Some(collate), Some(type_name)) = (&def.coll_clause, &def.type_name) else { continue };
        let collation = collate.collname.last().map(string_value).unwrap_or_default();
        let key = relation_key(table);
        let column = cmd.name.as_str();
        let message = match (checker.context.table(table), checker.context.column(table, column)) {
            (Some(model), Some(old)) => {
                let rewrites = !(keeps_values(def, column) && binary_coercible(&TypeShape::parse(&old.data_type), &TypeShape::from_type_name(type_name)));
                let old_collation = old.collation.as_deref().map(unquote).unwrap_or("default");
                if old_collation == collation || (!rewrites && !indexed(checker, &key, model, column)) {
                    continue;
                }
                if rewrites {
                    format!("changing the collation of {key}.{column} to \"{collation}\" with its type rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock")
                } else {
                    format!("changing the collation of {key}.{column} from \"{old_collation}\" to \"{collation}\" rebuilds the indexes on it under an ACCESS EXCLUSIVE lock")
                }
            }
            _ => format!("changing the collation of {key}.{column} to \"{collation}\" rebuilds the indexes on it, and may rewrite the table, under an ACCESS EXCLUSIVE lock"),
        };
        let help = "index with the collation instead (CREATE INDEX CONCURRENTLY ... (column COLLATE x)), or add a new column with it, backfill, and switch over";
        checker.report(&RULE, STATEMENT, message, help).on_table(key);
    }
}

/// A collation name without its quotes and `pg_catalog.` qualifier.
fn unquote(name: &str) -> &str {
    let name = name.strip_prefix("pg_catalog.").unwrap_or(name);
    name.strip_prefix('"').and_then(|n| n.strip_suffix('"')).unwrap_or(name)
}

/// Whether an index of the table (its own, or one behind a constraint)
/// uses the column, or the table is partitioned by it. An expression counts
/// when it mentions the name.
fn indexed(checker: &Checker<'_>, key: &str, table: &Table, column: &str) -> bool {
    let mentions = |expr: &str| expr.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|word| word == column) || expr.contains(&format!("\"{column}\""));
    let uses = |target: &IndexTarget| match target {
        IndexTarget::Column(c) => c == column,
        IndexTarget::Expression(e) => mentions(e),
    };
    let constraint_uses = table.constraints.values().any(|c| match &c.kind {
        ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => columns.iter().any(|c| c == column),
        // Exclusion elements and their predicates: be conservative.
        ConstraintKind::Exclusion { .. } => true,
        _ => false,
    });
    let index_uses = checker.context.indexes_on(key).any(|(_, index)| index.keys.iter().any(|k| uses(&k.target)) || index.include.iter().any(|c| c == column) || index.predicate.as_deref().is_some_and(mentions));
    constraint_uses || index_uses || table.partition_by.as_ref().is_some_and(|p| p.keys.iter().any(|k| uses(&k.target)))
}

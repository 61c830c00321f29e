use astrola_core::ident::quote_ident;
use astrola_core::model::IndexTarget;
use astrola_core::QualifiedName;
use pg_query::protobuf::{AlterTableType, ConstrType, RangeVar};
use pg_query::NodeEnum;

use super::{alter_table_cmds, cmd_def, column_constraints, is_serial, string_value, Checker};
use crate::context::relation_key;
use crate::validation::{any_rows, nulls, table_sql};
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for `ALTER TABLE ... ADD PRIMARY KEY`, including
    /// `ADD PRIMARY KEY USING INDEX`, on a table that the migration did not
    /// create, when a key column is known to be nullable (the schema from
    /// `--schema` and the statements before says so, or the same statement
    /// adds the column without NOT NULL) and no validated
    /// `CHECK (column IS NOT NULL)` proves it has no NULLs.
    ///
    /// ## Why is this bad?
    /// A primary key's columns must be NOT NULL, so PostgreSQL runs an
    /// implicit `ALTER COLUMN ... SET NOT NULL` on each nullable one: a scan
    /// of the whole table under the ACCESS EXCLUSIVE lock that adding the
    /// constraint holds. Reads and writes wait for the scan, even with
    /// `USING INDEX`, whose point is to avoid a long lock. The statement
    /// fails if a NULL is found.
    ///
    /// ## Example
    /// ```sql
    /// -- users.id is nullable
    /// ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;
    /// ```
    ///
    /// ## Use instead
    /// On PostgreSQL 12 and later, prove the column NOT NULL first:
    /// ```sql
    /// ALTER TABLE users ADD CONSTRAINT users_id_not_null CHECK (id IS NOT NULL) NOT VALID;
    /// ALTER TABLE users VALIDATE CONSTRAINT users_id_not_null;
    /// ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;
    /// ALTER TABLE users DROP CONSTRAINT users_id_not_null;
    /// ```
    /// The validation scans under a SHARE UPDATE EXCLUSIVE lock, which lets
    /// writes go on, and the implicit `SET NOT NULL` then uses the
    /// constraint instead of scanning.
    ///
    /// ## Fix safety
    /// On PostgreSQL 12 and later, when the statement does nothing else,
    /// the fix wraps it in the statements above (one CHECK per nullable
    /// column). It is safe outside a transaction block and unsafe inside
    /// one, where the validation would run under the ADD's lock.
    ///
    /// The finding carries a query that counts the NULLs that would make
    /// the statement fail (for a column the statement adds without a
    /// default, every existing row).
    pub(crate) RULE = { id: "primary-key-on-nullable-column", category: Locking, severity: Error, check: check }
}

fn check(checker: &mut Checker<'_>) {
    let NodeEnum::AlterTableStmt(stmt) = checker.node else { return };
    let Some(table) = &stmt.relation else { return };
    if checker.context.created_table(table) {
        return;
    }
    for cmd in alter_table_cmds(stmt) {
        let Some(NodeEnum::Constraint(c)) = cmd_def(cmd) else { continue };
        if cmd.subtype() != AlterTableType::AtAddConstraint || c.contype() != ConstrType::ConstrPrimary {
            continue;
        }
        let columns: Vec<String> = if c.indexname.is_empty() { c.keys.iter().map(|k| string_value(k).to_string()).collect() } else { index_columns(checker, table, &c.indexname) };
        let added = added_nullable_columns(stmt);
        let nullable: Vec<&str> = columns
            .iter()
            .map(String::as_str)
            .filter(|name| checker.context.column(table, name).is_some_and(|col| !col.not_null) || added.iter().any(|(a, _)| a == name))
            .filter(|name| !(checker.options.pg_version >= 12 && checker.context.proven_not_null(table, name)))
            .collect();
        if nullable.is_empty() {
            continue;
        }
        let key = relation_key(table);
        let list = nullable.join(", ");
        let message = format!("the primary key on {key} makes nullable column(s) {list} NOT NULL, which scans every row under an ACCESS EXCLUSIVE lock");
        let adds_key_column = added.iter().any(|(name, _)| nullable.contains(name));
        let help = if adds_key_column {
            "declare the new column NOT NULL in ADD COLUMN (with a non-volatile default that is instant), so the key finds it NOT NULL already"
        } else if checker.options.pg_version >= 12 {
            "add CHECK (column IS NOT NULL) NOT VALID and VALIDATE it before adding the primary key; the implicit SET NOT NULL then skips the scan"
        } else {
            "before PostgreSQL 12 the implicit SET NOT NULL always scans: run it when the table is quiet"
        };
        // A column the statement adds does not exist yet: without a default
        // it is NULL in every existing row.
        let new_columns: Vec<bool> = added.iter().filter(|(name, _)| nullable.contains(name)).map(|(_, default)| *default).collect();
        let validation = if new_columns.is_empty() {
            Some(nulls(&table_sql(table), &nullable))
        } else {
            new_columns.iter().all(|default| !default).then(|| any_rows(&table_sql(table)))
        };
        let fix = (checker.options.pg_version >= 12 && stmt.cmds.len() == 1).then(|| check_dance(checker, table, &nullable));
        let diagnostic = checker.report(&RULE, c.location, message, help).on_table(key);
        diagnostic.validation = validation;
        diagnostic.fix = fix;
    }
}

/// The columns the statement itself adds without NOT NULL (and without
/// what implies it: PRIMARY KEY, IDENTITY, a serial type), with whether
/// each has a default.
fn added_nullable_columns(stmt: &pg_query::protobuf::AlterTableStmt) -> Vec<(&str, bool)> {
    alter_table_cmds(stmt)
        .filter(|cmd| cmd.subtype() == AlterTableType::AtAddColumn)
        .filter_map(|cmd| match cmd_def(cmd) {
            Some(NodeEnum::ColumnDef(column)) => Some(column.as_ref()),
            _ => None,
        })
        .filter(|column| {
            !column.is_not_null
                && !column.type_name.as_ref().is_some_and(is_serial)
                && !column_constraints(column).any(|c| matches!(c.contype(), ConstrType::ConstrNotnull | ConstrType::ConstrPrimary | ConstrType::ConstrIdentity))
        })
        .map(|column| (column.colname.as_str(), column.raw_default.is_some() || column_constraints(column).any(|c| c.contype() == ConstrType::ConstrDefault)))
        .collect()
}

/// The plain columns of an index the schema knows, in the table's schema.
fn index_columns(checker: &Checker<'_>, table: &RangeVar, index: &str) -> Vec<String> {
    let schema = if table.schemaname.is_empty() { "public" } else { table.schemaname.as_str() };
    let Some(index) = checker.context.schema().indexes.get(&QualifiedName::new(schema, index)) else { return Vec::new() };
    index
        .keys
        .iter()
        .filter_map(|k| match &k.target {
            IndexTarget::Column(c) => Some(c.clone()),
            IndexTarget::Expression(_) => None,
        })
        .collect()
}

/// The statement wrapped in validated NOT NULL checks on the nullable
/// columns, dropped again once the key holds.
fn check_dance(checker: &Checker<'_>, table: &RangeVar, columns: &[&str]) -> Fix {
    let target = table_sql(table);
    let mut before = String::new();
    let mut after = String::new();
    for column in columns {
        let mut name = format!("{}_{column}_not_null", table.relname);
        while name.len() > 63 {
            name.pop();
        }
        let name = quote_ident(&name);
        let col = quote_ident(column);
        before.push_str(&format!("ALTER TABLE {target} ADD CONSTRAINT {name} CHECK ({col} IS NOT NULL) NOT VALID;\nALTER TABLE {target} VALIDATE CONSTRAINT {name};\n"));
        after.push_str(&format!(";\nALTER TABLE {target} DROP CONSTRAINT {name}"));
    }
    let replacement = format!("{before}{}{after}", checker.text());
    let applicability = if checker.in_transaction() { Applicability::Unsafe } else { Applicability::Safe };
    Fix::new("prove the key columns NOT NULL with validated CHECKs first", applicability, Edit { start: checker.range.0, end: checker.range.1, replacement })
}

//! SQLite rendering: deterministic DDL that the SQLite frontend reads back
//! into the same schema.
//!
//! Tables come first, in foreign key order (SQLite cannot add a foreign key
//! later, so foreign keys are written inside `CREATE TABLE`), then indexes,
//! views in dependency order, and the unmanaged statements in their original
//! order. Identifiers are always double-quoted; constraint names are always
//! written, so the synthetic names of unnamed constraints survive.

use std::collections::{BTreeMap, BTreeSet};

use sqlparser::dialect::SQLiteDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::ident::quote_ident_always as quote;
use crate::model::{
    Column, Constraint, ConstraintKind, FkAction, Index, IndexKey, IndexTarget, Table, View,
};
use crate::{QualifiedName, Schema};

/// Renders `schema` as SQLite DDL.
pub fn render(schema: &Schema) -> String {
    let mut out = String::new();
    let table_order = dependency_order(&schema.tables, |table| {
        table
            .constraints
            .values()
            .filter_map(|c| match &c.kind {
                ConstraintKind::ForeignKey { ref_table, .. } => {
                    Some(ref_table.name.to_ascii_lowercase())
                }
                _ => None,
            })
            .collect()
    });
    for (name, table) in table_order {
        out.push_str(&create_table(name, table));
    }
    for (name, index) in &schema.indexes {
        out.push_str(&create_index(name, index));
    }
    let dialect = SQLiteDialect {};
    for (name, view) in dependency_order(&schema.views, |view| words_in(&view.query, &dialect)) {
        out.push_str(&create_view(name, view));
    }
    for statement in &schema.unmanaged {
        out.push_str(statement.sql.trim_end());
        out.push_str(";\n");
    }
    out
}

/// Orders `items` so each comes after the items it depends on (by lower-case
/// name), breaking ties and cycles by name.
pub(crate) fn dependency_order<T>(
    items: &BTreeMap<QualifiedName, T>,
    depends_on: impl Fn(&T) -> BTreeSet<String>,
) -> Vec<(&QualifiedName, &T)> {
    let names: BTreeSet<String> = items.keys().map(|k| k.name.to_ascii_lowercase()).collect();
    let mut pending: Vec<(&QualifiedName, &T, BTreeSet<String>)> = items
        .iter()
        .map(|(k, v)| {
            let own = k.name.to_ascii_lowercase();
            let deps = depends_on(v)
                .into_iter()
                .filter(|d| *d != own && names.contains(d))
                .collect();
            (k, v, deps)
        })
        .collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut ordered = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|(_, _, deps)| deps.iter().all(|d| done.contains(d)))
            .unwrap_or(0);
        let (key, value, _) = pending.remove(ready);
        done.insert(key.name.to_ascii_lowercase());
        ordered.push((key, value));
    }
    ordered
}

/// The lower-case words of `sql`, to find the views a view reads.
pub(crate) fn words_in(sql: &str, dialect: &dyn sqlparser::dialect::Dialect) -> BTreeSet<String> {
    Tokenizer::new(dialect, sql)
        .tokenize()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w.value.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// `CREATE TABLE "name" (...)` for `table`, with every constraint (named)
/// inside it and its options after, ending in `;\n`. Only `name.name` is
/// written: SQLite tables have no namespace.
pub fn create_table(name: &QualifiedName, table: &Table) -> String {
    let inline_pk = inline_primary_key(table);
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| column(c, inline_pk.filter(|(_, col)| *col == c.name)))
        .collect();
    for (constraint_name, constraint) in constraints_in_order(table) {
        if inline_pk.is_some_and(|(pk, _)| pk == constraint_name) {
            continue;
        }
        lines.push(table_constraint(constraint_name, constraint));
    }
    let options: Vec<&str> = table.options.keys().map(String::as_str).collect();
    let options = if options.is_empty() {
        String::new()
    } else {
        format!(" {}", options.join(", "))
    };
    format!(
        "CREATE TABLE {} (\n  {}\n){options};\n",
        quote(&name.name),
        lines.join(",\n  ")
    )
}

/// Primary key first, then unique, check and foreign key constraints, each by name.
fn constraints_in_order(table: &Table) -> Vec<(&String, &Constraint)> {
    let rank = |c: &Constraint| match c.kind {
        ConstraintKind::PrimaryKey { .. } => 0,
        ConstraintKind::Unique { .. } => 1,
        ConstraintKind::Check { .. } => 2,
        ConstraintKind::ForeignKey { .. } => 3,
        ConstraintKind::Exclusion { .. } => 4,
    };
    let mut constraints: Vec<(&String, &Constraint)> = table.constraints.iter().collect();
    constraints.sort_by_key(|(_, c)| rank(c));
    constraints
}

/// The primary key that must be written on its column: a one-column key on
/// an `AUTOINCREMENT` column. Returns the constraint and column names.
fn inline_primary_key(table: &Table) -> Option<(&str, &str)> {
    let (name, pk) = table.primary_key()?;
    let [column] = pk.kind.columns() else {
        return None;
    };
    let autoincrement = table
        .column(column)?
        .extra
        .iter()
        .any(|e| e == "AUTOINCREMENT");
    autoincrement.then_some((name.as_str(), column.as_str()))
}

/// A column definition as `CREATE TABLE` and `ALTER TABLE ... ADD COLUMN`
/// write it: `"name" TYPE [NOT NULL] [DEFAULT ...] [COLLATE ...]
/// [GENERATED ALWAYS AS (...) STORED|VIRTUAL]`. Constraints are not part of
/// it: the model keeps them on the table.
pub fn column_definition(c: &Column) -> String {
    column(c, None)
}

fn column(column: &Column, inline_pk: Option<(&str, &str)>) -> String {
    let mut out = quote(&column.name);
    if !column.data_type.is_empty() {
        out.push(' ');
        out.push_str(&column.data_type);
    }
    if let Some((pk, _)) = inline_pk {
        out.push_str(&format!(
            " CONSTRAINT {} PRIMARY KEY AUTOINCREMENT",
            quote(pk)
        ));
    }
    if column.not_null {
        out.push_str(" NOT NULL");
    }
    if let Some(default) = &column.default {
        out.push_str(" DEFAULT ");
        out.push_str(default);
    }
    if let Some(collation) = &column.collation {
        out.push_str(" COLLATE ");
        out.push_str(collation);
    }
    if let Some(generated) = &column.generated {
        let stored = column.extra.iter().any(|e| e == "STORED");
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({generated}) {}",
            if stored { "STORED" } else { "VIRTUAL" }
        ));
    }
    for extra in &column.extra {
        if !matches!(extra.as_str(), "AUTOINCREMENT" | "STORED" | "VIRTUAL") {
            out.push(' ');
            out.push_str(extra);
        }
    }
    out
}

fn table_constraint(name: &str, constraint: &Constraint) -> String {
    let body = match &constraint.kind {
        ConstraintKind::PrimaryKey { columns, .. } => {
            format!("PRIMARY KEY ({})", column_list(columns))
        }
        ConstraintKind::Unique { columns, .. } => format!("UNIQUE ({})", column_list(columns)),
        ConstraintKind::Check { expr, .. } => format!("CHECK ({expr})"),
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            on_update,
            on_delete,
            ..
        } => {
            let mut fk = format!(
                "FOREIGN KEY ({}) REFERENCES {}",
                column_list(columns),
                quote(&ref_table.name)
            );
            if !ref_columns.is_empty() {
                fk.push_str(&format!(" ({})", column_list(ref_columns)));
            }
            fk.push_str(&actions(*on_delete, *on_update));
            if constraint.deferrable {
                fk.push_str(" DEFERRABLE");
                if constraint.initially_deferred {
                    fk.push_str(" INITIALLY DEFERRED");
                }
            }
            fk
        }
        ConstraintKind::Exclusion { .. } => {
            return format!(
                "-- exclusion constraint {} is not supported by SQLite",
                quote(name)
            )
        }
    };
    format!("CONSTRAINT {} {body}", quote(name))
}

fn actions(on_delete: FkAction, on_update: FkAction) -> String {
    let mut out = String::new();
    if on_delete != FkAction::NoAction {
        out.push_str(&format!(" ON DELETE {}", on_delete.sql()));
    }
    if on_update != FkAction::NoAction {
        out.push_str(&format!(" ON UPDATE {}", on_update.sql()));
    }
    out
}

fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE [UNIQUE] INDEX "name" ON "table" (...) [WHERE ...]`, ending in
/// `;\n`.
pub fn create_index(name: &QualifiedName, index: &Index) -> String {
    let unique = if index.unique { "UNIQUE " } else { "" };
    let keys = index
        .keys
        .iter()
        .map(index_key)
        .collect::<Vec<_>>()
        .join(", ");
    let predicate = index
        .predicate
        .as_ref()
        .map(|p| format!(" WHERE {p}"))
        .unwrap_or_default();
    format!(
        "CREATE {unique}INDEX {} ON {} ({keys}){predicate};\n",
        quote(&name.name),
        quote(&index.table.name)
    )
}

pub(crate) fn index_key(key: &IndexKey) -> String {
    let mut out = match &key.target {
        IndexTarget::Column(c) => quote(c),
        IndexTarget::Expression(e) => e.clone(),
    };
    if let Some(collation) = &key.collation {
        out.push_str(" COLLATE ");
        out.push_str(collation);
    }
    if key.descending {
        out.push_str(" DESC");
    }
    out
}

/// `CREATE VIEW "name" [(columns)] AS query`, ending in `;\n`.
pub fn create_view(name: &QualifiedName, view: &View) -> String {
    let columns = if view.columns.is_empty() {
        String::new()
    } else {
        format!(" ({})", column_list(&view.columns))
    };
    format!(
        "CREATE VIEW {}{columns} AS {};\n",
        quote(&name.name),
        view.query
    )
}

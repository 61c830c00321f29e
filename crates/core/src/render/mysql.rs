//! MySQL/MariaDB rendering: deterministic DDL that the MySQL frontend reads
//! back into the same schema.
//!
//! Tables come first, each with its keys and checks, in name order; then
//! every foreign key as `ALTER TABLE ... ADD CONSTRAINT`, so tables may
//! reference each other in cycles; then views in dependency order; then the
//! unmanaged statements in their original order (bodies holding `;` are
//! wrapped in `DELIMITER` lines for the `mysql` client). Identifiers are
//! always backquoted and string literals escape backslashes.

use sqlparser::dialect::MySqlDialect;

use super::sqlite::{dependency_order, words_in};
use crate::frontend::mysql::quote_string;
use crate::ident::quote_ident_backtick as quote;
use crate::model::{
    Column, Constraint, ConstraintKind, FkAction, Index, IndexKey, IndexTarget, Table, View,
};
use crate::{QualifiedName, Schema};

/// Renders `schema` as MySQL/MariaDB DDL.
pub fn render(schema: &Schema) -> String {
    let mut out = String::new();
    for (name, table) in &schema.tables {
        out.push_str(&create_table(schema, name, table));
    }
    for (name, table) in &schema.tables {
        for (constraint_name, constraint) in &table.constraints {
            if let Some(fk) = foreign_key_definition(constraint) {
                out.push_str(&format!(
                    "ALTER TABLE {} ADD CONSTRAINT {} {fk};\n",
                    quote(&name.name),
                    quote(constraint_name)
                ));
            }
        }
    }
    let dialect = MySqlDialect {};
    for (name, view) in dependency_order(&schema.views, |view| words_in(&view.query, &dialect)) {
        out.push_str(&create_view(name, view));
    }
    for statement in &schema.unmanaged {
        out.push_str(&client_statement(&statement.sql));
    }
    out
}

/// `CREATE TABLE` for `table`: its columns, primary key, the indexes
/// `schema` holds for it, its checks and unique constraints, and its table
/// options. Foreign keys are left out (they are `ALTER TABLE ... ADD
/// CONSTRAINT`s of their own, see [`foreign_key_definition`]).
pub fn create_table(schema: &Schema, name: &QualifiedName, table: &Table) -> String {
    let mut lines: Vec<String> = table.columns.iter().map(column_definition).collect();
    if let Some((_, pk)) = table.primary_key() {
        lines.push(format!("PRIMARY KEY ({})", column_list(pk.kind.columns())));
    }
    let mut indexes: Vec<(&QualifiedName, &Index)> = schema
        .indexes
        .iter()
        .filter(|(_, i)| i.table == *name)
        .collect();
    indexes.sort_by_key(|(k, i)| (index_rank(i), k.name.clone()));
    lines.extend(indexes.into_iter().map(|(k, i)| index_definition(&k.name, i)));
    for (constraint_name, constraint) in &table.constraints {
        if let ConstraintKind::Check { expr, .. } = &constraint.kind {
            lines.push(format!(
                "CONSTRAINT {} CHECK ({expr})",
                quote(constraint_name)
            ));
        }
        if let ConstraintKind::Unique { columns, .. } = &constraint.kind {
            lines.push(format!(
                "CONSTRAINT {} UNIQUE ({})",
                quote(constraint_name),
                column_list(columns)
            ));
        }
    }
    format!(
        "CREATE TABLE {} (\n  {}\n){};\n",
        quote(&name.name),
        lines.join(",\n  "),
        table_options(table)
    )
}

fn index_rank(index: &Index) -> u8 {
    match (index.unique, index.method.as_str()) {
        (true, _) => 0,
        (false, "fulltext") => 2,
        (false, "spatial") => 3,
        _ => 1,
    }
}

/// A column definition as `CREATE TABLE`, `ADD COLUMN` and `MODIFY COLUMN`
/// take it: name, type, collation, generation, nullability, default, the
/// attributes of [`Column::extra`] and the comment.
pub fn column_definition(column: &Column) -> String {
    let mut out = format!("{} {}", quote(&column.name), column.data_type);
    if let Some(collation) = &column.collation {
        out.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(generated) = &column.generated {
        let stored = column.extra.iter().any(|e| e == "STORED");
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({generated}) {}",
            if stored { "STORED" } else { "VIRTUAL" }
        ));
    }
    if column.not_null {
        out.push_str(" NOT NULL");
    } else if column.data_type.starts_with("timestamp") {
        // Without `explicit_defaults_for_timestamp`, a bare TIMESTAMP is NOT NULL.
        out.push_str(" NULL");
    }
    if let Some(default) = &column.default {
        out.push_str(&format!(" DEFAULT {default}"));
    }
    for extra in column
        .extra
        .iter()
        .filter(|e| !matches!(e.as_str(), "STORED" | "VIRTUAL"))
    {
        out.push(' ');
        out.push_str(extra);
    }
    if let Some(comment) = &column.comment {
        out.push_str(&format!(" COMMENT {}", quote_string(comment)));
    }
    out
}

/// An index as a `CREATE TABLE` element or an `ALTER TABLE ... ADD`
/// clause: `[UNIQUE | FULLTEXT | SPATIAL] KEY name (keys) [USING HASH]
/// [COMMENT '...']`.
pub fn index_definition(name: &str, index: &Index) -> String {
    let kind = match (index.unique, index.method.as_str()) {
        (true, _) => "UNIQUE KEY",
        (false, "fulltext") => "FULLTEXT KEY",
        (false, "spatial") => "SPATIAL KEY",
        _ => "KEY",
    };
    let keys = index
        .keys
        .iter()
        .map(index_key)
        .collect::<Vec<_>>()
        .join(",");
    let mut out = format!("{kind} {} ({keys})", quote(name));
    if index.method == "hash" {
        out.push_str(" USING HASH");
    }
    if let Some(comment) = &index.comment {
        out.push_str(&format!(" COMMENT {}", quote_string(comment)));
    }
    out
}

pub(crate) fn index_key(key: &IndexKey) -> String {
    let mut out = match &key.target {
        IndexTarget::Column(c) => quote(c),
        IndexTarget::Expression(e) => e.clone(),
    };
    if key.descending {
        out.push_str(" DESC");
    }
    out
}

/// `FOREIGN KEY (...) REFERENCES ... [ON DELETE ...] [ON UPDATE ...]`, for a
/// foreign key constraint (`None` for other kinds).
pub fn foreign_key_definition(constraint: &Constraint) -> Option<String> {
    let ConstraintKind::ForeignKey {
        columns,
        ref_table,
        ref_columns,
        on_update,
        on_delete,
        ..
    } = &constraint.kind
    else {
        return None;
    };
    let mut out = format!(
        "FOREIGN KEY ({}) REFERENCES {}",
        column_list(columns),
        quote(&ref_table.name)
    );
    if !ref_columns.is_empty() {
        out.push_str(&format!(" ({})", column_list(ref_columns)));
    }
    for (clause, action) in [("ON DELETE", on_delete), ("ON UPDATE", on_update)] {
        if *action != FkAction::Restrict {
            out.push_str(&format!(" {clause} {}", action.sql()));
        }
    }
    Some(out)
}

/// Backquoted column names separated by commas.
pub fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote(c))
        .collect::<Vec<_>>()
        .join(",")
}

/// The table options clause of `CREATE TABLE` (with a leading space, or
/// empty): `ENGINE`, `DEFAULT CHARSET` and `COLLATE` first, then the other
/// options by name, then the comment, then `PARTITION BY`.
pub fn table_options(table: &Table) -> String {
    const FIRST: [&str; 3] = ["ENGINE", "DEFAULT CHARSET", "COLLATE"];
    const PARTITION: &str = "PARTITION BY";
    let mut parts: Vec<String> = Vec::new();
    let ordered = FIRST
        .iter()
        .filter_map(|k| table.options.get_key_value(*k))
        .chain(
            table
                .options
                .iter()
                .filter(|(k, _)| !FIRST.contains(&k.as_str()) && k.as_str() != PARTITION),
        );
    for (key, value) in ordered {
        parts.push(table_option(key, value));
    }
    if let Some(comment) = &table.comment {
        parts.push(format!("COMMENT={}", quote_string(comment)));
    }
    if let Some(partition) = table.options.get(PARTITION) {
        parts.push(format!("{PARTITION} {partition}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {}", parts.join(" "))
    }
}

/// One table option of [`Table::options`] as `CREATE TABLE` and `ALTER
/// TABLE` take it: `KEY=value`, or the bare key when the value is empty.
pub fn table_option(key: &str, value: &str) -> String {
    if value.is_empty() {
        key.to_string()
    } else {
        format!("{key}={}", option_value(value))
    }
}

fn option_value(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        value.to_string()
    } else {
        quote_string(value)
    }
}

/// `CREATE [ALGORITHM=...] [DEFINER=...] [SQL SECURITY ...] VIEW name
/// [(columns)] AS query;` and a newline.
pub fn create_view(name: &QualifiedName, view: &View) -> String {
    let mut head = String::from("CREATE ");
    for (option, clause) in [
        ("algorithm", "ALGORITHM="),
        ("definer", "DEFINER="),
        ("sql_security", "SQL SECURITY "),
    ] {
        if let Some(value) = view.options.get(option) {
            head.push_str(&format!("{clause}{value} "));
        }
    }
    let columns = if view.columns.is_empty() {
        String::new()
    } else {
        format!(" ({})", column_list(&view.columns))
    };
    format!(
        "{head}VIEW {}{columns} AS {};\n",
        quote(&name.name),
        view.query
    )
}

/// A statement for the `mysql` client, ending in `;` and a newline; when it
/// holds `;` (a trigger or routine body) it is wrapped in `DELIMITER` lines
/// with a delimiter it does not contain.
pub fn client_statement(sql: &str) -> String {
    let sql = sql.trim_end();
    if !sql.contains(';') {
        return format!("{sql};\n");
    }
    let delimiter = [";;", "$$", "//", ";;;", "$$$", "@@@@"]
        .into_iter()
        .find(|d| !sql.contains(d))
        .unwrap_or("$$$$");
    format!("DELIMITER {delimiter}\n{sql}{delimiter}\nDELIMITER ;\n")
}

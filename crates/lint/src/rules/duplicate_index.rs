use std::collections::HashMap;

use astrola_core::model::{ConstraintKind, IndexKey, IndexTarget};

use super::FileEnd;
use crate::context::{name_key, Context, Range};

declare_rule! {
    /// ## What it does
    /// At the end of the migration, checks for an index the migration
    /// created that has the same table, access method, keys (columns or
    /// expressions, with their operator class, collation, direction and
    /// NULLS order), `WHERE` predicate and `INCLUDE` columns as another
    /// index on the table, or as the index behind a PRIMARY KEY or UNIQUE
    /// constraint. Indexes that existed before the migration (`--schema`)
    /// count as the other index. When both are new, the later one is
    /// reported; a plain index that duplicates a unique one is reported
    /// whichever came first, because the unique one serves its queries and
    /// also enforces something. Constraints added by the migration are
    /// checked the same way.
    ///
    /// ## Why is this bad?
    /// Both indexes are kept up to date on every insert and on every update
    /// of their columns, take disk and cache space, and are vacuumed, while
    /// the planner uses only one of them.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX index_issues_on_project_id ON issues (project_id);
    /// CREATE INDEX issues_project_id_idx ON issues (project_id);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE INDEX index_issues_on_project_id ON issues (project_id);
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which of the two to keep (by name, or by what other
    /// migrations expect) is a choice.
    pub(crate) RULE = { id: "duplicate-index", category: SchemaDesign, severity: Warning, check: check, finish: finish }
}

fn check(_: &mut super::Checker<'_>) {}

/// An index as the design rules compare them: a free-standing index, or
/// the one behind a PRIMARY KEY or UNIQUE constraint.
#[derive(Debug)]
pub(super) struct TableIndex<'s> {
    /// The index's name (the constraint's, for a constraint).
    pub(super) name: &'s str,
    /// Backs a PRIMARY KEY or UNIQUE constraint.
    pub(super) constraint: bool,
    pub(super) unique: bool,
    pub(super) nulls_not_distinct: bool,
    pub(super) method: &'s str,
    pub(super) keys: Vec<IndexKey>,
    pub(super) include: Vec<&'s str>,
    pub(super) predicate: Option<&'s str>,
    /// The statement that created it, when the migration did.
    pub(super) origin: Option<Range>,
}

impl TableIndex<'_> {
    /// The keys as SQL-ish text for messages: `(a, lower(b) DESC)`.
    pub(super) fn keys_text(&self) -> String {
        keys_text(&self.keys)
    }
}

/// The keys as text for messages: `(a, lower(b) DESC)`.
pub(super) fn keys_text(keys: &[IndexKey]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|k| {
            let mut s = match &k.target {
                IndexTarget::Column(c) => astrola_core::ident::quote_ident(c),
                IndexTarget::Expression(e) => format!("({e})"),
            };
            if let Some(collation) = &k.collation {
                s.push_str(&format!(" COLLATE {collation}"));
            }
            if let Some(opclass) = &k.opclass {
                s.push_str(&format!(" {opclass}"));
            }
            if k.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect();
    format!("({})", parts.join(", "))
}

/// Every table's indexes in the schema at the end of the migration, by
/// table key (`schema.name`), built in one pass over the schema.
pub(super) fn table_indexes(context: &Context) -> HashMap<String, Vec<TableIndex<'_>>> {
    let schema = context.schema();
    let mut by_table: HashMap<String, Vec<TableIndex<'_>>> = HashMap::new();
    for (name, index) in &schema.indexes {
        let key = name_key(name);
        let origin = context.index_origin(&key);
        by_table.entry(name_key(&index.table)).or_default().push(TableIndex {
            name: &name.name,
            constraint: false,
            unique: index.unique,
            nulls_not_distinct: index.nulls_not_distinct,
            method: &index.method,
            keys: index.keys.clone(),
            include: index.include.iter().map(String::as_str).collect(),
            predicate: index.predicate.as_deref(),
            origin,
        });
    }
    for (table_name, table) in &schema.tables {
        let table_key = name_key(table_name);
        for (name, c) in &table.constraints {
            let (columns, nulls_not_distinct, index) = match &c.kind {
                ConstraintKind::PrimaryKey { columns, index } => (columns, false, index),
                ConstraintKind::Unique { columns, nulls_not_distinct, index } => (columns, *nulls_not_distinct, index),
                _ => continue,
            };
            let origin = context.constraint_origin(&table_key, name);
            by_table.entry(table_key.clone()).or_default().push(TableIndex {
                name,
                constraint: true,
                unique: true,
                nulls_not_distinct,
                method: "btree",
                keys: columns.iter().map(IndexKey::column).collect(),
                include: index.include.iter().map(String::as_str).collect(),
                predicate: None,
                origin,
            });
        }
    }
    by_table
}

/// Whether `a` and `b` index the same thing the same way.
fn same_definition(a: &TableIndex<'_>, b: &TableIndex<'_>) -> bool {
    a.method == b.method && a.keys == b.keys && a.predicate == b.predicate && a.include.len() == b.include.len() && a.include.iter().all(|c| b.include.contains(c))
}

/// Whether `other` makes `index` unneeded: it serves the same queries
/// and enforces at least as much.
fn covers(other: &TableIndex<'_>, index: &TableIndex<'_>) -> bool {
    if index.unique {
        other.unique && other.nulls_not_distinct == index.nulls_not_distinct
    } else {
        true
    }
}

fn finish(end: &mut FileEnd<'_>) {
    let by_table = table_indexes(end.context);
    let mut found = Vec::new();
    for (table, indexes) in &by_table {
        for index in indexes {
            let Some(origin) = index.origin else { continue };
            let duplicate_of = indexes.iter().find(|other| {
                if std::ptr::eq(*other, index) || !same_definition(index, other) || !covers(other, index) {
                    return false;
                }
                // Both cover each other: the later one is the duplicate.
                if covers(index, other) {
                    return other.origin.is_none_or(|o| (o, other.name) < (origin, index.name));
                }
                true
            });
            if let Some(other) = duplicate_of {
                found.push((origin, table.clone(), index, other));
            }
        }
    }
    found.sort_by(|a, b| (a.0, &a.1, a.2.name).cmp(&(b.0, &b.1, b.2.name)));
    for (origin, table, index, other) in found {
        let kind = |i: &TableIndex<'_>| if i.constraint { "constraint" } else { "index" };
        let message = format!("{} {} on {table} {} duplicates {} {}", kind(index), index.name, index.keys_text(), kind(other), other.name);
        let help = if index.constraint && !other.constraint && other.unique {
            format!("drop the constraint, or build it on the existing index with ADD CONSTRAINT ... USING INDEX {}", other.name)
        } else {
            format!("drop {}; {} serves the same queries", if index.constraint { "the constraint" } else { index.name }, other.name)
        };
        end.report(&RULE, origin, message, help).on_table(table);
    }
}

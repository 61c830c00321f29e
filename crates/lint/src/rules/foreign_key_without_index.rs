use astrola_core::ident::quote_ident;
use astrola_core::model::{ConstraintKind, IndexTarget};

use super::duplicate_index::{table_indexes, TableIndex};
use super::FileEnd;
use crate::context::name_key;
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// At the end of the migration, checks for a foreign key the migration
    /// added whose columns are not the leading columns (in any order) of an
    /// index on the referencing table. An index counts when it is a btree
    /// index, or the index behind a PRIMARY KEY or UNIQUE constraint, with
    /// no `WHERE` predicate or one that only requires the key columns to be
    /// `IS NOT NULL` (which the lookup `col = $1` implies); a hash index
    /// counts for a one-column key. Indexes added later in the same
    /// migration count.
    ///
    /// ## Why is this bad?
    /// When a row of the referenced table is deleted, or its key updated,
    /// PostgreSQL looks up the referencing rows with `WHERE col = $1`.
    /// Without an index that lookup is a sequential scan of the whole
    /// referencing table, once per deleted row, while the locks are held.
    /// Deleting a parent with `ON DELETE CASCADE` or a batch of parents
    /// becomes slow as the child table grows, and joins from parent to
    /// children scan as well.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE notes ADD CONSTRAINT fk_notes_issue_id FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE NOT VALID;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE INDEX CONCURRENTLY notes_issue_id_idx ON notes (issue_id);
    /// ALTER TABLE notes ADD CONSTRAINT fk_notes_issue_id FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE NOT VALID;
    /// ```
    ///
    /// ## Fix safety
    /// The fix shows the `CREATE INDEX` to add after the statement and is
    /// display-only: the index name is a suggestion, and `CONCURRENTLY`
    /// (used when the table existed before the migration) cannot run
    /// inside a transaction block.
    pub(crate) RULE = { id: "foreign-key-without-index", category: SchemaDesign, severity: Warning, check: check, finish: finish }
}

fn check(_: &mut super::Checker<'_>) {}

/// Whether `index` can serve the lookup `WHERE c1 = $1 AND c2 = $2 ...`
/// over `columns` on its own leading columns.
pub(super) fn serves(index: &TableIndex<'_>, columns: &[String]) -> bool {
    let n = columns.len();
    let method_fits = index.method == "btree" || (index.method == "hash" && n == 1);
    if !method_fits || n == 0 || index.keys.len() < n {
        return false;
    }
    let leading_match = index.keys[..n].iter().all(|k| matches!(&k.target, IndexTarget::Column(c) if columns.contains(c)));
    let leading = &index.keys[..n];
    let distinct = leading.iter().enumerate().all(|(i, k)| !leading[..i].iter().any(|p| p.target == k.target));
    leading_match && distinct && index.predicate.is_none_or(|p| implied_by_equality(p, columns))
}

/// How many of `index`'s leading keys are (distinct) `columns`, when the
/// first one is: an index that serves the lookup on part of the key.
fn leading_key_columns(index: &TableIndex<'_>, columns: &[String]) -> Option<usize> {
    if index.method != "btree" || !index.predicate.is_none_or(|p| implied_by_equality(p, columns)) {
        return None;
    }
    let mut seen: Vec<&String> = Vec::new();
    for key in &index.keys {
        match &key.target {
            IndexTarget::Column(c) if columns.contains(c) && !seen.contains(&c) => seen.push(c),
            _ => break,
        }
    }
    (!seen.is_empty()).then_some(seen.len())
}

/// Whether a predicate only asks for some of `columns` to be NOT NULL,
/// which `column = $1` implies: `(a IS NOT NULL)`, `((a IS NOT NULL) AND (b IS NOT NULL))`.
fn implied_by_equality(predicate: &str, columns: &[String]) -> bool {
    let mut text = predicate.trim();
    while let Some(inner) = strip_outer_parens(text) {
        text = inner;
    }
    text.split(" AND ").all(|part| {
        let mut part = part.trim();
        while let Some(inner) = strip_outer_parens(part) {
            part = inner;
        }
        part.strip_suffix(" IS NOT NULL").is_some_and(|c| columns.iter().any(|col| quote_ident(col) == c.trim()))
    })
}

/// `inner` when `text` is `(inner)` with the parentheses matching each other.
fn strip_outer_parens(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            _ => {}
        }
    }
    (depth == 0).then_some(inner)
}

fn finish(end: &mut FileEnd<'_>) {
    let added = end.context.added_constraints();
    if added.is_empty() {
        return;
    }
    let by_table = table_indexes(end.context);
    let mut found = Vec::new();
    for (table_key, name, range) in added {
        let Some(table) = end.context.table_by_key(table_key) else { continue };
        let Some(constraint) = table.constraints.get(name) else { continue };
        let ConstraintKind::ForeignKey { columns, ref_table, .. } = &constraint.kind else { continue };
        let indexes = by_table.get(table_key).map_or(&[][..], Vec::as_slice);
        if indexes.iter().any(|i| serves(i, columns)) {
            continue;
        }
        let partly = indexes.iter().filter_map(|i| Some((leading_key_columns(i, columns)?, i))).max_by_key(|(n, i)| (*n, std::cmp::Reverse(i.name))).map(|(_, i)| i.name.to_string());
        found.push((table_key.to_string(), name.to_string(), range, columns.clone(), name_key(ref_table), partly));
    }
    for (table_key, name, range, columns, referenced, partly) in found {
        let cols: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
        let cols = cols.join(", ");
        let (schema, relname) = table_key.split_once('.').unwrap_or(("public", &table_key));
        let target = if schema == "public" { quote_ident(relname) } else { format!("{}.{}", quote_ident(schema), quote_ident(relname)) };
        let mut index_name = format!("{relname}_{}_idx", columns.join("_"));
        while index_name.len() > 63 {
            index_name.pop();
        }
        let concurrently = if end.context.table_origin(&table_key).is_some() { "" } else { " CONCURRENTLY" };
        let create = format!("CREATE INDEX{concurrently} {} ON {target} ({cols})", quote_ident(&index_name));
        let message = match partly {
            None => format!("foreign key {name} on {table_key} ({cols}) has no index on those columns: deleting or updating a row of {referenced} scans {table_key}"),
            Some(index) => format!("foreign key {name} on {table_key} ({cols}) has no index that leads with all of its columns: deleting or updating a row of {referenced} looks rows up through {index} and filters on the rest"),
        };
        let help = format!("add an index whose leading columns are the key: {create};");
        let fix = Fix::new("add an index on the foreign key's columns", Applicability::DisplayOnly, Edit { start: range.1, end: range.1, replacement: format!(";\n{create}") });
        end.report(&RULE, range, message, help).on_table(table_key.clone()).with_fix(fix);
    }
}

use super::duplicate_index::{table_indexes, TableIndex};
use super::FileEnd;

declare_rule! {
    /// ## What it does
    /// At the end of the migration, checks for a plain (non-unique) btree
    /// index the migration created whose keys are a strict left prefix of
    /// another btree index on the same table: `(a)` next to `(a, b)`, or
    /// `(a, b)` next to a primary key on `(a, b, c)`. Keys must match
    /// exactly, with their operator class, collation and direction; both
    /// indexes must be without a `WHERE` predicate, and the shorter one
    /// without `INCLUDE` columns. Unique indexes are never reported: they
    /// enforce something the longer index does not.
    ///
    /// ## Why is this bad?
    /// A btree index on `(a, b)` serves every query that an index on `(a)`
    /// serves: lookups, ranges and ordering on `a` use its leading column.
    /// The shorter index is one more structure to update on every write,
    /// to vacuum and to keep in cache, for little gain (it is smaller, so
    /// scans of it are somewhat cheaper).
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX index_notes_on_project_id_and_created_at ON notes (project_id, created_at);
    /// CREATE INDEX index_notes_on_project_id ON notes (project_id);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE INDEX index_notes_on_project_id_and_created_at ON notes (project_id, created_at);
    /// ```
    ///
    /// ## Fix safety
    /// No fix: keeping the smaller index can be a deliberate trade when the
    /// longer one is much wider.
    pub(crate) RULE = { id: "redundant-index", category: SchemaDesign, severity: Info, check: check, finish: finish }
}

fn check(_: &mut super::Checker<'_>) {}

/// Whether `index` is one this rule judges: plain, btree, no predicate, no INCLUDE.
fn candidate(index: &TableIndex<'_>) -> bool {
    !index.unique && index.method == "btree" && index.predicate.is_none() && index.include.is_empty() && !index.keys.is_empty()
}

/// Whether `longer`'s keys start with all of `index`'s keys and go on.
fn extends(longer: &TableIndex<'_>, index: &TableIndex<'_>) -> bool {
    longer.method == "btree" && longer.predicate.is_none() && longer.keys.len() > index.keys.len() && longer.keys.starts_with(&index.keys)
}

fn finish(end: &mut FileEnd<'_>) {
    let by_table = table_indexes(end.context);
    let mut found = Vec::new();
    for (table, indexes) in &by_table {
        for index in indexes.iter().filter(|i| candidate(i)) {
            let Some(origin) = index.origin else { continue };
            // The shortest longer index makes the clearest message.
            let longer = indexes.iter().filter(|other| extends(other, index)).min_by_key(|other| (other.keys.len(), other.name));
            if let Some(longer) = longer {
                found.push((origin, table.clone(), index, longer));
            }
        }
    }
    found.sort_by(|a, b| (a.0, &a.1, a.2.name).cmp(&(b.0, &b.1, b.2.name)));
    for (origin, table, index, longer) in found {
        let what = if longer.constraint { "constraint" } else { "index" };
        let message = format!("index {} on {table} {} is a left prefix of {what} {} {}", index.name, index.keys_text(), longer.name, longer.keys_text());
        let help = format!("drop {}; {} serves the same queries", index.name, longer.name);
        end.report(&RULE, origin, message, help).on_table(table);
    }
}

use super::FileEnd;

declare_rule! {
    /// ## What it does
    /// At the end of the migration, checks for a table the migration
    /// created that has no primary key. The key may come from a later
    /// statement of the same migration (`ALTER TABLE ... ADD CONSTRAINT
    /// ... PRIMARY KEY`, as `pg_dump` writes it). Partitions are left to
    /// their partitioned table, and views and temporary tables are not
    /// tables the rule looks at.
    ///
    /// ## Why is this bad?
    /// Without a primary key nothing identifies a row: duplicates slip in,
    /// and a row cannot be updated or deleted on its own by tools and ORMs
    /// that address rows by key. Logical replication cannot replicate
    /// `UPDATE` and `DELETE` of the table (they fail on the publisher)
    /// unless `REPLICA IDENTITY` is set to an index or to `FULL`, which logs
    /// whole rows. Online schema-change and backfill tools batch by the key.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE events (id bigint NOT NULL, payload jsonb);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb);
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which columns identify a row is a design decision.
    pub(crate) RULE = { id: "table-without-primary-key", category: SchemaDesign, severity: Warning, check: check, finish: finish }
}

fn check(_: &mut super::Checker<'_>) {}

fn finish(end: &mut FileEnd<'_>) {
    let mut found = Vec::new();
    for (key, range) in end.context.created_tables() {
        // Temporary tables and views are not among the model's tables.
        let Some(table) = end.context.table_by_key(key) else { continue };
        if table.partition_of.is_some() || table.primary_key().is_some() {
            continue;
        }
        found.push((key.to_string(), range));
    }
    for (key, range) in found {
        end.report(&RULE, range, format!("table {key} has no primary key"), "add a PRIMARY KEY, such as a bigint identity column, so that every row can be addressed".to_string()).on_table(key);
    }
}

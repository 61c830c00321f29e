use super::{declared_columns, type_name, Checker};

declare_rule! {
    /// ## What it does
    /// Checks for columns declared `integer`, `smallint`, `serial` or
    /// `smallserial`, in `CREATE TABLE`, `ADD COLUMN` and `ALTER COLUMN ...
    /// TYPE`.
    ///
    /// ## Why is this bad?
    /// A 4-byte integer stops at 2,147,483,647. Ids and counters reach that
    /// sooner than expected, and widening the column later rewrites the
    /// table under an ACCESS EXCLUSIVE lock. `bigint` costs 4 more bytes a
    /// row, often nothing after alignment.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE events (id integer PRIMARY KEY);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE events (id bigint PRIMARY KEY);
    /// ```
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "prefer-bigint-over-int", category: SchemaDesign, severity: Info, check: check }
}

fn check(checker: &mut Checker<'_>) {
    for (column_name, column) in declared_columns(checker.node) {
        let Some(tn) = &column.type_name else { continue };
        let name = type_name(tn);
        if matches!(name, "int4" | "int2" | "int" | "integer" | "smallint" | "serial" | "serial4" | "serial2" | "smallserial") {
            let wide = if name.contains("serial") { "bigserial, or bigint GENERATED ALWAYS AS IDENTITY" } else { "bigint" };
            checker.report(&RULE, tn.location, format!("column {column_name} has a 4- or 2-byte integer type that may overflow"), format!("use {wide}"));
        }
    }
}

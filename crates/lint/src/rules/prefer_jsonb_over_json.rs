use super::{declared_columns, type_name, Checker};
use crate::{Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks for columns declared `json` (in `CREATE TABLE`, `ADD COLUMN`
    /// and `ALTER COLUMN ... TYPE`).
    ///
    /// ## Why is this bad?
    /// `json` stores the text as written and parses it again on every
    /// access, so each `->` or `->>` reparses the whole document. It has no
    /// equality operator: `SELECT DISTINCT`, `GROUP BY`, `UNION` and
    /// comparisons on the column fail with "could not identify an equality
    /// operator for type json". And it cannot be indexed with GIN for
    /// containment (`@>`) or key-existence (`?`) queries, which only
    /// `jsonb` supports.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE events (payload json);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE events (payload jsonb);
    /// ```
    /// Keep `json` only when the exact text must be kept: key order,
    /// duplicate keys and whitespace.
    ///
    /// ## Fix safety
    /// The fix changes the type to `jsonb` and is unsafe: `jsonb` does not
    /// keep key order, duplicate keys or whitespace, so code that reads the
    /// text back may see a different string, and changing the type of an
    /// existing column rewrites the table.
    pub(crate) RULE = { id: "prefer-jsonb-over-json", category: SchemaDesign, severity: Info, check: check }
}

fn check(checker: &mut Checker<'_>) {
    for (name, column) in declared_columns(checker.node) {
        let Some(tn) = &column.type_name else { continue };
        if type_name(tn) != "json" {
            continue;
        }
        let (start, end) = checker.location(tn.location);
        let written = checker.source.get(start..end).unwrap_or_default();
        // The type as written: `json` or `pg_catalog.json`; the fix appends the `b`.
        let fix = (tn.location >= 0 && written.to_ascii_lowercase().trim_matches('"').ends_with("json") && !written.ends_with('"'))
            .then(|| Fix::new("use jsonb", Applicability::Unsafe, Edit { start: end, end, replacement: if written.ends_with("JSON") { "B" } else { "b" }.to_string() }));
        let message = format!("column {name} is json, which is reparsed on every access and has no equality operator");
        let diagnostic = checker.report(&RULE, tn.location, message, "use jsonb unless the exact text (key order, duplicate keys) must be kept");
        diagnostic.fix = fix;
    }
}

use super::{declared_columns, type_name, Checker};

declare_rule! {
    /// ## What it does
    /// Checks for columns declared `char(n)`, `character(n)`, `char`,
    /// `character` or `bpchar` (in `CREATE TABLE`, `ADD COLUMN` and `ALTER
    /// COLUMN ... TYPE`). The one-byte internal type `"char"` (quoted) is a
    /// different type and is not reported.
    ///
    /// ## Why is this bad?
    /// `char(n)` pads every value with spaces to `n` characters and ignores
    /// trailing spaces in comparisons, so `'a'` and `'a  '` are equal while
    /// `length()`, `LIKE` and casts to `text` see other values than were
    /// written. It takes the same or more space than `text` and is no
    /// faster. A bare `char` is `char(1)`: longer values fail.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE countries (code char(2));
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE countries (code text CHECK (length(code) = 2));
    /// ```
    ///
    /// ## Fix safety
    /// No fix: code that relies on the padding or on trailing spaces being
    /// ignored would see different values.
    pub(crate) RULE = { id: "prefer-text-over-char", category: SchemaDesign, severity: Info, check: check }
}

fn check(checker: &mut Checker<'_>) {
    for (name, column) in declared_columns(checker.node) {
        let Some(tn) = &column.type_name else { continue };
        if type_name(tn) == "bpchar" {
            let message = format!("column {name} is char(n), which pads values with spaces");
            checker.report(&RULE, tn.location, message, "use text, with a CHECK constraint on the length if it matters");
        }
    }
}

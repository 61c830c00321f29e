use super::{declared_columns, type_name, Checker};

declare_rule! {
    /// ## What it does
    /// Checks for columns declared `varchar(n)` (`character varying(n)`).
    ///
    /// ## Why is this bad?
    /// In PostgreSQL `varchar(n)` is stored like `text` and is no faster; the
    /// length is only a check. Raising the limit later is cheap, but lowering
    /// it rewrites the table, and the limit is a poor place for a business
    /// rule that a CHECK expresses better.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE users (email varchar(255));
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE users (email text CHECK (length(email) <= 255));
    /// ```
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "prefer-text-over-varchar", category: SchemaDesign, severity: Info, check: check }
}

fn check(checker: &mut Checker<'_>) {
    for (name, column) in declared_columns(checker.node) {
        let Some(tn) = &column.type_name else { continue };
        if type_name(tn) == "varchar" && !tn.typmods.is_empty() {
            let message = format!("column {} is varchar with a length limit", name);
            checker.report(&RULE, tn.location, message, "use text, with a CHECK constraint if the length matters");
        }
    }
}

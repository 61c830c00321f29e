use super::{declared_columns, is_serial, Checker};

declare_rule! {
    /// ## What it does
    /// Checks for columns declared `serial`, `bigserial` or `smallserial`.
    ///
    /// ## Why is this bad?
    /// A serial column is an integer with a `nextval` default on a separate
    /// sequence that the table only loosely owns: permissions on it must be
    /// granted apart, inserts may bypass it with explicit values, and copying
    /// the table's definition does not copy the sequence. Identity columns
    /// are the SQL-standard replacement and avoid all of this.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE events (id bigserial PRIMARY KEY);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
    /// ```
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "prefer-identity-over-serial", category: SchemaDesign, severity: Info, check: check }
}

fn check(checker: &mut Checker<'_>) {
    for (name, column) in declared_columns(checker.node) {
        let Some(tn) = &column.type_name else { continue };
        if is_serial(tn) {
            let message = format!("column {} is a serial column", name);
            checker.report(&RULE, tn.location, message, "use bigint GENERATED ALWAYS AS IDENTITY");
        }
    }
}

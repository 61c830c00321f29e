use super::{declared_columns, type_name, Checker};

declare_rule! {
    /// ## What it does
    /// Checks for columns declared `timestamp` (`timestamp without time
    /// zone`).
    ///
    /// ## Why is this bad?
    /// A `timestamp` does not say which time zone it is in, so the same
    /// instant reads differently depending on the session's settings, and
    /// comparisons across daylight-saving changes go wrong. `timestamptz`
    /// stores an instant (in UTC) and takes the same 8 bytes.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE events (created_at timestamp NOT NULL);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE events (created_at timestamptz NOT NULL);
    /// ```
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "prefer-timestamptz", category: SchemaDesign, severity: Info, check: check }
}

fn check(checker: &mut Checker<'_>) {
    for (name, column) in declared_columns(checker.node) {
        let Some(tn) = &column.type_name else { continue };
        if type_name(tn) == "timestamp" {
            let message = format!("column {} is timestamp without time zone", name);
            checker.report(&RULE, tn.location, message, "use timestamptz (timestamp with time zone)");
        }
    }
}

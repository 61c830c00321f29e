use super::Checker;

declare_rule! {
    /// ## What it does
    /// Reports a rule id in an `astrola-ignore` or `astrola-ignore-file`
    /// comment that is not the id of a rule, and a suppression that names no
    /// rule at all.
    ///
    /// ## Why is this bad?
    /// A misspelt id suppresses nothing, so the finding it was meant to
    /// silence is still reported, or, worse, the suppression looks like it
    /// covers a hazard that nobody reviewed.
    ///
    /// ## Example
    /// ```sql
    /// -- astrola-ignore drop-tabel
    /// DROP TABLE legacy_events;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- astrola-ignore drop-table
    /// DROP TABLE legacy_events;
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    pub(crate) RULE = { id: "unknown-suppression", category: Configuration, severity: Warning, check: check }
}

/// Suppressions are checked after the rules ran, in `suppression::apply`.
fn check(_: &mut Checker<'_>) {}

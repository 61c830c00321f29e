use super::Checker;

declare_rule! {
    /// ## What it does
    /// Reports a rule id in an `astrola-ignore` or `astrola-ignore-file`
    /// comment that suppressed nothing: the rule reports nothing on the
    /// statement (or in the file), or no statement directly follows the
    /// comment.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real finding of the rule on that
    /// statement without anybody looking at it, and a suppression separated
    /// from its statement by a blank line applies to nothing.
    ///
    /// ## Example
    /// ```sql
    /// -- astrola-ignore create-index-non-concurrently
    /// CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
    /// ```
    ///
    /// ## Fix safety
    /// No fix yet.
    pub(crate) RULE = { id: "unused-suppression", category: Configuration, severity: Info, check: check }
}

/// Suppressions are checked after the rules ran, in `suppression::apply`.
fn check(_: &mut Checker<'_>) {}

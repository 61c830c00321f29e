use astrola_core::span::LineIndex;

use super::Checker;
use crate::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a statement that PostgreSQL's parser rejects, at the token
    /// the parser stopped at. Linting goes on with the next statement.
    ///
    /// ## Why is this bad?
    /// The migration fails when it reaches the statement, and none of the
    /// other rules can check it.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE users (id bigint,);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE users (id bigint);
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    pub(crate) RULE = { id: "syntax-error", category: Syntax, severity: Error, check: check }
}

/// Syntax errors are found while parsing, before the rules run.
fn check(_: &mut Checker<'_>) {}

/// Reports the parser's `message` about the statement at `range` of `sql`.
pub(crate) fn report(message: &str, sql: &str, file: &str, range: (usize, usize), lines: &LineIndex, diagnostics: &mut Vec<Diagnostic>) {
    let text = sql.get(range.0..range.1).unwrap_or_default();
    let (start, end) = match error_offset(text, message) {
        Some((from, to)) => (range.0 + from.min(text.len()), range.0 + to.min(text.len())),
        None => range,
    };
    diagnostics.push(Diagnostic::new(&RULE, message.to_string(), lines.span(file, sql, start, end), text.to_string(), None));
}

/// Reports an error of the statement splitter (a NUL byte, input the
/// scanner rejects).
pub(crate) fn report_core_error(error: &astrola_core::Error, sql: &str, lines: &LineIndex, diagnostics: &mut Vec<Diagnostic>) {
    let (message, span) = match error {
        astrola_core::Error::Parse { message, span, .. } => (message.clone(), span.clone()),
        other => (other.to_string(), lines.span("", sql, 0, sql.len())),
    };
    let end = span.end.min(sql.len());
    let start = span.start.min(end);
    let span = lines.span(&span.file, sql, start, end);
    diagnostics.push(Diagnostic::new(&RULE, message, span, String::new(), None));
}

/// The byte range in `text` of the token the message names (`at or near
/// "X"`), or the end for `at end of input`.
///
/// The parser's cursor is not passed on, so among the tokens spelled `X`
/// the first one at which the statement, cut just after it, fails with the
/// same message is taken.
fn error_offset(text: &str, message: &str) -> Option<(usize, usize)> {
    if message.contains("at end of input") {
        let end = text.trim_end().len();
        return Some((end, end));
    }
    let near = message.split("at or near \"").nth(1)?;
    let token = near.strip_suffix('"').unwrap_or(near);
    if token.is_empty() {
        return None;
    }
    let tokens = pg_query::scan(text).ok()?.tokens;
    let candidates: Vec<(usize, usize)> = tokens
        .iter()
        .filter_map(|t| Some((usize::try_from(t.start).ok()?, usize::try_from(t.end).ok()?)))
        .filter(|&(start, end)| text.get(start..end).is_some_and(|t| t.eq_ignore_ascii_case(token)))
        .collect();
    let fails_there = |end: usize| {
        text.get(..end)
            .is_some_and(|prefix| matches!(pg_query::parse(prefix, pg_query::ParserOptions::DEFAULT), Err(pg_query::Error::Parse(m)) if m == message))
    };
    candidates.iter().find(|&&(_, end)| fails_there(end)).or(candidates.first()).copied()
}

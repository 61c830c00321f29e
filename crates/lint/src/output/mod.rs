//! Machine-readable renderings of diagnostics: SARIF 2.1.0 for code
//! scanning and GitHub Actions workflow annotations.

pub mod github;
pub mod sarif;

use crate::Diagnostic;

/// The diagnostics of one linted file, with the text their spans point into.
#[derive(Debug, Clone, Copy)]
pub struct Linted<'a> {
    /// The file's text.
    pub source: &'a str,
    /// What the linter found in it; each span names the file.
    pub diagnostics: &'a [Diagnostic],
}

/// The 1-based line and column (in characters) just past byte `end` of
/// `source`, for the end of a span.
pub(crate) fn end_position(source: &str, end: usize) -> (usize, usize) {
    let mut end = end.min(source.len());
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    let before = &source[..end];
    let line = 1 + before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, 1 + before[line_start..].chars().count())
}

#[cfg(test)]
mod tests {
    use super::end_position;

    #[test]
    fn end_positions_count_lines_and_characters() {
        assert_eq!(end_position("ab\ncdé", 0), (1, 1));
        assert_eq!(end_position("ab\ncdé", 2), (1, 3));
        assert_eq!(end_position("ab\ncdé", 3), (2, 1));
        assert_eq!(end_position("ab\ncdé", 7), (2, 4));
        assert_eq!(end_position("ab\ncdé", 6), (2, 3), "inside a character");
        assert_eq!(end_position("ab", 99), (1, 3));
    }
}

//! Machine-readable renderings of diagnostics: SARIF 2.1.0 for code
//! scanning and GitHub Actions workflow annotations.

pub mod github;
pub mod sarif;

use astrola_core::span::LineIndex;

use crate::Diagnostic;

/// The diagnostics of one linted file, with the text their spans point into.
#[derive(Debug, Clone, Copy)]
pub struct Linted<'a> {
    /// The file's text.
    pub source: &'a str,
    /// What the linter found in it; each span names the file.
    pub diagnostics: &'a [Diagnostic],
}

/// The lines of one file's text, indexed once for the ends of all its
/// spans.
pub(crate) struct EndPositions<'a> {
    source: &'a str,
    lines: LineIndex,
}

impl<'a> EndPositions<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        Self { source, lines: LineIndex::new(source) }
    }

    /// The 1-based line and column (in characters) just past byte `end`,
    /// for the end of a span.
    pub(crate) fn at(&self, end: usize) -> (usize, usize) {
        self.lines.line_column(self.source, end)
    }
}

#[cfg(test)]
fn end_position(source: &str, end: usize) -> (usize, usize) {
    EndPositions::new(source).at(end)
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

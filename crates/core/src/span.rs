//! Source locations.

use serde::{Deserialize, Serialize};

/// Where a statement sits in its source: file, 1-based line and column, and
/// the byte range.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// The file name, empty for text that did not come from a file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file: String,
    /// 1-based line of the first byte.
    pub line: usize,
    /// 1-based column (in characters) of the first byte.
    pub column: usize,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The span of `source[start..end]` in `file`.
    pub fn locate(file: &str, source: &str, start: usize, end: usize) -> Self {
        let (line, column) = line_column(source, start);
        Self { file: file.to_string(), line, column, start, end }
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = if self.file.is_empty() { "<input>" } else { &self.file };
        write!(f, "{file}:{}:{}", self.line, self.column)
    }
}

/// Line starts of a source text, for turning many byte offsets into lines
/// and columns without rescanning the text each time.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the lines of `source`.
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// The span of `source[start..end]` in `file`; `source` must be the text
    /// this index was built from.
    pub fn span(&self, file: &str, source: &str, start: usize, end: usize) -> Span {
        let (line, column) = self.line_column(source, start);
        Span { file: file.to_string(), line, column, start, end }
    }

    /// The 1-based line and column (in characters) of byte `offset` of
    /// `source`, as [`line_column`] gives them, in logarithmic time; `source`
    /// must be the text this index was built from.
    pub fn line_column(&self, source: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let line_start = self.starts.get(line - 1).copied().unwrap_or(0).min(offset);
        (line, source[line_start..offset].chars().count() + 1)
    }
}

/// The 1-based line and column of byte `offset` in `source`. Offsets past the
/// end or inside a character are clamped.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let src = "ab\ncdé\nf";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 3), (2, 1));
        assert_eq!(line_column(src, 7), (2, 4));
        assert_eq!(line_column(src, 8), (3, 1));
        assert_eq!(line_column(src, 100), (3, 2));
        assert_eq!(line_column(src, 6), (2, 3));
        let index = LineIndex::new(src);
        for offset in 0..12 {
            let span = index.span("f", src, offset, offset);
            assert_eq!((span.line, span.column), line_column(src, offset), "offset {offset}");
            assert_eq!(index.line_column(src, offset), line_column(src, offset), "offset {offset}");
        }
    }
}

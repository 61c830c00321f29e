//! Diagnostics: what a rule reports, and how it reads as text.

use std::fmt::Write as _;

use astrola_core::Span;
use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; never blocks by default.
    Info,
    /// Probably a mistake.
    Warning,
    /// Breaks production or fails outright.
    Error,
}

impl Severity {
    /// The lowercase name (`error`, `warning`, `info`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding of one rule on one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The rule's kebab-case id.
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, naming the objects involved.
    pub message: String,
    /// Where: the statement, or the exact node when the parser locates it.
    pub span: Span,
    /// The statement as written.
    pub statement: String,
    /// What to do instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// Renders the diagnostic rustc-style: a header, the location, the
    /// source line with a caret under the span, and the help. `source` is
    /// the text the span points into.
    pub fn render(&self, source: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}[{}]: {}", self.severity, self.rule, self.message);
        let line_number = self.span.line.to_string();
        let pad = " ".repeat(line_number.len());
        let _ = writeln!(out, "{pad}--> {}", self.span);
        if let Some((text, from, to)) = self.line_text(source) {
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line_number} | {text}");
            let carets = "^".repeat(to.saturating_sub(from).max(1));
            let _ = writeln!(out, "{pad} | {}{carets}", " ".repeat(from));
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
        out
    }

    /// The source line the span starts on, and the columns (in characters)
    /// the caret covers on it.
    fn line_text<'s>(&self, source: &'s str) -> Option<(&'s str, usize, usize)> {
        let start = self.span.start.min(source.len());
        let line_start = source.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
        let line_end = source.get(start..)?.find('\n').map_or(source.len(), |i| start + i);
        let text = source.get(line_start..line_end)?.trim_end_matches('\r');
        let from = source.get(line_start..start)?.chars().count();
        let end = self.span.end.clamp(start, line_start + text.len());
        let to = from + source.get(start..end).map_or(0, |s| s.chars().count());
        Some((text, from, to))
    }
}

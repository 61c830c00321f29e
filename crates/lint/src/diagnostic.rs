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
    /// The table the finding is about (`schema.name`), when there is one:
    /// `--stats` figures are looked up by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// A rewrite of the statement that removes the hazard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// For findings that fail on existing data: a query that counts the rows
    /// which would make the statement fail. Run it before deploying; it
    /// should return 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<String>,
}

/// How far a fix can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// Keeps the migration's meaning and removes the hazard: `astrola lint
    /// --fix` applies it.
    Safe,
    /// Removes the hazard but changes what the migration does or when it can
    /// fail (a different type, a statement that must run outside a
    /// transaction): applied only by hand.
    Unsafe,
    /// A sketch to read, not to apply: the edits are not complete SQL for
    /// this file (a backfill to write, a name to choose).
    DisplayOnly,
}

impl Applicability {
    /// The lowercase name (`safe`, `unsafe`, `display_only`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Safe => "safe",
            Self::Unsafe => "unsafe",
            Self::DisplayOnly => "display_only",
        }
    }
}

/// A rewrite attached to a diagnostic: byte-range replacements in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// What the fix does ("build the index CONCURRENTLY").
    pub message: String,
    /// Whether `--fix` may apply it.
    pub applicability: Applicability,
    /// The replacements, in file order, not overlapping.
    pub edits: Vec<Edit>,
}

/// Replace the bytes `start..end` of the file with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// The first byte replaced.
    pub start: usize,
    /// One past the last byte replaced (`start` for an insertion).
    pub end: usize,
    /// The new text.
    pub replacement: String,
}

impl Fix {
    /// A fix of one edit.
    pub fn new(message: impl Into<String>, applicability: Applicability, edit: Edit) -> Self {
        Self { message: message.into(), applicability, edits: vec![edit] }
    }

    /// The file with this fix applied, or `None` when an edit falls outside
    /// it, off a character boundary, or overlaps another.
    pub fn apply(&self, source: &str) -> Option<String> {
        apply_edits(source, self.edits.iter())
    }
}

/// Applies `edits` (in any order) to `source`; `None` when one is out of
/// range, off a character boundary, or two overlap.
pub fn apply_edits<'e>(source: &str, edits: impl IntoIterator<Item = &'e Edit>) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.into_iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for edit in sorted {
        if edit.start < at || edit.end < edit.start {
            return None;
        }
        out.push_str(source.get(at..edit.start)?);
        source.get(edit.start..edit.end)?;
        out.push_str(&edit.replacement);
        at = edit.end;
    }
    out.push_str(source.get(at..)?);
    Some(out)
}

impl Diagnostic {
    /// A finding of `rule`, at its default severity, with nothing attached.
    pub(crate) fn new(rule: &crate::RuleInfo, message: String, span: Span, statement: String, help: Option<String>) -> Self {
        Self { rule: rule.id, severity: rule.severity, message, span, statement, help, table: None, fix: None, validation: None }
    }

    /// Names the table the finding is about (`schema.name`).
    pub(crate) fn on_table(&mut self, table: impl Into<String>) -> &mut Self {
        self.table = Some(table.into());
        self
    }

    /// Attaches a fix.
    pub(crate) fn with_fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }

    /// Attaches the query that counts the rows the statement would fail on.
    pub(crate) fn with_validation(&mut self, sql: impl Into<String>) -> &mut Self {
        self.validation = Some(sql.into());
        self
    }

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
        if let Some(fix) = &self.fix {
            let _ = writeln!(out, "{pad} = fix ({}): {}", fix.applicability.as_str().replace('_', "-"), fix.message);
            if let Some(fixed) = self.fixed_statement(source, fix) {
                for line in fixed.lines() {
                    let _ = writeln!(out, "{pad} |     {line}");
                }
            }
        }
        if let Some(validation) = &self.validation {
            let _ = writeln!(out, "{pad} = check first (should return 0): {validation}");
        }
        out
    }

    /// The statement as the fix leaves it, when every edit falls inside
    /// the statement's lines.
    fn fixed_statement(&self, source: &str, fix: &Fix) -> Option<String> {
        let start = fix.edits.iter().map(|e| e.start).min()?.min(self.span.start);
        let end = fix.edits.iter().map(|e| e.end).max()?.max(self.span.end);
        let from = source.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
        let to = source.get(end..)?.find('\n').map_or(source.len(), |i| end + i);
        let shifted: Vec<Edit> = fix.edits.iter().map(|e| Edit { start: e.start - from, end: e.end - from, replacement: e.replacement.clone() }).collect();
        apply_edits(source.get(from..to)?, &shifted)
    }

    /// The source line the span starts on, and the columns (in characters)
    /// the caret covers on it.
    fn line_text<'s>(&self, source: &'s str) -> Option<(&'s str, usize, usize)> {
        let start = self.span.start.min(source.len());
        let line_start = source.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
        let line_end = source.get(start..)?.find('\n').map_or(source.len(), |i| start + i);
        let text = source.get(line_start..line_end)?.trim_end_matches('\r');
        let from = source.get(line_start..start)?.chars().count();
        // `max`, not `clamp`: with a text other than the linted one the span
        // can start past the end of its line.
        let end = self.span.end.min(line_start + text.len()).max(start);
        let to = from + source.get(start..end).map_or(0, |s| s.chars().count());
        Some((text, from, to))
    }
}

//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
//! annotation per diagnostic, shown on the pull request's diff.
//!
//! ```
//! use astrola_lint::{lint_sql, output::{github, Linted}, LintOptions};
//!
//! let sql = "DROP TABLE users;\n";
//! let found = lint_sql(sql, "db/001.sql", &LintOptions::default());
//! let text = github::to_github(&[Linted { source: sql, diagnostics: &found }]);
//! assert!(text.starts_with("::warning file=db/001.sql,line=1,col="), "{text}");
//! assert!(text.contains(",title=drop-table::"), "{text}");
//! ```

use std::fmt::Write as _;

use super::{EndPositions, Linted};
use crate::Severity;

/// The annotations of the diagnostics of `files`, one line each: the
/// severity (`info` becomes `notice`), the span, the rule id as the title,
/// and the message with the help on a second line.
pub fn to_github(files: &[Linted<'_>]) -> String {
    let mut out = String::new();
    for file in files {
        let ends = EndPositions::new(file.source);
        for d in file.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let path = if d.span.file.is_empty() { "<input>" } else { &d.span.file };
            let (end_line, end_column) = ends.at(d.span.end.max(d.span.start));
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let _ = writeln!(
                out,
                "::{command} file={},line={},col={},endLine={end_line},endColumn={end_column},title={}::{}",
                escape_property(path),
                d.span.line,
                d.span.column,
                escape_property(d.rule),
                escape_data(&message),
            );
        }
    }
    out
}

/// Escapes a workflow command's message: `%`, `\r`, `\n`.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as [`escape_data`], and
/// also `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

//! `astrola lint FILE...`: the findings of the migration linter.

use std::io::{Read, Write};
use std::path::PathBuf;

use astrola_lint::output::Linted;
use astrola_lint::{Diagnostic, LintOptions, Severity};

use crate::error::CliError;
use crate::Outcome;

/// Arguments of `astrola lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// PostgreSQL migration files, or `-` for stdin.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The PostgreSQL major version the migrations run on.
    #[arg(long, value_name = "N", default_value_t = 15, value_parser = clap::value_parser!(u32).range(9..=99))]
    pg_version: u32,
    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
}

/// Output formats of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// rustc-style snippets with line, column and help.
    Text,
    /// The diagnostics as a JSON array.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::`), shown as
    /// annotations on the pull request.
    Github,
}

/// The least severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

impl From<FailOn> for Severity {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// Runs `lint`. Exits 1 (findings) when a finding is at or above
/// `--fail-on`. All files are read before any is linted, so an unreadable
/// file fails the run (exit 2) without partial output.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome, CliError> {
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(CliError::Usage("`-` (stdin) can be given only once".into()));
    }
    let sources = args.files.iter().map(read).collect::<Result<Vec<_>, _>>()?;
    let options = LintOptions { pg_version: args.pg_version, ..LintOptions::default() };
    let results: Vec<(&(String, String), Vec<Diagnostic>)> = sources.iter().map(|s| (s, astrola_lint::lint_sql(&s.1, &s.0, &options))).collect();
    let threshold = Severity::from(args.fail_on);
    let failing = results.iter().flat_map(|(_, found)| found).any(|d| d.severity >= threshold);
    match args.format {
        Format::Text => {
            let mut total = 0;
            for ((_, sql), found) in &results {
                for d in found {
                    writeln!(out, "{}", d.render(sql)).map_err(CliError::Output)?;
                }
                total += found.len();
            }
            if total > 0 {
                writeln!(out, "{total} finding(s) in {} file(s)", results.len()).map_err(CliError::Output)?;
            }
        }
        Format::Json => {
            let all: Vec<&Diagnostic> = results.iter().flat_map(|(_, found)| found).collect();
            let json = serde_json::to_string_pretty(&all).map_err(|e| CliError::Usage(e.to_string()))?;
            writeln!(out, "{json}").map_err(CliError::Output)?;
        }
        Format::Sarif | Format::Github => {
            let linted: Vec<Linted<'_>> = results.iter().map(|((_, sql), found)| Linted { source: sql, diagnostics: found }).collect();
            let text = if args.format == Format::Sarif { astrola_lint::output::sarif::to_sarif(&linted) + "\n" } else { astrola_lint::output::github::to_github(&linted) };
            out.write_all(text.as_bytes()).map_err(CliError::Output)?;
        }
    }
    Ok(if failing { Outcome::Findings } else { Outcome::Clean })
}

/// The name (as given) and text of an input file, `-` being stdin.
fn read(path: &PathBuf) -> Result<(String, String), CliError> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    let shown = if path.as_os_str() == "-" { "<stdin>".to_string() } else { name };
    result.map_err(|source| CliError::Read { path: shown.clone(), source })?;
    let text = String::from_utf8(bytes).map_err(|_| CliError::Read { path: shown.clone(), source: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8") })?;
    Ok((shown, text))
}

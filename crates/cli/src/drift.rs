//! `astrola drift EXPECTED ACTUAL`: how ACTUAL differs from EXPECTED.

use std::io::Write;
use std::path::PathBuf;

use astrola_core::Dialect;

use crate::error::CliError;
use crate::{input, Outcome};

/// Arguments of `astrola drift`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema it should be (SQL file, migration directory, schema JSON or `-`).
    #[arg(value_name = "EXPECTED")]
    expected: PathBuf,
    /// The schema it is, for example `pg_dump --schema-only` of the live
    /// database.
    #[arg(value_name = "ACTUAL")]
    actual: PathBuf,
    /// The SQL dialect of the inputs [default: postgres].
    #[arg(long, value_name = "postgres|mysql|sqlite", value_parser = input::parse_dialect)]
    dialect: Option<Dialect>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Output formats of `drift`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One block per drifted object, for people.
    Text,
    /// The DriftReport as JSON.
    Json,
}

/// Runs `drift`: exits 1 when there is drift.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome, CliError> {
    if args.expected.as_os_str() == "-" && args.actual.as_os_str() == "-" {
        return Err(CliError::Usage("`-` (stdin) can be given only once".into()));
    }
    let expected = input::load_schema(std::slice::from_ref(&args.expected), args.dialect)?;
    let actual = input::load_schema(std::slice::from_ref(&args.actual), args.dialect)?;
    input::print_warnings(&expected.warnings);
    input::print_warnings(&actual.warnings);
    let report = astrola_diff::drift(&expected.schema, &actual.schema).map_err(|e| CliError::Usage(e.to_string()))?;
    let text = match args.format {
        Format::Text => report.to_text(),
        Format::Json => report.to_json() + "\n",
    };
    out.write_all(text.as_bytes()).map_err(CliError::Output)?;
    Ok(if report.is_clean() { Outcome::Clean } else { Outcome::Findings })
}

//! `astrola inspect SCHEMA...`: build a schema and print it.

use std::io::Write;
use std::path::PathBuf;

use astrola_core::{render_sql, Dialect};

use crate::error::CliError;
use crate::{input, Outcome};

/// Arguments of `astrola inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// SQL files, migration directories, or `-` for stdin, replayed in order
    /// into one schema; or a single schema JSON written by `--format json`.
    #[arg(value_name = "SCHEMA", required = true)]
    inputs: Vec<PathBuf>,
    /// The SQL dialect of the inputs [default: postgres]. A schema JSON
    /// carries its own.
    #[arg(long, value_name = "postgres|mysql|sqlite", value_parser = input::parse_dialect)]
    dialect: Option<Dialect>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Sql)]
    format: Format,
}

/// Output formats of `inspect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Canonical DDL in the schema's dialect (`text` is an alias).
    #[value(alias = "text")]
    Sql,
    /// The schema model as JSON, which every command reads back.
    Json,
}

/// Runs `inspect`: the schema goes to `out`, warnings about unmanaged
/// statements to stderr. Never reports findings.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let parsed = input::load_schema(&args.inputs, args.dialect)?;
    input::print_warnings(&parsed.warnings);
    let text = match args.format {
        Format::Sql => render_sql(&parsed.schema),
        Format::Json => parsed.schema.to_json(),
    };
    out.write_all(text.as_bytes()).map_err(CliError::Output)?;
    if !text.is_empty() && !text.ends_with('\n') {
        out.write_all(b"\n").map_err(CliError::Output)?;
    }
    Ok(Outcome::Clean)
}

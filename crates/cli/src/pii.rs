//! `astrola pii SCHEMA...`: which columns hold personal or sensitive data.
//!
//! Columns are classified by name, type and comment; columns with samples
//! (`--samples TABLE=FILE`, CSV with a header row or JSON Lines) also by
//! their values. Exit status: 0 when nothing is found, 1 when any column
//! has a finding at or above `--min-confidence` (findings are what the
//! command reports, as drift is for `drift`), 2 for usage or input errors.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use astrola_core::Dialect;
use astrola_pii::{classify_schema, read_samples, ClassifyOptions, SampleFormat, SampleSet};

use crate::error::CliError;
use crate::{input, Outcome};

/// Arguments of `astrola pii`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// SQL files, migration directories, or `-` for stdin, replayed in order
    /// into one schema; or a single schema JSON.
    #[arg(value_name = "SCHEMA", required = true)]
    inputs: Vec<PathBuf>,
    /// The SQL dialect of the inputs [default: postgres].
    #[arg(long, value_name = "postgres|mysql|sqlite", value_parser = input::parse_dialect)]
    dialect: Option<Dialect>,
    /// Sampled values of a table: `TABLE=FILE`, or `FILE` for the table
    /// named by the file's stem. CSV with a header row, or JSON Lines
    /// (`.jsonl`, `.ndjson`, `.json`). Repeatable. Columns without samples
    /// are classified by name, type and comment alone.
    #[arg(long = "samples", value_name = "[TABLE=]FILE")]
    samples: Vec<String>,
    /// Leave out findings below this confidence (0 to 1).
    #[arg(long, value_name = "X", default_value_t = 0.5)]
    min_confidence: f32,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Output formats of `pii`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One line a finding, grouped by table.
    Text,
    /// The report as JSON.
    Json,
}

/// Splits a `--samples` value into the table and the file.
fn parse_samples_arg(arg: &str) -> Result<(String, PathBuf), CliError> {
    if let Some((table, file)) = arg.split_once('=') {
        if !table.is_empty() && !table.contains(['/', '\\']) {
            if file.is_empty() {
                return Err(CliError::Usage(format!("--samples {arg}: no file after `=`")));
            }
            return Ok((table.to_string(), PathBuf::from(file)));
        }
    }
    if arg == "-" {
        return Err(CliError::Usage("--samples -: name the table, as in --samples users=-".into()));
    }
    let path = PathBuf::from(arg);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).filter(|s| !s.is_empty());
    let Some(table) = stem else { return Err(CliError::Usage(format!("--samples {arg}: cannot name a table after this file"))) };
    Ok((table, path))
}

fn read_bytes(path: &Path) -> Result<(Vec<u8>, String), CliError> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(|source| CliError::Read { path: "<stdin>".into(), source })?;
        return Ok((bytes, "<stdin>".into()));
    }
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| CliError::Read { path: name.clone(), source })?;
    Ok((bytes, name))
}

/// Runs `pii`: exits 1 when anything is found.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome, CliError> {
    if !(0.0..=1.0).contains(&args.min_confidence) {
        return Err(CliError::Usage(format!("--min-confidence {} is not between 0 and 1", args.min_confidence)));
    }
    let stdin_schema = args.inputs.iter().any(|p| p.as_os_str() == "-");
    let mut samples = SampleSet::default();
    for arg in &args.samples {
        let (table, path) = parse_samples_arg(arg)?;
        if path.as_os_str() == "-" && stdin_schema {
            return Err(CliError::Usage("`-` (stdin) can be given only once".into()));
        }
        let (bytes, name) = read_bytes(&path)?;
        let table_samples = read_samples(&bytes, SampleFormat::from_name(&name), &table, &name).map_err(|e| CliError::Usage(e.to_string()))?;
        samples.tables.push(table_samples);
    }
    let parsed = input::load_schema(&args.inputs, args.dialect)?;
    input::print_warnings(&parsed.warnings);
    let options = ClassifyOptions { min_confidence: args.min_confidence, ..ClassifyOptions::default() };
    let report = classify_schema(&parsed.schema, &samples, &options);
    for unmatched in &report.unmatched_samples {
        // Classified all the same; the warning says why it has no type.
        let _ = writeln!(std::io::stderr(), "warning: sample column {unmatched} is not in the schema; classified by its values");
    }
    let text = match args.format {
        Format::Text => report.to_text(),
        Format::Json => report.to_json() + "\n",
    };
    out.write_all(text.as_bytes()).map_err(CliError::Output)?;
    Ok(if report.has_findings() { Outcome::Findings } else { Outcome::Clean })
}

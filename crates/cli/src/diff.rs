//! `astrola diff FROM TO`: the migration SQL that takes FROM to TO.

use std::io::Write;
use std::path::PathBuf;

use astrola_core::Dialect;
use astrola_diff::{ChangeSet, DiffOptions};

use crate::error::CliError;
use crate::{input, Outcome};

/// Arguments of `astrola diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema as it is: a SQL file, a migration directory, a schema JSON
    /// or `-`.
    #[arg(value_name = "FROM")]
    from: PathBuf,
    /// The schema as it should be. `-- @renamed from=old` annotations in it
    /// declare renames of tables, columns, indexes, constraints and enum
    /// labels.
    #[arg(value_name = "TO")]
    to: PathBuf,
    /// The SQL dialect of the inputs [default: postgres].
    #[arg(long, value_name = "postgres|mysql|sqlite", value_parser = input::parse_dialect)]
    dialect: Option<Dialect>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Sql)]
    format: Format,
    /// Render destructive changes (drops, narrowing type changes) instead of
    /// refusing them.
    #[arg(long)]
    allow_destructive: bool,
    /// Print the down migration (TO back to FROM) instead.
    #[arg(long)]
    down: bool,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Migration SQL, with refused changes and irreversible steps as
    /// comments (`text` is an alias).
    #[value(alias = "text")]
    Sql,
    /// The ChangeSet as JSON (docs/changeset-json.md).
    Json,
}

/// Runs `diff`. Exits 1 (findings) when a destructive change was refused,
/// or when the two sides differ in something the diff cannot express.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome, CliError> {
    if args.from.as_os_str() == "-" && args.to.as_os_str() == "-" {
        return Err(CliError::Usage("`-` (stdin) can be given only once".into()));
    }
    let from = input::load_schema(std::slice::from_ref(&args.from), args.dialect)?;
    let to = input::load_schema(std::slice::from_ref(&args.to), args.dialect)?;
    input::print_warnings(&from.warnings);
    input::print_warnings(&to.warnings);
    let options = DiffOptions { allow_destructive: args.allow_destructive, renames: to.renames.clone() };
    let result = if args.down {
        astrola_diff::down(&from.schema, &to.schema, &options)
    } else {
        astrola_diff::diff(&from.schema, &to.schema, &options)
    };
    let changes = result.map_err(|e| CliError::Usage(e.to_string()))?;
    let text = match args.format {
        Format::Sql => changes.annotated_sql(),
        Format::Json => changes.to_json() + "\n",
    };
    out.write_all(text.as_bytes()).map_err(CliError::Output)?;
    report(&changes);
    Ok(if changes.is_complete() { Outcome::Clean } else { Outcome::Findings })
}

/// Tells stderr what the SQL does not do: refused changes, unmanaged and
/// unsupported differences, suggested renames and notes.
pub fn report(changes: &ChangeSet) {
    let mut err = std::io::stderr().lock();
    let refused: Vec<_> = changes.refused().collect();
    if !refused.is_empty() {
        let _ = writeln!(err, "refused {} destructive change(s); rerun with --allow-destructive to include them:", refused.len());
        for c in refused {
            let _ = writeln!(err, "  {} {}", c.change.kind(), c.object);
        }
    }
    for u in &changes.unmanaged {
        let side = if u.side == "from" { "FROM" } else { "TO" };
        let _ = writeln!(
            err,
            "{}: error: unmanaged statement only in {side} ({}); astrola cannot diff it: {}",
            u.statement.span,
            u.statement.kind,
            u.statement.sql.trim()
        );
    }
    for u in &changes.unsupported {
        let _ = writeln!(err, "error: not expressible as a migration: {u}");
    }
    for s in &changes.suggestions {
        let _ = writeln!(err, "suggestion: {} may be a rename of {} (declare it with `{}`)", s.to, s.from, s.hint);
    }
    for n in &changes.notes {
        let _ = writeln!(err, "note: {n}");
    }
}

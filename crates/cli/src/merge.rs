//! `astrola merge BASE OURS THEIRS`: do two branches of a schema combine?
//! `astrola merge --history OURS_DIR THEIRS_DIR`: do two diverged migration
//! directories combine, and in what linear order?

use std::io::Write;
use std::path::PathBuf;

use astrola_core::Dialect;
use astrola_diff::merge::{merge, merge_histories, HistoryMerge, Merge, MergeOptions};

use crate::error::CliError;
use crate::{input, Outcome};

/// Arguments of `astrola merge`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Exit status: 0 when the branches merge cleanly, 1 on conflicts (or refused destructive changes), 2 on bad input.\n\n\
With --history, give two migration directories (OURS_DIR THEIRS_DIR) that share a prefix of files and then diverge: \
the shared files are the base, each directory's extra files its tail. The tails commute when they merge without conflict and \
replay to the same schema in either order; then a linear order is proposed, with theirs' files renumbered after ours' (V5__b.sql becomes V6__b.sql).")]
pub struct Args {
    /// BASE OURS THEIRS: the common ancestor and the two branches (each a
    /// SQL file, a migration directory, a schema JSON or `-`). With
    /// --history: OURS_DIR THEIRS_DIR. `-- @renamed from=old` annotations
    /// in OURS and THEIRS declare each branch's renames.
    #[arg(value_name = "SCHEMA", required = true, num_args = 2..=3)]
    inputs: Vec<PathBuf>,
    /// Compare two diverged migration directories instead of three schemas.
    #[arg(long)]
    history: bool,
    /// The SQL dialect of the inputs [default: postgres].
    #[arg(long, value_name = "postgres|mysql|sqlite", value_parser = input::parse_dialect)]
    dialect: Option<Dialect>,
    /// What to print: conflicts side by side and the merged migration
    /// (text), the Merge as JSON (docs/merge-json.md), or the merged
    /// migration SQL (sql).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// With --format sql: append each conflict's statements from both
    /// branches between git-style conflict markers.
    #[arg(long)]
    markers: bool,
    /// Render the destructive changes of the merged migration (theirs'
    /// drops) instead of refusing them.
    #[arg(long)]
    allow_destructive: bool,
}

/// Output formats of `merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Conflicts side by side (base | ours | theirs), then the migration.
    Text,
    /// The Merge (or, with --history, the HistoryMerge) as JSON.
    Json,
    /// The merged migration SQL that takes OURS to the merged schema.
    Sql,
}

/// Runs `merge`. Exits 1 on conflicts, or when the merged migration refuses
/// a destructive change or cannot express a difference.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome, CliError> {
    if args.markers && args.format != Format::Sql {
        return Err(CliError::Usage("--markers needs --format sql".into()));
    }
    if args.history {
        return run_history(args, out);
    }
    let [base, ours, theirs] = args.inputs.as_slice() else {
        return Err(CliError::Usage(format!("merge takes BASE OURS THEIRS (got {} argument(s)); use --history for two migration directories", args.inputs.len())));
    };
    if args.inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(CliError::Usage("`-` (stdin) can be given only once".into()));
    }
    let base = input::load_schema(std::slice::from_ref(base), args.dialect)?;
    let ours = input::load_schema(std::slice::from_ref(ours), args.dialect)?;
    let theirs = input::load_schema(std::slice::from_ref(theirs), args.dialect)?;
    for p in [&base, &ours, &theirs] {
        input::print_warnings(&p.warnings);
    }
    let options = MergeOptions { ours_renames: ours.renames.clone(), theirs_renames: theirs.renames.clone(), allow_destructive: args.allow_destructive };
    let merged = merge(&base.schema, &ours.schema, &theirs.schema, &options).map_err(|e| CliError::Usage(e.to_string()))?;
    let text = match args.format {
        Format::Text => merged.to_text(),
        Format::Json => merged.to_json() + "\n",
        Format::Sql if args.markers => merged.sql_with_markers(),
        Format::Sql => merged.changes.annotated_sql(),
    };
    out.write_all(text.as_bytes()).map_err(CliError::Output)?;
    Ok(outcome(&merged))
}

fn outcome(merged: &Merge) -> Outcome {
    if report(merged) {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// Reports conflicts and incomplete migrations on stderr; whether there
/// were any.
fn report(merged: &Merge) -> bool {
    if !merged.conflicts.is_empty() {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{} conflict(s):", merged.conflicts.len());
        for c in &merged.conflicts {
            let _ = writeln!(err, "  {} {} {}", c.kind, c.object_type, c.object);
        }
    }
    crate::diff::report(&merged.changes);
    !merged.conflicts.is_empty() || !merged.changes.is_complete()
}

fn run_history(args: &Args, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let [ours, theirs] = args.inputs.as_slice() else {
        return Err(CliError::Usage(format!("merge --history takes OURS_DIR THEIRS_DIR (got {} argument(s))", args.inputs.len())));
    };
    let ours_files = input::migration_files(ours)?;
    let theirs_files = input::migration_files(theirs)?;
    let options = MergeOptions { allow_destructive: args.allow_destructive, ..MergeOptions::default() };
    let h = merge_histories(ours_files, theirs_files, args.dialect.unwrap_or_default(), &options).map_err(|e| CliError::Usage(e.to_string()))?;
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&h).unwrap_or_default() + "\n",
        Format::Sql if args.markers => h.merge.sql_with_markers(),
        Format::Sql => h.merge.changes.annotated_sql(),
        Format::Text => history_text(&h),
    };
    out.write_all(text.as_bytes()).map_err(CliError::Output)?;
    let findings = report(&h.merge) || !h.commute;
    for n in &h.notes {
        let _ = writeln!(std::io::stderr(), "note: {n}");
    }
    Ok(if findings { Outcome::Findings } else { Outcome::Clean })
}

fn history_text(h: &HistoryMerge) -> String {
    let mut s = String::new();
    let list = |v: &[String]| if v.is_empty() { "(none)".to_string() } else { v.join(", ") };
    s.push_str(&format!("shared prefix: {}\nours only:     {}\ntheirs only:   {}\n", list(&h.common), list(&h.ours_tail), list(&h.theirs_tail)));
    if !h.diverged {
        s.push_str("The histories have not diverged: one is a prefix of the other.\n");
    }
    if h.commute {
        s.push_str("The tails commute. Proposed linear order:\n");
        for name in &h.order {
            let from = h.renumbered.iter().find(|r| r.to == *name).map(|r| format!("   (renamed from {})", r.from)).unwrap_or_default();
            s.push_str(&format!("  {name}{from}\n"));
        }
    } else {
        s.push_str("The tails do not commute.\n");
        for n in &h.notes {
            s.push_str(&format!("note: {n}\n"));
        }
    }
    s.push('\n');
    s.push_str(&h.merge.to_text());
    s
}

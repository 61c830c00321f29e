//! `astrola plan FROM TO`: an online-safe plan for the PostgreSQL migration
//! from FROM to TO, as a runbook (`text`), the JSON executors consume
//! (`json`, docs/plan-json.md) or one runnable script per step (`sql`).
//!
//! Exit status: 0 when the plan was made and nothing in it needs a person
//! (no step needs approval, none blocks writes, no note of something the
//! plan could not see or make online); 1 when something does, as `diff`
//! exits 1 for the changes it refuses; 2 for usage or input errors, a stats
//! file that does not read, and schemas that are not PostgreSQL.

use std::io::Write;
use std::path::{Path, PathBuf};

use astrola_core::hints::RenameHint;
use astrola_core::stats::Stats;
use astrola_planner::{Plan, PlanOptions, TimeWindow};

use crate::error::CliError;
use crate::{input, Outcome};

/// Arguments of `astrola plan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema as it is: a SQL file, a migration directory, a schema JSON
    /// or `-`.
    #[arg(value_name = "FROM")]
    from: PathBuf,
    /// The schema as it should be (PostgreSQL). `-- @renamed from=old`
    /// annotations in it declare renames, planned through expand and
    /// contract.
    #[arg(value_name = "TO")]
    to: PathBuf,
    /// Table statistics (row counts and sizes) as JSON, for estimates:
    /// `{"tables": {"public.users": {"rows": 48000000, "bytes": 9663676416}}}`.
    #[arg(long, value_name = "FILE")]
    stats: Option<PathBuf>,
    /// What to print [default: text, or sql with --out-dir].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the scripts of `--format sql` to this directory, one file per
    /// step (`001-expand-1.sql`, ...), and print their paths.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// The PostgreSQL major version the plan runs on [default: 15].
    #[arg(long, value_name = "N")]
    pg_version: Option<u32>,
    /// `lock_timeout` of steps that take a lock blocking writes: milliseconds,
    /// or a duration such as `2s` or `500ms` [default: 2s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ms)]
    lock_timeout: Option<u64>,
    /// `statement_timeout` of short steps: milliseconds, or a duration such
    /// as `60s` or `1min` [default: 60s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ms)]
    statement_timeout: Option<u64>,
    /// Attempts per step, retries included [default: 5].
    #[arg(long, value_name = "N")]
    max_attempts: Option<u32>,
    /// Rows per backfill batch to start with [default: 1000].
    #[arg(long, value_name = "ROWS")]
    batch_size: Option<u64>,
    /// Resize backfill batches so that each takes about this many
    /// milliseconds [default: fixed size].
    #[arg(long, value_name = "MS")]
    target_batch_ms: Option<u64>,
    /// Pause between backfill batches, in milliseconds [default: 0].
    #[arg(long, value_name = "MS")]
    pause_ms: Option<u64>,
    /// A query returning the replication lag in milliseconds, checked
    /// between batches.
    #[arg(long, value_name = "SQL")]
    lag_query: Option<String>,
    /// The largest replication lag tolerated, in milliseconds.
    #[arg(long, value_name = "MS")]
    max_lag_ms: Option<u64>,
    /// A daily UTC window in which backfill batches may run, `HH:MM-HH:MM`
    /// (it may wrap past midnight). Repeatable [default: always].
    #[arg(long = "window", value_name = "HH:MM-HH:MM", value_parser = parse_window)]
    windows: Vec<TimeWindow>,
    /// Plan destructive changes (drops) instead of leaving them out; they
    /// still need approval.
    #[arg(long)]
    allow_destructive: bool,
}

/// Output formats of `plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A runbook: phases, gates, and each step with its lock, timeouts,
    /// checks, estimate, approval and SQL.
    Text,
    /// The plan as JSON (docs/plan-json.md), the contract executors consume.
    Json,
    /// The runnable scripts, one per step, in order.
    Sql,
}

/// `2000`, `2000ms`, `2s`, `1min`: a duration in milliseconds.
fn parse_duration_ms(value: &str) -> Result<u64, String> {
    let text = value.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let number: u64 = digits.parse().map_err(|_| format!("`{value}` is not a duration (milliseconds, or a number with ms, s or min)"))?;
    let factor = match unit.trim() {
        "" | "ms" => 1,
        "s" => 1_000,
        "min" | "m" => 60_000,
        other => return Err(format!("unknown unit `{other}` in `{value}` (use ms, s or min)")),
    };
    number.checked_mul(factor).ok_or_else(|| format!("`{value}` is too long"))
}

/// `22:00-06:00`: a daily UTC window.
fn parse_window(value: &str) -> Result<TimeWindow, String> {
    let (start, end) = value.split_once('-').ok_or_else(|| format!("`{value}` is not a window HH:MM-HH:MM"))?;
    let time = |t: &str| -> Result<String, String> {
        let t = t.trim();
        if TimeWindow::valid_time(t) {
            Ok(t.to_string())
        } else {
            Err(format!("`{t}` in `{value}` is not a time HH:MM (00:00 to 23:59)"))
        }
    };
    Ok(TimeWindow { start: time(start)?, end: time(end)? })
}

impl Args {
    /// The planner's options: its defaults, then the command line, and the
    /// renames TO declares (as `astrola diff` takes them).
    fn options(&self, renames: Vec<RenameHint>) -> PlanOptions {
        let defaults = PlanOptions::default();
        PlanOptions {
            pg_version: self.pg_version.unwrap_or(defaults.pg_version),
            lock_timeout_ms: self.lock_timeout.unwrap_or(defaults.lock_timeout_ms),
            statement_timeout_ms: self.statement_timeout.unwrap_or(defaults.statement_timeout_ms),
            max_attempts: self.max_attempts.unwrap_or(defaults.max_attempts),
            batch_size: self.batch_size.unwrap_or(defaults.batch_size),
            target_batch_ms: self.target_batch_ms.or(defaults.target_batch_ms),
            pause_ms: self.pause_ms.unwrap_or(defaults.pause_ms),
            lag_query: self.lag_query.clone().or(defaults.lag_query),
            max_lag_ms: self.max_lag_ms.or(defaults.max_lag_ms),
            windows: if self.windows.is_empty() { defaults.windows } else { self.windows.clone() },
            allow_destructive: self.allow_destructive || defaults.allow_destructive,
            renames,
        }
    }
}

/// Runs `plan`. Exits 1 (findings) when the plan needs a person: a step to
/// approve, a step that blocks writes, or a note of something it could not
/// see or make online.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let format = match (args.format, &args.out_dir) {
        (None, Some(_)) | (Some(Format::Sql), _) => Format::Sql,
        (Some(other), Some(_)) => return Err(CliError::Usage(format!("--out-dir writes the scripts of --format sql, not --format {}", format_name(other)))),
        (Some(format), None) => format,
        (None, None) => Format::Text,
    };
    if args.from.as_os_str() == "-" && args.to.as_os_str() == "-" {
        return Err(CliError::Usage("`-` (stdin) can be given only once".into()));
    }
    // Everything is read before anything is planned: a bad stats file fails
    // the run without output.
    let stats = args.stats.as_deref().map(read_stats).transpose()?;
    let from = input::load_schema(std::slice::from_ref(&args.from), None)?;
    let to = input::load_schema(std::slice::from_ref(&args.to), None)?;
    input::print_warnings(&from.warnings);
    input::print_warnings(&to.warnings);
    let options = args.options(to.renames.clone());
    let plan = astrola_planner::plan(&from.schema, &to.schema, stats.as_ref(), &options).map_err(|e| CliError::Usage(e.to_string()))?;

    match (format, &args.out_dir) {
        (Format::Text, _) => out.write_all(plan.to_text().as_bytes()).map_err(CliError::Output)?,
        (Format::Json, _) => out.write_all((plan.to_json() + "\n").as_bytes()).map_err(CliError::Output)?,
        (Format::Sql, None) => out.write_all(plan.to_sql().as_bytes()).map_err(CliError::Output)?,
        (Format::Sql, Some(dir)) => write_scripts(&plan, dir, out)?,
    }
    report(&plan);
    Ok(if needs_attention(&plan) { Outcome::Findings } else { Outcome::Clean })
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Text => "text",
        Format::Json => "json",
        Format::Sql => "sql",
    }
}

/// Reads `--stats`; an error names the file, line, column and field.
fn read_stats(path: &Path) -> Result<Stats, CliError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Read { path: name.clone(), source })?;
    astrola_planner::read_stats(&text, &name).map_err(|e| CliError::Usage(e.to_string()))
}

/// Whether a person must look at the plan before it runs.
fn needs_attention(plan: &Plan) -> bool {
    !plan.notes.is_empty() || plan.steps().any(|s| s.approval.is_some() || s.blocking.is_some())
}

/// Writes one file per step into `dir` (created if missing) and prints the
/// paths. Scripts of an earlier plan left in `dir` would run with this
/// one, so a directory holding `.sql` files this plan does not write is
/// refused.
fn write_scripts(plan: &Plan, dir: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    let name = dir.display().to_string();
    let io_error = |source| CliError::Read { path: name.clone(), source };
    std::fs::create_dir_all(dir).map_err(io_error)?;
    let scripts = plan.scripts();
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.extension().is_some_and(|e| e == "sql") && !scripts.iter().any(|s| s.name == file) {
            stale.push(file);
        }
    }
    if !stale.is_empty() {
        stale.sort();
        return Err(CliError::Usage(format!("{name} holds scripts this plan does not write ({}); use an empty directory", stale.join(", "))));
    }
    for script in &scripts {
        let path = dir.join(&script.name);
        std::fs::write(&path, &script.sql).map_err(|source| CliError::Read { path: path.display().to_string(), source })?;
        writeln!(out, "{}", path.display()).map_err(CliError::Output)?;
    }
    Ok(())
}

/// Tells stderr what needs a person: steps to approve, steps that block
/// writes, and the plan's notes.
fn report(plan: &Plan) {
    let mut err = std::io::stderr().lock();
    for step in plan.steps() {
        if let Some(approval) = &step.approval {
            let _ = writeln!(err, "approval needed: {} ({}): {}", step.id, step.object, approval.reason);
        }
        if let Some(blocking) = &step.blocking {
            let _ = writeln!(err, "blocking: {} ({}) holds {} lock: {}", step.id, step.object, blocking.lock.with_article(), blocking.reason);
        }
    }
    for note in &plan.notes {
        let _ = writeln!(err, "note: {note}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_milliseconds() {
        assert_eq!(parse_duration_ms("2000"), Ok(2000));
        assert_eq!(parse_duration_ms("500ms"), Ok(500));
        assert_eq!(parse_duration_ms("2s"), Ok(2000));
        assert_eq!(parse_duration_ms("1min"), Ok(60_000));
        assert!(parse_duration_ms("2h").is_err());
        assert!(parse_duration_ms("s").is_err());
        assert!(parse_duration_ms("-1").is_err());
    }

    #[test]
    fn windows_read_as_two_times() {
        assert_eq!(parse_window("22:00-06:30"), Ok(TimeWindow { start: "22:00".into(), end: "06:30".into() }));
        assert!(parse_window("24:00-01:00").is_err());
        assert!(parse_window("22:00").is_err());
        assert!(parse_window("2:00-3:00").is_err());
    }
}

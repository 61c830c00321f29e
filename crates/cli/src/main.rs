//! `astrola`: the command-line face of the astrola schema-change engine.
//!
//! A thin front over the library crates: it parses the command line, reads
//! the inputs, calls the engine and writes the results. Exit codes are a
//! contract (DESIGN.md): 0 success with nothing to report, 1 findings, 2 usage
//! or input error.
//!
//! Each subcommand is one module (`inspect.rs`, `diff.rs`, `drift.rs`, and later
//! `lint.rs` ...) with an `Args` struct and a `run` function; reading SCHEMA arguments is
//! shared in `input.rs`.

mod diff;
mod drift;
mod error;
mod input;
mod inspect;
mod lint;
mod merge;
mod pii;
mod plan;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::CliError;

// mimalloc: glibc's malloc/free took about 15% of linting a large schema.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Schema-change engine: inspect, diff, lint and plan database schemas.
#[derive(Debug, Parser)]
#[command(name = "astrola", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the schema that SQL files, migration directories or a schema JSON
    /// describe, and print it as canonical SQL or JSON.
    Inspect(inspect::Args),
    /// Print the migration SQL that takes FROM to TO (or, with --down, back).
    Diff(diff::Args),
    /// Report how ACTUAL drifted from EXPECTED, with the SQL to fix it.
    Drift(drift::Args),
    /// Three-way merge of two schema branches (BASE OURS THEIRS), or of two
    /// diverged migration directories (--history): conflicts, the merged
    /// schema and the migration that takes OURS there (exit 1 on conflicts).
    Merge(merge::Args),
    /// Check PostgreSQL migration files for statements that lock, rewrite,
    /// fail on existing data or lose data.
    Lint(lint::Args),
    /// Find the columns that hold personal or sensitive data, by name,
    /// type, comment and sampled values (exit 1 when any is found).
    Pii(pii::Args),
    /// Plan the migration from FROM to TO for zero downtime: phases of
    /// steps with their locks and timeouts, batched backfills, gates (exit 1
    /// when a step needs approval or blocks writes).
    Plan(plan::Args),
}

/// How a command that did not fail went; it decides the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Success, nothing to report: exit 0.
    Clean,
    /// Findings were reported (lint violations, drift, conflicts, refused
    /// destructive changes): exit 1.
    Findings,
}

impl Outcome {
    fn exit_code(self) -> ExitCode {
        match self {
            Self::Clean => ExitCode::SUCCESS,
            Self::Findings => ExitCode::from(1),
        }
    }
}

fn main() -> ExitCode {
    // Usage errors exit with 2, `--help` and `--version` with 0.
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match &cli.command {
        Command::Inspect(args) => inspect::run(args, &mut out),
        Command::Diff(args) => diff::run(args, &mut out),
        Command::Drift(args) => drift::run(args, &mut out),
        Command::Merge(args) => merge::run(args, &mut out),
        Command::Lint(args) => lint::run(args, &mut out),
        Command::Pii(args) => pii::run(args, &mut out),
        Command::Plan(args) => plan::run(args, &mut out),
    };
    let result = result.and_then(|outcome| out.flush().map(|()| outcome).map_err(CliError::Output));
    match result {
        Ok(outcome) => outcome.exit_code(),
        // The reader went away (`astrola inspect x | head`): not our error.
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            // `eprintln!` would panic if stderr is closed; a failed report is dropped.
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

//! `astrola-execute`: runs an online plan (`astrola plan FROM TO --format
//! json`) against a PostgreSQL database with the reference executor
//! (`astrola_examples::executor`).
//!
//! ```text
//! astrola-execute --plan plan.json --database 'host=127.0.0.1 user=postgres dbname=app'
//!                 [--until-gate | --resume | --resume-after GATE | --through-gates]
//!                 [--batch-size N] [--approve STEP]... [--approve-all] [--state-schema S]
//! ```
//!
//! By default it runs up to the first gate not passed yet and stops there,
//! printing what the gate waits for. Once that is done (the new code is
//! deployed), `--resume` passes the gate and runs up to the next one. A run
//! that was interrupted (killed, a lock timeout past the retries) is simply
//! started again: finished steps are skipped and a backfill resumes from its
//! checkpoint.
//!
//! Exit status: 0 when the plan is finished or stopped at a gate (the last
//! line says which), 1 when a step failed, 2 on a usage or input error.

use std::io::Read;
use std::process::ExitCode;

use astrola_examples::executor::{self, GateMode, Options, Outcome};
use clap::Parser;

/// Runs an astrola online plan against a PostgreSQL database.
#[derive(Parser)]
#[command(name = "astrola-execute", version)]
struct Args {
    /// The plan JSON (`astrola plan --format json`), or `-` for stdin.
    #[arg(long)]
    plan: String,
    /// A libpq-style connection string: `host=127.0.0.1 user=postgres dbname=app`.
    #[arg(long)]
    database: String,
    /// Stop at the first gate not passed yet (the default).
    #[arg(long, conflicts_with_all = ["resume", "through_gates"])]
    until_gate: bool,
    /// Pass the gate the previous run stopped at, then run to the next one.
    #[arg(long, conflicts_with = "through_gates")]
    resume: bool,
    /// Pass this gate (by id) even if no run stopped at it yet.
    #[arg(long, value_name = "GATE")]
    resume_after: Vec<String>,
    /// Run every phase without stopping at gates.
    #[arg(long)]
    through_gates: bool,
    /// A fixed backfill batch size, instead of the plan's adaptive policy.
    #[arg(long, value_name = "N")]
    batch_size: Option<u64>,
    /// Run this step although it needs approval.
    #[arg(long, value_name = "STEP")]
    approve: Vec<String>,
    /// Run every step that needs approval.
    #[arg(long)]
    approve_all: bool,
    /// The schema holding the executor's state.
    #[arg(long, default_value = "astrola_executor")]
    state_schema: String,
    /// Print only errors and the final line.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let json = if args.plan == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map(|_| s)
    } else {
        std::fs::read_to_string(&args.plan)
    };
    let json = match json {
        Ok(j) => j,
        Err(e) => {
            eprintln!("astrola-execute: cannot read {}: {e}", args.plan);
            return ExitCode::from(2);
        }
    };
    let plan = match executor::read_plan(&json) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("astrola-execute: {e}");
            return ExitCode::from(2);
        }
    };
    let mut client = match postgres::Client::connect(&args.database, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("astrola-execute: cannot connect to `{}`: {e}", args.database);
            return ExitCode::from(2);
        }
    };
    let options = Options {
        gates: if args.through_gates {
            GateMode::Through
        } else if args.resume {
            GateMode::Resume
        } else {
            GateMode::Stop
        },
        pass_gates: args.resume_after,
        approved: args.approve,
        approve_all: args.approve_all,
        batch_size: args.batch_size,
        state_schema: args.state_schema,
        ..Options::default()
    };
    let quiet = args.quiet;
    let mut log = |line: &str| {
        if !quiet {
            eprintln!("{line}");
        }
    };
    match executor::run(&mut client, &plan, &options, &mut log) {
        Ok(Outcome::Finished(s)) => {
            println!(
                "finished: {} steps run, {} already done, {} retries",
                s.steps_run.len(),
                s.steps_skipped.len(),
                s.retries
            );
            ExitCode::SUCCESS
        }
        Ok(Outcome::Gate(gate, s)) => {
            println!(
                "stopped at gate {}: {}\n({} steps run, {} already done; rerun with --resume once this is done)",
                gate.id,
                gate.description,
                s.steps_run.len(),
                s.steps_skipped.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("astrola-execute: {e}");
            ExitCode::from(1)
        }
    }
}

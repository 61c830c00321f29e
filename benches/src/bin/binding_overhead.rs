//! The Rust side of the binding-overhead benchmark (`benches/bindings/compare`).
//!
//! ```text
//! binding_overhead inputs DIR             # writes DIR/from.sql and DIR/to.sql
//! binding_overhead time FROM TO --runs N  # times the Rust baseline
//! ```
//!
//! `inputs` writes GitLab's `structure.sql` and the edited copy the `diff`
//! criterion bench uses (50 tables changed). `time` does the work that
//! `astrola.diff(from_text, to_text, allow_destructive=True).sql()` does in
//! Python and Node: parse both texts, diff, render the annotated SQL. It runs
//! it once to warm up and then `N` times, and prints one JSON line in the
//! same format as the Python and Node harnesses, so that the driver can set
//! the three side by side.

use std::process::ExitCode;
use std::time::Instant;

use astrola_benches::{edited_copy, gitlab_sql, median};
use astrola_core::{parse_sql, parse_sql_named, render_sql, Dialect};
use astrola_diff::{diff, DiffOptions};
use sha2::{Digest, Sha256};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["inputs", dir] => write_inputs(dir),
        ["time", from, to, "--runs", runs] => runs.parse().map_err(|e| format!("--runs: {e}")).and_then(|n| time(from, to, n)),
        _ => Err("usage: binding_overhead inputs DIR | binding_overhead time FROM TO --runs N".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("binding_overhead: {e}");
            ExitCode::from(2)
        }
    }
}

fn write_inputs(dir: &str) -> Result<(), String> {
    let sql = gitlab_sql();
    let from = parse_sql(&sql, Dialect::Postgres).map_err(|e| e.to_string())?.schema;
    let to = render_sql(&edited_copy(&from, 50));
    let dir = std::path::Path::new(dir);
    std::fs::write(dir.join("from.sql"), &sql).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("to.sql"), to).map_err(|e| e.to_string())
}

/// One diff, as the bindings run it: both texts parsed (with their rename
/// annotations), diffed, and the CLI's SQL rendered.
fn diff_texts(from: &str, to: &str) -> Result<String, String> {
    let from = parse_sql_named(from, Dialect::Postgres, "").map_err(|e| e.to_string())?;
    let to = parse_sql_named(to, Dialect::Postgres, "").map_err(|e| e.to_string())?;
    let options = DiffOptions { allow_destructive: true, renames: to.renames };
    Ok(diff(&from.schema, &to.schema, &options).map_err(|e| e.to_string())?.annotated_sql())
}

fn time(from: &str, to: &str, runs: usize) -> Result<(), String> {
    let from = std::fs::read_to_string(from).map_err(|e| format!("{from}: {e}"))?;
    let to = std::fs::read_to_string(to).map_err(|e| format!("{to}: {e}"))?;
    let sql = diff_texts(&from, &to)?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(diff_texts(std::hint::black_box(&from), std::hint::black_box(&to))?);
        times.push(start.elapsed().as_nanos());
    }
    let min = times.iter().min().copied().ok_or("--runs must be at least 1")?;
    let median = median(&mut times).ok_or("--runs must be at least 1")?;
    let digest: String = Sha256::digest(sql.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    println!(r#"{{"lang":"rust","runs":{runs},"median_ns":{median},"min_ns":{min},"sql_bytes":{},"sql_sha256":"{digest}"}}"#, sql.len());
    Ok(())
}

//! Prints the peak resident memory of inspecting GitLab's `structure.sql`.
//!
//! ```text
//! cargo run --release -p astrola-benches --bin peak_memory            # astrola_core::parse_sql
//! cargo run --release -p astrola-benches --bin peak_memory pg_query   # the bare pg_query::parse baseline
//! ```
//!
//! It reads `VmHWM` (the high-water mark of the resident set) from
//! `/proc/self/status`, so it works on Linux only. One process measures one
//! thing: run it once per mode.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "astrola".into());
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/schemas/gitlab/structure.sql"
    );
    let sql = match std::fs::read_to_string(path) {
        Ok(sql) => sql,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let before = peak_rss_kib();
    let ok = match mode.as_str() {
        "astrola" => astrola_core::parse_sql(&sql, astrola_core::Dialect::Postgres)
            .map(|p| format!("{} tables", p.schema.tables.len()))
            .map_err(|e| e.to_string()),
        "pg_query" => pg_query::parse(&sql, pg_query::ParserOptions::DEFAULT)
            .map(|r| format!("{} statements", r.protobuf.stmts.len()))
            .map_err(|e| e.to_string()),
        other => {
            eprintln!("unknown mode `{other}` (expected astrola or pg_query)");
            return ExitCode::from(2);
        }
    };
    let after = peak_rss_kib();
    match (ok, before, after) {
        (Ok(what), Some(before), Some(after)) => {
            println!(
                "{mode}: {what} from {:.1} MiB of SQL; peak RSS (VmHWM) {:.1} MiB ({:.1} MiB before parsing)",
                sql.len() as f64 / 1048576.0,
                after as f64 / 1024.0,
                before as f64 / 1024.0
            );
            ExitCode::SUCCESS
        }
        (Err(e), _, _) => {
            eprintln!("{mode} failed: {e}");
            ExitCode::FAILURE
        }
        _ => {
            eprintln!("cannot read VmHWM from /proc/self/status");
            ExitCode::FAILURE
        }
    }
}

/// The `VmHWM` line of `/proc/self/status`, in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

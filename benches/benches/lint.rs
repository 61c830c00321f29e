//! Lint speed against squawk, measured side by side in the same run.
//!
//! ```text
//! cargo bench -p astrola-benches --bench lint
//! ```
//!
//! `lint_gitlab`: GitLab's `structure.sql` (2.7 MB, 1,401 tables).
//! - Baseline `squawk_json`: squawk 2.70.0 (scripts/setup installs it from
//!   PyPI; `ASTROLA_SQUAWK` names another binary) run as a process on the
//!   file with its JSON reporter, its fastest output (its default text
//!   reporter takes minutes on this file), output discarded.
//! - Measured `astrola_json`: `lint_sql` on the file's text, in process, with
//!   its findings serialised to JSON as `astrola lint --format json` does.
//!   Reading the file and starting a process add about a millisecond, not
//!   counted.
//!
//! Target: astrola at most half of squawk's time. After criterion's report
//! it prints the median ratio.

use std::process::{Command, Stdio};

// The allocator the `astrola` binary uses (crates/cli/src/main.rs), so that
// `astrola_json` measures what `astrola lint` does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Duration;

use astrola_benches::{criterion_home, gitlab_sql, median_ns};
use astrola_lint::{lint_sql, LintOptions};
use criterion::{Criterion, SamplingMode};

const GROUP: &str = "lint_gitlab";

fn squawk() -> String {
    std::env::var("ASTROLA_SQUAWK").unwrap_or_else(|_| {
        let home = std::env::var("HOME").unwrap_or_default();
        format!("{home}/.cache/astrola/venv/bin/squawk")
    })
}

fn main() {
    let home = criterion_home();
    let mut c = Criterion::default()
        .output_directory(&home)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(15))
        .configure_from_args();
    let sql = gitlab_sql();
    let path = std::path::PathBuf::from(astrola_benches::GITLAB_PATH);
    let squawk = squawk();
    let version = Command::new(&squawk).arg("--version").output().unwrap_or_else(|e| panic!("{squawk} does not run ({e}): run scripts/setup or set ASTROLA_SQUAWK"));
    println!("baseline: {}", String::from_utf8_lossy(&version.stdout).trim());
    let found = lint_sql(&sql, "structure.sql", &LintOptions::default());
    println!("astrola: {} findings on structure.sql", found.len());
    {
        let mut group = c.benchmark_group(GROUP);
        group.sampling_mode(SamplingMode::Flat);
        group.bench_function("squawk_json", |b| {
            b.iter(|| {
                let status = Command::new(&squawk).args(["--reporter", "json"]).arg(&path).stdout(Stdio::null()).stderr(Stdio::null()).status().expect("squawk runs");
                // squawk exits 1 when it reports findings.
                assert!(status.code().is_some_and(|c| c <= 1), "squawk failed: {status}");
            })
        });
        group.bench_function("astrola_json", |b| {
            b.iter(|| {
                let found = lint_sql(std::hint::black_box(&sql), "structure.sql", &LintOptions::default());
                serde_json::to_string(&found).expect("serialises").len()
            })
        });
        group.finish();
    }
    c.final_summary();
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list") {
        if let (Some(base), Some(ours)) = (median_ns(&home, GROUP, "squawk_json"), median_ns(&home, GROUP, "astrola_json")) {
            println!("median ratio astrola/squawk = {:.2} (squawk_json {:.1} ms, astrola_json {:.1} ms)", ours / base, base / 1e6, ours / 1e6);
        }
    }
}

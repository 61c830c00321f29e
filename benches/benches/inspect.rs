//! `inspect` of GitLab's `structure.sql` (2.7 MB, 1,401 tables) against the
//! bare PostgreSQL parse of the same text, measured in the same run.
//!
//! ```text
//! cargo bench -p astrola-benches --bench inspect
//! ```
//!
//! After criterion's report it prints `median ratio inspect/parse = X`: how
//! many times longer building the schema model takes than `pg_query::parse`
//! alone (the floor: astrola parses with the same library).

use std::time::Duration;

use astrola_benches::{criterion_home, gitlab_sql, median_ns};
use criterion::{Criterion, SamplingMode, Throughput};

const GROUP: &str = "gitlab_structure_sql";
const BASELINE: &str = "pg_query_parse";
const INSPECT: &str = "astrola_inspect";

fn bench_gitlab(c: &mut Criterion, sql: &str) {
    let mut group = c.benchmark_group(GROUP);
    // Each iteration takes hundreds of milliseconds: equal-sized samples keep
    // the run near the measurement time.
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Bytes(sql.len() as u64));
    group.bench_function(BASELINE, |b| {
        b.iter(|| {
            pg_query::parse(std::hint::black_box(sql), pg_query::ParserOptions::DEFAULT)
                .expect("gitlab structure.sql parses")
        })
    });
    group.bench_function(INSPECT, |b| {
        b.iter(|| {
            astrola_core::parse_sql(std::hint::black_box(sql), astrola_core::Dialect::Postgres)
                .expect("gitlab structure.sql inspects")
        })
    });
    group.finish();
}

/// Where criterion writes its reports: `$CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else the workspace's `target/criterion`.
fn main() {
    let sql = gitlab_sql();
    let home = criterion_home();
    let mut c = Criterion::default()
        .output_directory(&home)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    bench_gitlab(&mut c, &sql);
    c.final_summary();

    // Only a real benchmark run (`cargo bench`) passes `--bench`; a test run
    // (`cargo test --benches`) or `--list` measures nothing worth a ratio.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list") {
        match (median_ns(&home, GROUP, INSPECT), median_ns(&home, GROUP, BASELINE)) {
            (Some(inspect), Some(parse)) => println!(
                "median ratio inspect/parse = {:.2} ({INSPECT} {:.1} ms, {BASELINE} {:.1} ms)",
                inspect / parse,
                inspect / 1e6,
                parse / 1e6
            ),
            _ => println!(
                "median ratio inspect/parse: no estimates under {} (was a filter given?)",
                home.display()
            ),
        }
    }
}

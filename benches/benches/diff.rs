//! Diff speed, each figure against a baseline measured in the same run.
//!
//! ```text
//! cargo bench -p astrola-benches --bench diff
//! ```
//!
//! 1. `gitlab_diff`: GitLab's `structure.sql` against a copy with 50 tables
//!    changed (a column added, one dropped, one retyped, an index replaced
//!    and a foreign key changed in each). Baseline: `inspect` of the file
//!    once. Measured: `diff` of the two models, with the SQL rendered; and
//!    the whole command, both files inspected and diffed. Target: the diff
//!    under 2x the baseline.
//! 2. `generated_diff/{1000,4000,16000}`: generated schemas of n tables
//!    (eight columns, a primary key, two indexes and a foreign key each)
//!    against a copy with 5% of the tables changed. Target: the 16k run
//!    under 20x the 1k run (16x is linear growth).
//!
//! After criterion's report it prints the median ratios.

use std::time::Duration;

use astrola_benches::{criterion_home, edited_copy, gitlab_sql, median_ns};
use astrola_core::{parse_sql, render_sql, Dialect};
use astrola_diff::{diff, DiffOptions};
use criterion::{BenchmarkId, Criterion, SamplingMode};

const GITLAB: &str = "gitlab_diff";
const GENERATED: &str = "generated_diff";
const SIZES: [usize; 3] = [1000, 4000, 16000];


/// A schema of `n` tables: eight columns, a primary key, two indexes and a
/// foreign key to an earlier table each.
fn generated_sql(n: usize, changed_every: Option<usize>) -> String {
    let mut sql = String::with_capacity(n * 600);
    for i in 0..n {
        let changed = changed_every.is_some_and(|k| i % k == 0);
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id bigint PRIMARY KEY, parent_id bigint, name text NOT NULL, email varchar(200), amount numeric(12,2) DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now(), flags integer{}, note text{});\n",
            if changed { "" } else { " NOT NULL DEFAULT 0" },
            if changed { ", extra jsonb" } else { "" }
        ));
        sql.push_str(&format!("CREATE INDEX t{i}_name ON t{i} (name);\nCREATE INDEX t{i}_created ON t{i} ({});\n", if changed { "created_at DESC" } else { "created_at" }));
        if i > 0 {
            sql.push_str(&format!("ALTER TABLE t{i} ADD CONSTRAINT t{i}_parent FOREIGN KEY (parent_id) REFERENCES t{}(id);\n", i / 2));
        }
    }
    sql
}

fn main() {
    let home = criterion_home();
    let mut c = Criterion::default()
        .output_directory(&home)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();

    let sql = gitlab_sql();
    let from = parse_sql(&sql, Dialect::Postgres).expect("gitlab parses").schema;
    let to = edited_copy(&from, 50);
    let to_sql = render_sql(&to);
    let to = parse_sql(&to_sql, Dialect::Postgres).expect("the edited copy parses").schema;
    let options = DiffOptions { allow_destructive: true, renames: Vec::new() };
    let plan = diff(&from, &to, &options).expect("diff");
    let tables: std::collections::BTreeSet<String> = plan.changes.iter().filter_map(|c| c.object.rsplit_once('.').map(|(t, _)| t.to_string())).collect();
    println!("gitlab edited copy: {} changes over {} objects' tables, {} statements", plan.changes.len(), tables.len(), plan.statements.len());
    {
        let mut group = c.benchmark_group(GITLAB);
        group.sampling_mode(SamplingMode::Flat);
        group.bench_function("inspect_once", |b| b.iter(|| parse_sql(std::hint::black_box(&sql), Dialect::Postgres).expect("parses")));
        group.bench_function("diff_models", |b| b.iter(|| diff(std::hint::black_box(&from), std::hint::black_box(&to), &options).expect("diff").sql()));
        group.bench_function("inspect_both_and_diff", |b| {
            b.iter(|| {
                let a = parse_sql(std::hint::black_box(&sql), Dialect::Postgres).expect("parses").schema;
                let z = parse_sql(std::hint::black_box(&to_sql), Dialect::Postgres).expect("parses").schema;
                diff(&a, &z, &options).expect("diff").sql()
            })
        });
        group.finish();
    }
    {
        let mut group = c.benchmark_group(GENERATED);
        group.sampling_mode(SamplingMode::Flat);
        for n in SIZES {
            let a = parse_sql(&generated_sql(n, None), Dialect::Postgres).expect("parses").schema;
            let b = parse_sql(&generated_sql(n, Some(20)), Dialect::Postgres).expect("parses").schema;
            group.bench_with_input(BenchmarkId::from_parameter(n), &(a, b), |bench, (a, b)| bench.iter(|| diff(a, b, &options).expect("diff").sql()));
        }
        group.finish();
    }
    c.final_summary();

    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list") {
        let get = |g: &str, f: &str| median_ns(&home, g, f);
        if let (Some(base), Some(d), Some(all)) = (get(GITLAB, "inspect_once"), get(GITLAB, "diff_models"), get(GITLAB, "inspect_both_and_diff")) {
            println!(
                "median ratio diff/inspect = {:.2}, (inspect both + diff)/inspect = {:.2} (inspect_once {:.1} ms, diff_models {:.1} ms, inspect_both_and_diff {:.1} ms)",
                d / base,
                all / base,
                base / 1e6,
                d / 1e6,
                all / 1e6
            );
        }
        let times: Vec<Option<f64>> = SIZES.iter().map(|n| get(GENERATED, &n.to_string())).collect();
        if let [Some(t1), Some(t4), Some(t16)] = times[..] {
            println!("median ratio generated 4k/1k = {:.2}, 16k/1k = {:.2} (1k {:.1} ms, 4k {:.1} ms, 16k {:.1} ms)", t4 / t1, t16 / t1, t1 / 1e6, t4 / 1e6, t16 / 1e6);
        }
    }
}

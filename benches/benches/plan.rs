//! Planning speed against the diff it plans, in the same criterion run.
//!
//! ```text
//! cargo bench -p astrola-benches --bench plan
//! ```
//!
//! `gitlab_plan`: GitLab's `structure.sql` against the edited copy of the
//! diff bench ([`astrola_benches::edited_copy`], 50 tables changed).
//! Baseline: `diff` of the two models (`diff_models`, as in the diff
//! bench). Measured: `plan_changes` of that change set (`plan`), and the
//! whole `plan` (diff included, `diff_and_plan`). Target (issue 7):
//! planning takes less than the diff itself, plan/diff < 1.
//!
//! After criterion's report it prints the median ratios.

use std::time::Duration;

use astrola_benches::{criterion_home, edited_copy, gitlab_sql, median_ns};
use astrola_core::{parse_sql, render_sql, Dialect};
use astrola_diff::{diff, DiffOptions};
use astrola_planner::{plan, plan_changes, PlanOptions, StepKind};
use criterion::{Criterion, SamplingMode};

const GROUP: &str = "gitlab_plan";

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
    let to = parse_sql(&render_sql(&edited_copy(&from, 50)), Dialect::Postgres).expect("the edited copy parses").schema;
    let diff_options = DiffOptions { allow_destructive: true, renames: Vec::new() };
    let options = PlanOptions { allow_destructive: true, ..PlanOptions::default() };
    let changes = diff(&from, &to, &diff_options).expect("diff");
    let planned = plan_changes(&from, &to, &changes, None, &options).expect("plan");
    println!(
        "gitlab edited copy: {} changes; plan: {} steps ({} backfills, {} blocking, {} needing approval)",
        changes.changes.len(),
        planned.steps().count(),
        planned.steps().filter(|s| s.kind == StepKind::Backfill).count(),
        planned.steps().filter(|s| s.blocking.is_some()).count(),
        planned.steps().filter(|s| s.approval.is_some()).count()
    );
    {
        let mut group = c.benchmark_group(GROUP);
        group.sampling_mode(SamplingMode::Flat);
        group.bench_function("diff_models", |b| b.iter(|| diff(std::hint::black_box(&from), std::hint::black_box(&to), &diff_options).expect("diff").sql()));
        group.bench_function("plan", |b| b.iter(|| plan_changes(std::hint::black_box(&from), std::hint::black_box(&to), std::hint::black_box(&changes), None, &options).expect("plan")));
        group.bench_function("diff_and_plan", |b| b.iter(|| plan(std::hint::black_box(&from), std::hint::black_box(&to), None, &options).expect("plan")));
        group.finish();
    }
    c.final_summary();

    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list") {
        let get = |f: &str| median_ns(&home, GROUP, f);
        if let (Some(d), Some(p), Some(all)) = (get("diff_models"), get("plan"), get("diff_and_plan")) {
            println!(
                "median ratio plan/diff = {:.3} (target < 1), (diff + plan)/diff = {:.2} (diff_models {:.2} ms, plan {:.2} ms, diff_and_plan {:.2} ms)",
                p / d,
                all / d,
                d / 1e6,
                p / 1e6,
                all / 1e6
            );
        }
    }
}

//! Three-way merge speed against one diff, measured in the same run.
//!
//! ```text
//! cargo bench -p astrola-benches --bench merge
//! ```
//!
//! Base: GitLab's `structure.sql`. Two branches of it, each with 50
//! changes on its own tables (generated deterministically through the
//! model: a column added, an index added, an index dropped, a default
//! changed, in turn). Baseline `diff`: one diff of base to ours, SQL
//! rendered. Measured `merge`: the merge of the two branches (which
//! renders the merged migration). Target: merge under 2x the diff.
//!
//! After criterion's report it prints the median ratio.

use std::time::Duration;

use astrola_benches::{criterion_home, gitlab_sql, median_ns};
use astrola_core::model::{Column, Index, IndexKey};
use astrola_core::{parse_sql, Dialect, QualifiedName, Schema};
use astrola_diff::{diff, merge, DiffOptions, MergeOptions};
use criterion::{Criterion, SamplingMode};

const GROUP: &str = "gitlab_merge";

/// `base` with `count` changes, one per table, on the tables at positions
/// `offset`, `offset + 2`, ... of the plain (unpartitioned) tables.
fn branch(base: &Schema, offset: usize, count: usize) -> Schema {
    let mut out = base.clone();
    let tables: Vec<QualifiedName> = base.tables.iter().filter(|(_, t)| t.partition_of.is_none() && t.partition_by.is_none() && t.columns.len() > 2).map(|(n, _)| n.clone()).collect();
    let step = (tables.len() / (2 * count)).max(1) * 2;
    for (i, name) in tables.iter().skip(offset).step_by(step).take(count).enumerate() {
        match i % 4 {
            0 => {
                if let Some(t) = out.tables.get_mut(name) {
                    t.columns.push(Column::new(format!("merge_bench_{offset}"), "text"));
                }
            }
            1 => {
                let column = base.tables[name].columns[1].name.clone();
                let index = Index {
                    table: name.clone(),
                    unique: false,
                    method: "btree".into(),
                    keys: vec![IndexKey::column(column)],
                    include: Vec::new(),
                    predicate: None,
                    nulls_not_distinct: false,
                    with: Default::default(),
                    tablespace: None,
                    only: false,
                    comment: None,
                };
                out.indexes.insert(QualifiedName::new(name.schema.clone(), format!("{}_merge_bench_idx", name.name)), index);
            }
            2 => {
                let own = out.indexes.iter().find(|(_, x)| x.table == *name).map(|(k, _)| k.clone());
                match own {
                    Some(k) => {
                        out.indexes.remove(&k);
                    }
                    None => {
                        if let Some(t) = out.tables.get_mut(name) {
                            t.comment = Some("merge bench".into());
                        }
                    }
                }
            }
            _ => {
                if let Some(c) = out.tables.get_mut(name).and_then(|t| t.columns.iter_mut().find(|c| c.data_type == "text" || c.data_type == "integer" || c.data_type == "bigint")) {
                    c.default = Some(if c.data_type == "text" { "'merge'::text".into() } else { "7".into() });
                } else if let Some(t) = out.tables.get_mut(name) {
                    t.comment = Some("merge bench".into());
                }
            }
        }
    }
    out
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
    let base = parse_sql(&sql, Dialect::Postgres).expect("gitlab parses").schema;
    let ours = branch(&base, 0, 50);
    let theirs = branch(&base, 1, 50);
    let diff_options = DiffOptions { allow_destructive: true, renames: Vec::new() };
    let merge_options = MergeOptions { allow_destructive: true, ..MergeOptions::default() };
    let d_ours = diff(&base, &ours, &diff_options).expect("diff");
    let d_theirs = diff(&base, &theirs, &diff_options).expect("diff");
    let merged = merge(&base, &ours, &theirs, &merge_options).expect("merge");
    println!(
        "gitlab branches: ours {} changes, theirs {} changes; merge: {} conflicts, {} changes in the merged migration",
        d_ours.changes.len(),
        d_theirs.changes.len(),
        merged.conflicts.len(),
        merged.changes.changes.len()
    );
    assert!(merged.conflicts.is_empty(), "the bench branches should merge cleanly:\n{}", merged.to_text());
    {
        let mut group = c.benchmark_group(GROUP);
        group.sampling_mode(SamplingMode::Flat);
        group.bench_function("diff", |b| b.iter(|| diff(std::hint::black_box(&base), std::hint::black_box(&ours), &diff_options).expect("diff").sql()));
        group.bench_function("merge", |b| b.iter(|| merge(std::hint::black_box(&base), std::hint::black_box(&ours), std::hint::black_box(&theirs), &merge_options).expect("merge").sql()));
        group.finish();
    }
    c.final_summary();

    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list") {
        if let (Some(d), Some(m)) = (median_ns(&home, GROUP, "diff"), median_ns(&home, GROUP, "merge")) {
            println!("median ratio merge/diff = {:.2} (diff {:.1} ms, merge {:.1} ms); target < 2", m / d, d / 1e6, m / 1e6);
        }
    }
}

//! Shared plumbing of the astrola benches: the corpus inputs, the edited
//! GitLab copy the diff benchmarks use, and reading criterion's medians back.

use std::path::{Path, PathBuf};

use astrola_core::model::{Column, ConstraintKind, Index, IndexKey, Schema};
use astrola_core::QualifiedName;

/// The path of GitLab's `structure.sql` in the shared corpus.
pub const GITLAB_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/schemas/gitlab/structure.sql");

/// GitLab's `structure.sql` (2.7 MB). Panics with the path if it is missing:
/// a bench without its input has nothing to measure.
pub fn gitlab_sql() -> String {
    std::fs::read_to_string(GITLAB_PATH).unwrap_or_else(|e| panic!("cannot read {GITLAB_PATH}: {e}"))
}

/// A copy of `schema` with 50 tables changed: evenly spread over the
/// tables, each gets a new column, loses a column that nothing references,
/// has an integer column retyped to bigint (or a text one to varchar), an
/// index replaced by one on another column, and a foreign key's ON DELETE
/// changed (or a new index when it has none).
pub fn edited_copy(schema: &Schema, count: usize) -> Schema {
    let mut out = schema.clone();
    let referenced: std::collections::BTreeSet<(QualifiedName, String)> = schema
        .tables
        .iter()
        .flat_map(|(n, t)| {
            t.constraints.values().flat_map(move |c| {
                let mut cols: Vec<(QualifiedName, String)> = c.kind.columns().iter().map(|col| (n.clone(), col.clone())).collect();
                if let ConstraintKind::ForeignKey { ref_table, ref_columns, .. } = &c.kind {
                    cols.extend(ref_columns.iter().map(|col| (ref_table.clone(), col.clone())));
                }
                cols
            })
        })
        .chain(schema.indexes.values().flat_map(|i| {
            i.keys.iter().filter_map(move |k| match &k.target {
                astrola_core::model::IndexTarget::Column(c) => Some((i.table.clone(), c.clone())),
                _ => None,
            })
        }))
        .collect();
    let viewed: Vec<&str> = schema.views.values().map(|v| v.query.as_str()).collect();
    let candidates: Vec<QualifiedName> = schema
        .tables
        .iter()
        .filter(|(n, t)| t.partition_of.is_none() && t.partition_by.is_none() && t.columns.len() > 3 && !viewed.iter().any(|q| q.contains(n.name.as_str())))
        .map(|(n, _)| n.clone())
        .collect();
    let step = (candidates.len() / count).max(1);
    for name in candidates.iter().step_by(step).take(count) {
        let Some(t) = out.tables.get_mut(name) else { continue };
        t.columns.push(Column::new("bench_added", "text"));
        if let Some(pos) = t.columns.iter().position(|c| !referenced.contains(&(name.clone(), c.name.clone())) && c.identity.is_none() && c.generated.is_none() && c.name != "bench_added") {
            t.columns.remove(pos);
        }
        if let Some(c) = t.columns.iter_mut().find(|c| c.data_type == "integer" && !referenced.contains(&(name.clone(), c.name.clone()))) {
            c.data_type = "bigint".into();
            c.default = None;
        } else if let Some(c) = t.columns.iter_mut().find(|c| c.data_type == "text" && c.name != "bench_added") {
            c.data_type = "character varying(1000)".into();
            c.default = None;
        }
        let mut changed_fk = false;
        for c in t.constraints.values_mut() {
            if let ConstraintKind::ForeignKey { on_delete, .. } = &mut c.kind {
                *on_delete = if *on_delete == astrola_core::model::FkAction::Cascade { astrola_core::model::FkAction::SetNull } else { astrola_core::model::FkAction::Cascade };
                changed_fk = true;
                break;
            }
        }
        let own: Vec<QualifiedName> = out.indexes.iter().filter(|(_, i)| i.table == *name).map(|(k, _)| k.clone()).take(if changed_fk { 1 } else { 0 }).collect();
        for k in own {
            out.indexes.remove(&k);
        }
        let index = Index {
            table: name.clone(),
            unique: false,
            method: "btree".into(),
            keys: vec![IndexKey::column("bench_added")],
            include: Vec::new(),
            predicate: None,
            nulls_not_distinct: false,
            with: Default::default(),
            tablespace: None,
            only: false,
            comment: None,
        };
        out.indexes.insert(QualifiedName::new(name.schema.clone(), format!("{}_bench_idx", name.name)), index);
    }
    out
}

/// Where criterion writes its reports: `$CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else `target/criterion`.
pub fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")));
    target.join("criterion")
}

/// The median, in nanoseconds, of the last criterion run of
/// `group/function` under `home`.
pub fn median_ns(home: &Path, group: &str, function: &str) -> Option<f64> {
    let path = home.join(group).join(function).join("new").join("estimates.json");
    let estimates: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

/// The median of `values` (the mean of the middle two for an even count);
/// `None` when empty.
pub fn median(values: &mut [u128]) -> Option<u128> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2),
    }
}

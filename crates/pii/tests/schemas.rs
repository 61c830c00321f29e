//! Snapshots of the findings on real schemas from the shared corpus
//! (GitLab, AdventureWorks, Chinook), by name, type and comment alone.
//! Review changes with `cargo insta review`.

use astrola_core::{parse_sql_named, Dialect};
use astrola_pii::{classify_schema, ClassifyOptions, SampleSet};

fn findings(file: &str) -> String {
    let path = format!("{}/../../../shared/corpus/schemas/{file}", env!("CARGO_MANIFEST_DIR"));
    let sql = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let schema = parse_sql_named(&sql, Dialect::Postgres, file).unwrap_or_else(|e| panic!("{e}")).schema;
    let options = ClassifyOptions { reference_year: 2025, ..Default::default() };
    let report = classify_schema(&schema, &SampleSet::default(), &options);
    let mut out = format!("{} columns, {} with findings\n", report.columns, report.reports.iter().filter(|r| !r.findings.is_empty()).count());
    for r in &report.reports {
        for f in &r.findings {
            out.push_str(&format!("{}.{} ({}): {} {:.2} {:?}\n", r.table, r.column, r.data_type, f.pii_type, f.confidence, f.level));
        }
        for n in &r.notes {
            out.push_str(&format!("{}.{}: note: {n}\n", r.table, r.column));
        }
    }
    out
}

#[test]
fn chinook() {
    insta::assert_snapshot!(findings("chinook/Chinook_PostgreSql.sql"));
}

#[test]
fn adventureworks() {
    insta::assert_snapshot!(findings("adventureworks/install.sql"));
}

#[test]
fn gitlab() {
    insta::assert_snapshot!(findings("gitlab/structure.sql"));
}

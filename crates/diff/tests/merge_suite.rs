//! The merge case suite (`tests/merge_cases/*.case`, described in
//! `tests/merge_cases/mod.rs`), in memory: each case's conflicts are the
//! expected ones, a clean case's merged schema is the one written in the
//! case, replaying the merged migration on ours gives it, and the mirrored
//! merge (ours and theirs swapped) agrees. The explanations of the
//! conflicts are snapshotted for review.

mod merge_cases;

use astrola_core::{apply_sql, parse_sql, Dialect};
use astrola_diff::{diff, merge, DiffOptions, MergeOptions};

fn normalised(mut s: astrola_core::Schema) -> astrola_core::Schema {
    for t in s.tables.values_mut() {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s.without_spans()
}

#[test]
fn every_case_has_its_expected_outcome() {
    let cases = merge_cases::cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    let mut report = String::new();
    for case in &cases {
        let (ours, _theirs, merged) = merge_cases::run(case);
        let mut got: Vec<(String, String, String)> = merged.conflicts.iter().map(|c| (c.kind.to_string(), c.object_type.clone(), c.object.clone())).collect();
        got.sort();
        if got != case.conflicts {
            failures.push(format!("{}: expected conflicts {:?}, got {:?}\n{}", case.name, case.conflicts, got, merged.to_text()));
            continue;
        }
        for c in &merged.conflicts {
            assert!(!c.explanation.is_empty() && !c.resolution.is_empty(), "{}: empty text", case.name);
            report.push_str(&format!("## {} — {} {} {}\nours: {}\ntheirs: {}\nwhy: {}\nfix: {}\n\n", case.name, c.kind, c.object_type, c.object, c.ours_change, c.theirs_change, c.explanation, c.resolution));
        }
        if let Some(expected_sql) = &case.merged {
            let expected = parse_sql(expected_sql, Dialect::Postgres).unwrap_or_else(|e| panic!("{}: {e}", case.name)).schema;
            if merged.schema.without_spans() != expected.without_spans() {
                failures.push(format!("{}: merged schema differs from the expected one\n--- got:\n{}\n--- expected:\n{}", case.name, astrola_core::render_sql(&merged.schema), astrola_core::render_sql(&expected)));
                continue;
            }
            // In memory: ours + the merged migration = the merged schema.
            let mut replayed = ours.clone();
            let mut warnings = Vec::new();
            apply_sql(&mut replayed, &merged.sql(), "merge.sql", &mut warnings).unwrap_or_else(|e| panic!("{}: {e}\n{}", case.name, merged.sql()));
            assert_eq!(normalised(replayed), normalised(merged.schema.clone()), "{}: replay\n{}", case.name, merged.sql());
            assert!(merged.changes.is_complete(), "{}: incomplete migration", case.name);
        }
        // The mirrored merge: the same conflicts, mirrored, and (when clean)
        // the same schema up to column order.
        let base = merge_cases::parse(&case.name, &case.base);
        let o = merge_cases::parse(&case.name, &case.ours);
        let t = merge_cases::parse(&case.name, &case.theirs);
        let options = MergeOptions { ours_renames: t.renames.clone(), theirs_renames: o.renames.clone(), allow_destructive: true };
        let mirror = merge(&base.schema, &t.schema, &o.schema, &options).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let key = |c: &astrola_diff::Conflict| (c.kind, c.object_type.clone(), c.object.clone(), c.ours_change.clone(), c.theirs_change.clone());
        let mut a: Vec<_> = merged.conflicts.iter().map(key).collect();
        let mut b: Vec<_> = mirror.conflicts.iter().map(|c| key(&c.mirrored())).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{}: the mirrored merge disagrees", case.name);
        if merged.conflicts.is_empty() {
            let d = diff(&merged.schema, &mirror.schema, &DiffOptions::default()).unwrap_or_else(|e| panic!("{e}"));
            assert!(d.is_empty(), "{}: mirrored merge gives another schema: {}", case.name, d.sql());
        }
    }
    assert!(failures.is_empty(), "{} case(s) fail:\n\n{}", failures.len(), failures.join("\n\n"));
    println!("{} merge cases, {} clean", cases.len(), cases.iter().filter(|c| c.clean).count());
    insta::assert_snapshot!("merge_case_explanations", report);
}

//! Properties of the three-way merge over generated schemas and edits
//! (the generators of `core/tests/common/generate.rs`):
//!
//! - a branch merged with an unchanged one is that branch:
//!   `merge(b, o, b) == o` and `merge(b, b, t) == t`;
//! - the merge is symmetric: `merge(b, o, t)` and `merge(b, t, o)` give
//!   mirrored conflicts, and equal schemas when there is no conflict;
//! - edits to disjoint tables never conflict, and the merge equals the
//!   schema with both sets of edits applied;
//! - whenever there is no conflict, replaying the merged migration on ours
//!   (in memory, through astrola's own frontend) gives the merged schema.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use astrola_core::{apply_sql, parse_sql, Dialect, Schema};
use astrola_diff::{merge, Merge, MergeOptions};
use common::generate::{apply_edits, edit, schema_sql, table, Edit, GenTable};
use proptest::prelude::*;

fn parse(sql: &str) -> Result<Schema, TestCaseError> {
    parse_sql(sql, Dialect::Postgres).map(|p| p.schema).map_err(|e| TestCaseError::fail(format!("{e}\n{sql}")))
}

fn merged(b: &Schema, o: &Schema, t: &Schema) -> Result<Merge, TestCaseError> {
    merge(b, o, t, &MergeOptions { allow_destructive: true, ..MergeOptions::default() }).map_err(|e| TestCaseError::fail(e.to_string()))
}

fn normalised(mut s: Schema) -> Schema {
    for t in s.tables.values_mut() {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s.without_spans()
}

/// Replaying the merged migration on ours gives the merged schema.
fn replays(ours: &Schema, m: &Merge) -> Result<(), TestCaseError> {
    prop_assert!(m.changes.is_complete(), "incomplete: {:?} {:?}", m.changes.unsupported, m.changes.unmanaged);
    let sql = m.sql();
    let mut replayed = ours.clone();
    let mut warnings = Vec::new();
    apply_sql(&mut replayed, &sql, "merge.sql", &mut warnings).map_err(|e| TestCaseError::fail(format!("{e}\n--- migration:\n{sql}")))?;
    prop_assert_eq!(normalised(replayed), normalised(m.schema.clone()), "migration:\n{}", sql);
    Ok(())
}

type Key = (astrola_diff::ConflictKind, String, String, String, String);

fn keys(m: &Merge, mirror: bool) -> Vec<Key> {
    let mut k: Vec<Key> = m
        .conflicts
        .iter()
        .map(|c| if mirror { c.mirrored() } else { c.clone() })
        .map(|c| (c.kind, c.object_type, c.object, c.ours_change, c.theirs_change))
        .collect();
    k.sort();
    k
}

fn no_references(mut tables: Vec<GenTable>) -> Vec<GenTable> {
    for t in &mut tables {
        t.references_previous = false;
    }
    tables
}

fn no_added_references(edits: Vec<Edit>) -> Vec<Edit> {
    edits
        .into_iter()
        .map(|e| match e {
            Edit::AddTable(mut t) => {
                t.references_previous = false;
                Edit::AddTable(t)
            }
            other => other,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn merging_with_an_unchanged_side_gives_the_other(
        tables in proptest::collection::vec(table(), 1..5),
        edits in proptest::collection::vec(edit(), 1..8),
    ) {
        let b = parse(&schema_sql(&tables))?;
        let o = parse(&schema_sql(&apply_edits(&tables, &edits)))?;
        let m = merged(&b, &o, &b)?;
        prop_assert!(m.conflicts.is_empty(), "{}", m.to_text());
        prop_assert_eq!(&m.schema, &o);
        prop_assert!(m.changes.is_empty(), "{}", m.sql());
        let m = merged(&b, &b, &o)?;
        prop_assert!(m.conflicts.is_empty(), "{}", m.to_text());
        prop_assert_eq!(&m.schema, &o);
        replays(&b, &m)?;
    }

    #[test]
    fn merge_is_symmetric_and_clean_merges_replay(
        tables in proptest::collection::vec(table(), 1..5),
        ours_edits in proptest::collection::vec(edit(), 1..6),
        theirs_edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let b = parse(&schema_sql(&tables))?;
        let o = parse(&schema_sql(&apply_edits(&tables, &ours_edits)))?;
        let t = parse(&schema_sql(&apply_edits(&tables, &theirs_edits)))?;
        let ot = merged(&b, &o, &t)?;
        let to = merged(&b, &t, &o)?;
        prop_assert_eq!(keys(&ot, false), keys(&to, true), "\n{}\n---\n{}", ot.to_text(), to.to_text());
        if ot.conflicts.is_empty() {
            prop_assert_eq!(normalised(ot.schema.clone()), normalised(to.schema.clone()));
            replays(&o, &ot)?;
            replays(&t, &to)?;
        }
    }

    #[test]
    fn edits_to_disjoint_tables_never_conflict(
        ours_tables in proptest::collection::vec(table(), 1..4),
        theirs_tables in proptest::collection::vec(table(), 1..4),
        ours_edits in proptest::collection::vec(edit(), 1..6),
        theirs_edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let (a, z) = (no_references(ours_tables), no_references(theirs_tables));
        let (a2, z2) = (apply_edits(&a, &no_added_references(ours_edits)), apply_edits(&z, &no_added_references(theirs_edits)));
        // The two groups must not share a table name, before or after.
        let names = |x: &[GenTable]| x.iter().map(|t| t.name.clone()).collect::<std::collections::BTreeSet<_>>();
        let (left, right): (std::collections::BTreeSet<_>, std::collections::BTreeSet<_>) = (names(&a).union(&names(&a2)).cloned().collect(), names(&z).union(&names(&z2)).cloned().collect());
        prop_assume!(left.is_disjoint(&right));
        let join = |x: &[GenTable], y: &[GenTable]| x.iter().chain(y).cloned().collect::<Vec<_>>();
        let b = parse(&schema_sql(&join(&a, &z)))?;
        let o = parse(&schema_sql(&join(&a2, &z)))?;
        let t = parse(&schema_sql(&join(&a, &z2)))?;
        let both = parse(&schema_sql(&join(&a2, &z2)))?;
        let m = merged(&b, &o, &t)?;
        prop_assert!(m.conflicts.is_empty(), "{}", m.to_text());
        prop_assert_eq!(m.schema.without_spans(), both.without_spans());
        replays(&o, &m)?;
    }
}

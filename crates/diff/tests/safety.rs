//! Safety by default: without `allow_destructive`, no plan drops anything
//! or narrows a type. Checked on every psqldef corpus case whose diff
//! contains a destructive change.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use astrola_core::{parse_sql, rename_hints, Dialect};
use astrola_diff::{diff, DiffOptions};

#[test]
fn nothing_destructive_is_rendered_unless_allowed() {
    let mut with_drops = 0;
    for (file, cases) in common::sqldef_cases("psqldef") {
        for (name, case) in cases {
            let (Some(current), Some(desired)) = (case.current.as_deref().or(Some("")), case.desired.as_deref()) else { continue };
            let (Ok(from), Ok(to)) = (parse_sql(current, Dialect::Postgres), parse_sql(desired, Dialect::Postgres)) else { continue };
            let renames = rename_hints(desired, Dialect::Postgres);
            let allowed = diff(&from.schema, &to.schema, &DiffOptions { allow_destructive: true, renames: renames.clone() }).unwrap_or_else(|e| panic!("{e}"));
            if allowed.changes.iter().all(|c| c.destruction.is_none()) {
                continue;
            }
            with_drops += 1;
            let safe = diff(&from.schema, &to.schema, &DiffOptions { allow_destructive: false, renames }).unwrap_or_else(|e| panic!("{e}"));
            let label = format!("{file}:{name}");
            // Every destructive change is refused, and listed.
            for c in &safe.changes {
                assert_eq!(c.refused, c.destruction.is_some(), "{label}: {} {}", c.change.kind(), c.object);
            }
            assert!(safe.refused().count() > 0, "{label}: nothing refused");
            assert!(!safe.is_complete(), "{label}: a plan with refused changes must not look complete");
            // No statement implements a refused change.
            for s in &safe.statements {
                if let Some(i) = s.change {
                    assert!(!safe.changes[i].refused, "{label}: refused change rendered: {}", s.sql);
                }
            }
            // And the SQL drops nothing that holds data (a generated column
            // is dropped and added again when its expression changes: its
            // values are computed, not stored by the user).
            for s in &safe.statements {
                let regenerated = s.change.is_some_and(|i| matches!(&safe.changes[i].change, astrola_diff::Change::ReplaceColumn { from, .. } if from.generated.is_some()));
                for forbidden in ["DROP TABLE", "DROP COLUMN", "DROP SCHEMA", "DROP SEQUENCE"] {
                    assert!(regenerated || !s.sql.contains(forbidden), "{label}: {}", s.sql);
                }
            }
        }
    }
    println!("psqldef cases whose diff holds a destructive change: {with_drops}");
    assert!(with_drops > 50, "only {with_drops} cases with a destructive change");
}

//! The PostgreSQL real-server oracle of the diff, shared by the corpus
//! test and the identifier test: migrate a fresh database from `current`
//! with the diff, and compare its dump with `desired` loaded directly.

use std::collections::BTreeSet;

use astrola_core::{parse_sql, rename_hints, Dialect, Schema};
use astrola_diff::{diff, DiffOptions};

use crate::common::postgres::{Database, Server};

/// The outcome of one case.
pub enum Verdict {
    /// PostgreSQL rejects `current` or `desired`: not a valid case.
    Invalid,
    Pass,
    Fail(String),
}

/// Columns as a set (PostgreSQL appends added columns), extension
/// comments (installed by the server) left out.
pub fn normalised(mut s: Schema) -> Schema {
    for e in s.extensions.values_mut() {
        e.comment = None;
    }
    for t in s.tables.values_mut() {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s.without_spans()
}

fn first_difference(a: &Schema, b: &Schema) -> String {
    let (a, b) = (a.to_json(), b.to_json());
    let al: Vec<&str> = a.lines().collect();
    let bl: Vec<&str> = b.lines().collect();
    let i = al
        .iter()
        .zip(&bl)
        .position(|(x, y)| x != y)
        .unwrap_or(al.len().min(bl.len()));
    let from = i.saturating_sub(2);
    format!(
        "migrated: {}\n      desired:  {}",
        al.get(from..(i + 2).min(al.len())).unwrap_or(&[]).join(" "),
        bl.get(from..(i + 2).min(bl.len())).unwrap_or(&[]).join(" ")
    )
}

/// Runs one case in two new databases (see the test files' documentation).
#[allow(dead_code)] // each test file uses one of `check` and `check_in`
pub fn check(server: &Server, current: &str, desired: &str, allow_drop: bool) -> Verdict {
    let migrated = Database::create(server).unwrap_or_else(|e| panic!("{e}"));
    let direct = Database::create(server).unwrap_or_else(|e| panic!("{e}"));
    check_in(&migrated, &direct, current, desired, allow_drop)
}

/// Runs one case in two databases, which it resets first.
pub fn check_in(
    migrated: &Database,
    direct: &Database,
    current: &str,
    desired: &str,
    allow_drop: bool,
) -> Verdict {
    migrated.reset().unwrap_or_else(|e| panic!("reset: {e}"));
    direct.reset().unwrap_or_else(|e| panic!("reset: {e}"));
    if migrated.load(current).is_err() || direct.load(desired).is_err() {
        return Verdict::Invalid;
    }
    let parse = |sql: &str| parse_sql(sql, Dialect::Postgres).map(|p| p.schema);
    let (from, to) = match (parse(current), parse(desired)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Verdict::Fail(format!("parse: {e}")),
    };
    let options = DiffOptions {
        allow_destructive: allow_drop,
        renames: rename_hints(desired, Dialect::Postgres),
    };
    let plan = match diff(&from, &to, &options) {
        Ok(p) => p,
        Err(e) => return Verdict::Fail(format!("diff: {e}")),
    };
    if !plan.unsupported.is_empty() || !plan.unmanaged.is_empty() {
        return Verdict::Fail(format!(
            "diff cannot express: {:?} {:?}",
            plan.unsupported,
            plan.unmanaged.len()
        ));
    }
    let sql = plan.sql();
    if let Err(e) = migrated.load(&sql) {
        return Verdict::Fail(format!(
            "the migration fails: {}\n--- migration:\n{sql}",
            e.trim()
        ));
    }
    let dump =
        |db: &Database<'_>| parse(&db.dump().unwrap_or_else(|e| panic!("{e}"))).map(normalised);
    let (after, wanted) = match (dump(&migrated), dump(&direct)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Verdict::Fail(format!("a dump does not parse: {e}")),
    };
    let again = match diff(
        &after,
        &normalised(to.clone()),
        &DiffOptions {
            allow_destructive: true,
            renames: Vec::new(),
        },
    ) {
        Ok(p) => p,
        Err(e) => return Verdict::Fail(format!("second diff: {e}")),
    };
    if allow_drop {
        if after != wanted {
            return Verdict::Fail(format!(
                "the migrated schema differs from desired\n      {}\n--- migration:\n{sql}",
                first_difference(&after, &wanted)
            ));
        }
        if !again.changes.is_empty() {
            let kinds: Vec<String> = again
                .changes
                .iter()
                .map(|c| format!("{} {}", c.change.kind(), c.object))
                .collect();
            return Verdict::Fail(format!(
                "the second diff is not empty: {kinds:?}\n{}",
                again.sql()
            ));
        }
    } else {
        let refused: BTreeSet<String> = plan
            .refused()
            .map(|c| format!("{} {}", c.change.kind(), c.object))
            .collect();
        let left: BTreeSet<String> = again
            .changes
            .iter()
            .map(|c| format!("{} {}", c.change.kind(), c.object))
            .collect();
        if refused != left {
            return Verdict::Fail(format!("with drops refused, the changes left {left:?} are not the refused ones {refused:?}"));
        }
    }
    Verdict::Pass
}

//! # astrola-diff
//!
//! Two-way schema diffs: the typed [`ChangeSet`] that takes one schema to
//! another, ordered by a dependency graph and rendered as SQL for
//! PostgreSQL, MySQL/MariaDB or SQLite; down migrations; drift reports; and
//! three-way merges of two schema branches ([`merge()`]).
//!
//! ```
//! use astrola_core::{parse_sql, Dialect};
//! use astrola_diff::{diff, DiffOptions};
//!
//! let from = parse_sql("CREATE TABLE users (id bigint PRIMARY KEY);", Dialect::Postgres)?.schema;
//! let to = parse_sql("CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL DEFAULT '');", Dialect::Postgres)?.schema;
//! let changes = diff(&from, &to, &DiffOptions::default())?;
//! assert_eq!(changes.sql(), "ALTER TABLE public.users ADD COLUMN email text DEFAULT '' NOT NULL;\n");
//! assert!(diff(&to, &to, &DiffOptions::default())?.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod change;
mod compare;
mod compare_mysql;
mod compare_sqlite;
pub mod drift;
mod error;
pub mod merge;
mod order;
mod references;
pub mod render;
mod renames;
pub mod types;

use serde::{Deserialize, Serialize};

use astrola_core::model::UnmanagedStatement;
use astrola_core::{Dialect, Schema};

pub use astrola_core::hints::{RenameHint, RenameKind};
pub use change::{Change, Destruction};
pub use drift::{drift, Drift, DriftReport, Severity};
pub use error::Error;
pub use merge::{merge, merge_histories, Conflict, ConflictKind, HistoryMerge, Merge, MergeOptions};
pub use render::Statement;
pub use renames::Suggestion;

/// The version of the ChangeSet JSON format.
pub const FORMAT_VERSION: u32 = 1;

/// How to diff.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffOptions {
    /// Render destructive changes (drops, narrowing type changes) instead of
    /// refusing them.
    pub allow_destructive: bool,
    /// Renames to apply: the `-- @renamed from=old` annotations of the
    /// target SQL (see [`astrola_core::hints::rename_hints`]) or given by
    /// the caller.
    pub renames: Vec<RenameHint>,
}

/// One change of a [`ChangeSet`], with its safety verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedChange {
    /// The change.
    #[serde(flatten)]
    pub change: Change,
    /// The object it is about, in SQL spelling.
    pub object: String,
    /// Why it is destructive, if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destruction: Option<Destruction>,
    /// Refused: destructive and not allowed. Its SQL is not part of
    /// [`ChangeSet::sql`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refused: bool,
    /// In a down migration: the change restores an object whose data the up
    /// migration destroyed, so the data does not come back.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub irreversible: bool,
}

/// An unmanaged statement present on one side only: the diff cannot see
/// what it does, so it never claims the schemas are equal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmanagedDifference {
    /// `from` or `to`: the side the statement is on.
    pub side: String,
    /// The statement.
    #[serde(flatten)]
    pub statement: UnmanagedStatement,
}

/// The ordered changes that take one schema to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSet {
    /// The JSON format version, [`FORMAT_VERSION`].
    pub format: u32,
    /// The dialect of both schemas.
    pub dialect: Dialect,
    /// Every change, in the order it must run (refused ones included and
    /// marked).
    pub changes: Vec<PlannedChange>,
    /// The SQL of the changes that are not refused, in order.
    pub statements: Vec<Statement>,
    /// Likely renames (a drop and an add of the same shape). Never applied.
    pub suggestions: Vec<Suggestion>,
    /// Unmanaged statements that differ between the two sides.
    pub unmanaged: Vec<UnmanagedDifference>,
    /// Differences no change can express (reported, not hidden).
    pub unsupported: Vec<String>,
    /// Rename hints that did not apply, and similar remarks.
    pub notes: Vec<String>,
}

impl ChangeSet {
    /// Whether there is nothing to do and nothing the diff could not see.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.unmanaged.is_empty() && self.unsupported.is_empty()
    }

    /// The refused (destructive, not allowed) changes.
    pub fn refused(&self) -> impl Iterator<Item = &PlannedChange> {
        self.changes.iter().filter(|c| c.refused)
    }

    /// Whether the migration is complete: nothing refused, no unmanaged
    /// difference and nothing unsupported.
    pub fn is_complete(&self) -> bool {
        self.refused().next().is_none() && self.unmanaged.is_empty() && self.unsupported.is_empty()
    }

    /// What the migration cannot reach, one line each: unmanaged statements
    /// on one side only, and differences no change can express.
    pub fn blind_spots(&self) -> Vec<String> {
        let unmanaged = self.unmanaged.iter().map(|u| {
            let side = if u.side == "from" { "FROM" } else { "TO" };
            format!("unmanaged statement only in {side} ({}): {}", u.statement.kind, u.statement.sql.trim())
        });
        unmanaged.chain(self.unsupported.iter().map(|u| format!("not expressible as a migration: {u}"))).collect()
    }

    /// The migration SQL (refused changes left out).
    pub fn sql(&self) -> String {
        self.statements.iter().map(|s| s.sql.as_str()).collect()
    }

    /// The migration SQL with a comment naming each change, refused changes
    /// listed as comments, and irreversible ones marked.
    pub fn annotated_sql(&self) -> String {
        let mut out = String::new();
        let mut next = 0;
        for (i, c) in self.changes.iter().enumerate() {
            if c.refused {
                out.push_str(&format!("-- refused (destructive: {}, use --allow-destructive): {} {}\n", destruction_word(c.destruction), c.change.kind(), c.object));
                continue;
            }
            while let Some(s) = self.statements.get(next).filter(|s| s.change.is_none_or(|j| j <= i)) {
                if s.change == Some(i) && c.irreversible {
                    out.push_str(&format!("-- irreversible: {} {} restores the object, not the data the up migration removed\n", c.change.kind(), c.object));
                }
                out.push_str(&s.sql);
                next += 1;
            }
        }
        for s in &self.statements[next.min(self.statements.len())..] {
            out.push_str(&s.sql);
        }
        out
    }

    /// The change set as pretty-printed JSON (the format documented in
    /// `docs/changeset-json.md`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

fn destruction_word(d: Option<Destruction>) -> &'static str {
    match d {
        Some(Destruction::Data) => "deletes data",
        Some(Destruction::Narrowing) => "may reject or truncate values",
        Some(Destruction::Object) => "removes an object",
        None => "",
    }
}

/// Computes the changes that take `from` to `to`.
pub fn diff(from: &Schema, to: &Schema, options: &DiffOptions) -> Result<ChangeSet, Error> {
    if from.dialect != to.dialect {
        return Err(Error::DialectMismatch { from: from.dialect, to: to.dialect });
    }
    let internal_removed;
    let (from, to) = if from.dialect == Dialect::Sqlite {
        internal_removed = (compare_sqlite::without_internal_tables(from), compare_sqlite::without_internal_tables(to));
        (&internal_removed.0, &internal_removed.1)
    } else {
        (from, to)
    };
    let (renamed, rename_changes, notes) = renames::apply(from, to, &options.renames);
    // SQLite names are case-insensitive, and its unnamed constraints are named
    // after their table: spell the source's names as the target does.
    let renamed = if from.dialect == Dialect::Sqlite { compare_sqlite::align(&renamed, to, &rename_changes) } else { renamed };
    let (found, unsupported) = compare::compare(&renamed, to);
    let suggestions = renames::suggest(&found);
    let mut all = rename_changes;
    all.extend(found);
    let ordered = order::order(all, &renamed, to);
    let destruction: Vec<Option<Destruction>> = destructions(&ordered);
    let changes: Vec<PlannedChange> = ordered
        .into_iter()
        .zip(destruction)
        .map(|(change, destruction)| PlannedChange {
            object: change.object(),
            refused: destruction.is_some() && !options.allow_destructive,
            destruction,
            irreversible: false,
            change,
        })
        .collect();
    let applied: Vec<Change> = changes.iter().filter(|c| !c.refused).map(|c| c.change.clone()).collect();
    let index_of: Vec<usize> = changes.iter().enumerate().filter(|(_, c)| !c.refused).map(|(i, _)| i).collect();
    let mut statements = render::render(from.dialect, &applied, &renamed, to);
    for s in &mut statements {
        s.change = s.change.and_then(|i| index_of.get(i).copied());
    }
    Ok(ChangeSet {
        format: FORMAT_VERSION,
        dialect: from.dialect,
        changes,
        statements,
        suggestions,
        unmanaged: unmanaged_differences(from, to),
        unsupported,
        notes,
    })
}

/// The reverse migration of `diff(from, to, options)`: the changes that take
/// `to` back to `from`. Changes that restore an object whose data the
/// forward migration destroyed are marked [`PlannedChange::irreversible`].
pub fn down(from: &Schema, to: &Schema, options: &DiffOptions) -> Result<ChangeSet, Error> {
    let up = diff(from, to, &DiffOptions { allow_destructive: true, ..options.clone() })?;
    let reversed = DiffOptions { allow_destructive: options.allow_destructive, renames: renames::reverse(&options.renames, from, to) };
    let mut back = diff(to, from, &reversed)?;
    let lost: Vec<String> = up.changes.iter().filter(|c| matches!(c.destruction, Some(Destruction::Data | Destruction::Narrowing))).map(|c| c.object.clone()).collect();
    for c in &mut back.changes {
        let restores = matches!(
            c.change,
            Change::CreateTable { .. } | Change::AddColumn { .. } | Change::CreateSequence { .. } | Change::AlterColumnType { .. } | Change::ReplaceColumn { .. } | Change::ReplaceType { .. } | Change::CreateSchema { .. }
        );
        if restores && lost.iter().any(|o| *o == c.object) {
            c.irreversible = true;
        }
    }
    Ok(back)
}

/// The destruction verdict of each change, given the whole plan: a drop
/// followed by a create of the same object is a replacement, not a loss.
fn destructions(changes: &[Change]) -> Vec<Option<Destruction>> {
    let created: std::collections::BTreeSet<(&'static str, String)> = changes
        .iter()
        .filter_map(|c| {
            let family = match c {
                Change::CreateType { .. } => "type",
                Change::CreateDomain { .. } => "domain",
                Change::AddConstraint { .. } => "constraint",
                Change::CreateIndex { .. } => "index",
                Change::CreateView { .. } => "view",
                Change::CreateFunction { .. } => "function",
                Change::CreateTrigger { .. } | Change::CreateTriggerStatement { .. } => "trigger",
                Change::CreatePolicy { .. } => "policy",
                Change::CreateExtension { .. } => "extension",
                _ => return None,
            };
            Some((family, c.object()))
        })
        .collect();
    changes
        .iter()
        .map(|c| {
            let family = match c {
                Change::DropType { .. } => "type",
                Change::DropDomain { .. } => "domain",
                Change::DropConstraint { .. } => "constraint",
                Change::DropIndex { .. } => "index",
                Change::DropView { .. } => "view",
                Change::DropFunction { .. } => "function",
                Change::DropTrigger { .. } | Change::DropTriggerStatement { .. } => "trigger",
                Change::DropPolicy { .. } => "policy",
                Change::DropExtension { .. } => "extension",
                _ => return c.destruction(),
            };
            if created.contains(&(family, c.object())) {
                None
            } else {
                c.destruction()
            }
        })
        .collect()
}

fn unmanaged_differences(from: &Schema, to: &Schema) -> Vec<UnmanagedDifference> {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches(';').to_string();
    // SQLite and MySQL triggers are diffed as changes (see `compare_sqlite`
    // and `compare_mysql`).
    let diffed = |u: &UnmanagedStatement| match from.dialect {
        Dialect::Sqlite => compare_sqlite::is_trigger(u),
        Dialect::Mysql => compare_mysql::is_trigger(u),
        Dialect::Postgres => false,
    };
    let mut out = Vec::new();
    let to_set: std::collections::BTreeSet<String> = to.unmanaged.iter().map(|u| norm(&u.sql)).collect();
    let from_set: std::collections::BTreeSet<String> = from.unmanaged.iter().map(|u| norm(&u.sql)).collect();
    for u in from.unmanaged.iter().filter(|u| !diffed(u)) {
        if !to_set.contains(&norm(&u.sql)) {
            out.push(UnmanagedDifference { side: "from".into(), statement: u.clone() });
        }
    }
    for u in to.unmanaged.iter().filter(|u| !diffed(u)) {
        if !from_set.contains(&norm(&u.sql)) {
            out.push(UnmanagedDifference { side: "to".into(), statement: u.clone() });
        }
    }
    out
}

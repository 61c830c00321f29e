//! Diverged migration histories: two migration directories that share a
//! prefix and then each add their own files (two branches that each wrote a
//! `V5__*.sql`).
//!
//! [`merge_histories`] finds the shared prefix, replays it and each tail to
//! get base, ours and theirs, merges them with [`merge`], and checks that the
//! tails commute: no conflict, and replaying ours' tail then theirs' gives
//! the same schema as the other order. When they commute it proposes one
//! linear order: the prefix, ours' tail as it is, then theirs' tail with
//! each file whose version is not after ours' last renumbered to follow it
//! (`V5__b.sql` becomes `V6__b.sql`). Like everything in this crate it does
//! no I/O: the caller reads the directories.

use serde::{Deserialize, Serialize};

use astrola_core::migrations::{self, MigrationFile};
use astrola_core::{apply_sql, Dialect, Schema};

use super::{merge, Merge, MergeOptions};
use crate::Error;

/// A file of theirs that the proposed order renames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renumbered {
    /// The file's name on theirs.
    pub from: String,
    /// Its name in the proposed linear history.
    pub to: String,
}

/// How two migration histories relate, and how to make them one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryMerge {
    /// The files both histories share (same name and text), in order.
    pub common: Vec<String>,
    /// The files only ours has after the shared prefix, in order.
    pub ours_tail: Vec<String>,
    /// The files only theirs has after the shared prefix, in order.
    pub theirs_tail: Vec<String>,
    /// Whether both histories added files after the shared prefix.
    pub diverged: bool,
    /// Whether the two tails commute: no conflict, and both replay orders
    /// give the same schema.
    pub commute: bool,
    /// The proposed linear order of file names (after renumbering); empty
    /// when the tails do not commute.
    pub order: Vec<String>,
    /// The files of theirs the proposed order renames.
    pub renumbered: Vec<Renumbered>,
    /// The three-way merge of the schemas the histories produce.
    pub merge: Merge,
    /// Why the tails do not commute beyond the merge's conflicts (a replay
    /// that fails, or gives a different schema).
    pub notes: Vec<String>,
}

/// Compares two migration histories (each a directory's files: names and
/// SQL, in any order) and merges what they produce. Rename hints in the
/// tails are honoured; `options`' own hints are added to them.
pub fn merge_histories(ours: Vec<MigrationFile>, theirs: Vec<MigrationFile>, dialect: Dialect, options: &MergeOptions) -> Result<HistoryMerge, Error> {
    let ours = migrations::order(ours)?;
    let theirs = migrations::order(theirs)?;
    let shared = ours.iter().zip(&theirs).take_while(|(a, b)| a.name == b.name && a.sql == b.sql).count();
    let prefix: Vec<MigrationFile> = ours[..shared].to_vec();
    let ours_tail: Vec<MigrationFile> = ours[shared..].to_vec();
    let theirs_tail: Vec<MigrationFile> = theirs[shared..].to_vec();
    let base = migrations::replay(prefix.clone(), dialect)?;
    let ours_parsed = migrations::replay(ours.clone(), dialect)?;
    let theirs_parsed = migrations::replay(theirs.clone(), dialect)?;
    let mut opts = options.clone();
    opts.ours_renames.extend(ours_parsed.renames.iter().cloned());
    opts.theirs_renames.extend(theirs_parsed.renames.iter().cloned());
    let merged = merge(&base.schema, &ours_parsed.schema, &theirs_parsed.schema, &opts)?;
    let mut notes = Vec::new();
    let one_way = replay_on(&ours_parsed.schema, &theirs_tail, "theirs' tail after ours", &mut notes);
    let other_way = replay_on(&theirs_parsed.schema, &ours_tail, "ours' tail after theirs", &mut notes);
    if let (Some(x), Some(y)) = (&one_way, &other_way) {
        if x.without_spans() != y.without_spans() {
            notes.push("replaying ours' tail then theirs' gives a different schema than the other order".into());
        }
    }
    let commute = merged.conflicts.is_empty() && notes.is_empty();
    let (order, renumbered) = if commute { linear_order(&prefix, &ours_tail, &theirs_tail) } else { (Vec::new(), Vec::new()) };
    let names = |files: &[MigrationFile]| files.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
    Ok(HistoryMerge {
        common: names(&prefix),
        ours_tail: names(&ours_tail),
        theirs_tail: names(&theirs_tail),
        diverged: !ours_tail.is_empty() && !theirs_tail.is_empty(),
        commute,
        order,
        renumbered,
        merge: merged,
        notes,
    })
}

/// `schema` with `files` replayed on it, or `None` (and a note) when a file
/// fails.
fn replay_on(schema: &Schema, files: &[MigrationFile], what: &str, notes: &mut Vec<String>) -> Option<Schema> {
    let mut s = schema.clone();
    let mut warnings = Vec::new();
    for f in files {
        if let Err(e) = apply_sql(&mut s, &f.sql, &f.name, &mut warnings) {
            notes.push(format!("replaying {what} fails at {}: {e}", f.name));
            return None;
        }
    }
    Some(s)
}

/// The leading version number of a migration file name, and how it is
/// spelled: (prefix before the number, the number's digits, the rest).
fn version(name: &str) -> Option<(&str, &str, &str)> {
    let (prefix, rest) = if (name.starts_with('V') || name.starts_with('v')) && name.contains("__") { name.split_at(1) } else { ("", name) };
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let (number, tail) = rest.split_at(digits);
    Some((prefix, number, tail))
}

/// The prefix, ours' tail, then theirs' tail with the files that do not
/// come after ours' last version renumbered.
fn linear_order(prefix: &[MigrationFile], ours: &[MigrationFile], theirs: &[MigrationFile]) -> (Vec<String>, Vec<Renumbered>) {
    let mut order: Vec<String> = prefix.iter().chain(ours).map(|f| f.name.clone()).collect();
    let mut last: u128 = prefix.iter().chain(ours).filter_map(|f| version(&f.name)).filter_map(|(_, n, _)| n.parse::<u128>().ok()).max().unwrap_or(0);
    let mut renumbered = Vec::new();
    for f in theirs {
        let Some((p, n, tail)) = version(&f.name) else {
            // Repeatable migrations run last anyway.
            order.push(f.name.clone());
            continue;
        };
        let current = n.parse::<u128>().unwrap_or(0);
        if current > last {
            last = current;
            order.push(f.name.clone());
            continue;
        }
        last = last.saturating_add(1);
        // Keep zero padding (`0005_x.up.sql` -> `0006_x.up.sql`).
        let width = if n.starts_with('0') { n.len() } else { 0 };
        let to = format!("{p}{last:0width$}{tail}");
        renumbered.push(Renumbered { from: f.name.clone(), to: to.clone() });
        order.push(to);
    }
    (order, renumbered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, sql: &str) -> MigrationFile {
        MigrationFile { name: name.into(), sql: sql.into() }
    }

    #[test]
    fn independent_tails_commute_and_theirs_is_renumbered() -> Result<(), Error> {
        let v1 = file("V1__init.sql", "CREATE TABLE users (id bigint PRIMARY KEY);");
        let ours = vec![v1.clone(), file("V2__email.sql", "ALTER TABLE users ADD COLUMN email text;")];
        let theirs = vec![v1, file("V2__teams.sql", "CREATE TABLE teams (id bigint);"), file("V3__more.sql", "CREATE TABLE more (id bigint);")];
        let h = merge_histories(ours, theirs, Dialect::Postgres, &MergeOptions::default())?;
        assert!(h.diverged && h.commute, "{h:?}");
        assert_eq!(h.common, vec!["V1__init.sql"]);
        assert_eq!(h.order, vec!["V1__init.sql", "V2__email.sql", "V3__teams.sql", "V4__more.sql"]);
        assert_eq!(h.renumbered.len(), 2);
        assert_eq!(h.merge.changes.sql(), "CREATE TABLE public.more (\n    id bigint\n);\nCREATE TABLE public.teams (\n    id bigint\n);\n");
        Ok(())
    }

    #[test]
    fn conflicting_tails_do_not_commute() -> Result<(), Error> {
        let v1 = file("0001_init.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(10));");
        let ours = vec![v1.clone(), file("0002_a.up.sql", "ALTER TABLE users ALTER email TYPE text;")];
        let theirs = vec![v1, file("0002_b.up.sql", "ALTER TABLE users ALTER email TYPE varchar(200);")];
        let h = merge_histories(ours, theirs, Dialect::Postgres, &MergeOptions::default())?;
        assert!(h.diverged && !h.commute);
        assert!(h.order.is_empty());
        assert_eq!(h.merge.conflicts.len(), 1);
        Ok(())
    }

    #[test]
    fn zero_padding_is_kept() {
        let (order, _) = linear_order(&[], &[file("0005_a.up.sql", "")], &[file("0005_b.up.sql", "")]);
        assert_eq!(order, vec!["0005_a.up.sql", "0006_b.up.sql"]);
    }
}

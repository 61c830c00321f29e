//! The three-way merge case suite: `tests/merge_cases/*.case`.
//!
//! A case file holds comment lines, then sections opened by `---- base`,
//! `---- ours`, `---- theirs` and, for a case that merges cleanly,
//! `---- merged` (the merged schema, written by hand from reasoning about
//! PostgreSQL, not copied from the output). The header says what is
//! expected:
//!
//! ```text
//! -- why: one line about the situation
//! -- expect: clean
//! -- expect: conflict <kind> <object_type> <object>   (one line per conflict)
//! ```
#![allow(dead_code)]

use std::path::PathBuf;

use astrola_core::{parse_sql, Dialect, Schema};
use astrola_diff::{merge, Merge, MergeOptions};

/// One case.
pub struct Case {
    pub name: String,
    pub why: String,
    pub base: String,
    pub ours: String,
    pub theirs: String,
    pub merged: Option<String>,
    /// `(kind, object_type, object)` of each expected conflict, sorted.
    pub conflicts: Vec<(String, String, String)>,
    pub clean: bool,
}

pub fn dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/merge_cases"))
}

/// Every case, by file name.
pub fn cases() -> Vec<Case> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "case"))
        .collect();
    paths.sort();
    paths.iter().map(|p| read(p)).collect()
}

fn read(path: &std::path::Path) -> Case {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut case = Case { name: name.clone(), why: String::new(), base: String::new(), ours: String::new(), theirs: String::new(), merged: None, conflicts: Vec::new(), clean: false };
    let mut section: Option<String> = None;
    for line in text.lines() {
        if let Some(s) = line.strip_prefix("---- ") {
            section = Some(s.trim().to_string());
            if s.trim() == "merged" {
                case.merged = Some(String::new());
            }
            continue;
        }
        match section.as_deref() {
            None => {
                if let Some(w) = line.strip_prefix("-- why:") {
                    case.why = w.trim().to_string();
                } else if let Some(e) = line.strip_prefix("-- expect:") {
                    let e = e.trim();
                    if e == "clean" {
                        case.clean = true;
                    } else {
                        let parts: Vec<&str> = e.splitn(4, ' ').collect();
                        assert!(parts.len() == 4 && parts[0] == "conflict", "{name}: bad expect line `{e}`");
                        case.conflicts.push((parts[1].to_string(), parts[2].to_string(), parts[3].to_string()));
                    }
                }
            }
            Some(s) => {
                let target = match s {
                    "base" => &mut case.base,
                    "ours" => &mut case.ours,
                    "theirs" => &mut case.theirs,
                    "merged" => case.merged.get_or_insert_with(String::new),
                    other => panic!("{name}: unknown section {other}"),
                };
                target.push_str(line);
                target.push('\n');
            }
        }
    }
    assert!(case.clean == case.conflicts.is_empty(), "{name}: expect either clean or conflicts");
    assert!(!case.clean || case.merged.is_some(), "{name}: a clean case needs a `---- merged` section");
    case.conflicts.sort();
    case
}

pub fn parse(name: &str, sql: &str) -> astrola_core::Parsed {
    parse_sql(sql, Dialect::Postgres).unwrap_or_else(|e| panic!("{name}: {e}\n{sql}"))
}

/// Merges the case's three schemas, with each side's rename hints, and
/// drops allowed.
pub fn run(case: &Case) -> (Schema, Schema, Merge) {
    let base = parse(&case.name, &case.base);
    let ours = parse(&case.name, &case.ours);
    let theirs = parse(&case.name, &case.theirs);
    let options = MergeOptions { ours_renames: ours.renames.clone(), theirs_renames: theirs.renames.clone(), allow_destructive: true };
    let merged = merge(&base.schema, &ours.schema, &theirs.schema, &options).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    (ours.schema, theirs.schema, merged)
}

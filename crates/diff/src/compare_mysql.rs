//! What comparing two MySQL/MariaDB schemas needs beyond the shared
//! comparison.
//!
//! - A generated column that switches between `VIRTUAL` and `STORED`
//!   keeps its expression, so the shared comparison sees an attribute
//!   change; MariaDB cannot `MODIFY` a column between the two kinds
//!   ("This is not yet supported for generated columns"), so the column is
//!   replaced (dropped and added again), which loses nothing: its values
//!   are computed.
//! - Triggers are kept as unmanaged statements by the MySQL frontend, but
//!   MariaDB keeps a trigger as the text it was created with, so dropping
//!   it by name and running the target's text reproduces it exactly.
//!   [`trigger_changes`] diffs them by name and text.

use std::collections::BTreeMap;

use astrola_core::model::{Column, UnmanagedStatement};
use astrola_core::{QualifiedName, Schema};

use crate::Change;

/// Whether `MODIFY COLUMN` cannot turn `from` into `to`, so the column must
/// be replaced: a generated column that changes between `VIRTUAL` and
/// `STORED`.
pub(crate) fn needs_replacing(from: &Column, to: &Column) -> bool {
    let stored = |c: &Column| c.extra.iter().any(|e| e == "STORED");
    from.generated.is_some() && to.generated.is_some() && stored(from) != stored(to)
}

/// Whether `u` is a `CREATE TRIGGER` (which the MySQL frontend keeps as an
/// unmanaged statement), diffed as [`Change::CreateTriggerStatement`] and
/// [`Change::DropTriggerStatement`].
pub(crate) fn is_trigger(u: &UnmanagedStatement) -> bool {
    u.kind == "CREATE TRIGGER" && trigger_header(&u.sql).is_some()
}

/// `sql` with the markers of executable comments (`/*!50003 ... */`,
/// `/*M!100100 ... */`) taken away and their text kept, as the server
/// reads them; `mysqldump` writes triggers that way.
fn without_executable_comment_markers(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find("/*") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let marker = after.strip_prefix('!').or_else(|| after.strip_prefix("M!"));
        match (marker, after.find("*/")) {
            (Some(body), Some(end)) => {
                let body_end = end - (after.len() - body.len());
                let text = body[..body_end].trim_start_matches(|c: char| c.is_ascii_digit());
                out.push_str(text);
                out.push(' ');
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str("/*");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The words of `sql` up to `limit` of them: backquoted names unquoted,
/// everything else split at whitespace and at `.` and `=` outside quotes.
fn header_words(sql: &str, limit: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = sql.chars().peekable();
    while words.len() < limit {
        let Some(c) = chars.next() else { break };
        match c {
            '`' => {
                let mut name = String::new();
                while let Some(d) = chars.next() {
                    if d == '`' {
                        if chars.peek() == Some(&'`') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    name.push(d);
                }
                words.push(name);
            }
            '.' | '=' => words.push(c.to_string()),
            c if c.is_whitespace() => {}
            c => {
                let mut word = c.to_string();
                while let Some(&d) = chars.peek() {
                    if d.is_whitespace() || matches!(d, '`' | '.' | '=') {
                        break;
                    }
                    word.push(d);
                    chars.next();
                }
                words.push(word);
            }
        }
    }
    words
}

/// The name of a `CREATE [DEFINER = ...] TRIGGER [IF NOT EXISTS] [db.]name
/// timing event ON [db.]table` and its table.
pub(crate) fn trigger_header(sql: &str) -> Option<(String, String)> {
    let words = header_words(&without_executable_comment_markers(sql), 40);
    let is = |i: usize, w: &str| words.get(i).is_some_and(|x| x.eq_ignore_ascii_case(w));
    let at = (0..words.len()).find(|&i| is(i, "TRIGGER"))?;
    let mut i = at + 1;
    if is(i, "IF") && is(i + 1, "NOT") && is(i + 2, "EXISTS") {
        i += 3;
    }
    let qualified = |i: usize| if words.get(i + 1).is_some_and(|w| w == ".") { (words.get(i + 2).cloned(), i + 2) } else { (words.get(i).cloned(), i) };
    let (name, end) = qualified(i);
    let on = end + 1 + (end + 1..words.len()).position(|j| is(j, "ON"))?;
    let (table, _) = qualified(on + 1);
    Some((name?, table?))
}

/// A trigger's text as the server keeps it, for comparing: MariaDB stores
/// the statement from the trigger's name on as written (`SHOW CREATE
/// TRIGGER` puts `CREATE DEFINER=... TRIGGER` before it), so the text from
/// the name on, with whitespace and a final `;` ignored.
fn normalised_trigger(sql: &str) -> String {
    let text = without_executable_comment_markers(sql);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = words.iter().position(|w| w.eq_ignore_ascii_case("TRIGGER")).map_or(0, |p| p + 1);
    if words.get(i..i + 3).is_some_and(|w| w.iter().zip(["IF", "NOT", "EXISTS"]).all(|(a, b)| a.eq_ignore_ascii_case(b))) {
        i += 3;
    }
    words.get(i..).unwrap_or(&[]).join(" ").trim_end_matches(';').trim_end().to_string()
}

/// The triggers of `schema` by name: (table, SQL).
fn triggers(schema: &Schema) -> BTreeMap<String, (QualifiedName, String)> {
    schema
        .unmanaged
        .iter()
        .filter(|u| u.kind == "CREATE TRIGGER")
        .filter_map(|u| {
            let (name, on) = trigger_header(&u.sql)?;
            Some((name, (QualifiedName::new("", on), u.sql.clone())))
        })
        .collect()
}

/// The trigger changes from `from` to `to`, given the other changes of the
/// plan: a trigger that is gone is dropped (unless its table is dropped,
/// which takes it along), a new one is created, and one whose text changes
/// is dropped and created.
pub(crate) fn trigger_changes(from: &Schema, to: &Schema, changes: &[Change]) -> Vec<Change> {
    let (old, new) = (triggers(from), triggers(to));
    let table_dropped = |t: &QualifiedName| changes.iter().any(|c| matches!(c, Change::DropTable { name, .. } if name == t)) && !to.tables.contains_key(t);
    let mut out = Vec::new();
    for (name, (table, sql)) in &old {
        let changed = new.get(name).is_some_and(|(_, s)| normalised_trigger(s) != normalised_trigger(sql));
        if (changed || !new.contains_key(name)) && !table_dropped(table) {
            out.push(Change::DropTriggerStatement { table: table.clone(), name: name.clone(), sql: sql.clone() });
        }
    }
    for (name, (table, sql)) in &new {
        let same = old.get(name).is_some_and(|(_, s)| normalised_trigger(s) == normalised_trigger(sql));
        if !same {
            out.push(Change::CreateTriggerStatement { table: table.clone(), name: name.clone(), sql: sql.clone() });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_trigger_headers_as_written_and_as_dumped() {
        let written = "CREATE TRIGGER `tr` BEFORE INSERT ON db.`t` FOR EACH ROW SET NEW.id = 1";
        let dumped = "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `tr` BEFORE INSERT ON db.`t` FOR EACH ROW SET NEW.id = 1 \n*/";
        assert_eq!(trigger_header(written), Some(("tr".into(), "t".into())));
        assert_eq!(trigger_header(dumped), Some(("tr".into(), "t".into())));
        assert_eq!(normalised_trigger(written), normalised_trigger(dumped));
        assert_eq!(trigger_header("CREATE TRIGGER IF NOT EXISTS a.b AFTER DELETE ON c FOR EACH ROW DELETE FROM d"), Some(("b".into(), "c".into())));
    }
}

//! What comparing two SQLite schemas needs beyond the shared comparison.
//!
//! - Identifiers are case-insensitive in SQLite: `Users` and `USERS` name
//!   one table (renaming a table to another case of its own name is even an
//!   error: "there is already another table or index with this name"). The
//!   model keeps names as written, so [`align_case`] respells the source's
//!   names the way the target writes them before anything is compared.
//! - Unnamed constraints are named after their table and columns, so a
//!   rename renames them too ([`follow_renames`]).
//! - Tables whose names start with `sqlite_` are SQLite's own
//!   ([`without_internal_tables`]).
//! - Triggers are kept as unmanaged statements by the SQLite frontend, but
//!   SQLite stores a trigger as its own text, so dropping it by name and
//!   running the target's text reproduces it exactly. [`trigger_changes`]
//!   diffs them by name and normalised text.

use std::collections::{BTreeMap, BTreeSet};

use astrola_core::model::{ConstraintKind, IndexTarget, UnmanagedStatement};
use astrola_core::{QualifiedName, Schema};

use crate::Change;

/// Whether `u` is a (non-temporary) `CREATE TRIGGER`, which the SQLite diff
/// handles as [`Change::CreateTriggerStatement`] and
/// [`Change::DropTriggerStatement`].
pub(crate) fn is_trigger(u: &UnmanagedStatement) -> bool {
    u.kind == "CREATE TRIGGER" && trigger_header(&u.sql).is_some()
}

/// A copy of `schema` without SQLite's own tables (`sqlite_sequence`,
/// `sqlite_stat1`: names starting with `sqlite_` are reserved for them),
/// which a schema read from a database lists but nobody may create or drop.
pub(crate) fn without_internal_tables(schema: &Schema) -> Schema {
    let mut out = schema.clone();
    let internal = |k: &QualifiedName| k.name.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("sqlite_"));
    out.tables.retain(|k, _| !internal(k));
    out.indexes.retain(|_, i| !internal(&i.table));
    out
}

/// `from` (with the declared renames applied) prepared for comparing with
/// `to`: names spelled as `to` spells them ([`align_case`]), and constraint
/// names that follow a rename ([`follow_renames`]).
pub(crate) fn align(from: &Schema, to: &Schema, renames: &[Change]) -> Schema {
    let mut out = align_case(from, to);
    follow_renames(&mut out, to, renames);
    out
}

/// Renames the constraints of renamed tables, and of tables with renamed
/// columns, whose names change with the rename. SQLite keeps no name for an
/// unnamed constraint; the frontend names it after its table and columns
/// (`users_pkey`, `users_email_key`), so after `ALTER TABLE ... RENAME` the
/// same constraint reads back under the new name. A constraint of the
/// source missing from the target is taken as the target's constraint of
/// the same definition that the source does not have.
fn follow_renames(from: &mut Schema, to: &Schema, renames: &[Change]) {
    let touched: Vec<&QualifiedName> = renames
        .iter()
        .filter_map(|c| match c {
            Change::RenameTable { to, .. } | Change::RenameColumn { table: to, .. } => Some(to),
            _ => None,
        })
        .collect();
    for name in touched {
        let (Some(table), Some(target)) = (from.tables.get_mut(name), to.tables.get(name)) else { continue };
        let missing: Vec<String> = table.constraints.keys().filter(|n| !target.constraints.contains_key(*n)).cloned().collect();
        for old in missing {
            let Some(c) = table.constraints.get(&old) else { continue };
            let new = target.constraints.iter().find(|(n, d)| !table.constraints.contains_key(*n) && *d == c).map(|(n, _)| n.clone());
            if let Some(new) = new {
                if let Some(c) = table.constraints.remove(&old) {
                    table.constraints.insert(new, c);
                }
            }
        }
    }
}

/// A copy of `from` whose tables, columns, constraints, indexes and views
/// are spelled as in `to` wherever the two differ only in case.
fn align_case(from: &Schema, to: &Schema) -> Schema {
    let mut out = from.clone();
    let respell = |names: &mut dyn Iterator<Item = &String>, wanted: &mut dyn Iterator<Item = &String>| -> BTreeMap<String, String> {
        let wanted: BTreeMap<String, &String> = wanted.map(|w| (w.to_ascii_lowercase(), w)).collect();
        names.filter_map(|n| wanted.get(&n.to_ascii_lowercase()).filter(|w| **w != n).map(|w| (n.clone(), (*w).clone()))).collect()
    };
    let table_names = respell(&mut from.tables.keys().map(|k| &k.name), &mut to.tables.keys().map(|k| &k.name));
    let view_names = respell(&mut from.views.keys().map(|k| &k.name), &mut to.views.keys().map(|k| &k.name));
    let index_names = respell(&mut from.indexes.keys().map(|k| &k.name), &mut to.indexes.keys().map(|k| &k.name));
    let relation = |q: &mut QualifiedName| {
        if let Some(n) = table_names.get(&q.name).or_else(|| view_names.get(&q.name)) {
            q.name = n.clone();
        }
    };
    out.tables = std::mem::take(&mut out.tables)
        .into_iter()
        .map(|(mut k, t)| {
            relation(&mut k);
            (k, t)
        })
        .collect();
    out.views = std::mem::take(&mut out.views)
        .into_iter()
        .map(|(mut k, v)| {
            relation(&mut k);
            (k, v)
        })
        .collect();
    out.indexes = std::mem::take(&mut out.indexes)
        .into_iter()
        .map(|(mut k, mut i)| {
            if let Some(n) = index_names.get(&k.name) {
                k.name = n.clone();
            }
            relation(&mut i.table);
            (k, i)
        })
        .collect();
    for t in out.tables.values_mut() {
        for c in t.constraints.values_mut() {
            if let ConstraintKind::ForeignKey { ref_table, .. } = &mut c.kind {
                relation(ref_table);
            }
        }
    }
    // Columns and constraints, table by table.
    let keys: Vec<QualifiedName> = out.tables.keys().cloned().collect();
    for key in keys {
        let Some(target) = to.tables.get(&key) else { continue };
        let Some(table) = out.tables.get_mut(&key) else { continue };
        let columns = respell(&mut table.columns.iter().map(|c| &c.name), &mut target.columns.iter().map(|c| &c.name));
        let constraints = respell(&mut table.constraints.keys(), &mut target.constraints.keys());
        table.constraints = std::mem::take(&mut table.constraints)
            .into_iter()
            .map(|(k, c)| (constraints.get(&k).cloned().unwrap_or(k), c))
            .collect();
        if columns.is_empty() {
            continue;
        }
        let column = |c: &mut String| {
            if let Some(n) = columns.get(c) {
                *c = n.clone();
            }
        };
        for c in &mut table.columns {
            column(&mut c.name);
        }
        for c in table.constraints.values_mut() {
            match &mut c.kind {
                ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } | ConstraintKind::ForeignKey { columns, .. } => {
                    columns.iter_mut().for_each(column)
                }
                ConstraintKind::Check { .. } | ConstraintKind::Exclusion { .. } => {}
            }
        }
        for i in out.indexes.values_mut().filter(|i| i.table == key) {
            for k in &mut i.keys {
                if let IndexTarget::Column(c) = &mut k.target {
                    column(c);
                }
            }
        }
        for t in out.tables.values_mut() {
            for c in t.constraints.values_mut() {
                if let ConstraintKind::ForeignKey { ref_table, ref_columns, .. } = &mut c.kind {
                    if *ref_table == key {
                        ref_columns.iter_mut().for_each(column);
                    }
                }
            }
        }
    }
    out
}

/// One token of a trigger's header.
#[derive(Debug, PartialEq, Eq)]
enum Token {
    /// An unquoted word.
    Word(String),
    /// A quoted identifier, unquoted.
    Quoted(String),
    /// Anything else (punctuation, literals).
    Other,
}

/// The identifiers of `sql` (unquoted, ASCII lower-case), in any of SQLite's
/// quotes (`"x"`, `` `x` ``, `[x]`) or none. Words in string literals are
/// not identifiers.
pub(crate) fn identifiers(sql: &str) -> BTreeSet<String> {
    tokens(sql, false)
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) | Token::Quoted(w) => Some(w.to_ascii_lowercase()),
            Token::Other => None,
        })
        .collect()
}

/// The tokens of `sql` up to `BEGIN` (comments and whitespace skipped).
fn header_tokens(sql: &str) -> Vec<Token> {
    tokens(sql, true)
}

/// The tokens of `sql` (comments and whitespace skipped), up to `BEGIN` if
/// `header`.
fn tokens(sql: &str, header: bool) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut star = false;
                for d in chars.by_ref() {
                    if star && d == '/' {
                        break;
                    }
                    star = d == '*';
                }
            }
            '"' | '`' | '[' | '\'' => {
                let close = if c == '[' { ']' } else { c };
                let mut word = String::new();
                while let Some(d) = chars.next() {
                    if d == close {
                        if close != ']' && chars.peek() == Some(&close) {
                            chars.next();
                            word.push(d);
                            continue;
                        }
                        break;
                    }
                    word.push(d);
                }
                out.push(if c == '\'' { Token::Other } else { Token::Quoted(word) });
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let mut word = c.to_string();
                while let Some(&d) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '$' {
                        word.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if header && word.eq_ignore_ascii_case("BEGIN") {
                    break;
                }
                out.push(Token::Word(word));
            }
            _ => out.push(Token::Other),
        }
    }
    out
}

/// The name of a `CREATE TRIGGER` and the table (or view) it is on.
pub(crate) fn trigger_header(sql: &str) -> Option<(String, String)> {
    let tokens = header_tokens(sql);
    let is = |t: Option<&Token>, w: &str| matches!(t, Some(Token::Word(x)) if x.eq_ignore_ascii_case(w));
    let name_of = |t: Option<&Token>| match t {
        Some(Token::Word(x) | Token::Quoted(x)) => Some(x.clone()),
        _ => None,
    };
    let at = tokens.iter().position(|t| is(Some(t), "TRIGGER"))?;
    let mut i = at + 1;
    if is(tokens.get(i), "IF") && is(tokens.get(i + 1), "NOT") && is(tokens.get(i + 2), "EXISTS") {
        i += 3;
    }
    // `main.name`: the schema is dropped, as the frontend does.
    let mut name = name_of(tokens.get(i))?;
    if tokens.get(i + 1) == Some(&Token::Other) && name_of(tokens.get(i + 2)).is_some() {
        i += 2;
        name = name_of(tokens.get(i))?;
    }
    let on = i + 1 + tokens[i + 1..].iter().position(|t| is(Some(t), "ON"))?;
    let mut table = name_of(tokens.get(on + 1))?;
    if tokens.get(on + 2) == Some(&Token::Other) {
        if let Some(t) = name_of(tokens.get(on + 3)) {
            table = t;
        }
    }
    Some((name, table))
}

/// A trigger's text as SQLite stores it, for comparing: SQLite writes
/// `CREATE TRIGGER ` and then the text from the name on (no `IF NOT
/// EXISTS`), and whitespace and a final `;` do not matter.
fn normalised_trigger(sql: &str) -> String {
    let words: Vec<&str> = sql.split_whitespace().collect();
    let mut i = words.iter().position(|w| w.eq_ignore_ascii_case("TRIGGER")).map_or(0, |p| p + 1);
    if words.get(i..i + 3).is_some_and(|w| w.iter().zip(["IF", "NOT", "EXISTS"]).all(|(a, b)| a.eq_ignore_ascii_case(b))) {
        i += 3;
    }
    words.get(i..).unwrap_or(&[]).join(" ").trim_end_matches(';').trim_end().to_string()
}

/// The triggers of `schema` by lower-case name: (name, table, SQL).
fn triggers(schema: &Schema) -> BTreeMap<String, (String, QualifiedName, String)> {
    schema
        .unmanaged
        .iter()
        .filter(|u| is_trigger(u))
        .filter_map(|u| {
            let (name, on) = trigger_header(&u.sql)?;
            Some((name.to_ascii_lowercase(), (name, relation_key(schema, &on), u.sql.clone())))
        })
        .collect()
}

/// The key of the table or view called `name` (in any case) in `schema`.
pub(crate) fn relation_key(schema: &Schema, name: &str) -> QualifiedName {
    schema
        .tables
        .keys()
        .chain(schema.views.keys())
        .find(|k| k.name.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| QualifiedName::new("", name))
}

/// The trigger changes from `from` to `to`, given the other changes of the
/// plan: a trigger that is gone is dropped (unless its table or view is
/// dropped, which takes it along), a new one is created, and one whose text
/// changes is dropped and created.
pub(crate) fn trigger_changes(from: &Schema, to: &Schema, changes: &[Change]) -> Vec<Change> {
    let (old, new) = (triggers(from), triggers(to));
    let relation_dropped = |t: &QualifiedName| {
        changes.iter().any(|c| matches!(c, Change::DropTable { name, .. } | Change::DropView { name, .. } if name.name.eq_ignore_ascii_case(&t.name)))
            && !to.tables.keys().chain(to.views.keys()).any(|k| k.name.eq_ignore_ascii_case(&t.name))
    };
    let mut out = Vec::new();
    for (key, (name, table, sql)) in &old {
        let changed = new.get(key).is_some_and(|(_, _, s)| normalised_trigger(s) != normalised_trigger(sql));
        if (changed || !new.contains_key(key)) && !relation_dropped(table) {
            out.push(Change::DropTriggerStatement { table: table.clone(), name: name.clone(), sql: sql.clone() });
        }
    }
    for (key, (name, table, sql)) in &new {
        let same = old.get(key).is_some_and(|(_, _, s)| normalised_trigger(s) == normalised_trigger(sql));
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
    fn reads_trigger_headers() {
        assert_eq!(trigger_header("CREATE TRIGGER IF NOT EXISTS t AFTER INSERT ON users BEGIN SELECT 1; END"), Some(("t".into(), "users".into())));
        assert_eq!(
            trigger_header("create trigger main.\"a b\" instead of update of x, y on [my view] for each row when new.x on 1 begin select 1; end"),
            Some(("a b".into(), "my view".into()))
        );
        assert_eq!(trigger_header("CREATE TRIGGER -- c\n t /* ON x */ BEFORE DELETE ON \"q\"\"t\" BEGIN END"), Some(("t".into(), "q\"t".into())));
        assert_eq!(trigger_header("CREATE TRIGGER"), None);
    }

    #[test]
    fn finds_identifiers_in_every_quote() {
        let found = identifiers("SELECT \"A b\", `c`, [D e], f FROM g WHERE h = 'not_me' -- nor_me\n");
        let expected: BTreeSet<String> = ["select", "a b", "c", "d e", "f", "from", "g", "where", "h"].iter().map(|s| s.to_string()).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn normalises_trigger_text_as_sqlite_stores_it() {
        assert_eq!(
            normalised_trigger("CREATE TRIGGER IF NOT EXISTS t\n  AFTER INSERT ON u BEGIN SELECT 1; END;"),
            normalised_trigger("CREATE TRIGGER t AFTER INSERT ON u BEGIN SELECT 1; END")
        );
    }
}

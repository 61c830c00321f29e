//! Three-way schema merge: do two branches of a schema combine?
//!
//! Two branches start from the same `base`. [`merge`] combines their
//! changes object by object (tables column by column and attribute by
//! attribute, enum types label by label) and returns the merged schema,
//! the [`ChangeSet`] that takes `ours` to it (what the second branch to land
//! must run) and the [`Conflict`]s. Two changes conflict when applying them
//! in either order is invalid or gives different results:
//!
//! - identical changes on both sides are merged as one, and changes to
//!   different objects always merge;
//! - both sides changing the same attribute differently, creating the same
//!   object differently, or one deleting (or renaming) what the other
//!   modifies is [`ConflictKind::Incompatible`];
//! - columns added to the same table by both sides, and enum labels added
//!   at the same position, are [`ConflictKind::OrderDependent`]: PostgreSQL
//!   appends columns and places labels, so the result depends on the order;
//! - a change that is valid alone but invalid combined (a foreign key to a
//!   column the other side drops, an index on a column the other side
//!   renames, a view over a column the other side retypes) is
//!   [`ConflictKind::Semantic`].
//!
//! Rename hints (`-- @renamed from=old`) of either side are honoured: a
//! rename on one side and a modification of the same object on the other
//! merge onto the renamed object, while a use of the old name elsewhere is a
//! conflict. Where there is a conflict the merged schema keeps ours'
//! version of the objects involved, so the ChangeSet leaves them alone.
//!
//! ```
//! use astrola_core::{parse_sql, Dialect};
//! use astrola_diff::merge::{merge, MergeOptions};
//!
//! let parse = |sql: &str| parse_sql(sql, Dialect::Postgres).map(|p| p.schema);
//! let base = parse("CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100));")?;
//! let ours = parse("CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100) UNIQUE);")?;
//! let theirs = parse("CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100)); CREATE TABLE teams (id bigint);")?;
//! let merged = merge(&base, &ours, &theirs, &MergeOptions::default())?;
//! assert!(merged.conflicts.is_empty());
//! assert_eq!(merged.changes.sql(), "CREATE TABLE public.teams (\n    id bigint\n);\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod conflict;
pub mod history;
mod object;
mod semantic;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use astrola_core::model::{Column, Table, TypeDef, TypeKind};
use astrola_core::{QualifiedName, Schema};

use crate::{diff, ChangeSet, DiffOptions, Error, RenameHint};

pub use conflict::{Conflict, ConflictKind};
pub use history::{merge_histories, HistoryMerge, Renumbered};
use object::Obj;

/// The version of the Merge JSON format (`docs/merge-json.md`).
pub const MERGE_FORMAT_VERSION: u32 = 1;

/// How to merge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeOptions {
    /// The renames ours made: the `-- @renamed` annotations of ours' SQL.
    #[serde(default)]
    pub ours_renames: Vec<RenameHint>,
    /// The renames theirs made.
    #[serde(default)]
    pub theirs_renames: Vec<RenameHint>,
    /// Render destructive changes of the merged migration (theirs' drops)
    /// instead of refusing them, as [`DiffOptions::allow_destructive`].
    #[serde(default)]
    pub allow_destructive: bool,
}

/// The result of a three-way merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merge {
    /// The JSON format version, [`MERGE_FORMAT_VERSION`].
    pub format: u32,
    /// The merged schema. Where there are conflicts, it holds ours' version
    /// of the objects involved.
    pub schema: Schema,
    /// The changes that take ours to the merged schema: what the branch
    /// that lands second must run.
    pub changes: ChangeSet,
    /// Why the branches do not combine; empty when they do.
    pub conflicts: Vec<Conflict>,
    /// Remarks (rename hints that did not apply, and similar).
    #[serde(default)]
    pub notes: Vec<String>,
    /// The options `changes` was computed with: theirs' renames that apply
    /// on ours, and `allow_destructive`. `diff(ours, &m.schema,
    /// &m.diff_options)` gives `changes` again, and [`crate::down`] with
    /// them its reverse. Not part of the JSON (empty when read from it).
    #[serde(skip)]
    pub diff_options: DiffOptions,
}

impl Merge {
    /// Whether the branches combine: no conflict.
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }

    /// The merged migration SQL (conflicting changes left out).
    pub fn sql(&self) -> String {
        self.changes.sql()
    }

    /// The merged migration SQL followed, for each conflict, by a block
    /// with git-style markers holding both sides' statements:
    ///
    /// ```text
    /// <<<<<<< ours: column public.users.email (incompatible)
    /// ALTER TABLE public.users ALTER COLUMN email TYPE text;
    /// =======
    /// ALTER TABLE public.users ALTER COLUMN email TYPE character varying(320);
    /// >>>>>>> theirs
    /// ```
    pub fn sql_with_markers(&self) -> String {
        let mut out = self.changes.annotated_sql();
        for c in &self.conflicts {
            out.push_str(&format!("<<<<<<< ours: {} {} ({})\n", c.object_type, c.object, c.kind));
            push_block(&mut out, &c.ours_sql, &c.ours_change);
            out.push_str("=======\n");
            push_block(&mut out, &c.theirs_sql, &c.theirs_change);
            out.push_str(">>>>>>> theirs\n");
        }
        out
    }

    /// A report for people: each conflict with base, ours and theirs side
    /// by side, its explanation and resolution, then the merged migration.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.conflicts.is_empty() {
            out.push_str("The branches merge cleanly.\n");
        } else {
            out.push_str(&format!("{} conflict(s):\n", self.conflicts.len()));
        }
        for (i, c) in self.conflicts.iter().enumerate() {
            out.push_str(&format!("\n{}. {} {} {}\n", i + 1, c.kind, c.object_type, c.object));
            let cell = |def: &Option<String>, change: &str| format!("{}\n\n({change})", def.clone().unwrap_or_else(|| "(absent)".into()));
            let base = c.base.clone().unwrap_or_else(|| "(absent)".into());
            out.push_str(&conflict::side_by_side(&["base", "ours", "theirs"], &[base, cell(&c.ours, &c.ours_change), cell(&c.theirs, &c.theirs_change)], 38));
            out.push_str(&format!("why: {}\nfix: {}\n", c.explanation, c.resolution));
        }
        for n in &self.notes {
            out.push_str(&format!("note: {n}\n"));
        }
        let sql = self.changes.annotated_sql();
        if sql.is_empty() {
            out.push_str("\nmerged migration (ours -> merged): nothing to run\n");
        } else {
            out.push_str("\nmerged migration (ours -> merged):\n");
            out.push_str(&sql);
        }
        out
    }

    /// The merge as pretty-printed JSON (`docs/merge-json.md`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

fn push_block(out: &mut String, sql: &str, change: &str) {
    if sql.trim().is_empty() {
        out.push_str(&format!("-- {}\n", change.replace('\n', " ")));
    } else {
        out.push_str(sql);
        if !sql.ends_with('\n') {
            out.push('\n');
        }
    }
}

/// One side of a merge, by its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Ours,
    Theirs,
}

impl Side {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Theirs => "theirs",
        }
    }

    pub(crate) fn other(self) -> Side {
        match self {
            Side::Ours => Side::Theirs,
            Side::Theirs => Side::Ours,
        }
    }
}

/// A conflict being built: the public record, the objects whose SQL belongs
/// to it, and the objects the merged schema takes back from ours.
pub(crate) struct Found {
    pub(crate) conflict: Conflict,
    pub(crate) sql_objects: Vec<String>,
    pub(crate) pins: Vec<Obj>,
}

/// The three schemas with every applicable rename of both sides applied,
/// so that an object has the same key in all three.
pub(crate) struct Aligned<'a> {
    pub(crate) base: Cow<'a, Schema>,
    pub(crate) ours: Cow<'a, Schema>,
    pub(crate) theirs: Cow<'a, Schema>,
}

impl Aligned<'_> {
    pub(crate) fn side(&self, side: Side) -> &Schema {
        match side {
            Side::Ours => &self.ours,
            Side::Theirs => &self.theirs,
        }
    }
}

/// Merges `ours` and `theirs`, two branches of `base`.
pub fn merge(base: &Schema, ours: &Schema, theirs: &Schema, options: &MergeOptions) -> Result<Merge, Error> {
    for other in [ours, theirs] {
        if other.dialect != base.dialect {
            return Err(Error::DialectMismatch { from: base.dialect, to: other.dialect });
        }
    }
    let mut notes = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    // The hints that rename something of the base into the side.
    let ours_hints = applicable(base, ours, &options.ours_renames);
    let theirs_hints = applicable(base, theirs, &options.theirs_renames);
    for (side, given, kept) in [(Side::Ours, &options.ours_renames, &ours_hints), (Side::Theirs, &options.theirs_renames, &theirs_hints)] {
        for h in given.iter().filter(|h| !kept.contains(h)) {
            notes.push(format!("{} rename hint {:?} {} -> {} on {} does not rename anything of the base", side.word(), h.kind, h.from, h.to, h.table));
        }
    }
    let aligned_base = if ours_hints.is_empty() && theirs_hints.is_empty() {
        Cow::Borrowed(base)
    } else {
        let (b1, ..) = crate::renames::apply(base, ours, &ours_hints);
        let (b2, ..) = crate::renames::apply(&b1, theirs, &theirs_hints);
        Cow::Owned(b2)
    };
    let (aligned_ours, theirs_on_ours) = align(ours, theirs, &theirs_hints);
    let (aligned_theirs, ours_on_theirs) = align(theirs, ours, &ours_hints);
    let aligned = Aligned { base: aligned_base, ours: aligned_ours, theirs: aligned_theirs };
    // A rename that does not apply on the other side: the other side
    // dropped or renamed the object too.
    for (side, hints, mask, other_hints) in [(Side::Ours, &ours_hints, &ours_on_theirs, &theirs_hints), (Side::Theirs, &theirs_hints, &theirs_on_ours, &ours_hints)] {
        for (h, ok) in hints.iter().zip(mask) {
            if !ok && !other_hints.iter().any(|o| same_rename(o, h)) {
                found.push(semantic::rename_clash(side, h, other_hints, base, &aligned));
            }
        }
    }
    let mut merged = aligned.ours.clone().into_owned();
    merge_objects(&aligned, &mut merged, &mut found);
    semantic::check(base, ours, theirs, &ours_hints, &theirs_hints, &aligned, &mut found);
    semantic::nullable_keys(&aligned, &mut found);
    for f in &found {
        for p in &f.pins {
            p.restore(&mut merged, &aligned.ours);
        }
    }
    semantic::dangling(&aligned, &merged, &mut found);
    for f in &found {
        for p in &f.pins {
            p.restore(&mut merged, &aligned.ours);
        }
    }
    let renames: Vec<RenameHint> = theirs_hints.iter().zip(&theirs_on_ours).filter(|(_, ok)| **ok).map(|(h, _)| h.clone()).collect();
    let diff_options = DiffOptions { allow_destructive: options.allow_destructive, renames };
    let changes = diff(ours, &merged, &diff_options)?;
    let mut conflicts = dedup(found);
    if !conflicts.is_empty() {
        let all = DiffOptions { allow_destructive: true, renames: Vec::new() };
        let ours_plan = diff(base, ours, &DiffOptions { renames: ours_hints.clone(), ..all.clone() })?;
        let theirs_plan = diff(base, theirs, &DiffOptions { renames: theirs_hints.clone(), ..all })?;
        for (c, objects) in &mut conflicts {
            c.ours_sql = sql_about(&ours_plan, objects);
            c.theirs_sql = sql_about(&theirs_plan, objects);
        }
    }
    let conflicts = conflicts.into_iter().map(|(c, _)| c).collect();
    Ok(Merge { format: MERGE_FORMAT_VERSION, schema: merged, changes, conflicts, notes, diff_options })
}

fn same_rename(a: &RenameHint, b: &RenameHint) -> bool {
    a.kind == b.kind && a.table == b.table && a.from == b.from && a.to == b.to
}

/// The hints that rename an object of `base` into `side`.
fn applicable(base: &Schema, side: &Schema, hints: &[RenameHint]) -> Vec<RenameHint> {
    if hints.is_empty() {
        return Vec::new();
    }
    let (_, _, _, mask) = crate::renames::apply_marked(base, side, hints);
    hints.iter().zip(mask).filter(|(_, ok)| *ok).map(|(h, _)| h.clone()).collect()
}

/// `schema` with the other side's renames applied, and which applied.
fn align<'a>(schema: &'a Schema, other: &Schema, hints: &[RenameHint]) -> (Cow<'a, Schema>, Vec<bool>) {
    if hints.is_empty() {
        return (Cow::Borrowed(schema), Vec::new());
    }
    let (renamed, _, _, mask) = crate::renames::apply_marked(schema, other, hints);
    (Cow::Owned(renamed), mask)
}

/// Sorts conflicts and drops repeats (the same conflict found twice).
fn dedup(found: Vec<Found>) -> Vec<(Conflict, Vec<String>)> {
    let mut seen = BTreeSet::new();
    let mut out: Vec<(Conflict, Vec<String>)> = Vec::new();
    for f in found {
        let key = (f.conflict.object.clone(), f.conflict.kind, f.conflict.ours_change.clone(), f.conflict.theirs_change.clone());
        if seen.insert(key) {
            out.push((f.conflict, f.sql_objects));
        }
    }
    out.sort_by(|(a, _), (b, _)| {
        let pair = |c: &Conflict| {
            let (x, y) = (c.ours_change.clone(), c.theirs_change.clone());
            if x <= y { (x, y) } else { (y, x) }
        };
        (&a.object_type, &a.object, a.kind, pair(a)).cmp(&(&b.object_type, &b.object, b.kind, pair(b)))
    });
    out
}

/// The statements of `plan` about `objects` (an object or anything inside it).
fn sql_about(plan: &ChangeSet, objects: &[String]) -> String {
    let mut out = String::new();
    for s in &plan.statements {
        let Some(i) = s.change else { continue };
        let Some(c) = plan.changes.get(i) else { continue };
        let about = objects.iter().any(|o| c.object == *o || c.object.strip_prefix(o.as_str()).is_some_and(|rest| rest.starts_with('.')));
        if about && !out.contains(&s.sql) {
            out.push_str(&s.sql);
        }
    }
    out
}

/// What a side did to an object, in words.
pub(crate) fn describe<V: PartialEq>(obj: &Obj, base: Option<&V>, side: Option<&V>) -> String {
    let what = format!("{} {}", obj.type_word(), obj.name());
    match (base, side) {
        (None, Some(_)) => format!("creates {what}"),
        (Some(_), None) => format!("drops {what}"),
        (Some(b), Some(s)) if b == s => format!("leaves {what} unchanged"),
        (Some(_), Some(_)) => format!("changes {what}"),
        (None, None) => format!("does not have {what}"),
    }
}

/// Builds a conflict about `obj` between the three versions given.
#[allow(clippy::too_many_arguments)]
pub(crate) fn conflict_about(
    aligned: &Aligned<'_>,
    kind: ConflictKind,
    obj: &Obj,
    ours_change: String,
    theirs_change: String,
    explanation: String,
    resolution: String,
) -> Found {
    let conflict = Conflict {
        kind,
        object_type: obj.type_word().to_string(),
        object: obj.name(),
        base: obj.definition(&aligned.base),
        ours: obj.definition(&aligned.ours),
        theirs: obj.definition(&aligned.theirs),
        ours_change,
        theirs_change,
        explanation,
        resolution,
        ours_sql: String::new(),
        theirs_sql: String::new(),
    };
    Found { conflict, sql_objects: vec![obj.name()], pins: Vec::new() }
}

/// The conflict of two different versions of one whole object.
fn whole_conflict<V: PartialEq>(aligned: &Aligned<'_>, obj: &Obj, b: Option<&V>, o: Option<&V>, t: Option<&V>) -> Found {
    let (oc, tc) = (describe(obj, b, o), describe(obj, b, t));
    let what = format!("{} {}", obj.type_word(), obj.name());
    let (explanation, resolution) = match (b, o, t) {
        (None, _, _) => (
            format!("Both branches create {what}, with different definitions. Whichever migration runs second fails, because the object already exists, and one branch's definition is lost."),
            format!("Agree on one definition of {what}: make both branches create it identically, or give one of them another name."),
        ),
        (Some(_), None, _) | (Some(_), _, None) => {
            let (dropper, keeper) = if o.is_none() { ("ours", "theirs") } else { ("theirs", "ours") };
            (
                format!("{dropper} drops {what}, which {keeper} changes. In one order the change fails on a missing object; in the other the drop silently discards it."),
                format!("Decide whether {what} should exist: remove the drop from {dropper}, or remove the change from {keeper}, then merge again."),
            )
        }
        (Some(_), Some(_), Some(_)) => (
            format!("Both branches change {what}, differently. The result depends on which migration runs last, and the other branch's change is lost."),
            format!("Choose one definition of {what} (or combine both by hand) and make the other branch match it."),
        ),
    };
    conflict_about(aligned, ConflictKind::Incompatible, obj, oc, tc, explanation, resolution)
}

/// What a merge of one key decides.
enum Pick<V> {
    /// Keep ours' version (the merged schema starts as ours).
    Ours,
    /// Put this version (or remove the object).
    Set(Option<V>),
}

/// Merges `b`, `o` and `t` into `out` (which holds `o`): theirs' changes to
/// objects ours left alone are taken, identical changes are kept once, and
/// `clash` decides objects both sides changed differently.
fn merge_map<K: Ord + Clone, V: PartialEq + Clone>(
    b: &BTreeMap<K, V>,
    o: &BTreeMap<K, V>,
    t: &BTreeMap<K, V>,
    out: &mut BTreeMap<K, V>,
    mut clash: impl FnMut(&K, Option<&V>, Option<&V>, Option<&V>) -> Pick<V>,
) {
    let mut visit = |k: &K| {
        let (bv, ov, tv) = (b.get(k), o.get(k), t.get(k));
        if ov == tv || bv == tv {
            return;
        }
        let pick = if bv == ov { Pick::Set(tv.cloned()) } else { clash(k, bv, ov, tv) };
        if let Pick::Set(v) = pick {
            match v {
                Some(v) => {
                    out.insert(k.clone(), v);
                }
                None => {
                    out.remove(k);
                }
            }
        }
    };
    for k in b.keys() {
        visit(k);
    }
    for k in o.keys().filter(|k| !b.contains_key(*k)) {
        visit(k);
    }
    for k in t.keys().filter(|k| !b.contains_key(*k) && !o.contains_key(*k)) {
        visit(k);
    }
}

/// Merges every kind of object of the aligned schemas into `merged`.
fn merge_objects(a: &Aligned<'_>, merged: &mut Schema, found: &mut Vec<Found>) {
    let (b, o, t) = (&*a.base, &*a.ours, &*a.theirs);
    macro_rules! whole {
        ($field:ident, $obj:expr) => {{
            let mut out = std::mem::take(&mut merged.$field);
            merge_map(&b.$field, &o.$field, &t.$field, &mut out, |k, bv, ov, tv| {
                #[allow(clippy::redundant_closure_call)]
                let obj = ($obj)(k);
                found.push(whole_conflict(a, &obj, bv, ov, tv));
                Pick::Ours
            });
            merged.$field = out;
        }};
    }
    whole!(namespaces, |k: &String| Obj::Namespace(k.clone()));
    whole!(extensions, |k: &String| Obj::Extension(k.clone()));
    whole!(domains, |k: &QualifiedName| Obj::Domain(k.clone()));
    whole!(sequences, |k: &QualifiedName| Obj::Sequence(k.clone()));
    whole!(indexes, |k: &QualifiedName| Obj::Index(k.clone()));
    whole!(views, |k: &QualifiedName| Obj::View(k.clone()));
    whole!(functions, |k: &String| Obj::Function(k.clone()));

    let mut types = std::mem::take(&mut merged.types);
    merge_map(&b.types, &o.types, &t.types, &mut types, |k, bv, ov, tv| {
        let obj = Obj::Type(k.clone());
        if let (Some(bt), Some(ot), Some(tt)) = (bv, ov, tv) {
            match merge_type(a, &obj, bt, ot, tt) {
                Ok(merged) => return Pick::Set(Some(merged)),
                Err(f) => found.push(*f),
            }
        } else {
            found.push(whole_conflict(a, &obj, bv, ov, tv));
        }
        Pick::Ours
    });
    merged.types = types;

    let mut tables = std::mem::take(&mut merged.tables);
    merge_map(&b.tables, &o.tables, &t.tables, &mut tables, |k, bv, ov, tv| {
        if let (Some(bt), Some(ot), Some(tt)) = (bv, ov, tv) {
            return Pick::Set(Some(merge_table(a, k, bt, ot, tt, found)));
        }
        found.push(whole_conflict(a, &Obj::Table(k.clone()), bv, ov, tv));
        Pick::Ours
    });
    merged.tables = tables;

    // Grants are a set: one side's revoke removes, either side's grant adds.
    merged.grants = o.grants.iter().filter(|g| b.grants.contains(*g) == t.grants.contains(*g) || !b.grants.contains(*g)).cloned().collect();
    merged.grants.extend(t.grants.iter().filter(|g| !b.grants.contains(*g)).cloned());
    // Unmanaged statements: the same, in ours' order, theirs' new ones after.
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let bset: BTreeSet<String> = b.unmanaged.iter().map(|u| norm(&u.sql)).collect();
    let tset: BTreeSet<String> = t.unmanaged.iter().map(|u| norm(&u.sql)).collect();
    let oset: BTreeSet<String> = o.unmanaged.iter().map(|u| norm(&u.sql)).collect();
    merged.unmanaged = o.unmanaged.iter().filter(|u| !bset.contains(&norm(&u.sql)) || tset.contains(&norm(&u.sql))).cloned().collect();
    merged.unmanaged.extend(t.unmanaged.iter().filter(|u| !bset.contains(&norm(&u.sql)) && !oset.contains(&norm(&u.sql))).cloned());
}

/// Three-way merge of one field: `Ok` with the merged value, `Err` when
/// both sides changed it differently.
fn field<T: PartialEq + Clone>(b: &T, o: &T, t: &T) -> Result<T, ()> {
    if o == t || b == t {
        Ok(o.clone())
    } else if b == o {
        Ok(t.clone())
    } else {
        Err(())
    }
}

/// Merges a table both sides changed differently.
fn merge_table(a: &Aligned<'_>, name: &QualifiedName, b: &Table, o: &Table, t: &Table, found: &mut Vec<Found>) -> Table {
    let mut out = o.clone();
    let obj = Obj::Table(name.clone());
    let mut clashes: Vec<&str> = Vec::new();
    macro_rules! attr {
        ($f:ident, $label:literal) => {
            match field(&b.$f, &o.$f, &t.$f) {
                Ok(v) => out.$f = v,
                Err(()) => clashes.push($label),
            }
        };
    }
    attr!(partition_by, "partition key");
    attr!(partition_of, "partition parent and bound");
    attr!(inherits, "parents (INHERITS)");
    attr!(unlogged, "UNLOGGED setting");
    attr!(row_security, "row level security");
    attr!(force_row_security, "FORCE ROW LEVEL SECURITY setting");
    attr!(options, "storage parameters");
    attr!(comment, "comment");
    if !clashes.is_empty() {
        let list = clashes.join(", ");
        found.push(conflict_about(
            a,
            ConflictKind::Incompatible,
            &obj,
            format!("changes the {list} of table {name}"),
            format!("changes the {list} of table {name}"),
            format!("Both branches change the {list} of table {name}, to different values. The one that runs last wins and the other branch's setting is lost."),
            format!("Choose one value for the {list} of {name} and make both branches agree."),
        ));
    }
    out.columns = merge_columns(a, name, b, o, t, found);
    macro_rules! members {
        ($f:ident, $obj:ident) => {{
            let mut m = std::mem::take(&mut out.$f);
            merge_map(&b.$f, &o.$f, &t.$f, &mut m, |k, bv, ov, tv| {
                found.push(whole_conflict(a, &Obj::$obj(name.clone(), k.clone()), bv, ov, tv));
                Pick::Ours
            });
            out.$f = m;
        }};
    }
    members!(constraints, Constraint);
    members!(triggers, Trigger);
    members!(policies, Policy);
    out
}

/// Merges the columns of a table: ours' order, then the columns only theirs
/// added (PostgreSQL appends added columns).
fn merge_columns(a: &Aligned<'_>, table: &QualifiedName, b: &Table, o: &Table, t: &Table, found: &mut Vec<Found>) -> Vec<Column> {
    let mut out: Vec<Column> = Vec::with_capacity(o.columns.len() + t.columns.len());
    for oc in &o.columns {
        let (bc, tc) = (b.column(&oc.name), t.column(&oc.name));
        let ov = Some(oc);
        let pick = if ov == tc || bc == tc {
            Some(oc.clone())
        } else if bc == ov {
            tc.cloned()
        } else {
            match (bc, tc) {
                (Some(bc), Some(tc)) => match merge_column(bc, oc, tc) {
                    Ok(c) => Some(c),
                    Err(conflict) => {
                        found.push(column_conflict(a, table, bc, oc, tc, conflict));
                        Some(oc.clone())
                    }
                },
                _ => {
                    found.push(whole_conflict(a, &Obj::Column(table.clone(), oc.name.clone()), bc, ov, tc));
                    Some(oc.clone())
                }
            }
        };
        out.extend(pick);
    }
    for tc in t.columns.iter().filter(|c| o.column(&c.name).is_none()) {
        match b.column(&tc.name) {
            None => out.push(tc.clone()),
            Some(bc) if bc == tc => {}
            Some(bc) => found.push(whole_conflict(a, &Obj::Column(table.clone(), tc.name.clone()), Some(bc), None, Some(tc))),
        }
    }
    fn names(x: &Table) -> Vec<&str> {
        x.columns.iter().map(|c| c.name.as_str()).collect()
    }
    let (bn, on, tn) = (names(b), names(o), names(t));
    if on == bn && tn != bn {
        // Only theirs changed the column list: theirs' order.
        out.sort_by_key(|c| tn.iter().position(|n| *n == c.name).unwrap_or(usize::MAX));
    }
    let added = |x: &[&str]| x.iter().filter(|n| !bn.contains(n)).map(|n| n.to_string()).collect::<Vec<String>>();
    let (oa, ta) = (added(&on), added(&tn));
    let only_o: Vec<&String> = oa.iter().filter(|n| !ta.contains(n)).collect();
    let only_t: Vec<&String> = ta.iter().filter(|n| !oa.contains(n)).collect();
    let common_o: Vec<&String> = oa.iter().filter(|n| ta.contains(n)).collect();
    let common_t: Vec<&String> = ta.iter().filter(|n| oa.contains(n)).collect();
    if (!only_o.is_empty() && !only_t.is_empty()) || common_o != common_t {
        let list = |v: &[String]| v.iter().map(|n| astrola_core::ident::quote_ident(n)).collect::<Vec<_>>().join(", ");
        let obj = Obj::Table(table.clone());
        found.push(conflict_about(
            a,
            ConflictKind::OrderDependent,
            &obj,
            format!("adds column(s) {} to table {table}", list(&oa)),
            format!("adds column(s) {} to table {table}", list(&ta)),
            format!("Both branches add columns to table {table}. PostgreSQL appends an added column at the end of its table, so the final column order depends on which migration runs first, and differs between databases migrated in different orders (SELECT *, COPY and positional INSERTs see the difference)."),
            "If column order does not matter to you, accept the merged order (ours' columns first, then theirs'); otherwise rebase one branch on the other so that its columns are added after the other branch's.".to_string(),
        ));
    }
    out
}

/// Which attributes of a column both sides changed differently, or that
/// do not combine.
struct ColumnClash {
    fields: Vec<&'static str>,
}

/// Merges a column both sides changed, attribute by attribute.
fn merge_column(b: &Column, o: &Column, t: &Column) -> Result<Column, ColumnClash> {
    let mut out = o.clone();
    let mut fields = Vec::new();
    macro_rules! attr {
        ($f:ident, $label:literal) => {
            match field(&b.$f, &o.$f, &t.$f) {
                Ok(v) => out.$f = v,
                Err(()) => fields.push($label),
            }
        };
    }
    attr!(data_type, "type");
    attr!(not_null, "NOT NULL");
    attr!(default, "default");
    attr!(identity, "identity");
    attr!(generated, "generation expression");
    attr!(collation, "collation");
    attr!(comment, "comment");
    attr!(extra, "attributes");
    // A type change on one side and a default change on the other: the
    // default may not be valid for the new type (or collide with identity).
    let typed = |x: &Column| x.data_type != b.data_type || x.identity != b.identity || x.generated != b.generated || x.collation != b.collation;
    let type_and_default = (typed(o) && t.default != b.default) || (typed(t) && o.default != b.default);
    if fields.is_empty() && !type_and_default {
        Ok(out)
    } else {
        Err(ColumnClash { fields })
    }
}

/// The changes of a column, in words (`type integer -> bigint, NOT NULL set`).
pub(crate) fn column_change(b: &Column, s: &Column) -> String {
    let mut parts = Vec::new();
    let opt = |x: &Option<String>| x.clone().unwrap_or_else(|| "none".into());
    if b.data_type != s.data_type {
        parts.push(format!("type {} -> {}", b.data_type, s.data_type));
    }
    if b.not_null != s.not_null {
        parts.push(if s.not_null { "sets NOT NULL".to_string() } else { "drops NOT NULL".to_string() });
    }
    if b.default != s.default {
        parts.push(format!("default {} -> {}", opt(&b.default), opt(&s.default)));
    }
    if b.identity != s.identity {
        parts.push("changes its identity".into());
    }
    if b.generated != s.generated {
        parts.push(format!("generation expression {} -> {}", opt(&b.generated), opt(&s.generated)));
    }
    if b.collation != s.collation {
        parts.push(format!("collation {} -> {}", opt(&b.collation), opt(&s.collation)));
    }
    if b.comment != s.comment {
        parts.push("changes its comment".into());
    }
    if b.extra != s.extra {
        parts.push("changes its attributes".into());
    }
    if parts.is_empty() {
        "leaves it unchanged".into()
    } else {
        parts.join(", ")
    }
}

fn column_conflict(a: &Aligned<'_>, table: &QualifiedName, b: &Column, o: &Column, t: &Column, clash: ColumnClash) -> Found {
    let obj = Obj::Column(table.clone(), o.name.clone());
    let what = format!("column {}", obj.name());
    let oc = format!("changes {what}: {}", column_change(b, o));
    let tc = format!("changes {what}: {}", column_change(b, t));
    let (explanation, resolution) = if clash.fields.is_empty() {
        (
            format!("One branch changes the type (or identity, generation or collation) of {what} and the other changes its default. Each is valid alone, but the default may not be valid for the new type: run in one order, the type change fails on the default; in the other the default is converted or rejected."),
            "Make one branch do both: rebase the default change on the type change and check the default against the new type.".to_string(),
        )
    } else {
        let list = clash.fields.join(", ");
        (
            format!("Both branches change the {list} of {what}, to different values. Whichever migration runs last wins, and the other branch's change is lost silently."),
            format!("Choose one {list} for {what} and make both branches agree (or rebase one branch on the other)."),
        )
    };
    conflict_about(a, ConflictKind::Incompatible, &obj, oc, tc, explanation, resolution)
}

/// Merges a type both sides changed: enum labels added on both sides
/// combine when they go to different places.
fn merge_type(a: &Aligned<'_>, obj: &Obj, b: &TypeDef, o: &TypeDef, t: &TypeDef) -> Result<TypeDef, Box<Found>> {
    let comment = field(&b.comment, &o.comment, &t.comment).map_err(|()| Box::new(whole_conflict(a, obj, Some(b), Some(o), Some(t))))?;
    let kind = match (&b.kind, &o.kind, &t.kind) {
        (TypeKind::Enum { labels: bl }, TypeKind::Enum { labels: ol }, TypeKind::Enum { labels: tl }) if ol != tl && bl != ol && bl != tl => {
            if !is_subsequence(bl, ol) || !is_subsequence(bl, tl) {
                return Err(Box::new(whole_conflict(a, obj, Some(b), Some(o), Some(t))));
            }
            let ot = insert_labels(bl, ol, tl);
            let to = insert_labels(bl, tl, ol);
            if ot != to {
                let added = |x: &[String]| x.iter().filter(|l| !bl.contains(l)).map(|l| astrola_core::ident::quote_literal(l)).collect::<Vec<_>>().join(", ");
                let mut f = conflict_about(
                    a,
                    ConflictKind::OrderDependent,
                    obj,
                    format!("adds label(s) {} to enum {}", added(ol), obj.name()),
                    format!("adds label(s) {} to enum {}", added(tl), obj.name()),
                    format!("Both branches add labels to enum {} at the same place. Enum labels are ordered (they sort and compare by position), so the final order depends on which ALTER TYPE ... ADD VALUE runs first.", obj.name()),
                    "Decide the order of the new labels and make the second branch add its label with an explicit BEFORE or AFTER that gives that order.".to_string(),
                );
                f.sql_objects.push(obj.name());
                return Err(Box::new(f));
            }
            TypeKind::Enum { labels: ot }
        }
        (bk, ok, tk) => field(bk, ok, tk).map_err(|()| Box::new(whole_conflict(a, obj, Some(b), Some(o), Some(t))))?,
    };
    Ok(TypeDef { kind, comment })
}

fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}

/// `into` with the labels `from` added to `base` inserted, each after the
/// label it follows in `from`.
fn insert_labels(base: &[String], into: &[String], from: &[String]) -> Vec<String> {
    let mut out = into.to_vec();
    for (i, label) in from.iter().enumerate() {
        if base.contains(label) || out.contains(label) {
            continue;
        }
        let at = match i.checked_sub(1).and_then(|p| from.get(p)) {
            None => 0,
            Some(anchor) => out.iter().position(|l| l == anchor).map_or(out.len(), |p| p + 1),
        };
        out.insert(at, label.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(x: &[&str]) -> Vec<String> {
        x.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_merge_records_the_diff_that_gives_its_changes() -> Result<(), Box<dyn std::error::Error>> {
        use astrola_core::{parse_sql, Dialect};
        let base = parse_sql("CREATE TABLE users (id bigint PRIMARY KEY, name text);", Dialect::Postgres)?;
        let ours = parse_sql("CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);", Dialect::Postgres)?;
        let theirs = parse_sql("CREATE TABLE users (id bigint PRIMARY KEY, full_name text -- @renamed from=name\n);", Dialect::Postgres)?;
        let options = MergeOptions { ours_renames: ours.renames.clone(), theirs_renames: theirs.renames, allow_destructive: false };
        let m = merge(&base.schema, &ours.schema, &theirs.schema, &options)?;
        assert!(m.is_clean(), "{m:?}");
        assert_eq!(m.diff_options.renames.len(), 1);
        assert_eq!(diff(&ours.schema, &m.schema, &m.diff_options)?, m.changes);
        assert!(m.changes.sql().contains("RENAME COLUMN name TO full_name"), "{}", m.changes.sql());
        assert!(!m.to_json().contains("diff_options"));
        Ok(())
    }

    #[test]
    fn labels_at_different_places_commute_and_at_the_same_place_do_not() {
        let b = labels(&["a", "b"]);
        let (o, t) = (labels(&["a", "x", "b"]), labels(&["a", "b", "y"]));
        assert_eq!(insert_labels(&b, &o, &t), insert_labels(&b, &t, &o));
        let (o, t) = (labels(&["a", "b", "c"]), labels(&["a", "b", "d"]));
        assert_ne!(insert_labels(&b, &o, &t), insert_labels(&b, &t, &o));
    }
}

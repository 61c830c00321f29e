//! SQLite SQL for each change.
//!
//! SQLite's `ALTER TABLE` can rename a table, rename a column, add a column
//! and drop a column, each with restrictions
//! (<https://www.sqlite.org/lang_altertable.html>). Every other change of a
//! table (a type, a constraint, a default, `STRICT`, the column order), and
//! an added or dropped column that hits a restriction, rebuilds the table
//! with the procedure of "Making Other Kinds Of Table Schema Changes":
//!
//! ```sql
//! PRAGMA foreign_keys = OFF;            -- outside the transaction
//! BEGIN;
//! DROP VIEW ...;                        -- views that read the table
//! DROP TRIGGER ...;                     -- triggers of other tables that name it
//! CREATE TABLE "new_t" (...);           -- the target definition
//! INSERT INTO "new_t" (...) SELECT ... FROM "t";
//! DROP TABLE "t";
//! ALTER TABLE "new_t" RENAME TO "t";
//! CREATE INDEX ...; CREATE VIEW ...; CREATE TRIGGER ...;
//! PRAGMA foreign_key_check;
//! COMMIT;
//! PRAGMA foreign_keys = ON;
//! ```
//!
//! All the changes of one table are one rebuild, rendered at the first of
//! them (the ordering keeps the changes of a rebuild together); the
//! other changes of the group render nothing. Renames stay plain `ALTER
//! TABLE` statements and run before the rebuild, which reads the table by
//! its new names.
//!
//! - Columns are copied by name; a column that becomes NOT NULL and has a
//!   default is copied through `COALESCE(column, default)`, one without a
//!   default is copied as it is, so a NULL fails loudly. Implicit rowids
//!   and the `AUTOINCREMENT` counter are kept.
//! - Views that read the table (directly or through other views) and
//!   triggers of other tables whose body names it are dropped first: the
//!   `RENAME` checks every view and trigger of the database. They are
//!   created again with their target definitions, as are the table's own
//!   triggers (which `DROP TABLE` removes), unless a later change creates
//!   or drops them anyway. Drops of views and triggers that a rebuild has
//!   already removed render nothing.
//! - A refused (destructive) change is not carried out by a rebuild either:
//!   the rebuilt table keeps the source's column, constraint or index.
//! - A new table is created whole, foreign keys included (SQLite cannot
//!   add a constraint later), so its constraint changes render nothing.
//! - Index renames are a drop and a create (SQLite cannot rename an index).
//!
//! The three statements of a rebuild are marked non-transactional: the
//! PRAGMAs do nothing inside a transaction, and the middle one runs its own.
//! Identifiers are always double-quoted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use astrola_core::ident::{quote_ident_always as quote, quote_literal};
use astrola_core::model::{Column, ConstraintKind, Index, IndexTarget, Table, View};
use astrola_core::render::sqlite as ddl;
use astrola_core::{QualifiedName, Schema};

use super::Statement;
use crate::compare_sqlite::{identifiers, trigger_header};
use crate::Change;

/// Renders `changes` (already ordered) as SQLite statements.
pub fn render(changes: &[Change], from: &Schema, to: &Schema) -> Vec<Statement> {
    let groups = Groups::new(changes, from, to);
    let mut r = Renderer { changes, from, to, groups: &groups, live: Live::new(from), out: Vec::new() };
    let mut rendered: BTreeSet<String> = BTreeSet::new();
    for (i, c) in changes.iter().enumerate() {
        match groups.member_of[i].as_ref() {
            Some(table) if groups.rebuilt.contains(table) => {
                if rendered.insert(table.clone()) {
                    r.rebuild(i, table);
                }
            }
            Some(_) if !matches!(c, Change::CreateTable { .. }) => {}
            _ => r.plain(i, c),
        }
    }
    r.out
}

/// For each change, the index of the change that leads its group: the
/// changes one table rebuild carries out (and a new table with its
/// constraints) form one group, led by the member that would run first.
/// Other changes lead themselves.
pub(crate) fn rebuild_leaders(changes: &[Change], from: &Schema, to: &Schema) -> Vec<usize> {
    let groups = Groups::new(changes, from, to);
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, g) in groups.member_of.iter().enumerate() {
        if let Some(t) = g {
            let at = first.entry(t.as_str()).or_insert(i);
            if (crate::order::phase(&changes[i]), i) < (crate::order::phase(&changes[*at]), *at) {
                *at = i;
            }
        }
    }
    groups.member_of.iter().enumerate().map(|(i, g)| g.as_ref().and_then(|t| first.get(t.as_str()).copied()).unwrap_or(i)).collect()
}

/// A name folded as SQLite compares identifiers (ASCII letters only), to
/// key tables, views and triggers by.
fn lower(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// The table called `name` (in any case) in `schema`.
fn find_table<'s>(schema: &'s Schema, name: &str) -> Option<&'s Table> {
    schema.tables.iter().find(|(k, _)| k.name.eq_ignore_ascii_case(name)).map(|(_, t)| t)
}

fn column_ci<'t>(table: &'t Table, name: &str) -> Option<&'t Column> {
    table.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name))
}

/// Whether `text` names `name` (an identifier, in any case).
fn mentions(text: &str, name: &str) -> bool {
    identifiers(text).contains(&lower(name))
}

/// The table whose definition `c` changes (indexes included).
fn definition_table(c: &Change) -> Option<&QualifiedName> {
    use Change::*;
    match c {
        AddColumn { table, .. }
        | DropColumn { table, .. }
        | AlterColumnType { table, .. }
        | AlterColumnExtra { table, .. }
        | ReplaceColumn { table, .. }
        | SetNotNull { table, .. }
        | DropNotNull { table, .. }
        | SetDefault { table, .. }
        | DropDefault { table, .. }
        | AddIdentity { table, .. }
        | DropIdentity { table, .. }
        | AlterIdentity { table, .. }
        | DropExpression { table, .. }
        | AddConstraint { table, .. }
        | DropConstraint { table, .. }
        | ValidateConstraint { table, .. }
        | RenameConstraint { table, .. }
        | SetTableOptions { table, .. }
        | RenameIndex { table, .. } => Some(table),
        CreateIndex { index, .. } | DropIndex { index, .. } => Some(&index.table),
        _ => None,
    }
}

/// Whether a default is a constant `ALTER TABLE ... ADD COLUMN` accepts: a
/// literal number, string, blob, NULL, TRUE or FALSE (not `CURRENT_TIME`
/// and the like, nor an expression in parentheses).
fn is_constant(default: &str) -> bool {
    let d = default.trim();
    if ["NULL", "TRUE", "FALSE"].iter().any(|k| d.eq_ignore_ascii_case(k)) {
        return true;
    }
    let string = |s: &str| s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') && !s[1..s.len() - 1].replace("''", "").contains('\'');
    if string(d) || (d.len() > 1 && matches!(d.as_bytes()[0], b'x' | b'X') && string(&d[1..])) {
        return true;
    }
    let unsigned = d.trim_start_matches(['+', '-']);
    let hex = unsigned.strip_prefix("0x").or_else(|| unsigned.strip_prefix("0X"));
    hex.is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
        || (unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') && unsigned.parse::<f64>().is_ok())
}

/// Whether `ALTER TABLE ... ADD COLUMN` can add `column`: not a STORED
/// generated column, a constant default, and NOT NULL only with a non-NULL
/// default. (Keys, foreign keys and checks are constraints of the table,
/// which a rebuild adds.)
fn can_add_column(column: &Column) -> bool {
    let stored = column.generated.is_some() && column.extra.iter().any(|e| e == "STORED");
    let default_ok = match &column.default {
        Some(d) => is_constant(d) && !(column.not_null && d.trim().eq_ignore_ascii_case("NULL")),
        None => !column.not_null || column.generated.is_some(),
    };
    !stored && default_ok && !column.extra.iter().any(|e| e == "AUTOINCREMENT")
}

/// Whether `ALTER TABLE ... DROP COLUMN` can drop `column` of `table` in
/// `schema`: it is in no key, foreign key, check, index or generated
/// column, and no view or trigger names it.
fn can_drop_column(schema: &Schema, table: &QualifiedName, column: &str) -> bool {
    let Some(t) = find_table(schema, &table.name) else { return false };
    let in_constraint = t.constraints.values().any(|c| match &c.kind {
        ConstraintKind::Check { expr, .. } => mentions(expr, column),
        kind => kind.columns().iter().any(|c| c.eq_ignore_ascii_case(column)),
    });
    let referenced = schema.tables.values().flat_map(|o| o.constraints.values()).any(|c| {
        matches!(&c.kind, ConstraintKind::ForeignKey { ref_table, ref_columns, .. }
            if ref_table.name.eq_ignore_ascii_case(&table.name) && ref_columns.iter().any(|r| r.eq_ignore_ascii_case(column)))
    });
    let indexed = schema.indexes.values().filter(|i| i.table.name.eq_ignore_ascii_case(&table.name)).any(|i| {
        i.keys.iter().any(|k| match &k.target {
            IndexTarget::Column(c) => c.eq_ignore_ascii_case(column),
            IndexTarget::Expression(e) => mentions(e, column),
        }) || i.predicate.as_deref().is_some_and(|p| mentions(p, column))
            || i.include.iter().any(|c| c.eq_ignore_ascii_case(column))
    });
    let generated = t.columns.iter().filter_map(|c| c.generated.as_deref()).any(|g| mentions(g, column));
    let named = schema.views.values().any(|v| mentions(&v.query, column))
        || schema.unmanaged.iter().filter(|u| crate::compare_sqlite::is_trigger(u)).any(|u| mentions(&u.sql, column));
    !(in_constraint || referenced || indexed || generated || named)
}

/// How the changes of the plan fall into groups.
struct Groups {
    /// For each change, the lower-case name of the table whose group it is
    /// part of: a table rebuilt, or a table created with its constraints.
    member_of: Vec<Option<String>>,
    /// The tables (lower-case) that are rebuilt.
    rebuilt: BTreeSet<String>,
}

impl Groups {
    fn new(changes: &[Change], from: &Schema, to: &Schema) -> Self {
        let created: BTreeSet<String> =
            changes.iter().filter_map(|c| if let Change::CreateTable { name, .. } = c { Some(lower(&name.name)) } else { None }).collect();
        let mut member_of = vec![None; changes.len()];
        let mut by_table: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, c) in changes.iter().enumerate() {
            match c {
                Change::CreateTable { name, .. } => member_of[i] = Some(lower(&name.name)),
                Change::AddConstraint { table, .. } if created.contains(&lower(&table.name)) => member_of[i] = Some(lower(&table.name)),
                _ => {
                    if let Some(t) = definition_table(c) {
                        by_table.entry(lower(&t.name)).or_default().push(i);
                    }
                }
            }
        }
        let mut rebuilt = BTreeSet::new();
        for (table, members) in by_table {
            let (Some(a), Some(b)) = (find_table(from, &table), find_table(to, &table)) else { continue };
            let needs = members.iter().any(|&i| match &changes[i] {
                Change::AddColumn { column, .. } => !can_add_column(column),
                Change::DropColumn { table, column } => !can_drop_column(from, table, &column.name),
                Change::CreateIndex { .. } | Change::DropIndex { .. } | Change::RenameIndex { .. } | Change::ValidateConstraint { .. } => false,
                _ => true,
            });
            let group: Vec<&Change> = members.iter().map(|&i| &changes[i]).collect();
            if needs || !plain_order_matches(a, &target_table(a, b, &group), &group) {
                for &i in &members {
                    member_of[i] = Some(table.clone());
                }
                rebuilt.insert(table);
            }
        }
        Self { member_of, rebuilt }
    }
}

/// Whether plain `DROP COLUMN`s and `ADD COLUMN`s (which append) give the
/// columns of `target` in its order, leaving a column at every step.
fn plain_order_matches(source: &Table, target: &Table, group: &[&Change]) -> bool {
    let dropped: BTreeSet<String> =
        group.iter().filter_map(|c| if let Change::DropColumn { column, .. } = c { Some(lower(&column.name)) } else { None }).collect();
    let mut names: Vec<String> = source.columns.iter().map(|c| lower(&c.name)).filter(|n| !dropped.contains(n)).collect();
    if names.is_empty() && !dropped.is_empty() {
        return false;
    }
    names.extend(group.iter().filter_map(|c| if let Change::AddColumn { column, .. } = c { Some(lower(&column.name)) } else { None }));
    names == target.columns.iter().map(|c| lower(&c.name)).collect::<Vec<_>>()
}

/// The table a rebuild creates: the target definition, except where a
/// change of it is not in `group` (refused as destructive), which keeps the
/// source's column, constraint or options.
fn target_table(source: &Table, target: &Table, group: &[&Change]) -> Table {
    use Change::*;
    let mut columns_changed: BTreeSet<String> = BTreeSet::new();
    let mut columns_dropped: BTreeSet<String> = BTreeSet::new();
    let mut constraints_changed: BTreeSet<String> = BTreeSet::new();
    let mut options_changed = false;
    for c in group {
        match c {
            AddColumn { column, .. } => {
                columns_changed.insert(lower(&column.name));
            }
            DropColumn { column, .. } => {
                columns_dropped.insert(lower(&column.name));
            }
            AlterColumnType { column, .. }
            | SetNotNull { column, .. }
            | DropNotNull { column, .. }
            | SetDefault { column, .. }
            | DropDefault { column, .. }
            | AddIdentity { column, .. }
            | DropIdentity { column, .. }
            | AlterIdentity { column, .. }
            | DropExpression { column, .. } => {
                columns_changed.insert(lower(column));
            }
            AlterColumnExtra { to, .. } | ReplaceColumn { to, .. } => {
                columns_changed.insert(lower(&to.name));
            }
            AddConstraint { name, .. } | DropConstraint { name, .. } | ValidateConstraint { name, .. } => {
                constraints_changed.insert(lower(name));
            }
            RenameConstraint { from, to, .. } => {
                constraints_changed.insert(lower(from));
                constraints_changed.insert(lower(to));
            }
            SetTableOptions { .. } => options_changed = true,
            _ => {}
        }
    }
    let mut columns: Vec<Column> = target
        .columns
        .iter()
        .map(|c| match column_ci(source, &c.name) {
            Some(old) if !columns_changed.contains(&lower(&c.name)) => old.clone(),
            _ => c.clone(),
        })
        .collect();
    // A column whose drop was refused stays after the column it followed.
    for (at, old) in source.columns.iter().enumerate() {
        if column_ci(target, &old.name).is_none() && !columns_dropped.contains(&lower(&old.name)) {
            let after = source.columns[..at].iter().rev().find_map(|p| columns.iter().position(|c| c.name.eq_ignore_ascii_case(&p.name)));
            columns.insert(after.map_or(0, |a| a + 1), old.clone());
        }
    }
    let mut constraints = target.constraints.clone();
    for (name, c) in &source.constraints {
        if !constraints_changed.contains(&lower(name)) {
            constraints.retain(|n, _| !n.eq_ignore_ascii_case(name));
            constraints.insert(name.clone(), c.clone());
        }
    }
    Table {
        columns,
        constraints,
        options: if options_changed { target.options.clone() } else { source.options.clone() },
        ..target.clone()
    }
}

/// The views and triggers that exist at the point the rendering has
/// reached, by lower-case name.
struct Live {
    views: BTreeMap<String, (QualifiedName, View)>,
    /// Trigger: its name, the lower-case name of its table or view, its SQL.
    triggers: BTreeMap<String, (String, String, String)>,
    /// Former names (lower-case) of renamed tables, by their new name.
    former_names: BTreeMap<String, BTreeSet<String>>,
}

impl Live {
    fn new(schema: &Schema) -> Self {
        let views = schema.views.iter().map(|(k, v)| (lower(&k.name), (k.clone(), v.clone()))).collect();
        Self { views, triggers: triggers(schema), former_names: BTreeMap::new() }
    }

    /// Forgets the triggers on `relation` (lower-case), which SQLite drops
    /// with it.
    fn drop_triggers_on(&mut self, relation: &str) {
        self.triggers.retain(|_, (_, on, _)| on != relation);
    }
}

/// The triggers of `schema` (unmanaged `CREATE TRIGGER`s) by lower-case
/// name: their name, the lower-case name of their table, their SQL.
fn triggers(schema: &Schema) -> BTreeMap<String, (String, String, String)> {
    schema
        .unmanaged
        .iter()
        .filter(|u| crate::compare_sqlite::is_trigger(u))
        .filter_map(|u| trigger_header(&u.sql).map(|(name, on)| (lower(&name), (name, lower(&on), u.sql.clone()))))
        .collect()
}

/// A statement's SQL ending in `;\n`.
fn terminated(sql: &str) -> String {
    format!("{};\n", sql.trim_end().trim_end_matches(';').trim_end())
}

struct Renderer<'a> {
    changes: &'a [Change],
    from: &'a Schema,
    to: &'a Schema,
    groups: &'a Groups,
    live: Live,
    out: Vec<Statement>,
}

impl Renderer<'_> {
    fn emit(&mut self, i: usize, sql: String) {
        if !sql.is_empty() {
            self.out.push(Statement { sql, change: Some(i), transactional: true });
        }
    }

    /// Whether a change after `i` creates or drops the view `name`.
    fn later_view_change(&self, i: usize, name: &str) -> bool {
        self.changes[i + 1..].iter().any(|c| matches!(c, Change::CreateView { name: n, .. } | Change::DropView { name: n, .. } if n.name.eq_ignore_ascii_case(name)))
    }

    /// Whether a change after `i` creates or drops the trigger `name`.
    fn later_trigger_change(&self, i: usize, name: &str) -> bool {
        self.changes[i + 1..].iter().any(|c| {
            matches!(c, Change::CreateTriggerStatement { name: n, .. } | Change::DropTriggerStatement { name: n, .. } if n.eq_ignore_ascii_case(name))
        })
    }

    /// Creates again the triggers of `relations` (lower-case) that the
    /// target has and that are gone, unless a later change sees to them;
    /// and the `also` triggers (by lower-case name), with their target text
    /// or, if the target drops them, their own.
    fn restore_triggers(&mut self, i: usize, relations: &BTreeSet<String>, also: &BTreeMap<String, (String, String, String)>, sql: &mut String) {
        let target = triggers(self.to);
        let mut wanted: BTreeMap<String, (String, String, String)> =
            target.iter().filter(|(_, (_, on, _))| relations.contains(on)).map(|(k, v)| (k.clone(), v.clone())).collect();
        for (k, v) in also {
            wanted.entry(k.clone()).or_insert_with(|| target.get(k).cloned().unwrap_or_else(|| v.clone()));
        }
        for (k, (name, on, text)) in wanted {
            if self.live.triggers.contains_key(&k) || self.later_trigger_change(i, &name) {
                continue;
            }
            sql.push_str(&terminated(&text));
            self.live.triggers.insert(k, (name, on, text));
        }
    }

    /// A change that is not part of a group, or a new table.
    fn plain(&mut self, i: usize, c: &Change) {
        use Change::*;
        let sql = match c {
            CreateTable { name, table } => {
                let full = find_table(self.to, &name.name).unwrap_or(table);
                ddl::create_table(name, full)
            }
            DropTable { name, .. } => {
                self.live.drop_triggers_on(&lower(&name.name));
                format!("DROP TABLE {};\n", quote(&name.name))
            }
            RenameTable { from, to: new } => {
                let (old, renamed) = (lower(&from.name), lower(&new.name));
                for (_, on, _) in self.live.triggers.values_mut() {
                    if *on == old {
                        *on = renamed.clone();
                    }
                }
                let mut former = self.live.former_names.remove(&old).unwrap_or_default();
                former.insert(old);
                self.live.former_names.entry(renamed).or_default().extend(former);
                format!("ALTER TABLE {} RENAME TO {};\n", quote(&from.name), quote(&new.name))
            }
            RenameColumn { table, from, to: new } => {
                format!("ALTER TABLE {} RENAME COLUMN {} TO {};\n", quote(&table.name), quote(from), quote(new))
            }
            AddColumn { table, column, .. } => format!("ALTER TABLE {} ADD COLUMN {};\n", quote(&table.name), ddl::column_definition(column)),
            DropColumn { table, column } => format!("ALTER TABLE {} DROP COLUMN {};\n", quote(&table.name), quote(&column.name)),
            CreateIndex { name, index } => ddl::create_index(name, index),
            DropIndex { name, .. } => format!("DROP INDEX {};\n", quote(&name.name)),
            RenameIndex { from, to: new, .. } => match self.to.indexes.get(new) {
                Some(index) => format!("DROP INDEX {};\n{}", quote(&from.name), ddl::create_index(new, index)),
                None => format!("-- SQLite cannot rename index {} to {}\n", quote(&from.name), quote(&new.name)),
            },
            CreateView { name, view } => {
                let key = lower(&name.name);
                if self.live.views.contains_key(&key) {
                    return;
                }
                let mut sql = ddl::create_view(name, view);
                self.live.views.insert(key.clone(), (name.clone(), view.clone()));
                self.restore_triggers(i, &BTreeSet::from([key]), &BTreeMap::new(), &mut sql);
                sql
            }
            DropView { name, .. } => {
                let key = lower(&name.name);
                if self.live.views.remove(&key).is_none() {
                    return;
                }
                self.live.drop_triggers_on(&key);
                format!("DROP VIEW {};\n", quote(&name.name))
            }
            CreateTriggerStatement { table, name, sql } => {
                self.live.triggers.insert(lower(name), (name.clone(), lower(&table.name), sql.clone()));
                terminated(sql)
            }
            DropTriggerStatement { name, .. } => {
                if self.live.triggers.remove(&lower(name)).is_none() {
                    return;
                }
                format!("DROP TRIGGER {};\n", quote(name))
            }
            // Comments do not exist in SQLite (its frontend never produces
            // them); the rest belongs to other dialects.
            SetComment { .. } => String::new(),
            other => format!("-- SQLite cannot express: {} {}\n", other.kind(), other.object()),
        };
        self.emit(i, sql);
    }

    /// The rebuild of `table` (lower-case), implementing change `i` and the
    /// other changes of its group.
    fn rebuild(&mut self, i: usize, table: &str) {
        let group: Vec<&Change> = self.groups.member_of.iter().enumerate().filter(|(_, g)| g.as_deref() == Some(table)).map(|(j, _)| &self.changes[j]).collect();
        let (Some(source), Some(wanted), Some(name)) =
            (find_table(self.from, table), find_table(self.to, table), self.to.tables.keys().find(|k| lower(&k.name) == table))
        else {
            return;
        };
        let target = target_table(source, wanted, &group);
        let tmp = self.temporary_name(&name.name);
        let mut sql = String::from("BEGIN;\n");

        // Views that read the table, directly or through one another, and
        // triggers elsewhere that name it: the RENAME would fail on them.
        let mut names: BTreeSet<String> = self.live.former_names.get(table).cloned().unwrap_or_default();
        names.insert(table.to_string());
        let mut views: Vec<String> = Vec::new();
        loop {
            let more: Vec<String> = self
                .live
                .views
                .iter()
                .filter(|(k, (_, v))| !views.contains(k) && !identifiers(&v.query).is_disjoint(&names))
                .map(|(k, _)| k.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            names.extend(more.iter().cloned());
            views.extend(more);
        }
        let mut dropped_views = Vec::new();
        for k in &views {
            if let Some((n, v)) = self.live.views.remove(k) {
                let _ = writeln!(sql, "DROP VIEW {};", quote(&n.name));
                dropped_views.push((k.clone(), n, v));
            }
        }
        let mut gone_triggers: BTreeMap<String, (String, String, String)> = BTreeMap::new();
        let on_dropped = |on: &String| on == table || views.contains(on);
        let named: Vec<String> = self
            .live
            .triggers
            .iter()
            .filter(|(_, (_, on, text))| on_dropped(on) || !identifiers(text).is_disjoint(&names))
            .map(|(k, _)| k.clone())
            .collect();
        for k in named {
            if let Some(t) = self.live.triggers.remove(&k) {
                if !on_dropped(&t.1) {
                    let _ = writeln!(sql, "DROP TRIGGER {};", quote(&t.0));
                }
                gone_triggers.insert(k, t);
            }
        }

        // The new table, the rows, the swap.
        sql.push_str(&ddl::create_table(&QualifiedName::new("", tmp.clone()), &target));
        sql.push_str(&copy_rows(source, &target, &tmp, &name.name));
        let _ = writeln!(sql, "DROP TABLE {};", quote(&name.name));
        let _ = writeln!(sql, "ALTER TABLE {} RENAME TO {};", quote(&tmp), quote(&name.name));

        // Indexes: the target's, and those whose drop was refused.
        let dropped_indexes: BTreeSet<String> =
            group.iter().filter_map(|c| if let Change::DropIndex { name, .. } = c { Some(lower(&name.name)) } else { None }).collect();
        let mut indexes: BTreeMap<String, (&QualifiedName, &Index)> =
            self.to.indexes.iter().filter(|(_, x)| lower(&x.table.name) == table).map(|(k, x)| (lower(&k.name), (k, x))).collect();
        for (k, x) in self.from.indexes.iter().filter(|(_, x)| lower(&x.table.name) == table) {
            let key = lower(&k.name);
            let renamed_away = group.iter().any(|c| matches!(c, Change::RenameIndex { from, .. } if lower(&from.name) == key));
            if !indexes.contains_key(&key) && !dropped_indexes.contains(&key) && !renamed_away {
                indexes.insert(key, (k, x));
            }
        }
        for (k, x) in indexes.values() {
            sql.push_str(&ddl::create_index(&QualifiedName::new("", k.name.clone()), &Index { table: name.clone(), ..(*x).clone() }));
        }

        // Views and triggers again, unless a later change sees to them.
        let mut restored = BTreeSet::from([table.to_string()]);
        for (k, n, v) in view_order(dropped_views) {
            if self.later_view_change(i, &n.name) {
                continue;
            }
            let (n, v) = self.to.views.iter().find(|(tk, _)| lower(&tk.name) == k).map(|(tk, tv)| (tk.clone(), tv.clone())).unwrap_or((n, v));
            sql.push_str(&ddl::create_view(&n, &v));
            self.live.views.insert(k.clone(), (n, v));
            restored.insert(k);
        }
        // Triggers on a view a later change creates come back with it.
        gone_triggers.retain(|_, (_, on, _)| restored.contains(on) || !views.contains(on));
        self.restore_triggers(i, &restored, &gone_triggers, &mut sql);
        sql.push_str("PRAGMA foreign_key_check;\nCOMMIT;\n");

        for s in ["PRAGMA foreign_keys = OFF;\n".to_string(), sql, "PRAGMA foreign_keys = ON;\n".to_string()] {
            self.out.push(Statement { sql: s, change: Some(i), transactional: false });
        }
    }

    /// `new_<name>`, or `new_<name>_<n>` if that is taken.
    fn temporary_name(&self, name: &str) -> String {
        let taken = |n: &str| {
            [self.from, self.to].iter().any(|s| {
                s.tables.keys().chain(s.views.keys()).chain(s.indexes.keys()).any(|k| k.name.eq_ignore_ascii_case(n))
                    || triggers(s).contains_key(&lower(n))
            })
        };
        let base = format!("new_{name}");
        let mut candidate = base.clone();
        let mut n = 1;
        while taken(&candidate) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        candidate
    }
}

/// Views in an order where each comes after the dropped views it reads.
fn view_order(mut views: Vec<(String, QualifiedName, View)>) -> Vec<(String, QualifiedName, View)> {
    let mut out = Vec::with_capacity(views.len());
    while !views.is_empty() {
        let pending: BTreeSet<String> = views.iter().map(|(k, _, _)| k.clone()).collect();
        let ready = views
            .iter()
            .position(|(k, _, v)| identifiers(&v.query).iter().all(|w| w == k || !pending.contains(w)))
            .unwrap_or(0);
        out.push(views.remove(ready));
    }
    out
}

/// The integer primary key column that is the table's rowid, if any.
fn rowid_alias(table: &Table) -> Option<&str> {
    let (_, pk) = table.primary_key()?;
    let [column] = pk.kind.columns() else { return None };
    column_ci(table, column).filter(|c| c.data_type.eq_ignore_ascii_case("INTEGER")).map(|c| c.name.as_str())
}

fn without_rowid(table: &Table) -> bool {
    table.options.keys().any(|o| o.to_ascii_uppercase().split_whitespace().collect::<Vec<_>>() == ["WITHOUT", "ROWID"])
}

/// `INSERT INTO new (...) SELECT ... FROM old` for the columns both tables
/// have (not generated in the new one), keeping implicit rowids, and the
/// `AUTOINCREMENT` counter when both tables have one.
fn copy_rows(source: &Table, target: &Table, tmp: &str, name: &str) -> String {
    let mut into = Vec::new();
    let mut select = Vec::new();
    for c in target.columns.iter().filter(|c| c.generated.is_none()) {
        let Some(old) = column_ci(source, &c.name) else { continue };
        into.push(quote(&c.name));
        let value = quote(&old.name);
        select.push(match &c.default {
            Some(d) if c.not_null && !old.not_null => format!("COALESCE({value}, {d})"),
            _ => value,
        });
    }
    let rowid_named = |t: &Table| t.columns.iter().any(|c| ["rowid", "oid", "_rowid_"].iter().any(|r| c.name.eq_ignore_ascii_case(r)));
    let alias_copied = rowid_alias(target).is_some_and(|a| into.iter().any(|c| *c == quote(a)));
    if !without_rowid(source) && !without_rowid(target) && !rowid_named(source) && !rowid_named(target) && !alias_copied {
        into.insert(0, "rowid".to_string());
        select.insert(0, "rowid".to_string());
    }
    let mut sql = if into.is_empty() {
        String::new()
    } else {
        format!("INSERT INTO {} ({}) SELECT {} FROM {};\n", quote(tmp), into.join(", "), select.join(", "), quote(name))
    };
    let autoincrement = |t: &Table| t.columns.iter().any(|c| c.extra.iter().any(|e| e == "AUTOINCREMENT"));
    if autoincrement(source) && autoincrement(target) {
        let _ = write!(
            sql,
            "DELETE FROM \"sqlite_sequence\" WHERE \"name\" = {tmp_literal};\n\
             INSERT INTO \"sqlite_sequence\" (\"name\", \"seq\") SELECT {tmp_literal}, \"seq\" FROM \"sqlite_sequence\" WHERE \"name\" = {name_literal} COLLATE NOCASE;\n",
            tmp_literal = quote_literal(tmp),
            name_literal = quote_literal(name),
        );
    }
    sql
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use astrola_core::{parse_sql, Dialect};

    use crate::{diff, DiffOptions};

    /// The migration's statements, each under a line naming its change and
    /// whether it may run in a transaction.
    fn migration(from: &str, to: &str) -> String {
        let parse = |sql: &str| parse_sql(sql, Dialect::Sqlite).unwrap_or_else(|e| panic!("{e}")).schema;
        let plan = diff(&parse(from), &parse(to), &DiffOptions { allow_destructive: true, renames: Vec::new() }).unwrap_or_else(|e| panic!("{e}"));
        let mut out = String::new();
        for s in &plan.statements {
            let change = s.change.map(|i| format!("{} {}", plan.changes[i].change.kind(), plan.changes[i].object)).unwrap_or_default();
            let _ = write!(out, "-- {change} (transactional: {})\n{}", s.transactional, s.sql);
        }
        out
    }

    #[test]
    fn adds_a_column_with_alter_table() {
        insta::assert_snapshot!(migration(
            "CREATE TABLE users (id integer PRIMARY KEY, name text);",
            "CREATE TABLE users (id integer PRIMARY KEY, name text, active integer NOT NULL DEFAULT 1);"
        ));
    }

    #[test]
    fn rebuilds_a_table_for_what_alter_table_cannot_do() {
        // NOT NULL on an existing column, a CHECK, and a column whose
        // default is not a constant: one rebuild, which takes the index,
        // the view over the table and its trigger along.
        let from = "CREATE TABLE users (id integer PRIMARY KEY, name text, age integer);
            CREATE TABLE log (msg text);
            CREATE INDEX users_name ON users (name);
            CREATE VIEW adults AS SELECT id FROM users WHERE age >= 18;
            CREATE TRIGGER users_insert AFTER INSERT ON users BEGIN INSERT INTO log VALUES ('new user'); END;";
        let to = from
            .replace("name text,", "name text NOT NULL DEFAULT '',")
            .replace("age integer)", "age integer CHECK (age >= 0), created text DEFAULT CURRENT_TIMESTAMP)");
        insta::assert_snapshot!(migration(from, &to));
    }

    #[test]
    fn constant_defaults() {
        for d in ["1", "-1.5", "+2e3", "0x1F", "'a''b'", "X'00ff'", "NULL", "true"] {
            assert!(super::is_constant(d), "{d}");
        }
        for d in ["CURRENT_TIMESTAMP", "(1 + 2)", "'a' || 'b'", "abs(1)", "", "-", "'"] {
            assert!(!super::is_constant(d), "{d}");
        }
    }
}

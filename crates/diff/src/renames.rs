//! Renames: applying the ones the user declared, and suggesting likely ones
//! without ever applying a guess.

use serde::{Deserialize, Serialize};

use astrola_core::hints::{RenameHint, RenameKind};
use astrola_core::model::{ConstraintKind, IndexTarget, TypeKind};
use astrola_core::{Dialect, QualifiedName, Schema};

use crate::Change;

/// A likely rename: something dropped and something added with the same
/// shape. Suggestions are never applied; declare the rename to apply it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// What would be renamed.
    pub kind: RenameKind,
    /// The table (for columns), or the object itself (for tables and indexes).
    pub table: QualifiedName,
    /// The name that disappears.
    pub from: String,
    /// The name that appears.
    pub to: String,
    /// The annotation that would declare it in the target SQL.
    pub hint: String,
}

fn index_key(dialect: Dialect, table: &QualifiedName, name: &str) -> QualifiedName {
    match dialect {
        Dialect::Postgres => QualifiedName::new(table.schema.clone(), name),
        // SQLite index names are database-wide, keyed without a namespace.
        Dialect::Sqlite => QualifiedName::new("", name),
        Dialect::Mysql => QualifiedName::new(table.name.clone(), name),
    }
}

/// Applies `hints` to a copy of `from`, returning it, the rename changes,
/// and a note for each hint that does not apply.
pub(crate) fn apply(from: &Schema, to: &Schema, hints: &[RenameHint]) -> (Schema, Vec<Change>, Vec<String>) {
    let (schema, changes, notes, _) = apply_marked(from, to, hints);
    (schema, changes, notes)
}

/// [`apply`], also telling for each hint (in the order given) whether it
/// applied.
pub(crate) fn apply_marked(from: &Schema, to: &Schema, hints: &[RenameHint]) -> (Schema, Vec<Change>, Vec<String>, Vec<bool>) {
    let mut schema = from.clone();
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    let mut applied_mask = vec![false; hints.len()];
    let order = |k: &RenameKind| match k {
        RenameKind::Table | RenameKind::Type => 0,
        _ => 1,
    };
    let mut sorted: Vec<(usize, &RenameHint)> = hints.iter().enumerate().collect();
    sorted.sort_by_key(|(_, h)| order(&h.kind));
    for (i, h) in sorted {
        let applied = match h.kind {
            RenameKind::Table => rename_table(&mut schema, to, h, &mut changes),
            RenameKind::Column => rename_column(&mut schema, to, h, &mut changes),
            RenameKind::Index => rename_index(&mut schema, to, h, &mut changes),
            RenameKind::Constraint => rename_constraint(&mut schema, to, h, &mut changes),
            RenameKind::EnumValue => rename_enum_value(&mut schema, to, h, &mut changes),
            RenameKind::Type => rename_type(&mut schema, to, h, &mut changes),
        };
        applied_mask[i] = applied;
        if !applied {
            notes.push(format!("rename hint {:?} {} -> {} on {} does not apply (the old name is not in the source, or the new name already is)", h.kind, h.from, h.to, h.table));
        }
    }
    (schema, changes, notes, applied_mask)
}

fn rename_table(schema: &mut Schema, to: &Schema, h: &RenameHint, changes: &mut Vec<Change>) -> bool {
    let new = h.table.clone();
    let old = QualifiedName::new(new.schema.clone(), h.from.clone());
    if !schema.tables.contains_key(&old) || schema.tables.contains_key(&new) || !to.tables.contains_key(&new) {
        return false;
    }
    if let Some(t) = schema.tables.remove(&old) {
        schema.tables.insert(new.clone(), t);
    }
    for t in schema.tables.values_mut() {
        for c in t.constraints.values_mut() {
            if let ConstraintKind::ForeignKey { ref_table, .. } = &mut c.kind {
                if *ref_table == old {
                    *ref_table = new.clone();
                }
            }
        }
        for p in &mut t.inherits {
            if *p == old {
                *p = new.clone();
            }
        }
        if let Some(p) = &mut t.partition_of {
            if p.parent == old {
                p.parent = new.clone();
            }
        }
    }
    let mut rekeyed = Vec::new();
    for (k, i) in &mut schema.indexes {
        if i.table == old {
            i.table = new.clone();
            if schema.dialect != Dialect::Postgres {
                rekeyed.push(k.clone());
            }
        }
    }
    for k in rekeyed {
        if let Some(i) = schema.indexes.remove(&k) {
            schema.indexes.insert(index_key(schema.dialect, &new, &k.name), i);
        }
    }
    for s in schema.sequences.values_mut() {
        if let Some(o) = &mut s.owned_by {
            if o.table == old {
                o.table = new.clone();
            }
        }
    }
    changes.push(Change::RenameTable { from: old, to: new });
    true
}

fn rename_column(schema: &mut Schema, to: &Schema, h: &RenameHint, changes: &mut Vec<Change>) -> bool {
    let table = &h.table;
    let target_has = to.tables.get(table).is_some_and(|t| t.column(&h.to).is_some());
    let Some(t) = schema.tables.get_mut(table) else { return false };
    if t.column(&h.from).is_none() || t.column(&h.to).is_some() || !target_has {
        return false;
    }
    let rename = |c: &mut String| {
        if *c == h.from {
            *c = h.to.clone();
        }
    };
    if let Some(c) = t.column_mut(&h.from) {
        c.name = h.to.clone();
    }
    for c in t.constraints.values_mut() {
        match &mut c.kind {
            ConstraintKind::PrimaryKey { columns, index } | ConstraintKind::Unique { columns, index, .. } => {
                columns.iter_mut().for_each(rename);
                index.include.iter_mut().for_each(rename);
            }
            ConstraintKind::ForeignKey { columns, .. } => columns.iter_mut().for_each(rename),
            ConstraintKind::Exclusion { elements, .. } => {
                for e in elements {
                    if let IndexTarget::Column(c) = &mut e.key.target {
                        rename(c);
                    }
                }
            }
            ConstraintKind::Check { .. } => {}
        }
    }
    if let Some(p) = &mut t.partition_by {
        for k in &mut p.keys {
            if let IndexTarget::Column(c) = &mut k.target {
                rename(c);
            }
        }
    }
    for other in schema.tables.values_mut() {
        for c in other.constraints.values_mut() {
            if let ConstraintKind::ForeignKey { ref_table, ref_columns, .. } = &mut c.kind {
                if ref_table == table {
                    ref_columns.iter_mut().for_each(rename);
                }
            }
        }
    }
    for i in schema.indexes.values_mut() {
        if i.table == *table {
            for k in &mut i.keys {
                if let IndexTarget::Column(c) = &mut k.target {
                    rename(c);
                }
            }
            i.include.iter_mut().for_each(rename);
        }
    }
    for s in schema.sequences.values_mut() {
        if let Some(o) = &mut s.owned_by {
            if o.table == *table {
                rename(&mut o.column);
            }
        }
    }
    changes.push(Change::RenameColumn { table: table.clone(), from: h.from.clone(), to: h.to.clone() });
    true
}

fn rename_index(schema: &mut Schema, to: &Schema, h: &RenameHint, changes: &mut Vec<Change>) -> bool {
    let old = index_key(schema.dialect, &h.table, &h.from);
    let new = index_key(schema.dialect, &h.table, &h.to);
    if !schema.indexes.contains_key(&old) || schema.indexes.contains_key(&new) || !to.indexes.contains_key(&new) {
        // A unique constraint named in an index hint is renamed as a constraint.
        return rename_constraint(schema, to, h, changes);
    }
    if let Some(i) = schema.indexes.remove(&old) {
        schema.indexes.insert(new.clone(), i);
    }
    changes.push(Change::RenameIndex { table: h.table.clone(), from: old, to: new });
    true
}

fn rename_constraint(schema: &mut Schema, to: &Schema, h: &RenameHint, changes: &mut Vec<Change>) -> bool {
    let target_has = to.tables.get(&h.table).is_some_and(|t| t.constraints.contains_key(&h.to));
    let Some(t) = schema.tables.get_mut(&h.table) else { return false };
    if !t.constraints.contains_key(&h.from) || t.constraints.contains_key(&h.to) || !target_has {
        return false;
    }
    if let Some(c) = t.constraints.remove(&h.from) {
        t.constraints.insert(h.to.clone(), c);
    }
    changes.push(Change::RenameConstraint { table: h.table.clone(), from: h.from.clone(), to: h.to.clone() });
    true
}

fn rename_type(schema: &mut Schema, to: &Schema, h: &RenameHint, changes: &mut Vec<Change>) -> bool {
    let new = h.table.clone();
    let old = QualifiedName::new(new.schema.clone(), h.from.clone());
    if !schema.types.contains_key(&old) || schema.types.contains_key(&new) || !to.types.contains_key(&new) {
        return false;
    }
    if let Some(t) = schema.types.remove(&old) {
        schema.types.insert(new.clone(), t);
    }
    let (old_sql, new_sql) = (old.to_string(), new.to_string());
    let retype = |t: &mut String| {
        let base = t.trim_end_matches("[]");
        if base == old_sql {
            let arrays = t.len() - base.len();
            let suffix = t[t.len() - arrays..].to_string();
            *t = format!("{new_sql}{suffix}");
        }
    };
    for t in schema.tables.values_mut() {
        for c in &mut t.columns {
            retype(&mut c.data_type);
        }
    }
    for d in schema.domains.values_mut() {
        retype(&mut d.data_type);
    }
    for f in schema.functions.values_mut() {
        for a in &mut f.args {
            retype(&mut a.data_type);
        }
    }
    changes.push(Change::RenameType { from: old, to: new });
    true
}

fn rename_enum_value(schema: &mut Schema, to: &Schema, h: &RenameHint, changes: &mut Vec<Change>) -> bool {
    let target_has = to.types.get(&h.table).is_some_and(|t| matches!(&t.kind, TypeKind::Enum { labels } if labels.contains(&h.to)));
    let Some(t) = schema.types.get_mut(&h.table) else { return false };
    let TypeKind::Enum { labels } = &mut t.kind else { return false };
    if !labels.contains(&h.from) || labels.contains(&h.to) || !target_has {
        return false;
    }
    for l in labels.iter_mut() {
        if *l == h.from {
            *l = h.to.clone();
        }
    }
    changes.push(Change::RenameEnumValue { name: h.table.clone(), from: h.from.clone(), to: h.to.clone() });
    true
}

/// The hints that undo `hints` (for a down migration).
pub(crate) fn reverse(hints: &[RenameHint], _from: &Schema, _to: &Schema) -> Vec<RenameHint> {
    hints
        .iter()
        .map(|h| {
            let mut r = h.clone();
            r.from = h.to.clone();
            r.to = h.from.clone();
            if h.kind == RenameKind::Table {
                r.table = QualifiedName::new(h.table.schema.clone(), h.from.clone());
            } else {
                // The table of a column or index has its new name in `to` and
                // its old name in `from`, when the table was renamed too.
                if let Some(t) = hints.iter().find(|t| t.kind == RenameKind::Table && t.table == h.table) {
                    r.table = QualifiedName::new(h.table.schema.clone(), t.from.clone());
                }
            }
            r
        })
        .collect()
}

/// Likely renames among unordered changes: a dropped and an added table with
/// the same columns, a dropped and an added column of the same definition
/// in one table, a dropped and a created index of the same definition.
pub(crate) fn suggest(changes: &[Change]) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for c in changes {
        match c {
            Change::DropTable { name, table } => {
                for d in changes {
                    if let Change::CreateTable { name: new, table: t2 } = d {
                        let shape = |t: &astrola_core::model::Table| t.columns.iter().map(|c| (c.name.clone(), c.data_type.clone())).collect::<Vec<_>>();
                        if new.schema == name.schema && shape(table) == shape(t2) {
                            out.push(Suggestion {
                                kind: RenameKind::Table,
                                table: new.clone(),
                                from: name.name.clone(),
                                to: new.name.clone(),
                                hint: format!("CREATE TABLE {new} ( -- @renamed from={}", name.name),
                            });
                        }
                    }
                }
            }
            Change::DropColumn { table, column } => {
                for d in changes {
                    if let Change::AddColumn { table: t2, column: c2, .. } = d {
                        let same = c2.data_type == column.data_type && c2.not_null == column.not_null && c2.default == column.default;
                        if t2 == table && same {
                            out.push(Suggestion {
                                kind: RenameKind::Column,
                                table: table.clone(),
                                from: column.name.clone(),
                                to: c2.name.clone(),
                                hint: format!("{} {} -- @renamed from={}", c2.name, c2.data_type, column.name),
                            });
                        }
                    }
                }
            }
            Change::DropIndex { name, index } => {
                for d in changes {
                    if let Change::CreateIndex { name: n2, index: i2 } = d {
                        if n2 != name && i2 == index {
                            out.push(Suggestion {
                                kind: RenameKind::Index,
                                table: index.table.clone(),
                                from: name.name.clone(),
                                to: n2.name.clone(),
                                hint: format!("CREATE INDEX {} /* @renamed from={} */ ON ...", n2.name, name.name),
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

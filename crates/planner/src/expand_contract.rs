//! Expand and contract, for a column type change or a column rename on a
//! table running code uses.
//!
//! - expand: a new column (the *mirror*: the new name for a rename, a
//!   temporary name for a type change) and a `BEFORE INSERT OR UPDATE`
//!   trigger that keeps both columns in sync in both directions, plus
//!   `CHECK (mirror IS NOT NULL) NOT VALID` when the column is NOT NULL;
//! - backfill: the mirror filled from the old column in keyset batches;
//! - validate: the check validated, the indexes and keys of the column
//!   built again on the mirror, concurrently;
//! - gate: the code that uses the new column is deployed;
//! - contract: one short switch transaction under `lock_timeout` (foreign
//!   keys over the column dropped, the columns' names swapped, the default,
//!   sequence ownership and NOT NULL moved, indexes swapped, keys re-made
//!   `USING INDEX`, foreign keys added again `NOT VALID`), the foreign keys
//!   validated, and the old column dropped (with approval).
//!
//! The sync trigger is dropped at the switch: from then on the old column is
//! inert (no default, nullable) until the drop.

use std::collections::BTreeSet;

use astrola_core::ident::quote_ident;
use astrola_core::locks::LockMode;
use astrola_core::model::{Column, Constraint, ConstraintKind, Index, IndexTarget};
use astrola_core::QualifiedName;
use astrola_diff::change::CommentTarget;
use astrola_diff::{Change, Destruction};

use crate::backfill::{self, Fill};
use crate::plan::{Approval, PhaseKind};
use crate::preflight;
use crate::rewrite::{concurrent_index_sql, key_index, Planner, Slot};

/// One column going through expand and contract.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// The first change of the group: its expand steps go there.
    pub anchor: usize,
    pub table: QualifiedName,
    /// The column's name in FROM.
    pub src: String,
    pub from_col: Column,
    /// The column as TO has it.
    pub to_col: Column,
    /// The new column while both exist.
    pub mirror: String,
    /// The old column's name after the switch.
    pub retired: String,
    pub renamed: bool,
    pub retyped: bool,
    /// The changes the group carries out.
    pub changes: BTreeSet<usize>,
    /// Names chosen during expand: the sync function and trigger, the
    /// NOT NULL check, the temporary indexes (TO name -> temporary name).
    pub function: QualifiedName,
    pub trigger: String,
    pub not_null_check: Option<String>,
    pub indexes: Vec<(QualifiedName, Index, String)>,
    pub keys: Vec<(String, Constraint, String)>,
}

fn mentions(text: &str, column: &str) -> bool {
    let quoted = quote_ident(column);
    text.match_indices(quoted.as_str()).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '"'));
        boundary(before) && boundary(after)
    })
}

fn index_uses(index: &Index, column: &str) -> bool {
    index.keys.iter().any(|k| match &k.target {
        IndexTarget::Column(c) => c == column,
        IndexTarget::Expression(e) => mentions(e, column),
    }) || index.include.iter().any(|c| c == column)
        || index.predicate.as_deref().is_some_and(|p| mentions(p, column))
}

/// Why the column cannot go through expand and contract, if it cannot.
pub(crate) fn ineligible_reason(p: &Planner<'_>, table: &QualifiedName, column: &str) -> Option<String> {
    let from = p.table_in_from(table)?;
    let to = p.to.tables.get(table)?;
    let src = p
        .changes
        .changes
        .iter()
        .find_map(|c| match &c.change {
            Change::RenameColumn { table: t, from: a, to: b } if t == table && b == column => Some(a.clone()),
            _ => None,
        })
        .unwrap_or_else(|| column.to_string());
    let from_col = from.column(&src)?;
    let to_col = to.column(column)?;
    let from_name = p.renamed_tables.get(table).unwrap_or(table);
    if from.partition_by.is_some() || from.partition_of.is_some() || !from.inherits.is_empty() || to.partition_by.is_some() || to.partition_of.is_some() {
        return Some(format!("{table} is partitioned, a partition or inherits"));
    }
    for s in [p.from, p.to] {
        if s.tables.values().any(|t| t.inherits.contains(table) || t.inherits.contains(from_name) || t.partition_of.as_ref().is_some_and(|x| &x.parent == table)) {
            return Some(format!("{table} has child tables"));
        }
    }
    if from_col.generated.is_some() || to_col.generated.is_some() {
        return Some("it is a generated column".to_string());
    }
    if to_col.identity.as_ref().is_some_and(|i| i.options.increment < 0) {
        return Some("its identity counts down".to_string());
    }
    for (s, t, col, tname) in [(p.from, from, src.as_str(), from_name), (p.to, to, column, table)] {
        if let Some((v, _)) = s.views.iter().find(|(_, v)| v.query.contains(tname.name.as_str())) {
            return Some(format!("view {v} reads the table"));
        }
        for (cname, c) in &t.constraints {
            let bad = match &c.kind {
                ConstraintKind::Check { expr, .. } => mentions(expr, col),
                ConstraintKind::Exclusion { elements, predicate, .. } => {
                    elements.iter().any(|e| matches!(&e.key.target, IndexTarget::Column(x) if x == col) || matches!(&e.key.target, IndexTarget::Expression(x) if mentions(x, col)))
                        || predicate.as_deref().is_some_and(|x| mentions(x, col))
                }
                ConstraintKind::PrimaryKey { index, .. } | ConstraintKind::Unique { index, .. } => index.include.iter().any(|x| x == col),
                ConstraintKind::ForeignKey { .. } => false,
            };
            if bad {
                return Some(format!("constraint {} uses it in an expression, an exclusion or an INCLUDE list", quote_ident(cname)));
            }
        }
        for (iname, index) in s.indexes.iter().filter(|(_, i)| &i.table == tname) {
            let expression = index.keys.iter().any(|k| matches!(&k.target, IndexTarget::Expression(e) if mentions(e, col)));
            if expression || index.predicate.as_deref().is_some_and(|x| mentions(x, col)) {
                return Some(format!("index {iname} uses it in an expression or predicate"));
            }
        }
        if t.columns.iter().any(|c| c.generated.as_deref().is_some_and(|g| mentions(g, col))) {
            return Some("a generated column uses it".to_string());
        }
        if t.triggers.values().any(|tr| tr.events.iter().any(|e| mentions(e, col)) || tr.when.as_deref().is_some_and(|w| mentions(w, col))) {
            return Some("a trigger names it".to_string());
        }
        if t.policies.values().any(|x| x.using.as_deref().is_some_and(|u| mentions(u, col)) || x.with_check.as_deref().is_some_and(|u| mentions(u, col))) {
            return Some("a row-level security policy uses it".to_string());
        }
    }
    if backfill::batch_key(from_name, from, p.from).is_none() {
        return Some(format!("{table} has no primary key or unique NOT NULL key to batch the copy on"));
    }
    if let Some((_, pk)) = from.primary_key() {
        if pk.kind.columns().len() == 1 && pk.kind.columns()[0] == src {
            // The batches walk the key being changed: fine, the old column
            // stays in place until the switch.
        }
    }
    // Changes of the column the group cannot carry out.
    for c in &p.changes.changes {
        match &c.change {
            Change::DropExpression { table: t, column: x } | Change::ReplaceColumn { table: t, to: Column { name: x, .. }, .. } if t == table && x == column => {
                return Some(format!("the plan also changes its generation ({})", c.change.kind()));
            }
            _ => {}
        }
    }
    None
}

fn conv(expr: &str, from: &Column, to: &Column) -> String {
    if from.data_type == to.data_type && from.collation == to.collation {
        return expr.to_string();
    }
    let user = |t: &str| t.contains('.') || t.contains('"');
    if user(&from.data_type) || user(&to.data_type) {
        format!("CAST(CAST({expr} AS text) AS {})", to.data_type)
    } else {
        format!("CAST({expr} AS {})", to.data_type)
    }
}

/// Finds the groups: type changes that rewrite and renames of columns of
/// existing tables, with what they carry out.
pub(crate) fn groups(p: &mut Planner<'_>) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    let mut seen: BTreeSet<(QualifiedName, String)> = BTreeSet::new();
    for (i, pc) in p.changes.changes.iter().enumerate() {
        if pc.refused {
            continue;
        }
        let (table, column) = match &pc.change {
            Change::AlterColumnType { table, column, from, to, .. } if !(backfill::binary_coercible(&from.data_type, &to.data_type) && from.collation == to.collation) => (table, column),
            Change::RenameColumn { table, to, .. } => (table, to),
            _ => continue,
        };
        if !p.existing(table) || !seen.insert((table.clone(), column.clone())) {
            continue;
        }
        if let Some(why) = ineligible_reason(p, table, column) {
            if matches!(pc.change, Change::RenameColumn { .. }) {
                p.notes.push(format!("column {table}.{} is renamed in place (running code that uses the old name breaks): not planned through expand and contract because {why}", quote_ident(column)));
            }
            continue;
        }
        let Some(g) = group(p, i, table, column) else { continue };
        out.push(g);
    }
    // Foreign keys of one group may name another group's column: the
    // changes of every foreign key over a group column are carried out by
    // the switch.
    let cols: Vec<(QualifiedName, String, String)> = out.iter().map(|g| (g.table.clone(), g.src.clone(), g.to_col.name.clone())).collect();
    let touches = |pc: &astrola_diff::PlannedChange| match &pc.change {
        Change::AddConstraint { constraint, .. } | Change::DropConstraint { constraint, .. } => {
            let t = crate::rewrite::change_table(&pc.change);
            !pc.refused && cols.iter().any(|(ct, a, b)| fk_touches(t.as_ref(), constraint, ct, a) || fk_touches(t.as_ref(), constraint, ct, b))
        }
        _ => false,
    };
    // A foreign key dropped here and added again elsewhere (over other
    // columns) keeps its drop in place: the name must be free in time.
    let readded: BTreeSet<String> = p.changes.changes.iter().filter(|c| matches!(c.change, Change::AddConstraint { .. }) && !touches(c)).map(|c| c.object.clone()).collect();
    // A foreign key from or to a table the plan drops keeps its drop in
    // place too: the table drop needs it gone, wherever that runs.
    let dropped_tables: BTreeSet<&QualifiedName> = p.changes.changes.iter().filter_map(|c| if let Change::DropTable { name, .. } = &c.change { Some(name) } else { None }).collect();
    let with_dropped_table = |pc: &astrola_diff::PlannedChange| match &pc.change {
        Change::DropConstraint { table, constraint, .. } => dropped_tables.contains(table) || matches!(&constraint.kind, ConstraintKind::ForeignKey { ref_table, .. } if dropped_tables.contains(ref_table)),
        _ => false,
    };
    if let Some(first) = out.first_mut() {
        for (i, pc) in p.changes.changes.iter().enumerate() {
            if touches(pc) && !(matches!(pc.change, Change::DropConstraint { .. }) && (readded.contains(&pc.object) || with_dropped_table(pc))) {
                first.changes.insert(i);
            }
        }
    }
    for g in &out {
        p.absorbed.extend(g.changes.iter().copied());
    }
    out
}

fn fk_touches(on: Option<&QualifiedName>, c: &Constraint, table: &QualifiedName, column: &str) -> bool {
    let ConstraintKind::ForeignKey { columns, ref_table, ref_columns, .. } = &c.kind else { return false };
    (on == Some(table) && columns.iter().any(|x| x == column)) || (ref_table == table && ref_columns.iter().any(|x| x == column))
}

fn group(p: &mut Planner<'_>, anchor: usize, table: &QualifiedName, column: &str) -> Option<Group> {
    let src = p
        .changes
        .changes
        .iter()
        .find_map(|c| match &c.change {
            Change::RenameColumn { table: t, from: a, to: b } if t == table && b == column => Some(a.clone()),
            _ => None,
        })
        .unwrap_or_else(|| column.to_string());
    let from_col = p.table_in_from(table)?.column(&src)?.clone();
    let to_col = p.to.tables.get(table)?.column(column)?.clone();
    let renamed = src != column;
    let retyped = from_col.data_type != to_col.data_type || from_col.collation != to_col.collation;
    let mut changes = BTreeSet::new();
    for (i, pc) in p.changes.changes.iter().enumerate() {
        let mine = match &pc.change {
            Change::AlterColumnType { table: t, column: c, .. }
            | Change::AddIdentity { table: t, column: c, .. }
            | Change::DropIdentity { table: t, column: c, .. }
            | Change::AlterIdentity { table: t, column: c, .. }
            | Change::SetNotNull { table: t, column: c }
            | Change::DropNotNull { table: t, column: c }
            | Change::SetDefault { table: t, column: c, .. }
            | Change::DropDefault { table: t, column: c } => t == table && c == column,
            Change::RenameColumn { table: t, to: c, .. } => t == table && c == column,
            Change::SetComment { target: CommentTarget::Column { table: t, column: c }, .. } => t == table && c == column,
            Change::CreateIndex { index, .. } => &index.table == table && index_uses(index, column),
            Change::DropIndex { index, .. } => (&index.table == table || p.renamed_tables.get(table) == Some(&index.table)) && index_uses(index, &src),
            Change::AddConstraint { table: t, constraint, .. } | Change::DropConstraint { table: t, constraint, .. } => {
                let col = if matches!(pc.change, Change::DropConstraint { .. }) { &src } else { column };
                (t == table && constraint.kind.columns().iter().any(|c| c == col)) || fk_touches(Some(t), constraint, table, col) || fk_touches(Some(t), constraint, table, column)
            }
            _ => false,
        };
        if mine && !pc.refused {
            changes.insert(i);
        }
    }
    // A drop whose name another change (not the group's) creates again
    // stays where the diff put it: the name must be free in time.
    let last = |o: &str| o.rsplit('.').next().unwrap_or(o).to_string();
    let recreated: BTreeSet<String> = p
        .changes
        .changes
        .iter()
        .enumerate()
        .filter(|(i, c)| !changes.contains(i) && matches!(c.change, Change::AddConstraint { .. } | Change::CreateIndex { .. }))
        .map(|(_, c)| last(&c.object))
        .collect();
    let dropped_tables: BTreeSet<&QualifiedName> = p.changes.changes.iter().filter_map(|c| if let Change::DropTable { name, .. } = &c.change { Some(name) } else { None }).collect();
    changes.retain(|i| {
        let c = &p.changes.changes[*i];
        let with_dropped_table = match &c.change {
            Change::DropConstraint { table, constraint, .. } => dropped_tables.contains(table) || matches!(&constraint.kind, ConstraintKind::ForeignKey { ref_table, .. } if dropped_tables.contains(ref_table)),
            _ => false,
        };
        !(matches!(c.change, Change::DropConstraint { .. } | Change::DropIndex { .. }) && (recreated.contains(&last(&c.object)) || with_dropped_table))
    });
    let first = changes.iter().next().copied().unwrap_or(anchor).min(anchor);
    let mirror = if renamed { column.to_string() } else { p.temp_name(&table.schema, &format!("{column}__astrola_new")) };
    let retired = if renamed { src.clone() } else { p.temp_name(&table.schema, &format!("{column}__astrola_old")) };
    let function = QualifiedName::new(table.schema.clone(), p.temp_name(&table.schema, &format!("astrola_sync_{}_{}", table.name, column)));
    let trigger = p.temp_name(&table.schema, &format!("astrola_sync_{column}"));
    Some(Group {
        anchor: first,
        table: table.clone(),
        src,
        from_col,
        to_col,
        mirror,
        retired,
        renamed,
        retyped,
        changes,
        function,
        trigger,
        not_null_check: None,
        indexes: Vec::new(),
        keys: Vec::new(),
    })
}

/// The trigger function keeping `s` (the column old code writes) and `m`
/// (the mirror) in sync: on INSERT the mirror is filled from the old column
/// unless given, in which case it wins; on UPDATE the column that changed
/// wins; a batch that sets the mirror to the converted old value changes
/// nothing else.
fn sync_function(g: &Group) -> String {
    let s = format!("NEW.{}", quote_ident(&g.src));
    let os = format!("OLD.{}", quote_ident(&g.src));
    let m = format!("NEW.{}", quote_ident(&g.mirror));
    let om = format!("OLD.{}", quote_ident(&g.mirror));
    let to_m = conv(&s, &g.from_col, &g.to_col);
    let to_s = conv(&m, &g.to_col, &g.from_col);
    format!(
        "CREATE OR REPLACE FUNCTION {f}() RETURNS trigger LANGUAGE plpgsql AS $astrola$\n\
         BEGIN\n\
         \x20 IF TG_OP = 'INSERT' THEN\n\
         \x20   IF {m} IS NULL THEN\n\
         \x20     {m} := {to_m};\n\
         \x20   ELSIF {m} IS DISTINCT FROM {to_m} THEN\n\
         \x20     {s} := {to_s};\n\
         \x20   END IF;\n\
         \x20 ELSIF {s} IS DISTINCT FROM {os} THEN\n\
         \x20   {m} := {to_m};\n\
         \x20 ELSIF {m} IS DISTINCT FROM {om} AND {m} IS DISTINCT FROM {to_m} THEN\n\
         \x20   {s} := {to_s};\n\
         \x20 ELSIF {m} IS DISTINCT FROM {to_m} THEN\n\
         \x20   {m} := {to_m};\n\
         \x20 END IF;\n\
         \x20 RETURN NEW;\n\
         END\n\
         $astrola$;",
        f = g.function
    )
}

/// The expand, backfill and validate steps of a group.
pub(crate) fn plan_group(p: &mut Planner<'_>, g: &mut Group) {
    let t = &g.table;
    let qs = quote_ident(&g.src);
    let qm = quote_ident(&g.mirror);
    let anchor = Some(g.anchor);
    // expand: the mirror column, the sync trigger, the NOT NULL check.
    let bare = Column { name: g.mirror.clone(), not_null: false, default: None, identity: None, generated: None, comment: None, ..g.to_col.clone() };
    let sql = vec![
        format!("ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {};", astrola_core::render::postgres::statements::column_definition(&bare)),
        sync_function(g),
        format!("DROP TRIGGER IF EXISTS {} ON {t};", quote_ident(&g.trigger)),
        format!("CREATE TRIGGER {} BEFORE INSERT OR UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION {}();", quote_ident(&g.trigger), g.function),
    ];
    let what = match (g.renamed, g.retyped) {
        (true, true) => format!("rename {t}.{qs} to {qm} and change its type from {} to {}", g.from_col.data_type, g.to_col.data_type),
        (true, false) => format!("rename {t}.{qs} to {qm}"),
        _ => format!("change the type of {t}.{qs} from {} to {}", g.from_col.data_type, g.to_col.data_type),
    };
    let mut step = p.ddl(
        format!("Expand ({what}): add column {qm} and a trigger that keeps {qs} and {qm} in sync both ways"),
        format!("{t}.{qm}"),
        sql,
        Some((LockMode::AccessExclusive, t)),
    );
    step.change = anchor;
    step.rollback = vec![
        format!("DROP TRIGGER IF EXISTS {} ON {t};", quote_ident(&g.trigger)),
        format!("DROP FUNCTION IF EXISTS {}();", g.function),
        format!("ALTER TABLE {t} DROP COLUMN IF EXISTS {qm};"),
    ];
    p.push(PhaseKind::Expand, step);
    // backfill
    let to_m = conv(&qs, &g.from_col, &g.to_col);
    let fill = Fill {
        column: g.mirror.clone(),
        value: to_m.clone(),
        pending: format!("{qm} IS DISTINCT FROM {to_m}"),
        description: format!("copy {t}.{qs} into {qm}{}", if g.retyped { format!(" as {}", g.to_col.data_type) } else { String::new() }),
        old_repr: to_m.clone(),
        new_repr: qm.clone(),
    };
    p.backfill(anchor, t, fill);
    // validate: the NOT NULL check, then the indexes and keys on the mirror.
    if g.to_col.not_null {
        // After the backfill: a NOT VALID check is enforced on every UPDATE.
        let check = p.temp_name(&t.schema, &format!("{}_{}_not_null", t.name, g.mirror));
        let qk = quote_ident(&check);
        let mut add = p.ddl(
            format!("Add CHECK ({qm} IS NOT NULL) NOT VALID on {t} (checks new and updated rows only)"),
            format!("{t}.{qk}"),
            vec![format!("ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {qk};"), format!("ALTER TABLE {t} ADD CONSTRAINT {qk} CHECK ({qm} IS NOT NULL) NOT VALID;")],
            Some((LockMode::AccessExclusive, t)),
        );
        add.change = anchor;
        add.rollback = vec![format!("ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {qk};")];
        p.push(PhaseKind::Validate, add);
        g.not_null_check = Some(check);
    }
    if let Some(check) = &g.not_null_check {
        let mut v = p.validate_step(t, check, format!("Validate CHECK ({qm} IS NOT NULL) on {t} (scans it; writes go on)"), vec![preflight::nulls(t, &g.mirror)]);
        v.change = anchor;
        p.push(PhaseKind::Validate, v);
    }
    let final_name = g.to_col.name.clone();
    let to_table = p.to.tables.get(t).cloned().unwrap_or_default();
    let on_mirror = |cols: &[String]| -> Vec<String> { cols.iter().map(|c| if *c == final_name { g.mirror.clone() } else { c.clone() }).collect() };
    let indexes: Vec<(QualifiedName, Index)> = p.to.indexes.iter().filter(|(_, i)| &i.table == t && index_uses(i, &final_name)).map(|(n, i)| (n.clone(), i.clone())).collect();
    for (name, index) in indexes {
        let mut rebuilt = index.clone();
        for k in &mut rebuilt.keys {
            if let IndexTarget::Column(c) = &mut k.target {
                if *c == final_name {
                    *c = g.mirror.clone();
                }
            }
        }
        rebuilt.include = on_mirror(&rebuilt.include);
        rebuilt.comment = None;
        let tmp = p.temp_name(&t.schema, &format!("{}__astrola_new", name.name));
        let tmp_name = QualifiedName::new(t.schema.clone(), tmp.clone());
        let mut build = p.concurrent(format!("Build index {tmp_name} on the new column, concurrently (it becomes {name} at the switch)"), tmp_name.to_string(), concurrent_index_sql(&tmp_name, &rebuilt), t);
        build.change = anchor;
        build.rollback = vec![format!("DROP INDEX CONCURRENTLY IF EXISTS {tmp_name};")];
        if rebuilt.unique {
            build.preflight.push(preflight::duplicates(t, &rebuilt.keys, rebuilt.predicate.as_deref(), rebuilt.nulls_not_distinct));
        }
        build.estimate = crate::estimate::index_build(p.table_stats(t), true);
        p.push(PhaseKind::Validate, build);
        g.indexes.push((name, index, tmp));
    }
    let keys: Vec<(String, Constraint)> = to_table
        .constraints
        .iter()
        .filter(|(_, c)| matches!(c.kind, ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }) && c.kind.columns().contains(&final_name))
        .map(|(n, c)| (n.clone(), c.clone()))
        .collect();
    for (name, c) in keys {
        let Some(mut index) = key_index(t, &c) else { continue };
        for k in &mut index.keys {
            if let IndexTarget::Column(col) = &mut k.target {
                if *col == final_name {
                    *col = g.mirror.clone();
                }
            }
        }
        index.include = on_mirror(&index.include);
        let tmp = p.temp_name(&t.schema, &format!("{name}__astrola_new"));
        let tmp_name = QualifiedName::new(t.schema.clone(), tmp.clone());
        let mut build = p.concurrent(format!("Build the unique index of key {} on the new column, concurrently", quote_ident(&name)), tmp_name.to_string(), concurrent_index_sql(&tmp_name, &index), t);
        build.change = anchor;
        build.rollback = vec![format!("DROP INDEX CONCURRENTLY IF EXISTS {tmp_name};")];
        build.preflight.push(preflight::duplicates(t, &index.keys, None, index.nulls_not_distinct));
        build.estimate = crate::estimate::index_build(p.table_stats(t), true);
        p.push(PhaseKind::Validate, build);
        g.keys.push((name, c, tmp));
    }
    let reason = match (g.renamed, g.retyped) {
        (true, _) => format!("deploy code that reads and writes {t}.{qm} instead of {qs} (the trigger keeps {qs} in sync until the switch; {qs} is dropped after it)"),
        (false, _) => format!("confirm that running code accepts {} values in {t}.{qs} (the switch swaps the column in place; prepared statements over {t} are re-planned)", g.to_col.data_type),
    };
    p.gate_reasons.push(reason);
}

/// The contract steps of all groups: one switch transaction, the
/// validations of the foreign keys it adds again, and the drops of the old
/// columns.
pub(crate) fn contract(p: &mut Planner<'_>, groups: &[Group]) {
    if groups.is_empty() {
        return;
    }
    let touches_group = |on: Option<&QualifiedName>, c: &Constraint, new_side: bool| {
        groups.iter().any(|g| fk_touches(on, c, &g.table, if new_side { &g.to_col.name } else { &g.src }) || p.renamed_tables.get(&g.table).is_some_and(|old| fk_touches(on, c, old, &g.src)))
    };
    // Foreign keys over any group column, on either side.
    // Foreign keys added again elsewhere under the same name (over other
    // columns): they are not the switch's to drop.
    let readded: BTreeSet<(QualifiedName, String)> = p
        .changes
        .changes
        .iter()
        .enumerate()
        .filter(|(i, c)| !p.absorbed.contains(i) && !c.refused)
        .filter_map(|(_, c)| match &c.change {
            Change::AddConstraint { table, name, .. } => Some((table.clone(), name.clone())),
            _ => None,
        })
        .collect();
    let mut drop_fks: Vec<(QualifiedName, String)> = Vec::new();
    for (tname, t) in &p.from.tables {
        let now = p.renamed_tables.iter().find(|(_, old)| *old == tname).map(|(new, _)| new.clone()).unwrap_or_else(|| tname.clone());
        for (cname, c) in &t.constraints {
            if (touches_group(Some(tname), c, false) || touches_group(Some(&now), c, false)) && !readded.contains(&(now.clone(), cname.clone())) {
                drop_fks.push((now.clone(), cname.clone()));
            }
        }
    }
    let mut add_fks: Vec<(QualifiedName, String, Constraint)> = Vec::new();
    for (tname, t) in &p.to.tables {
        for (cname, c) in &t.constraints {
            if touches_group(Some(tname), c, true) {
                add_fks.push((tname.clone(), cname.clone(), c.clone()));
            }
        }
    }
    let mut sql = Vec::new();
    for (t, name) in &drop_fks {
        if p.table_in_from(t).is_some() {
            sql.push(format!("ALTER TABLE IF EXISTS {t} DROP CONSTRAINT IF EXISTS {};", quote_ident(name)));
        }
    }
    let mut tables: Vec<QualifiedName> = Vec::new();
    let mut approvals: Vec<String> = Vec::new();
    for g in groups {
        let t = &g.table;
        tables.push(t.clone());
        let fin = quote_ident(&g.to_col.name);
        let ret = quote_ident(&g.retired);
        sql.push(format!("DROP TRIGGER IF EXISTS {} ON {t};", quote_ident(&g.trigger)));
        sql.push(format!("DROP FUNCTION IF EXISTS {}();", g.function));
        if !g.renamed {
            sql.push(format!("ALTER TABLE {t} RENAME COLUMN {} TO {ret};", quote_ident(&g.src)));
            sql.push(format!("ALTER TABLE {t} RENAME COLUMN {} TO {fin};", quote_ident(&g.mirror)));
        }
        // The old column's keys go (foreign keys over them are gone above).
        if let Some(from_t) = p.table_in_from(t) {
            for (cname, c) in &from_t.constraints {
                let rebuilt = g.keys.iter().any(|(n, _, _)| n == cname);
                let dropped_here = g.changes.iter().any(|i| matches!(&p.changes.changes[*i].change, Change::DropConstraint { name, .. } if name == cname));
                if matches!(c.kind, ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }) && c.kind.columns().contains(&g.src) && (rebuilt || dropped_here) {
                    sql.push(format!("ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {};", quote_ident(cname)));
                }
            }
        }
        if g.from_col.identity.is_some() {
            // Drops the identity's sequence; the new column gets its own below.
            sql.push(format!("ALTER TABLE {t} ALTER COLUMN {ret} DROP IDENTITY IF EXISTS;"));
        }
        if g.from_col.default.is_some() {
            sql.push(format!("ALTER TABLE {t} ALTER COLUMN {ret} DROP DEFAULT;"));
        }
        if g.from_col.not_null {
            sql.push(format!("ALTER TABLE {t} ALTER COLUMN {ret} DROP NOT NULL;"));
        }
        // Sequences owned by the column move to the new one (the drop of the
        // old column would drop them).
        for (sname, s) in &p.to.sequences {
            if s.owned_by.as_ref().is_some_and(|o| &o.table == t && o.column == g.to_col.name) {
                sql.push(format!("ALTER SEQUENCE {sname} OWNED BY {t}.{fin};"));
            }
        }
        if let Some(d) = &g.to_col.default {
            sql.push(format!("ALTER TABLE {t} ALTER COLUMN {fin} SET DEFAULT {};", astrola_core::render::postgres::statements::default_expression(d)));
        }
        if g.to_col.not_null {
            sql.push(format!("ALTER TABLE {t} ALTER COLUMN {fin} SET NOT NULL;"));
            if let Some(check) = &g.not_null_check {
                sql.push(format!("ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {};", quote_ident(check)));
            }
        }
        if let Some(id) = &g.to_col.identity {
            let when = if id.always { "ALWAYS" } else { "BY DEFAULT" };
            sql.push(format!(
                "ALTER TABLE {t} ALTER COLUMN {fin} ADD GENERATED {when} AS IDENTITY (SEQUENCE NAME {} {});",
                id.sequence,
                astrola_core::render::postgres::statements::sequence_options_sql(&id.options)
            ));
            // The new sequence goes on after the largest value in use (the
            // table is locked: no insert can race it).
            sql.push(format!(
                "SELECT setval({}, greatest(coalesce((SELECT max({fin}) FROM {t}), 0) + 1, {}), false);",
                astrola_core::ident::quote_literal(&id.sequence.to_string()),
                id.options.min_value
            ));
        }
        for (name, _, tmp) in &g.indexes {
            sql.push(format!("DROP INDEX IF EXISTS {name};"));
            sql.push(format!("ALTER INDEX {}.{} RENAME TO {};", quote_ident(&t.schema), quote_ident(tmp), quote_ident(&name.name)));
        }
        for (name, c, tmp) in &g.keys {
            let kind = if matches!(c.kind, ConstraintKind::PrimaryKey { .. }) { "PRIMARY KEY" } else { "UNIQUE" };
            let mut attrs = String::new();
            if c.deferrable {
                attrs.push_str(" DEFERRABLE");
            }
            if c.initially_deferred {
                attrs.push_str(" INITIALLY DEFERRED");
            }
            sql.push(format!("ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {};", quote_ident(name)));
            sql.push(format!("ALTER TABLE {t} ADD CONSTRAINT {} {kind} USING INDEX {}{attrs};", quote_ident(name), quote_ident(tmp)));
            if let Some(comment) = &c.comment {
                sql.push(astrola_core::render::postgres::statements::comment_on(&format!("CONSTRAINT {} ON {t}", quote_ident(name)), Some(comment)).trim_end().to_string());
            }
        }
        for (name, index, _) in &g.indexes {
            if let Some(comment) = &index.comment {
                sql.push(astrola_core::render::postgres::statements::comment_on(&format!("INDEX {name}"), Some(comment)).trim_end().to_string());
            }
        }
        if let Some(comment) = &g.to_col.comment {
            sql.push(astrola_core::render::postgres::statements::comment_on(&format!("COLUMN {t}.{fin}"), Some(comment)).trim_end().to_string());
        }
        for i in &g.changes {
            let pc = &p.changes.changes[*i];
            if pc.destruction.is_some() && !matches!(pc.change, Change::AlterColumnType { .. } | Change::DropColumn { .. }) {
                approvals.push(format!("{} {}", pc.change.kind().replace('_', " "), pc.object));
            }
        }
    }
    for (t, name, c) in &add_fks {
        let body = astrola_core::render::postgres::statements::constraint_definition(&Constraint { not_valid: true, comment: None, ..c.clone() });
        sql.push(format!("ALTER TABLE {t} ADD CONSTRAINT {} {body};", quote_ident(name)));
        if let Some(comment) = &c.comment {
            sql.push(astrola_core::render::postgres::statements::comment_on(&format!("CONSTRAINT {} ON {t}", quote_ident(name)), Some(comment)).trim_end().to_string());
        }
    }
    let names: Vec<String> = groups.iter().map(|g| format!("{}.{}", g.table, quote_ident(&g.to_col.name))).collect();
    let first = tables.first().cloned().unwrap_or_else(|| QualifiedName::new("public", ""));
    let mut switch = p.ddl(
        format!("Switch {} to the new column{} in one short transaction (names, defaults, sequences, NOT NULL, indexes and keys; foreign keys added again NOT VALID)", names.join(", "), if names.len() == 1 { "" } else { "s" }),
        names.join(", "),
        sql,
        Some((LockMode::AccessExclusive, &first)),
    );
    switch.change = groups.first().map(|g| g.anchor);
    switch.reversible = false;
    if !approvals.is_empty() {
        switch.approval = Some(Approval { reason: format!("the switch also removes: {}", approvals.join(", ")), rows: None });
    }
    p.push_slot(PhaseKind::Contract, Slot::First, switch);
    for (t, name, c) in &add_fks {
        if c.not_valid {
            continue;
        }
        let check = preflight::orphans(t, c);
        let mut v = p.validate_step(t, name, format!("Validate foreign key {} on {t} again (scans it; writes go on)", quote_ident(name)), check.into_iter().collect());
        v.change = groups.first().map(|g| g.anchor);
        p.push_slot(PhaseKind::Contract, Slot::First, v);
    }
    for g in groups {
        let t = &g.table;
        let ret = quote_ident(&g.retired);
        let mut drop = p.ddl(
            format!("Drop the old column {t}.{ret} (its data lives on in {})", quote_ident(&g.to_col.name)),
            format!("{t}.{ret}"),
            vec![format!("ALTER TABLE {t} DROP COLUMN IF EXISTS {ret};")],
            Some((LockMode::AccessExclusive, t)),
        );
        drop.change = Some(g.anchor);
        drop.reversible = false;
        let rows = p.table_stats(t).and_then(|s| s.rows);
        let narrowing = g.changes.iter().any(|i| p.changes.changes[*i].destruction == Some(Destruction::Narrowing));
        drop.approval = Some(Approval {
            reason: format!("drops column {t}.{ret} and its data{}", if narrowing { " (the new type is narrower: check the backfill's checksums first)" } else { "; the copy in the new column was verified by the backfill" }),
            rows,
        });
        drop.estimate = crate::estimate::rows_only(p.table_stats(t), "rows whose old column the step drops");
        p.push_slot(PhaseKind::Contract, Slot::Last, drop);
    }
}

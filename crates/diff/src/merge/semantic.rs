//! Semantic conflicts: changes that are valid alone but not together.
//!
//! One side *alters* something (drops a table, column, type, function or
//! sequence; renames a table, column or type; retypes a column) and the
//! other side *uses* it in an object it creates or changes (an index, a
//! constraint or foreign key, a view, a trigger, a policy, a column's type
//! or default). Uses are found from the model and, for expressions and view
//! queries, from the identifiers they mention (see `references.rs`), which
//! errs on the side of reporting.

use std::collections::BTreeSet;

use astrola_core::hints::{RenameHint, RenameKind};
use astrola_core::model::{ConstraintKind, IndexTarget};
use astrola_core::{QualifiedName, Schema};

use super::object::Obj;
use super::{conflict_about, Aligned, ConflictKind, Found, Side};
use crate::references::{type_name, words};

/// Something one side altered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A table or view.
    Relation(QualifiedName),
    Column(QualifiedName, String),
    /// A type or domain.
    Type(QualifiedName),
    /// Every function of this name.
    Function(QualifiedName),
    Sequence(QualifiedName),
}

/// How it was altered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Alter {
    Dropped,
    Renamed(String),
    Retyped(String, String),
}

impl Target {
    fn describe(&self, schema: &Schema) -> String {
        match self {
            Target::Relation(q) if schema.views.contains_key(q) => format!("view {q}"),
            Target::Relation(q) => format!("table {q}"),
            Target::Column(t, c) => format!("column {}", Obj::Column(t.clone(), c.clone()).name()),
            Target::Type(q) => format!("type {q}"),
            Target::Function(q) => format!("function {q}"),
            Target::Sequence(q) => format!("sequence {q}"),
        }
    }
}

/// The conflict of a rename by `side` that does not apply on the other
/// side, which dropped or renamed the object too.
pub(crate) fn rename_clash(side: Side, h: &RenameHint, other_hints: &[RenameHint], base: &Schema, a: &Aligned<'_>) -> Found {
    let other_rename = other_hints.iter().find(|o| o.kind == h.kind && o.from == h.from && (o.table == h.table || matches!(h.kind, RenameKind::Table | RenameKind::Type)));
    let obj_named = |name: &str| -> Obj {
        match h.kind {
            RenameKind::Table => Obj::Table(QualifiedName::new(h.table.schema.clone(), name)),
            RenameKind::Column => Obj::Column(h.table.clone(), name.to_string()),
            RenameKind::Index => Obj::Index(QualifiedName::new(h.table.schema.clone(), name)),
            RenameKind::Constraint => Obj::Constraint(h.table.clone(), name.to_string()),
            RenameKind::Type => Obj::Type(QualifiedName::new(h.table.schema.clone(), name)),
            RenameKind::EnumValue => Obj::Type(h.table.clone()),
        }
    };
    let obj = obj_named(&h.to);
    let old = obj_named(&h.from);
    let kind_word = match h.kind {
        RenameKind::EnumValue => "label",
        _ => obj.type_word(),
    };
    let what = if h.kind == RenameKind::EnumValue { format!("label {} of type {}", h.from, h.table) } else { format!("{kind_word} {}", old.name()) };
    let this = format!("renames {what} to {}", h.to);
    let that = match other_rename {
        Some(o) => format!("renames {what} to {}", o.to),
        None if old.exists(base) && !old.exists(a.side(side.other())) => format!("drops {what}"),
        None => format!("changes {what}"),
    };
    let (oc, tc) = if side == Side::Ours { (this, that.clone()) } else { (that.clone(), this) };
    let explanation = match other_rename {
        Some(o) => format!("The branches rename {what} to different names ({} and {}). Whichever rename runs second fails, because the old name is gone.", h.to, o.to),
        None => format!("{} renames {what}, which {} {}. Run in one order the rename fails on a missing object; in the other the change refers to the old name.", side.word(), side.other().word(), that.split(' ').next().unwrap_or("changes")),
    };
    let resolution = format!("Agree on what happens to {what}: keep one branch's rename (or drop) and rebase the other branch on it.");
    let mut f = conflict_about(a, ConflictKind::Incompatible, &obj, oc, tc, explanation, resolution);
    f.sql_objects.push(old.name());
    f.pins.push(obj);
    if let Some(o) = other_rename {
        let other = obj_named(&o.to);
        f.sql_objects.push(other.name());
        f.pins.push(other);
    }
    f
}

/// Finds the semantic conflicts between the two sides.
pub(crate) fn check(base: &Schema, ours: &Schema, theirs: &Schema, ours_hints: &[RenameHint], theirs_hints: &[RenameHint], a: &Aligned<'_>, found: &mut Vec<Found>) {
    for side in [Side::Ours, Side::Theirs] {
        let other = side.other();
        let alters = alterations(&a.base, a.side(other));
        if !alters.is_empty() {
            let user = a.side(side);
            for obj in changed_objects(&a.base, user) {
                for (target, alter) in &alters {
                    if uses(user, &obj, target, alter) {
                        found.push(semantic(a, side, &obj, obj.exists(&a.base), target, alter, vec![target_obj(a, target)]));
                    }
                }
            }
        }
        let (raw, other_hints) = match side {
            Side::Ours => (ours, theirs_hints),
            Side::Theirs => (theirs, ours_hints),
        };
        if other_hints.is_empty() {
            continue;
        }
        let changed = changed_objects(base, raw);
        for h in other_hints {
            let (target, pin) = match h.kind {
                RenameKind::Table => (Target::Relation(QualifiedName::new(h.table.schema.clone(), h.from.clone())), Obj::Table(h.table.clone())),
                RenameKind::Column => (Target::Column(h.table.clone(), h.from.clone()), Obj::Column(h.table.clone(), h.to.clone())),
                RenameKind::Type => (Target::Type(QualifiedName::new(h.table.schema.clone(), h.from.clone())), Obj::Type(h.table.clone())),
                _ => continue,
            };
            let alter = Alter::Renamed(h.to.clone());
            for obj in &changed {
                // A change to the renamed object itself merges onto it.
                let itself = match (&target, obj) {
                    (Target::Column(t, c), Obj::Column(t2, c2)) => t == t2 && c == c2,
                    (Target::Relation(t), o) => o.owner() == Some(t) && !matches!(o, Obj::Table(_)),
                    _ => false,
                };
                if !itself && uses(raw, obj, &target, &alter) {
                    let existed = obj.exists(base);
                    found.push(semantic(a, side, obj, existed, &target, &alter, vec![pin.clone()]));
                }
            }
        }
    }
}

/// A semantic conflict: `side` creates or changes `obj`, which uses
/// `target`, which the other side altered.
fn semantic(a: &Aligned<'_>, side: Side, obj: &Obj, existed: bool, target: &Target, alter: &Alter, target_pins: Vec<Obj>) -> Found {
    let other = side.other();
    let what = format!("{} {}", obj.type_word(), obj.name());
    let target_what = target.describe(&a.base);
    let user_change = format!("{} {what}, which uses {target_what}", if existed { "changes" } else { "creates" });
    let alter_change = match alter {
        Alter::Dropped => format!("drops {target_what}"),
        Alter::Renamed(new) => format!("renames {target_what} to {new}"),
        Alter::Retyped(from, to) => format!("changes the type of {target_what} from {from} to {to}"),
    };
    let (u, x) = (side.word(), other.word());
    let (why, fix) = match alter {
        Alter::Dropped => (
            format!("In either order the second migration fails: {what} needs {target_what}, which is gone (or the drop fails because {what} depends on it)."),
            format!("Rebase {u} on {x} and drop or rewrite {what} so that it no longer uses {target_what}, or keep {target_what} in {x}."),
        ),
        Alter::Renamed(new) => (
            format!("{u}' migration refers to the old name, which no longer exists once {x}' rename has run."),
            format!("Rebase {u} on {x} and write {what} against the new name {new}."),
        ),
        Alter::Retyped(..) => (
            "PostgreSQL refuses to change the type of a column that a view or rule depends on, and an expression or foreign key written against the old type may not hold for the new one, so the result depends on the order.".to_string(),
            format!("Rebase {u} on {x}: write {what} against the new type, and have the type change drop and recreate the objects that depend on the column."),
        ),
    };
    let explanation = format!("{u} {user_change}; {x} {alter_change}. Each change is valid alone, but not together. {why}");
    let (oc, tc) = if side == Side::Ours { (user_change, alter_change) } else { (alter_change, user_change) };
    let mut f = conflict_about(a, ConflictKind::Semantic, obj, oc, tc, explanation, fix);
    f.sql_objects.extend(target_pins.iter().map(Obj::name));
    f.pins.push(obj.clone());
    f.pins.extend(target_pins);
    f
}

/// The object a target names in the aligned schemas.
fn target_obj(a: &Aligned<'_>, target: &Target) -> Obj {
    match target {
        Target::Relation(q) if a.base.views.contains_key(q) => Obj::View(q.clone()),
        Target::Relation(q) => Obj::Table(q.clone()),
        Target::Column(t, c) => Obj::Column(t.clone(), c.clone()),
        Target::Type(q) if a.base.domains.contains_key(q) => Obj::Domain(q.clone()),
        Target::Type(q) => Obj::Type(q.clone()),
        Target::Function(q) => {
            let sig = a.base.functions.iter().find(|(_, f)| f.name == *q).map(|(s, _)| s.clone()).unwrap_or_else(|| q.to_string());
            Obj::Function(sig)
        }
        Target::Sequence(q) => Obj::Sequence(q.clone()),
    }
}

/// What `x` dropped or retyped of `b` (renames are aligned away).
fn alterations(b: &Schema, x: &Schema) -> Vec<(Target, Alter)> {
    let mut out = Vec::new();
    for (k, bt) in &b.tables {
        match x.tables.get(k) {
            None => out.push((Target::Relation(k.clone()), Alter::Dropped)),
            Some(xt) if xt != bt => {
                for bc in &bt.columns {
                    match xt.column(&bc.name) {
                        None => out.push((Target::Column(k.clone(), bc.name.clone()), Alter::Dropped)),
                        Some(xc) if xc.data_type != bc.data_type => out.push((Target::Column(k.clone(), bc.name.clone()), Alter::Retyped(bc.data_type.clone(), xc.data_type.clone()))),
                        Some(_) => {}
                    }
                }
            }
            Some(_) => {}
        }
    }
    for k in b.views.keys().filter(|k| !x.views.contains_key(*k)) {
        out.push((Target::Relation(k.clone()), Alter::Dropped));
    }
    for k in b.types.keys().chain(b.domains.keys()).filter(|k| !x.types.contains_key(*k) && !x.domains.contains_key(*k)) {
        out.push((Target::Type(k.clone()), Alter::Dropped));
    }
    for k in b.sequences.keys().filter(|k| !x.sequences.contains_key(*k)) {
        out.push((Target::Sequence(k.clone()), Alter::Dropped));
    }
    let names = |s: &Schema| s.functions.values().map(|f| f.name.clone()).collect::<BTreeSet<_>>();
    let xf = names(x);
    for f in names(b).into_iter().filter(|f| !xf.contains(f)) {
        out.push((Target::Function(f), Alter::Dropped));
    }
    out
}

/// The objects `s` creates or changes relative to `b`.
fn changed_objects(b: &Schema, s: &Schema) -> Vec<Obj> {
    let mut out = Vec::new();
    for (k, st) in &s.tables {
        let bt = b.tables.get(k);
        if bt == Some(st) {
            continue;
        }
        if bt.is_none_or(|bt| bt.partition_of != st.partition_of || bt.inherits != st.inherits) {
            out.push(Obj::Table(k.clone()));
        }
        for c in &st.columns {
            if bt.and_then(|bt| bt.column(&c.name)) != Some(c) {
                out.push(Obj::Column(k.clone(), c.name.clone()));
            }
        }
        macro_rules! members {
            ($f:ident, $obj:ident) => {
                for (n, m) in &st.$f {
                    if bt.and_then(|bt| bt.$f.get(n)) != Some(m) {
                        out.push(Obj::$obj(k.clone(), n.clone()));
                    }
                }
            };
        }
        members!(constraints, Constraint);
        members!(triggers, Trigger);
        members!(policies, Policy);
    }
    macro_rules! objects {
        ($f:ident, $obj:ident) => {
            for (k, v) in &s.$f {
                if b.$f.get(k) != Some(v) {
                    out.push(Obj::$obj(k.clone()));
                }
            }
        };
    }
    objects!(indexes, Index);
    objects!(views, View);
    objects!(domains, Domain);
    objects!(functions, Function);
    objects!(sequences, Sequence);
    out
}

/// Whether `obj` (as `s` has it) uses `target` in a way `alter` breaks.
fn uses(s: &Schema, obj: &Obj, target: &Target, alter: &Alter) -> bool {
    let retyped = matches!(alter, Alter::Retyped(..));
    if let Target::Relation(r) = target {
        if obj.owner() == Some(r) && !matches!(obj, Obj::Table(_)) {
            // Part of the altered table itself: a conflict of the table.
            return false;
        }
    }
    let mentions = |text: &str, name: &str| words(text).contains(name);
    match obj {
        Obj::Index(k) => {
            let Some(i) = s.indexes.get(k) else { return false };
            let exprs: String = i.keys.iter().filter_map(|key| if let IndexTarget::Expression(e) = &key.target { Some(e.as_str()) } else { None }).chain(i.predicate.as_deref()).collect::<Vec<_>>().join(" ");
            match target {
                Target::Relation(r) => !retyped && i.table == *r,
                Target::Column(t, c) => {
                    i.table == *t
                        && ((!retyped && (i.keys.iter().any(|key| key.target == IndexTarget::Column(c.clone())) || i.include.contains(c))) || mentions(&exprs, c))
                }
                Target::Function(f) => mentions(&exprs, &f.name),
                Target::Type(ty) => mentions(&exprs, &ty.name),
                Target::Sequence(_) => false,
            }
        }
        Obj::Constraint(t, n) => {
            let Some(c) = s.tables.get(t).and_then(|x| x.constraints.get(n)) else { return false };
            let expr = match &c.kind {
                ConstraintKind::Check { expr, .. } => expr.clone(),
                ConstraintKind::Exclusion { elements, predicate, .. } => {
                    let mut e: Vec<String> = elements.iter().map(|el| match &el.key.target {
                        IndexTarget::Column(col) => format!("\"{}\"", col.replace('"', "\"\"")),
                        IndexTarget::Expression(x) => x.clone(),
                    }).collect();
                    e.extend(predicate.clone());
                    e.join(" ")
                }
                _ => String::new(),
            };
            let fk = match &c.kind {
                ConstraintKind::ForeignKey { ref_table, ref_columns, .. } => Some((ref_table, ref_columns)),
                _ => None,
            };
            match target {
                Target::Relation(r) => !retyped && fk.is_some_and(|(rt, _)| rt == r),
                Target::Column(r, col) => {
                    // A foreign key survives a type change within a family
                    // (integer to bigint); across families it cannot be
                    // created or revalidated.
                    let fk_breaks = match alter {
                        Alter::Retyped(from, to) => type_family(from) != type_family(to),
                        _ => true,
                    };
                    let own = r == t && ((c.kind.columns().contains(col) && (!retyped || (fk.is_some() && fk_breaks))) || mentions(&expr, col));
                    let referenced = fk.is_some_and(|(rt, rc)| rt == r && rc.contains(col)) && fk_breaks;
                    own || referenced
                }
                Target::Function(f) => mentions(&expr, &f.name),
                Target::Type(ty) => mentions(&expr, &ty.name),
                Target::Sequence(_) => false,
            }
        }
        Obj::Column(t, n) => {
            let Some(col) = s.tables.get(t).and_then(|x| x.column(n)) else { return false };
            let exprs = [col.default.as_deref(), col.generated.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
            match target {
                Target::Type(ty) => type_name(&col.data_type).is_some_and(|q| q == *ty) || mentions(&exprs, &ty.name),
                Target::Sequence(q) => mentions(&exprs, &q.name),
                Target::Function(f) => mentions(&exprs, &f.name),
                Target::Column(r, c) => r == t && c != n && col.generated.as_deref().is_some_and(|g| mentions(g, c)),
                Target::Relation(_) => false,
            }
        }
        Obj::View(v) => {
            let Some(view) = s.views.get(v) else { return false };
            let w = words(&view.query);
            match target {
                Target::Relation(r) => r != v && !retyped && w.contains(&r.name),
                Target::Column(r, c) => w.contains(&r.name) && w.contains(c),
                Target::Function(f) => w.contains(&f.name),
                Target::Type(ty) => w.contains(&ty.name),
                Target::Sequence(q) => w.contains(&q.name),
            }
        }
        Obj::Trigger(t, n) => {
            let Some(tr) = s.tables.get(t).and_then(|x| x.triggers.get(n)) else { return false };
            match target {
                Target::Function(f) => tr.function == *f,
                Target::Column(r, c) => r == t && (mentions(&tr.events.join(" "), c) || tr.when.as_deref().is_some_and(|w| mentions(w, c))),
                _ => false,
            }
        }
        Obj::Policy(t, n) => {
            let Some(p) = s.tables.get(t).and_then(|x| x.policies.get(n)) else { return false };
            let exprs = [p.using.as_deref(), p.with_check.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
            match target {
                Target::Column(r, c) => r == t && mentions(&exprs, c),
                Target::Relation(r) => r != t && !retyped && mentions(&exprs, &r.name),
                Target::Function(f) => mentions(&exprs, &f.name),
                Target::Type(ty) => mentions(&exprs, &ty.name),
                Target::Sequence(q) => mentions(&exprs, &q.name),
            }
        }
        Obj::Domain(d) => {
            let Some(dom) = s.domains.get(d) else { return false };
            match target {
                Target::Type(ty) => ty != d && type_name(&dom.data_type).is_some_and(|q| q == *ty),
                Target::Function(f) => dom.checks.values().any(|c| mentions(&c.expr, &f.name)),
                _ => false,
            }
        }
        Obj::Function(sig) => {
            let Some(f) = s.functions.get(sig) else { return false };
            let types = || f.args.iter().map(|a| a.data_type.as_str()).chain(f.returns.as_deref()).filter_map(type_name);
            match target {
                Target::Type(ty) => types().any(|q| q == *ty),
                Target::Relation(r) if !retyped => types().any(|q| q == *r),
                _ => false,
            }
        }
        Obj::Sequence(q) => {
            let Some(owner) = s.sequences.get(q).and_then(|x| x.owned_by.as_ref()) else { return false };
            match target {
                Target::Relation(r) => !retyped && owner.table == *r,
                Target::Column(r, c) => !retyped && owner.table == *r && owner.column == *c,
                _ => false,
            }
        }
        Obj::Table(t) => {
            let Some(table) = s.tables.get(t) else { return false };
            match target {
                Target::Relation(r) => !retyped && (table.partition_of.as_ref().is_some_and(|p| p.parent == *r) || table.inherits.contains(r)),
                _ => false,
            }
        }
        Obj::Namespace(_) | Obj::Extension(_) | Obj::Type(_) => false,
    }
}

/// The family of a type, for telling whether a foreign key survives a
/// type change: integers, character strings, or the type itself.
fn type_family(t: &str) -> String {
    let base = t.split('(').next().unwrap_or(t).trim();
    match base {
        "smallint" | "integer" | "bigint" => "integer".into(),
        "text" | "character varying" | "character" => "string".into(),
        other => other.to_string(),
    }
}

/// References of `s` to objects that do not exist: (object, what it is missing).
fn missing(s: &Schema, functions: &BTreeSet<QualifiedName>, types: &BTreeSet<QualifiedName>) -> BTreeSet<(Obj, String)> {
    let mut out = BTreeSet::new();
    for (k, t) in &s.tables {
        for (n, c) in &t.constraints {
            let obj = || Obj::Constraint(k.clone(), n.clone());
            for col in c.kind.columns().iter().filter(|col| t.column(col).is_none()) {
                out.insert((obj(), format!("column {}", Obj::Column(k.clone(), col.clone()).name())));
            }
            if let ConstraintKind::ForeignKey { ref_table, ref_columns, .. } = &c.kind {
                match s.tables.get(ref_table) {
                    None => {
                        out.insert((obj(), format!("table {ref_table}")));
                    }
                    Some(rt) => {
                        for col in ref_columns.iter().filter(|col| rt.column(col).is_none()) {
                            out.insert((obj(), format!("column {}", Obj::Column(ref_table.clone(), col.clone()).name())));
                        }
                    }
                }
            }
        }
        for (n, tr) in &t.triggers {
            if functions.contains(&tr.function) && !s.functions.values().any(|f| f.name == tr.function) {
                out.insert((Obj::Trigger(k.clone(), n.clone()), format!("function {}", tr.function)));
            }
        }
        for c in &t.columns {
            if let Some(ty) = type_name(&c.data_type).filter(|q| types.contains(q)) {
                if !s.types.contains_key(&ty) && !s.domains.contains_key(&ty) {
                    out.insert((Obj::Column(k.clone(), c.name.clone()), format!("type {ty}")));
                }
            }
        }
    }
    for (k, i) in &s.indexes {
        match s.tables.get(&i.table) {
            None if !s.views.contains_key(&i.table) => {
                out.insert((Obj::Index(k.clone()), format!("table {}", i.table)));
            }
            None => {}
            Some(t) => {
                let cols = i.keys.iter().filter_map(|key| if let IndexTarget::Column(c) = &key.target { Some(c) } else { None }).chain(&i.include);
                for c in cols.filter(|c| t.column(c).is_none()) {
                    out.insert((Obj::Index(k.clone()), format!("column {}", Obj::Column(i.table.clone(), c.clone()).name())));
                }
            }
        }
    }
    for (k, seq) in &s.sequences {
        if let Some(o) = &seq.owned_by {
            if s.tables.get(&o.table).is_none_or(|t| t.column(&o.column).is_none()) {
                out.insert((Obj::Sequence(k.clone()), format!("column {}", Obj::Column(o.table.clone(), o.column.clone()).name())));
            }
        }
    }
    out
}

/// A column one side puts in a primary key (which makes it NOT NULL) while
/// the other makes it nullable: the DROP NOT NULL fails after the key, and
/// the key sets NOT NULL again after the DROP, so the result depends on the
/// order.
pub(crate) fn nullable_keys(a: &Aligned<'_>, found: &mut Vec<Found>) {
    let in_key = |s: &Schema, t: &QualifiedName, c: &str| {
        s.tables.get(t).and_then(|table| table.primary_key()).is_some_and(|(_, k)| matches!(&k.kind, ConstraintKind::PrimaryKey { columns, .. } if columns.iter().any(|x| x == c)))
    };
    let nullable = |s: &Schema, t: &QualifiedName, c: &str| s.tables.get(t).and_then(|table| table.columns.iter().find(|x| x.name == c)).is_some_and(|x| !x.not_null);
    let mut seen = BTreeSet::new();
    for (keyed, other) in [(&*a.ours, &*a.theirs), (&*a.theirs, &*a.ours)] {
        for (t, table) in &keyed.tables {
            let Some((_, key)) = table.primary_key() else { continue };
            let ConstraintKind::PrimaryKey { columns, .. } = &key.kind else { continue };
            for c in columns {
                if !in_key(&a.base, t, c) && nullable(other, t, c) && !in_key(other, t, c) && !nullable(&a.base, t, c) && seen.insert((t.clone(), c.clone())) {
                    let obj = Obj::Column(t.clone(), c.clone());
                    let side_change = |s: &Schema| if in_key(s, t, c) { format!("puts column {} in the primary key", obj.name()) } else if nullable(s, t, c) { format!("makes column {} nullable", obj.name()) } else { format!("leaves column {} NOT NULL", obj.name()) };
                    let mut f = conflict_about(
                        a,
                        ConflictKind::Semantic,
                        &obj,
                        side_change(&a.ours),
                        side_change(&a.theirs),
                        format!("One branch puts {} in the primary key, which requires NOT NULL, and the other drops its NOT NULL: after the key, DROP NOT NULL fails; before it, the key sets NOT NULL again.", obj.name()),
                        "Keep the column NOT NULL (drop the DROP NOT NULL), or leave it out of the primary key.".to_string(),
                    );
                    f.pins.push(obj);
                    found.push(f);
                }
            }
        }
    }
}

/// A last check of the merged schema: references to missing objects that
/// neither side has on its own, reported when no conflict explains them.
pub(crate) fn dangling(a: &Aligned<'_>, merged: &Schema, found: &mut Vec<Found>) {
    let all = [&*a.base, &*a.ours, &*a.theirs];
    let functions: BTreeSet<QualifiedName> = all.iter().flat_map(|s| s.functions.values().map(|f| f.name.clone())).collect();
    let types: BTreeSet<QualifiedName> = all.iter().flat_map(|s| s.types.keys().chain(s.domains.keys()).cloned()).collect();
    let problems = missing(merged, &functions, &types);
    if problems.is_empty() {
        return;
    }
    let known = missing(&a.ours, &functions, &types);
    let known_t = missing(&a.theirs, &functions, &types);
    let reported: BTreeSet<String> = found.iter().map(|f| f.conflict.object.clone()).collect();
    for (obj, what) in problems {
        // An object of a table already in conflict is explained by that
        // conflict: the merge keeps ours' version of the table until it is
        // resolved, and reporting its parts too would depend on which branch
        // is ours.
        let owner = match &obj {
            Obj::Index(q) => all.iter().find_map(|s| s.indexes.get(q)).map(|i| i.table.clone()),
            other => other.owner().cloned(),
        };
        let owner_reported = owner.is_some_and(|t| reported.contains(&t.to_string()));
        if known.contains(&(obj.clone(), what.clone())) || known_t.contains(&(obj.clone(), what.clone())) || reported.contains(&obj.name()) || owner_reported {
            continue;
        }
        let name = format!("{} {}", obj.type_word(), obj.name());
        let side_change = |s: &Schema| {
            let (b, x) = (obj.definition(&a.base), obj.definition(s));
            super::describe(&obj, b.as_ref(), x.as_ref())
        };
        let mut f = conflict_about(
            a,
            ConflictKind::Semantic,
            &obj,
            side_change(&a.ours),
            side_change(&a.theirs),
            format!("Combined, {name} refers to {what}, which the merged schema does not have: one branch adds or changes {name} and the other removes what it refers to. Each branch is valid alone."),
            format!("Rebase one branch on the other and either keep {what} or rewrite {name} so it no longer needs it."),
        );
        f.pins.push(obj);
        found.push(f);
    }
}

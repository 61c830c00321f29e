//! Ordering changes: a dependency graph (petgraph) over the changes, sorted
//! topologically with a phase rank as the tie-breaker.
//!
//! Each change declares the objects it creates, drops, alters, needs (they
//! must exist before it runs) and frees (objects its dropped definition
//! used, which cannot go before it). Edges follow:
//!
//! - a creator of X runs before every change that needs X;
//! - a dropper of X runs before a creator of X (a replacement);
//! - a change that frees X runs before the change that drops or alters X
//!   (a view is dropped before the column it reads changes type);
//! - within those constraints, changes run in phase order (drops of
//!   dependents first, then renames, then creates in pg_dump's order), and
//!   in the order they were found.
//!
//! A cycle (which well-formed schemas do not produce: foreign keys are
//! separate changes that come after every table) is broken at the change
//! with the lowest phase, so ordering always terminates.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use petgraph::graph::{DiGraph, NodeIndex};

use astrola_core::model::{Column, ConstraintKind, IndexTarget};
use astrola_core::{Dialect, QualifiedName, Schema};

use crate::references::{type_name, References};
use crate::Change;

/// An object a change touches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Obj {
    Schema(String),
    Extension(String),
    /// Types, domains and the row types of tables and views.
    Type(QualifiedName),
    /// Anything in the relation namespace: tables, views, sequences, indexes.
    Relation(QualifiedName),
    Column(QualifiedName, String),
    NotNull(QualifiedName, String),
    Identity(QualifiedName, String),
    Constraint(QualifiedName, String),
    /// A unique key (sorted columns) that foreign keys can reference.
    Key(QualifiedName, Vec<String>),
    Function(QualifiedName),
    Trigger(QualifiedName, String),
    Policy(QualifiedName, String),
    /// A column's membership in a primary key (which keeps it NOT NULL).
    PrimaryKeyOn(QualifiedName, String),
}

#[derive(Default)]
struct Deps {
    creates: Vec<Obj>,
    drops: Vec<Obj>,
    alters: Vec<Obj>,
    needs: Vec<Obj>,
    frees: Vec<Obj>,
    /// Objects that must be gone (dropped by another change) first.
    needs_gone: Vec<Obj>,
}

/// The phase rank of a change: the order pg_dump-like scripts use.
pub(crate) fn phase(c: &Change) -> u8 {
    use Change::*;
    match c {
        // Renames first: every other change names objects by their new names.
        RenameType { .. } | RenameTable { .. } | RenameColumn { .. } | RenameConstraint { .. } | RenameIndex { .. } | RenameEnumValue { .. } => 5,
        DropView { .. } => 10,
        DropTrigger { .. } | DropTriggerStatement { .. } => 11,
        DropPolicy { .. } => 12,
        Revoke { .. } => 13,
        DropConstraint { constraint, .. } if matches!(constraint.kind, ConstraintKind::ForeignKey { .. }) => 20,
        DropIndex { .. } => 21,
        DropConstraint { .. } => 22,
        DetachPartition { .. } => 25,
        DropDefault { .. } => 30,
        DropExpression { .. } => 31,
        DropIdentity { .. } => 32,
        DropColumn { .. } => 35,
        DropTable { .. } => 36,
        DropSequence { .. } => 37,
        DropFunction { .. } => 38,
        DropDomain { .. } => 39,
        DropType { .. } => 40,
        DropExtension { .. } => 41,
        DropSchema { .. } => 42,

        CreateSchema { .. } => 60,
        CreateExtension { .. } | AlterExtension { .. } => 61,
        CreateType { .. } | AddEnumValue { .. } => 62,
        ReplaceType { .. } => 63,
        CreateDomain { .. } | AlterDomain { .. } => 64,
        CreateFunction { .. } => 65,
        CreateSequence { .. } => 66,
        CreateTable { .. } => 67,
        AddColumn { .. } | ReplaceColumn { .. } => 68,
        AlterColumnType { .. } => 69,
        AlterColumnExtra { .. } => 70,
        SetNotNull { .. } | DropNotNull { .. } => 71,
        AddIdentity { .. } | AlterIdentity { .. } => 72,
        SetDefault { .. } => 73,
        AttachPartition { .. } => 74,
        AlterSequence { .. } => 75,
        AddConstraint { constraint, .. } if constraint.kind.has_index() => 80,
        CreateIndex { .. } => 81,
        AddConstraint { constraint, .. } if !matches!(constraint.kind, ConstraintKind::ForeignKey { .. }) => 82,
        AddConstraint { .. } => 83,
        ValidateConstraint { .. } => 84,
        ReplaceFunction { .. } => 90,
        CreateView { .. } => 91,
        CreateTrigger { .. } | CreateTriggerStatement { .. } => 92,
        SetTriggerFiring { .. } => 93,
        SetRowSecurity { .. } => 94,
        CreatePolicy { .. } => 95,
        SetLogged { .. } => 96,
        SetTableOptions { .. } => 97,
        SetComment { .. } => 98,
        Grant { .. } => 99,
    }
}

struct Context<'s> {
    from: References<'s>,
    to: References<'s>,
}

fn sorted(cols: &[String]) -> Vec<String> {
    let mut v = cols.to_vec();
    v.sort();
    v
}

fn schema_of(name: &QualifiedName) -> Obj {
    Obj::Schema(name.schema.clone())
}

impl Context<'_> {
    /// What a column definition needs (types, sequences and functions of
    /// its default and generation expression), from `refs`' schema.
    fn column_uses(refs: &References, c: &Column, out: &mut Vec<Obj>) {
        if let Some(t) = type_name(&c.data_type) {
            out.push(Obj::Type(t));
        }
        for e in c.default.iter().chain(c.generated.iter()) {
            Self::expr_uses(refs, e, out);
        }
    }

    fn expr_uses(refs: &References, expr: &str, out: &mut Vec<Obj>) {
        out.extend(refs.relations(expr).into_iter().map(Obj::Relation));
        out.extend(refs.functions(expr).into_iter().map(Obj::Function));
        out.extend(refs.types(expr).into_iter().map(Obj::Type));
    }

    fn deps(&self, c: &Change) -> Deps {
        use Change::*;
        let mut d = Deps::default();
        let (from, to) = (&self.from, &self.to);
        match c {
            CreateSchema { name } => d.creates.push(Obj::Schema(name.clone())),
            DropSchema { name } => d.drops.push(Obj::Schema(name.clone())),
            CreateExtension { name, extension } => {
                d.creates.push(Obj::Extension(name.clone()));
                d.needs.push(Obj::Schema(extension.schema.clone()));
            }
            DropExtension { name } => d.drops.push(Obj::Extension(name.clone())),
            AlterExtension { name, to: e, .. } => {
                d.alters.push(Obj::Extension(name.clone()));
                d.needs.push(Obj::Schema(e.schema.clone()));
            }
            CreateType { name, definition } => {
                d.creates.push(Obj::Type(name.clone()));
                d.needs.push(schema_of(name));
                if let astrola_core::model::TypeKind::Composite { attributes } = &definition.kind {
                    d.needs.extend(attributes.iter().filter_map(|a| type_name(&a.data_type)).map(Obj::Type));
                }
            }
            DropType { name, definition } => {
                d.drops.push(Obj::Type(name.clone()));
                d.frees.push(schema_of(name));
                if let astrola_core::model::TypeKind::Composite { attributes } = &definition.kind {
                    d.frees.extend(attributes.iter().filter_map(|a| type_name(&a.data_type)).map(Obj::Type));
                }
            }
            RenameType { from: a, to: b } => {
                d.drops.push(Obj::Type(a.clone()));
                d.creates.push(Obj::Type(b.clone()));
            }
            AddEnumValue { name, .. } | RenameEnumValue { name, .. } => d.needs.push(Obj::Type(name.clone())),
            ReplaceType { name, columns, .. } => {
                d.alters.push(Obj::Type(name.clone()));
                d.creates.push(Obj::Type(name.clone()));
                for u in columns {
                    d.alters.push(Obj::Column(u.table.clone(), u.column.clone()));
                    d.creates.push(Obj::Column(u.table.clone(), u.column.clone()));
                }
            }
            CreateDomain { name, domain } | AlterDomain { name, to: domain, .. } => {
                d.creates.push(Obj::Type(name.clone()));
                d.needs.push(schema_of(name));
                d.needs.extend(type_name(&domain.data_type).map(Obj::Type));
                for check in domain.checks.values() {
                    Self::expr_uses(to, &check.expr, &mut d.needs);
                }
            }
            DropDomain { name, domain } => {
                d.drops.push(Obj::Type(name.clone()));
                d.frees.push(schema_of(name));
                d.frees.extend(type_name(&domain.data_type).map(Obj::Type));
            }
            CreateSequence { name, .. } => {
                d.creates.push(Obj::Relation(name.clone()));
                d.needs.push(schema_of(name));
            }
            DropSequence { name, .. } => {
                d.drops.push(Obj::Relation(name.clone()));
                d.frees.push(schema_of(name));
            }
            AlterSequence { name, to: s, .. } => {
                d.needs.push(Obj::Relation(name.clone()));
                if let Some(o) = &s.owned_by {
                    d.needs.push(Obj::Column(o.table.clone(), o.column.clone()));
                }
            }
            CreateTable { name, table } => {
                d.creates.push(Obj::Relation(name.clone()));
                d.creates.push(Obj::Type(name.clone()));
                d.needs.push(schema_of(name));
                for col in &table.columns {
                    d.creates.push(Obj::Column(name.clone(), col.name.clone()));
                    d.creates.push(Obj::NotNull(name.clone(), col.name.clone()));
                    Self::column_uses(to, col, &mut d.needs);
                }
                for con in table.constraints.values() {
                    if let ConstraintKind::Check { expr, .. } = &con.kind {
                        Self::expr_uses(to, expr, &mut d.needs);
                    }
                }
                for p in table.inherits.iter().chain(table.partition_of.as_ref().map(|p| &p.parent)) {
                    d.needs.push(Obj::Relation(p.clone()));
                }
            }
            DropTable { name, table } => {
                d.drops.push(Obj::Relation(name.clone()));
                d.drops.push(Obj::Type(name.clone()));
                d.frees.push(schema_of(name));
                for col in &table.columns {
                    d.drops.push(Obj::Column(name.clone(), col.name.clone()));
                    Self::column_uses(from, col, &mut d.frees);
                }
                for (cname, con) in &table.constraints {
                    d.drops.push(Obj::Constraint(name.clone(), cname.clone()));
                    if let ConstraintKind::ForeignKey { ref_table, ref_columns, .. } = &con.kind {
                        if ref_table != name {
                            d.frees.push(Obj::Relation(ref_table.clone()));
                            // The key a foreign key references cannot go
                            // before the table holding the foreign key.
                            d.frees.push(Obj::Key(ref_table.clone(), sorted(ref_columns)));
                            if self.from_schema().dialect == Dialect::Mysql {
                                // InnoDB also keeps the referenced columns
                                // until the table holding it is gone.
                                d.frees.extend(ref_columns.iter().map(|c| Obj::Column(ref_table.clone(), c.clone())));
                            }
                        }
                    }
                }
                for p in table.inherits.iter().chain(table.partition_of.as_ref().map(|p| &p.parent)) {
                    d.frees.push(Obj::Relation(p.clone()));
                }
            }
            RenameTable { from: a, to: b } => {
                d.drops.push(Obj::Relation(a.clone()));
                d.creates.push(Obj::Relation(b.clone()));
                d.creates.push(Obj::Type(b.clone()));
            }
            AddColumn { table, column, .. } => {
                d.needs.push(Obj::Relation(table.clone()));
                d.creates.push(Obj::Column(table.clone(), column.name.clone()));
                d.creates.push(Obj::NotNull(table.clone(), column.name.clone()));
                Self::column_uses(to, column, &mut d.needs);
            }
            DropColumn { table, column } => {
                d.drops.push(Obj::Column(table.clone(), column.name.clone()));
                Self::column_uses(from, column, &mut d.frees);
            }
            RenameColumn { table, from: a, to: b } => {
                d.needs.push(Obj::Relation(table.clone()));
                d.drops.push(Obj::Column(table.clone(), a.clone()));
                d.creates.push(Obj::Column(table.clone(), b.clone()));
            }
            ReplaceColumn { table, from: a, to: b } => {
                d.alters.push(Obj::Column(table.clone(), a.name.clone()));
                d.creates.push(Obj::Column(table.clone(), b.name.clone()));
                Self::column_uses(from, a, &mut d.frees);
                Self::column_uses(to, b, &mut d.needs);
                d.needs.push(Obj::Relation(table.clone()));
            }
            AlterColumnType { table, column, from: old, to: col, .. } => {
                // The column stops using its old type, which may be dropped after.
                d.frees.extend(type_name(&old.data_type).map(Obj::Type));
                d.alters.push(Obj::Column(table.clone(), column.clone()));
                d.creates.push(Obj::Column(table.clone(), column.clone()));
                d.needs.extend(type_name(&col.data_type).map(Obj::Type));
                d.needs.push(Obj::Relation(table.clone()));
            }
            AlterColumnExtra { table, to: col, .. } => {
                d.creates.push(Obj::Column(table.clone(), col.name.clone()));
                Self::column_uses(to, col, &mut d.needs);
            }
            SetNotNull { table, column } => {
                d.needs.push(Obj::Column(table.clone(), column.clone()));
                d.creates.push(Obj::NotNull(table.clone(), column.clone()));
            }
            DropNotNull { table, column } => {
                d.needs.push(Obj::Column(table.clone(), column.clone()));
                // An identity column or primary key keeps NOT NULL.
                d.needs_gone.push(Obj::Identity(table.clone(), column.clone()));
                d.needs_gone.push(Obj::PrimaryKeyOn(table.clone(), column.clone()));
            }
            SetDefault { table, column, default } => {
                d.needs.push(Obj::Column(table.clone(), column.clone()));
                Self::expr_uses(to, default, &mut d.needs);
            }
            DropDefault { table, column } => {
                d.frees.push(Obj::Column(table.clone(), column.clone()));
                if let Some(def) = self.from_column(table, column).and_then(|c| c.default.as_ref()) {
                    Self::expr_uses(from, def, &mut d.frees);
                }
            }
            AddIdentity { table, column, .. } | AlterIdentity { table, column, .. } => {
                d.needs.push(Obj::Column(table.clone(), column.clone()));
                d.needs.push(Obj::NotNull(table.clone(), column.clone()));
                d.creates.push(Obj::Identity(table.clone(), column.clone()));
            }
            DropIdentity { table, column, .. } => {
                d.drops.push(Obj::Identity(table.clone(), column.clone()));
            }
            DropExpression { table, column } => d.needs.push(Obj::Column(table.clone(), column.clone())),
            AddConstraint { table, name, constraint } => {
                d.needs.push(Obj::Relation(table.clone()));
                d.creates.push(Obj::Constraint(table.clone(), name.clone()));
                if constraint.kind.has_index() {
                    d.creates.push(Obj::Relation(QualifiedName::new(table.schema.clone(), name.clone())));
                }
                for col in constraint.kind.columns() {
                    d.needs.push(Obj::Column(table.clone(), col.clone()));
                    if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. }) {
                        d.needs.push(Obj::NotNull(table.clone(), col.clone()));
                    }
                }
                match &constraint.kind {
                    ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => {
                        d.creates.push(Obj::Key(table.clone(), sorted(columns)));
                    }
                    ConstraintKind::ForeignKey { ref_table, ref_columns, .. } => {
                        d.needs.push(Obj::Relation(ref_table.clone()));
                        d.needs.push(Obj::Key(ref_table.clone(), sorted(ref_columns)));
                        d.needs.extend(ref_columns.iter().map(|c| Obj::Column(ref_table.clone(), c.clone())));
                    }
                    ConstraintKind::Check { expr, .. } => Self::expr_uses(to, expr, &mut d.needs),
                    ConstraintKind::Exclusion { elements, .. } => {
                        for e in elements {
                            if let IndexTarget::Column(col) = &e.key.target {
                                d.needs.push(Obj::Column(table.clone(), col.clone()));
                            }
                        }
                    }
                }
            }
            DropConstraint { table, name, constraint } => {
                d.drops.push(Obj::Constraint(table.clone(), name.clone()));
                if constraint.kind.has_index() {
                    d.drops.push(Obj::Relation(QualifiedName::new(table.schema.clone(), name.clone())));
                }
                for col in constraint.kind.columns() {
                    d.frees.push(Obj::Column(table.clone(), col.clone()));
                    if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. }) {
                        d.drops.push(Obj::PrimaryKeyOn(table.clone(), col.clone()));
                    }
                }
                match &constraint.kind {
                    ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => {
                        d.drops.push(Obj::Key(table.clone(), sorted(columns)));
                    }
                    ConstraintKind::ForeignKey { ref_table, ref_columns, .. } => {
                        d.frees.push(Obj::Key(ref_table.clone(), sorted(ref_columns)));
                        d.frees.push(Obj::Relation(ref_table.clone()));
                        d.frees.extend(ref_columns.iter().map(|c| Obj::Column(ref_table.clone(), c.clone())));
                    }
                    ConstraintKind::Check { expr, .. } => Self::expr_uses(from, expr, &mut d.frees),
                    ConstraintKind::Exclusion { .. } => {}
                }
            }
            ValidateConstraint { table, name } => d.needs.push(Obj::Constraint(table.clone(), name.clone())),
            RenameConstraint { table, from: a, to: b } => {
                d.drops.push(Obj::Constraint(table.clone(), a.clone()));
                d.creates.push(Obj::Constraint(table.clone(), b.clone()));
                d.drops.push(Obj::Relation(QualifiedName::new(table.schema.clone(), a.clone())));
                d.creates.push(Obj::Relation(QualifiedName::new(table.schema.clone(), b.clone())));
            }
            CreateIndex { name, index } => {
                d.creates.push(Obj::Relation(name.clone()));
                d.needs.push(Obj::Relation(index.table.clone()));
                let mut cols = Vec::new();
                for k in &index.keys {
                    match &k.target {
                        IndexTarget::Column(col) => {
                            d.needs.push(Obj::Column(index.table.clone(), col.clone()));
                            cols.push(col.clone());
                        }
                        IndexTarget::Expression(e) => Self::expr_uses(to, e, &mut d.needs),
                    }
                }
                d.needs.extend(index.include.iter().map(|c| Obj::Column(index.table.clone(), c.clone())));
                if index.unique && index.predicate.is_none() && cols.len() == index.keys.len() {
                    d.creates.push(Obj::Key(index.table.clone(), sorted(&cols)));
                }
            }
            DropIndex { name, index } => {
                d.drops.push(Obj::Relation(name.clone()));
                let mut cols = Vec::new();
                for k in &index.keys {
                    match &k.target {
                        IndexTarget::Column(col) => {
                            d.frees.push(Obj::Column(index.table.clone(), col.clone()));
                            cols.push(col.clone());
                        }
                        IndexTarget::Expression(e) => Self::expr_uses(from, e, &mut d.frees),
                    }
                }
                if index.unique {
                    d.drops.push(Obj::Key(index.table.clone(), sorted(&cols)));
                }
            }
            RenameIndex { from: a, to: b, .. } => {
                d.drops.push(Obj::Relation(a.clone()));
                d.creates.push(Obj::Relation(b.clone()));
            }
            CreateView { name, view } => {
                d.creates.push(Obj::Relation(name.clone()));
                d.creates.push(Obj::Type(name.clone()));
                d.needs.push(schema_of(name));
                for r in to.relations(&view.query) {
                    if r != *name {
                        if let Some(t) = self.to_schema().tables.get(&r) {
                            d.needs.extend(t.columns.iter().map(|c| Obj::Column(r.clone(), c.name.clone())));
                        }
                        d.needs.push(Obj::Relation(r));
                    }
                }
                d.needs.extend(to.functions(&view.query).into_iter().map(Obj::Function));
                d.needs.extend(to.types(&view.query).into_iter().map(Obj::Type));
            }
            DropView { name, view } => {
                d.drops.push(Obj::Relation(name.clone()));
                d.drops.push(Obj::Type(name.clone()));
                d.frees.push(schema_of(name));
                for r in from.relations(&view.query) {
                    if r != *name {
                        if let Some(t) = self.from_schema().tables.get(&r) {
                            d.frees.extend(t.columns.iter().map(|c| Obj::Column(r.clone(), c.name.clone())));
                        }
                        d.frees.push(Obj::Relation(r));
                    }
                }
                d.frees.extend(from.functions(&view.query).into_iter().map(Obj::Function));
                d.frees.extend(from.types(&view.query).into_iter().map(Obj::Type));
            }
            CreateFunction { function, .. } | ReplaceFunction { to: function, .. } => {
                d.creates.push(Obj::Function(function.name.clone()));
                d.needs.push(schema_of(&function.name));
                for t in function.args.iter().map(|a| a.data_type.as_str()).chain(function.returns.as_deref()) {
                    if let Some(t) = type_name(t) {
                        d.needs.push(Obj::Type(t));
                    }
                }
                if function.standard_body {
                    d.needs.extend(to.relations(&function.body).into_iter().map(Obj::Relation));
                }
            }
            DropFunction { function, .. } => {
                d.drops.push(Obj::Function(function.name.clone()));
                d.frees.push(schema_of(&function.name));
                for t in function.args.iter().map(|a| a.data_type.as_str()).chain(function.returns.as_deref()) {
                    if let Some(t) = type_name(t) {
                        d.frees.push(Obj::Type(t));
                    }
                }
            }
            CreateTrigger { table, name, trigger } => {
                d.creates.push(Obj::Trigger(table.clone(), name.clone()));
                d.needs.push(Obj::Relation(table.clone()));
                d.needs.push(Obj::Function(trigger.function.clone()));
            }
            DropTrigger { table, trigger, .. } => {
                d.frees.push(Obj::Relation(table.clone()));
                d.frees.push(Obj::Function(trigger.function.clone()));
            }
            CreateTriggerStatement { table, sql, .. } => {
                d.needs.push(Obj::Relation(table.clone()));
                d.needs.extend(to.relations(sql).into_iter().map(Obj::Relation));
            }
            DropTriggerStatement { table, sql, .. } => {
                d.frees.push(Obj::Relation(table.clone()));
                d.frees.extend(from.relations(sql).into_iter().map(Obj::Relation));
            }
            CreatePolicy { table, name, policy } => {
                d.creates.push(Obj::Policy(table.clone(), name.clone()));
                d.needs.push(Obj::Relation(table.clone()));
                for e in policy.using.iter().chain(policy.with_check.iter()) {
                    Self::expr_uses(to, e, &mut d.needs);
                }
            }
            DropPolicy { table, policy, .. } => {
                d.frees.push(Obj::Relation(table.clone()));
                for e in policy.using.iter().chain(policy.with_check.iter()) {
                    Self::expr_uses(from, e, &mut d.frees);
                }
            }
            AttachPartition { table, parent, .. } => {
                d.needs.push(Obj::Relation(table.clone()));
                d.needs.push(Obj::Relation(parent.clone()));
            }
            DetachPartition { table, parent } => {
                d.frees.push(Obj::Relation(table.clone()));
                d.frees.push(Obj::Relation(parent.clone()));
            }
            SetTriggerFiring { table, .. } | SetRowSecurity { table, .. } | SetLogged { table, .. } | SetTableOptions { table, .. } => {
                d.needs.push(Obj::Relation(table.clone()))
            }
            SetComment { target, .. } => {
                use crate::change::CommentTarget as T;
                // A comment needs its object; without this edge a comment
                // (ready at once) could run before a blocked create.
                match target {
                    T::Schema { name } => d.needs.push(Obj::Schema(name.clone())),
                    T::Extension { name } => d.needs.push(Obj::Extension(name.clone())),
                    T::Type { name } | T::Domain { name } => d.needs.push(Obj::Type(name.clone())),
                    T::Sequence { name } | T::Table { name } | T::Index { name } | T::View { name, .. } => d.needs.push(Obj::Relation(name.clone())),
                    T::Column { table, column } => {
                        d.needs.push(Obj::Relation(table.clone()));
                        d.needs.push(Obj::Column(table.clone(), column.clone()));
                    }
                    T::Constraint { table, name } => d.needs.push(Obj::Constraint(table.clone(), name.clone())),
                    T::Function { signature, .. } => {
                        if let Some(f) = self.to_schema().functions.get(signature) {
                            d.needs.push(Obj::Function(f.name.clone()));
                        }
                    }
                    T::Trigger { table, name } => d.needs.push(Obj::Trigger(table.clone(), name.clone())),
                    T::Policy { table, name } => d.needs.push(Obj::Policy(table.clone(), name.clone())),
                }
            }
            Grant { grant } => {
                if let Some(q) = QualifiedName::parse(&grant.object) {
                    d.needs.push(Obj::Relation(q.clone()));
                    d.needs.push(Obj::Type(q.clone()));
                    d.needs.push(Obj::Schema(grant.object.clone()));
                }
                if let Some(f) = self.to_schema().functions.get(&grant.object) {
                    d.needs.push(Obj::Function(f.name.clone()));
                }
            }
            Revoke { .. } => {}
        }
        d
    }

    fn from_schema(&self) -> &Schema {
        self.from.schema()
    }

    fn to_schema(&self) -> &Schema {
        self.to.schema()
    }

    fn from_column(&self, table: &QualifiedName, column: &str) -> Option<&Column> {
        self.from_schema().tables.get(table).and_then(|t| t.column(column))
    }
}

/// Orders `changes` so every change runs after what it depends on.
pub(crate) fn order(changes: Vec<Change>, from: &Schema, to: &Schema) -> Vec<Change> {
    let ctx = Context { from: References::new(from), to: References::new(to) };
    let deps: Vec<Deps> = changes.iter().map(|c| ctx.deps(c)).collect();
    // SQLite rebuilds a table to change it: the changes one rebuild carries
    // out are one node of the graph (their leader's), so the rebuild runs
    // where every one of them may, and they stay together.
    let leader: Vec<usize> = if from.dialect == Dialect::Sqlite {
        crate::render::sqlite::rebuild_leaders(&changes, from, to)
    } else {
        (0..changes.len()).collect()
    };
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); changes.len()];
    for (i, &l) in leader.iter().enumerate() {
        if l != i {
            members[l].push(i);
        }
    }
    for m in &mut members {
        m.sort_by_key(|&i| (phase(&changes[i]), i));
    }
    let mut graph: DiGraph<usize, ()> = DiGraph::with_capacity(changes.len(), changes.len() * 2);
    let nodes: Vec<NodeIndex> = (0..changes.len()).map(|i| graph.add_node(i)).collect();
    let mut creators: BTreeMap<&Obj, Vec<usize>> = BTreeMap::new();
    let mut droppers: BTreeMap<&Obj, Vec<usize>> = BTreeMap::new();
    let mut alterers: BTreeMap<&Obj, Vec<usize>> = BTreeMap::new();
    for (i, d) in deps.iter().enumerate() {
        for o in &d.creates {
            creators.entry(o).or_default().push(i);
        }
        for o in &d.drops {
            droppers.entry(o).or_default().push(i);
        }
        for o in &d.alters {
            alterers.entry(o).or_default().push(i);
        }
    }
    let mut add = |a: usize, b: usize| {
        let (a, b) = (leader[a], leader[b]);
        if a != b {
            graph.update_edge(nodes[a], nodes[b], ());
        }
    };
    for (i, d) in deps.iter().enumerate() {
        for o in &d.needs {
            for &a in creators.get(o).into_iter().flatten() {
                add(a, i);
            }
        }
        for o in &d.creates {
            for &a in droppers.get(o).into_iter().flatten() {
                add(a, i);
            }
        }
        for o in &d.needs_gone {
            for &a in droppers.get(o).into_iter().flatten() {
                add(a, i);
            }
        }
        for o in &d.frees {
            for &b in droppers.get(o).into_iter().flatten().chain(alterers.get(o).into_iter().flatten()) {
                add(i, b);
            }
        }
    }
    // Kahn's algorithm, taking the ready change with the lowest (phase,
    // position) first; on a cycle, release the lowest blocked change.
    let n = changes.len();
    let mut indegree: Vec<usize> = nodes.iter().map(|&v| graph.neighbors_directed(v, petgraph::Direction::Incoming).count()).collect();
    let key = |i: usize| Reverse((phase(&changes[i]), i));
    let mut ready: BinaryHeap<Reverse<(u8, usize)>> = (0..n).filter(|&i| indegree[i] == 0 && leader[i] == i).map(key).collect();
    let mut done = vec![false; n];
    let mut out_order = Vec::with_capacity(n);
    while out_order.len() < n {
        let next = match ready.pop() {
            Some(Reverse((_, i))) if !done[i] => i,
            Some(_) => continue,
            None => match (0..n).filter(|&i| !done[i] && leader[i] == i).min_by_key(|&i| (phase(&changes[i]), i)) {
                Some(i) => i,
                None => break,
            },
        };
        done[next] = true;
        out_order.push(next);
        for &m in &members[next] {
            done[m] = true;
            out_order.push(m);
        }
        for w in graph.neighbors_directed(nodes[next], petgraph::Direction::Outgoing) {
            let j = graph[w];
            indegree[j] = indegree[j].saturating_sub(1);
            if indegree[j] == 0 && !done[j] {
                ready.push(key(j));
            }
        }
    }
    let mut slots: Vec<Option<Change>> = changes.into_iter().map(Some).collect();
    out_order.into_iter().filter_map(|i| slots[i].take()).collect()
}

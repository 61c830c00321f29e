//! Comparing two schemas object by object into an unordered list of
//! [`Change`]s. Ordering is [`crate::order`]'s job; SQL is the renderers'.

use std::collections::{BTreeMap, BTreeSet};

use astrola_core::model::{Column, ConstraintKind, Domain, Function, Index, Table, TypeDef, TypeKind, View};
use astrola_core::{Dialect, QualifiedName, Schema};

use crate::change::{ColumnUse, CommentTarget, EnumPosition};
use crate::references::{mentions_relation, References};
use crate::types::needs_using;
use crate::Change;

/// Differences the model sees but no change can express; the diff reports
/// them instead of hiding them.
pub(crate) type Unsupported = Vec<String>;

/// Compares `from` with `to`.
pub(crate) fn compare(from: &Schema, to: &Schema) -> (Vec<Change>, Unsupported) {
    let mut c = Comparer { from, to, changes: Vec::new(), unsupported: Vec::new() };
    c.namespaces();
    c.extensions();
    c.types();
    c.domains();
    c.sequences();
    c.functions();
    c.tables();
    c.indexes();
    c.views();
    c.grants();
    if from.dialect == Dialect::Sqlite {
        // SQLite foreign keys name the parent's columns, not an index, so a
        // parent key that is rebuilt leaves them valid: no dependent
        // foreign keys to drop and add again (each would rebuild its
        // table). Triggers are unmanaged statements SQLite can replay.
        let triggers = crate::compare_sqlite::trigger_changes(from, to, &c.changes);
        c.changes.extend(triggers);
    } else {
        c.dependent_foreign_keys();
    }
    if from.dialect == Dialect::Mysql {
        // Triggers are unmanaged statements MariaDB keeps as written.
        let triggers = crate::compare_mysql::trigger_changes(from, to, &c.changes);
        c.changes.extend(triggers);
    }
    (c.changes, c.unsupported)
}

struct Comparer<'a> {
    from: &'a Schema,
    to: &'a Schema,
    changes: Vec<Change>,
    unsupported: Unsupported,
}

fn comment(changes: &mut Vec<Change>, target: CommentTarget, from: &Option<String>, to: &Option<String>) {
    if from != to {
        changes.push(Change::SetComment { target, comment: to.clone() });
    }
}

/// Keys in both maps, only in the first, only in the second.
fn split<'m, K: Ord, V>(a: &'m BTreeMap<K, V>, b: &'m BTreeMap<K, V>) -> (Vec<(&'m K, &'m V, &'m V)>, Vec<(&'m K, &'m V)>, Vec<(&'m K, &'m V)>) {
    let mut both = Vec::new();
    let mut only_a = Vec::new();
    for (k, va) in a {
        match b.get(k) {
            Some(vb) => both.push((k, va, vb)),
            None => only_a.push((k, va)),
        }
    }
    let only_b = b.iter().filter(|(k, _)| !a.contains_key(*k)).collect();
    (both, only_a, only_b)
}

impl Comparer<'_> {
    fn push(&mut self, change: Change) {
        self.changes.push(change);
    }

    fn namespaces(&mut self) {
        let (both, gone, new) = split(&self.from.namespaces, &self.to.namespaces);
        for (name, ns) in new {
            if name != "public" {
                self.push(Change::CreateSchema { name: name.clone() });
            }
            comment(&mut self.changes, CommentTarget::Schema { name: name.clone() }, &None, &ns.comment);
        }
        for (name, ns) in gone {
            if name != "public" {
                self.push(Change::DropSchema { name: name.clone() });
            } else {
                comment(&mut self.changes, CommentTarget::Schema { name: name.clone() }, &ns.comment, &None);
            }
        }
        for (name, a, b) in both {
            comment(&mut self.changes, CommentTarget::Schema { name: name.clone() }, &a.comment, &b.comment);
        }
    }

    fn extensions(&mut self) {
        let (both, gone, new) = split(&self.from.extensions, &self.to.extensions);
        for (name, e) in new {
            self.push(Change::CreateExtension { name: name.clone(), extension: e.clone() });
            comment(&mut self.changes, CommentTarget::Extension { name: name.clone() }, &None, &e.comment);
        }
        for (name, _) in gone {
            self.push(Change::DropExtension { name: name.clone() });
        }
        for (name, a, b) in both {
            let version_changed = a.version.is_some() && b.version.is_some() && a.version != b.version;
            if a.schema != b.schema || version_changed {
                self.push(Change::AlterExtension { name: name.clone(), from: a.clone(), to: b.clone() });
            }
            comment(&mut self.changes, CommentTarget::Extension { name: name.clone() }, &a.comment, &b.comment);
        }
    }

    fn types(&mut self) {
        let (both, gone, new) = split(&self.from.types, &self.to.types);
        for (name, t) in new {
            self.push(Change::CreateType { name: name.clone(), definition: TypeDef { comment: None, ..t.clone() } });
            comment(&mut self.changes, CommentTarget::Type { name: name.clone() }, &None, &t.comment);
        }
        for (name, t) in gone {
            self.push(Change::DropType { name: name.clone(), definition: t.clone() });
        }
        for (name, a, b) in both {
            if a.kind != b.kind {
                self.alter_type(name, a, b);
            }
            comment(&mut self.changes, CommentTarget::Type { name: name.clone() }, &a.comment, &b.comment);
        }
    }

    fn alter_type(&mut self, name: &QualifiedName, a: &TypeDef, b: &TypeDef) {
        if let (TypeKind::Enum { labels: old }, TypeKind::Enum { labels: new }) = (&a.kind, &b.kind) {
            // Labels can only be added (anywhere); anything else needs the
            // type rebuilt.
            let mut kept = old.iter();
            let mut next = kept.next();
            let is_supersequence = new.iter().all(|l| {
                if Some(l) == next {
                    next = kept.next();
                }
                true
            }) && next.is_none();
            if is_supersequence {
                for (i, label) in new.iter().enumerate() {
                    if old.contains(label) {
                        continue;
                    }
                    let position = match new[i + 1..].iter().find(|l| old.contains(l)) {
                        Some(before) => EnumPosition::Before(before.clone()),
                        None if i > 0 => EnumPosition::After(new[i - 1].clone()),
                        None => EnumPosition::Last,
                    };
                    self.push(Change::AddEnumValue { name: name.clone(), value: label.clone(), position });
                }
                return;
            }
        }
        let columns = self.type_uses(name);
        self.push(Change::ReplaceType { name: name.clone(), from: TypeDef { comment: None, ..a.clone() }, to: TypeDef { comment: None, ..b.clone() }, columns });
    }

    /// The columns (of tables in both schemas) whose type is `name` or an
    /// array of it.
    fn type_uses(&self, name: &QualifiedName) -> Vec<ColumnUse> {
        let spelled = name.to_string();
        let mut uses = Vec::new();
        for (tname, t) in &self.from.tables {
            if !self.to.tables.contains_key(tname) || t.partition_of.is_some() {
                continue;
            }
            for c in &t.columns {
                if c.data_type.trim_end_matches("[]") == spelled {
                    uses.push(ColumnUse { table: tname.clone(), column: c.name.clone(), data_type: c.data_type.clone(), default: c.default.clone() });
                }
            }
        }
        uses
    }

    fn domains(&mut self) {
        let (both, gone, new) = split(&self.from.domains, &self.to.domains);
        for (name, d) in new {
            self.push(Change::CreateDomain { name: name.clone(), domain: Domain { comment: None, ..d.clone() } });
            comment(&mut self.changes, CommentTarget::Domain { name: name.clone() }, &None, &d.comment);
        }
        for (name, d) in gone {
            self.push(Change::DropDomain { name: name.clone(), domain: d.clone() });
        }
        for (name, a, b) in both {
            let (a0, b0) = (Domain { comment: None, ..a.clone() }, Domain { comment: None, ..b.clone() });
            if a.data_type != b.data_type || a.collation != b.collation {
                self.push(Change::DropDomain { name: name.clone(), domain: a0 });
                self.push(Change::CreateDomain { name: name.clone(), domain: b0 });
            } else if a0 != b0 {
                self.push(Change::AlterDomain { name: name.clone(), from: a0, to: b0 });
            }
            comment(&mut self.changes, CommentTarget::Domain { name: name.clone() }, &a.comment, &b.comment);
        }
    }

    fn sequences(&mut self) {
        let (both, gone, new) = split(&self.from.sequences, &self.to.sequences);
        for (name, s) in new {
            let mut s = s.clone();
            let c = s.comment.take();
            // OWNED BY needs the table, which may need the sequence (a
            // serial column's default): it is a change of its own.
            let owner = s.owned_by.take();
            self.push(Change::CreateSequence { name: name.clone(), sequence: s.clone() });
            if owner.is_some() {
                let owned = astrola_core::model::Sequence { owned_by: owner, ..s.clone() };
                self.push(Change::AlterSequence { name: name.clone(), from: s, to: owned });
            }
            comment(&mut self.changes, CommentTarget::Sequence { name: name.clone() }, &None, &c);
        }
        for (name, s) in gone {
            // A sequence owned by a column goes with its table or column.
            let goes_with_owner = s.owned_by.as_ref().is_some_and(|o| {
                self.to.tables.get(&o.table).is_none_or(|t| t.column(&o.column).is_none())
                    && self.from.tables.get(&o.table).is_some_and(|t| t.column(&o.column).is_some())
            });
            if !goes_with_owner {
                self.push(Change::DropSequence { name: name.clone(), sequence: s.clone() });
            }
        }
        for (name, a, b) in both {
            if a.options != b.options || a.owned_by != b.owned_by {
                let strip = |s: &astrola_core::model::Sequence| astrola_core::model::Sequence { comment: None, ..s.clone() };
                self.push(Change::AlterSequence { name: name.clone(), from: strip(a), to: strip(b) });
            }
            comment(&mut self.changes, CommentTarget::Sequence { name: name.clone() }, &a.comment, &b.comment);
        }
    }

    fn functions(&mut self) {
        let (both, gone, new) = split(&self.from.functions, &self.to.functions);
        let strip = |f: &Function| Function { comment: None, ..f.clone() };
        for (sig, f) in new {
            self.push(Change::CreateFunction { signature: sig.clone(), function: strip(f) });
            comment(&mut self.changes, CommentTarget::Function { signature: sig.clone(), procedure: f.procedure }, &None, &f.comment);
        }
        for (sig, f) in gone {
            self.push(Change::DropFunction { signature: sig.clone(), function: strip(f) });
        }
        for (sig, a, b) in both {
            let (a0, b0) = (strip(a), strip(b));
            if a0 != b0 {
                // CREATE OR REPLACE cannot change the result type, argument
                // names or kind.
                let names = |f: &Function| f.args.iter().map(|x| (x.name.clone(), x.mode.clone())).collect::<Vec<_>>();
                if a.returns != b.returns || a.procedure != b.procedure || names(a) != names(b) {
                    self.push(Change::DropFunction { signature: sig.clone(), function: a0 });
                    self.push(Change::CreateFunction { signature: sig.clone(), function: b0 });
                } else {
                    self.push(Change::ReplaceFunction { signature: sig.clone(), from: a0, to: b0 });
                }
            }
            comment(&mut self.changes, CommentTarget::Function { signature: sig.clone(), procedure: b.procedure }, &a.comment, &b.comment);
        }
    }

    fn tables(&mut self) {
        let (both, gone, new) = split(&self.from.tables, &self.to.tables);
        for (name, t) in new {
            self.create_table(name, t);
        }
        for (name, t) in gone {
            self.push(Change::DropTable { name: name.clone(), table: t.clone() });
        }
        for (name, a, b) in both {
            if a.partition_by != b.partition_by {
                // The partitioning of a table cannot be altered.
                self.push(Change::DropTable { name: name.clone(), table: a.clone() });
                self.create_table(name, b);
                continue;
            }
            self.alter_table(name, a, b);
        }
    }

    /// The parent whose columns and constraints `t` inherits, in `schema`.
    fn parent_table<'s>(schema: &'s Schema, t: &Table) -> Vec<&'s Table> {
        let mut parents: Vec<&Table> = t.inherits.iter().filter_map(|p| schema.tables.get(p)).collect();
        if let Some(p) = t.partition_of.as_ref().and_then(|p| schema.tables.get(&p.parent)) {
            parents.push(p);
        }
        parents
    }

    fn create_table(&mut self, name: &QualifiedName, t: &Table) {
        let mut table = t.clone();
        table.comment = None;
        for c in &mut table.columns {
            c.comment = None;
        }
        table.triggers.clear();
        table.policies.clear();
        table.row_security = false;
        table.force_row_security = false;
        // Only CHECKs go inline; other constraints are separate changes so
        // that FKs can come after every table exists.
        let inherited = self.inherited_constraints(self.to, t);
        table.constraints.retain(|_, c| matches!(c.kind, ConstraintKind::Check { .. }) && !c.not_valid && c.comment.is_none());
        let inline: BTreeSet<String> = table.constraints.keys().cloned().collect();
        self.push(Change::CreateTable { name: name.clone(), table });
        for (cname, c) in &t.constraints {
            if !inline.contains(cname) && !inherited.contains(cname) {
                self.push(Change::AddConstraint { table: name.clone(), name: cname.clone(), constraint: astrola_core::model::Constraint { comment: None, ..c.clone() } });
            }
            comment(&mut self.changes, CommentTarget::Constraint { table: name.clone(), name: cname.clone() }, &None, &c.comment);
        }
        if t.row_security || t.force_row_security {
            self.push(Change::SetRowSecurity { table: name.clone(), enabled: t.row_security, forced: t.force_row_security });
        }
        for (tname, tr) in &t.triggers {
            self.push(Change::CreateTrigger { table: name.clone(), name: tname.clone(), trigger: astrola_core::model::Trigger { comment: None, ..tr.clone() } });
            comment(&mut self.changes, CommentTarget::Trigger { table: name.clone(), name: tname.clone() }, &None, &tr.comment);
        }
        for (pname, p) in &t.policies {
            self.push(Change::CreatePolicy { table: name.clone(), name: pname.clone(), policy: astrola_core::model::Policy { comment: None, ..p.clone() } });
            comment(&mut self.changes, CommentTarget::Policy { table: name.clone(), name: pname.clone() }, &None, &p.comment);
        }
        comment(&mut self.changes, CommentTarget::Table { name: name.clone() }, &None, &t.comment);
        for c in &t.columns {
            comment(&mut self.changes, CommentTarget::Column { table: name.clone(), column: c.name.clone() }, &None, &c.comment);
        }
    }

    /// Names of constraints `t` gets from its parents (which PostgreSQL
    /// creates on the child by itself).
    fn inherited_constraints(&self, schema: &Schema, t: &Table) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        for parent in Self::parent_table(schema, t) {
            for (cname, c) in &parent.constraints {
                let inheritable = match &c.kind {
                    ConstraintKind::Check { no_inherit, .. } => !no_inherit,
                    ConstraintKind::ForeignKey { .. } => t.partition_of.is_some(),
                    _ => false,
                };
                if inheritable {
                    names.insert(cname.clone());
                }
            }
            if t.partition_of.is_some() {
                // Keys propagate to partitions under names of their own.
                for (cname, c) in &t.constraints {
                    let same_key = parent.constraints.values().any(|p| c.kind.has_index() && p.kind == c.kind);
                    if same_key {
                        names.insert(cname.clone());
                    }
                }
            }
        }
        names
    }

    fn alter_table(&mut self, name: &QualifiedName, a: &Table, b: &Table) {
        // Partitions and inheritance children take their parents' columns.
        let inherited_columns: BTreeSet<&str> = Self::parent_table(self.from, a)
            .into_iter()
            .chain(Self::parent_table(self.to, b))
            .flat_map(|p| p.columns.iter().map(|c| c.name.as_str()))
            .collect();
        match (&a.partition_of, &b.partition_of) {
            (Some(pa), Some(pb)) if pa == pb => {}
            (pa, pb) => {
                if let Some(pa) = pa {
                    self.push(Change::DetachPartition { table: name.clone(), parent: pa.parent.clone() });
                }
                if let Some(pb) = pb {
                    self.push(Change::AttachPartition { table: name.clone(), parent: pb.parent.clone(), bound: pb.bound.clone() });
                }
            }
        }
        if a.inherits != b.inherits {
            self.unsupported.push(format!("table {name}: its INHERITS list changes ({:?} to {:?})", a.inherits, b.inherits));
        }
        for c in &a.columns {
            if b.column(&c.name).is_none() && !inherited_columns.contains(c.name.as_str()) {
                self.push(Change::DropColumn { table: name.clone(), column: c.clone() });
            }
        }
        let mut previous: Option<String> = None;
        for c in &b.columns {
            match a.column(&c.name) {
                None if !inherited_columns.contains(c.name.as_str()) => {
                    let mut column = c.clone();
                    column.comment = None;
                    self.push(Change::AddColumn { table: name.clone(), column, after: previous.clone() });
                    comment(&mut self.changes, CommentTarget::Column { table: name.clone(), column: c.name.clone() }, &None, &c.comment);
                }
                None => {}
                Some(old) => {
                    if !inherited_columns.contains(c.name.as_str()) || self.from.dialect != Dialect::Postgres {
                        self.alter_column(name, old, c);
                    } else if old.not_null != c.not_null || old.default != c.default {
                        // A partition's own NOT NULL and default.
                        self.alter_column(name, &Column { data_type: c.data_type.clone(), collation: c.collation.clone(), ..old.clone() }, c);
                    }
                    comment(&mut self.changes, CommentTarget::Column { table: name.clone(), column: c.name.clone() }, &old.comment, &c.comment);
                }
            }
            previous = Some(c.name.clone());
        }
        if self.from.dialect != Dialect::Postgres {
            let order = |t: &Table| t.columns.iter().filter(|c| a.column(&c.name).is_some() && b.column(&c.name).is_some()).map(|c| c.name.clone()).collect::<Vec<_>>();
            if order(a) != order(b) {
                self.reorder_columns(name, a, b);
            }
        }
        self.constraints(name, a, b);
        if a.unlogged != b.unlogged {
            self.push(Change::SetLogged { table: name.clone(), logged: !b.unlogged });
        }
        if a.options != b.options {
            self.push(Change::SetTableOptions { table: name.clone(), from: a.options.clone(), to: b.options.clone() });
        }
        if (a.row_security, a.force_row_security) != (b.row_security, b.force_row_security) {
            self.push(Change::SetRowSecurity { table: name.clone(), enabled: b.row_security, forced: b.force_row_security });
        }
        self.triggers(name, a, b);
        self.policies(name, a, b);
        comment(&mut self.changes, CommentTarget::Table { name: name.clone() }, &a.comment, &b.comment);
    }

    /// Columns kept on both sides whose order differs (dialects that can
    /// place columns: MySQL's `MODIFY ... AFTER`).
    fn reorder_columns(&mut self, name: &QualifiedName, a: &Table, b: &Table) {
        let kept = b.columns.iter().filter(|c| a.column(&c.name).is_some());
        let old_order: Vec<&str> = a.columns.iter().filter(|c| b.column(&c.name).is_some()).map(|c| c.name.as_str()).collect();
        for (i, c) in kept.enumerate() {
            if old_order.get(i) != Some(&c.name.as_str()) {
                if let Some(old) = a.column(&c.name) {
                    self.push(Change::AlterColumnExtra { table: name.clone(), from: old.clone(), to: c.clone() });
                }
            }
        }
    }

    fn alter_column(&mut self, table: &QualifiedName, a: &Column, b: &Column) {
        let t = || table.clone();
        let col = || b.name.clone();
        if a.generated != b.generated {
            if b.generated.is_none() && self.from.dialect == Dialect::Postgres {
                self.push(Change::DropExpression { table: t(), column: col() });
            } else {
                self.push(Change::ReplaceColumn { table: t(), from: strip_comment(a), to: strip_comment(b) });
                return;
            }
        }
        if self.from.dialect != Dialect::Postgres {
            if self.from.dialect == Dialect::Mysql && crate::compare_mysql::needs_replacing(a, b) {
                self.push(Change::ReplaceColumn { table: t(), from: strip_comment(a), to: strip_comment(b) });
                return;
            }
            // MySQL and SQLite restate the whole column; one change carries it.
            if strip_comment(a) != strip_comment(b) {
                if a.data_type != b.data_type || a.collation != b.collation {
                    self.push(Change::AlterColumnType { table: t(), column: col(), from: strip_comment(a), to: strip_comment(b), using: None });
                } else {
                    self.push(Change::AlterColumnExtra { table: t(), from: strip_comment(a), to: strip_comment(b) });
                }
            }
            return;
        }
        let type_changes = a.data_type != b.data_type || a.collation != b.collation;
        if type_changes {
            if a.default.is_some() {
                self.push(Change::DropDefault { table: t(), column: col() });
            }
            // A user-defined type (an enum) converts to another through text.
            let via = if a.data_type.contains('.') { "::text" } else { "" };
            let using = needs_using(&a.data_type, &b.data_type).then(|| format!("{}{via}::{}", astrola_core::ident::quote_ident(&b.name), b.data_type));
            self.push(Change::AlterColumnType { table: t(), column: col(), from: strip_comment(a), to: strip_comment(b), using });
        }
        match (&a.identity, &b.identity) {
            (None, Some(id)) => self.push(Change::AddIdentity { table: t(), column: col(), identity: id.clone() }),
            (Some(id), None) => self.push(Change::DropIdentity { table: t(), column: col(), identity: id.clone() }),
            (Some(x), Some(y)) if x != y => self.push(Change::AlterIdentity { table: t(), column: col(), from: x.clone(), to: y.clone() }),
            _ => {}
        }
        if a.not_null != b.not_null {
            if b.not_null {
                self.push(Change::SetNotNull { table: t(), column: col() });
            } else {
                self.push(Change::DropNotNull { table: t(), column: col() });
            }
        }
        let default_was_dropped = type_changes && a.default.is_some();
        if a.default != b.default || default_was_dropped {
            match &b.default {
                Some(d) => self.push(Change::SetDefault { table: t(), column: col(), default: d.clone() }),
                None if !default_was_dropped => self.push(Change::DropDefault { table: t(), column: col() }),
                None => {}
            }
        }
    }

    fn constraints(&mut self, name: &QualifiedName, a: &Table, b: &Table) {
        let inherited_a = self.inherited_constraints(self.from, a);
        let inherited_b = self.inherited_constraints(self.to, b);
        let strip = |c: &astrola_core::model::Constraint| astrola_core::model::Constraint { comment: None, ..c.clone() };
        let (both, gone, new) = split(&a.constraints, &b.constraints);
        for (cname, c) in gone {
            if !inherited_a.contains(cname) {
                self.push(Change::DropConstraint { table: name.clone(), name: cname.clone(), constraint: strip(c) });
            }
        }
        for (cname, c) in new {
            if !inherited_b.contains(cname) {
                self.push(Change::AddConstraint { table: name.clone(), name: cname.clone(), constraint: strip(c) });
            }
            comment(&mut self.changes, CommentTarget::Constraint { table: name.clone(), name: cname.clone() }, &None, &c.comment);
        }
        for (cname, x, y) in both {
            let (x0, y0) = (strip(x), strip(y));
            let inherited = inherited_a.contains(cname) && inherited_b.contains(cname);
            if x0 != y0 && !inherited {
                let only_validated = x0.not_valid && !y0.not_valid && astrola_core::model::Constraint { not_valid: false, ..x0.clone() } == y0;
                if only_validated {
                    self.push(Change::ValidateConstraint { table: name.clone(), name: cname.clone() });
                } else {
                    self.push(Change::DropConstraint { table: name.clone(), name: cname.clone(), constraint: x0 });
                    self.push(Change::AddConstraint { table: name.clone(), name: cname.clone(), constraint: y0 });
                }
            }
            comment(&mut self.changes, CommentTarget::Constraint { table: name.clone(), name: cname.clone() }, &x.comment, &y.comment);
        }
    }

    fn triggers(&mut self, name: &QualifiedName, a: &Table, b: &Table) {
        let strip = |t: &astrola_core::model::Trigger| astrola_core::model::Trigger { comment: None, firing: None, ..t.clone() };
        let (both, gone, new) = split(&a.triggers, &b.triggers);
        for (tname, t) in gone {
            self.push(Change::DropTrigger { table: name.clone(), name: tname.clone(), trigger: t.clone() });
        }
        for (tname, t) in new {
            self.push(Change::CreateTrigger { table: name.clone(), name: tname.clone(), trigger: astrola_core::model::Trigger { comment: None, ..t.clone() } });
            comment(&mut self.changes, CommentTarget::Trigger { table: name.clone(), name: tname.clone() }, &None, &t.comment);
        }
        for (tname, x, y) in both {
            if strip(x) != strip(y) {
                self.push(Change::DropTrigger { table: name.clone(), name: tname.clone(), trigger: x.clone() });
                self.push(Change::CreateTrigger { table: name.clone(), name: tname.clone(), trigger: astrola_core::model::Trigger { comment: None, ..y.clone() } });
            } else if x.firing != y.firing {
                self.push(Change::SetTriggerFiring { table: name.clone(), name: tname.clone(), firing: y.firing.clone() });
            }
            comment(&mut self.changes, CommentTarget::Trigger { table: name.clone(), name: tname.clone() }, &x.comment, &y.comment);
        }
    }

    fn policies(&mut self, name: &QualifiedName, a: &Table, b: &Table) {
        let strip = |p: &astrola_core::model::Policy| astrola_core::model::Policy { comment: None, ..p.clone() };
        let (both, gone, new) = split(&a.policies, &b.policies);
        for (pname, p) in gone {
            self.push(Change::DropPolicy { table: name.clone(), name: pname.clone(), policy: strip(p) });
        }
        for (pname, p) in new {
            self.push(Change::CreatePolicy { table: name.clone(), name: pname.clone(), policy: strip(p) });
            comment(&mut self.changes, CommentTarget::Policy { table: name.clone(), name: pname.clone() }, &None, &p.comment);
        }
        for (pname, x, y) in both {
            if strip(x) != strip(y) {
                self.push(Change::DropPolicy { table: name.clone(), name: pname.clone(), policy: strip(x) });
                self.push(Change::CreatePolicy { table: name.clone(), name: pname.clone(), policy: strip(y) });
            }
            comment(&mut self.changes, CommentTarget::Policy { table: name.clone(), name: pname.clone() }, &x.comment, &y.comment);
        }
    }

    /// Whether an index on a partition is one PostgreSQL creates by itself
    /// for an index of the partitioned parent.
    fn is_partition_copy(schema: &Schema, index: &Index) -> bool {
        let Some(parent) = schema.tables.get(&index.table).and_then(|t| t.partition_of.as_ref()) else { return false };
        schema.indexes.values().any(|p| {
            p.table == parent.parent && !p.only && p.keys == index.keys && p.method == index.method && p.predicate == index.predicate && p.unique == index.unique
        })
    }

    fn indexes(&mut self) {
        let strip = |i: &Index| Index { comment: None, ..i.clone() };
        let (both, gone, new) = split(&self.from.indexes, &self.to.indexes);
        let pg = self.from.dialect == Dialect::Postgres;
        for (name, i) in new {
            if !(pg && Self::is_partition_copy(self.to, i)) {
                self.push(Change::CreateIndex { name: name.clone(), index: strip(i) });
            }
            comment(&mut self.changes, CommentTarget::Index { name: name.clone() }, &None, &i.comment);
        }
        for (name, i) in gone {
            let table_dropped = !self.to.tables.contains_key(&i.table) && !self.to.views.contains_key(&i.table);
            if !table_dropped && !(pg && Self::is_partition_copy(self.from, i)) {
                self.push(Change::DropIndex { name: name.clone(), index: strip(i) });
            }
        }
        for (name, x, y) in both {
            let rebuilt_table = self.changes.iter().any(|c| matches!(c, Change::DropTable { name: t, .. } if *t == y.table));
            if strip(x) != strip(y) || rebuilt_table {
                if !(pg && Self::is_partition_copy(self.from, x)) && !rebuilt_table {
                    self.push(Change::DropIndex { name: name.clone(), index: strip(x) });
                }
                if !(pg && Self::is_partition_copy(self.to, y)) {
                    self.push(Change::CreateIndex { name: name.clone(), index: strip(y) });
                }
            }
            comment(&mut self.changes, CommentTarget::Index { name: name.clone() }, &x.comment, &y.comment);
        }
    }

    fn views(&mut self) {
        let strip = |v: &View| View { comment: None, column_comments: BTreeMap::new(), ..v.clone() };
        // Views over a table whose columns change type or go away must be
        // dropped first and created again afterwards.
        let touched: BTreeSet<QualifiedName> = self
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::AlterColumnType { table, .. } | Change::DropColumn { table, .. } | Change::ReplaceColumn { table, .. } | Change::DropTable { name: table, .. } => {
                    Some(table.clone())
                }
                _ => None,
            })
            .collect();
        let replaced_types: Vec<QualifiedName> = self.changes.iter().filter_map(|c| if let Change::ReplaceType { name, .. } = c { Some(name.clone()) } else { None }).collect();
        let refs = References::new(self.from);
        let mut rebuild: BTreeSet<QualifiedName> = self
            .from
            .views
            .iter()
            .filter(|(_, v)| touched.iter().chain(&replaced_types).any(|t| mentions_relation(&refs.words(&v.query), t)))
            .map(|(n, _)| n.clone())
            .collect();
        // And views over views being rebuilt, transitively.
        loop {
            let more: Vec<QualifiedName> = self
                .from
                .views
                .iter()
                .filter(|(n, v)| {
                    !rebuild.contains(*n)
                        && (rebuild.iter().any(|r| mentions_relation(&refs.words(&v.query), r))
                            || self.to.views.get(*n).is_some_and(|w| strip(w) != strip(v)) && v.materialized)
                })
                .map(|(n, _)| n.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            rebuild.extend(more);
        }
        // A view whose definition changes is dropped and created, so views
        // over it must be too.
        let changed: Vec<QualifiedName> = self.from.views.iter().filter(|(n, v)| self.to.views.get(*n).is_none_or(|w| strip(w) != strip(v))).map(|(n, _)| n.clone()).collect();
        loop {
            let more: Vec<QualifiedName> = self
                .from
                .views
                .iter()
                .filter(|(n, v)| !rebuild.contains(*n) && rebuild.iter().chain(&changed).any(|r| r != *n && mentions_relation(&refs.words(&v.query), r)))
                .map(|(n, _)| n.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            rebuild.extend(more);
        }
        let (both, gone, new) = split(&self.from.views, &self.to.views);
        for (name, v) in new {
            self.create_view(name, v);
        }
        for (name, v) in gone {
            self.push(Change::DropView { name: name.clone(), view: strip(v) });
        }
        for (name, x, y) in both {
            if strip(x) != strip(y) || rebuild.contains(name) {
                self.push(Change::DropView { name: name.clone(), view: strip(x) });
                self.create_view(name, y);
                // Indexes on a rebuilt materialized view go with it.
                for (iname, i) in &self.to.indexes {
                    if i.table == *name && self.from.indexes.get(iname).is_some_and(|o| o == i) {
                        self.changes.push(Change::CreateIndex { name: iname.clone(), index: Index { comment: None, ..i.clone() } });
                    }
                }
            } else {
                comment(&mut self.changes, CommentTarget::View { name: name.clone(), materialized: y.materialized }, &x.comment, &y.comment);
                let cols: BTreeSet<&String> = x.column_comments.keys().chain(y.column_comments.keys()).collect();
                for col in cols {
                    comment(&mut self.changes, CommentTarget::Column { table: name.clone(), column: col.clone() }, &x.column_comments.get(col).cloned(), &y.column_comments.get(col).cloned());
                }
            }
        }
    }

    fn create_view(&mut self, name: &QualifiedName, v: &View) {
        self.push(Change::CreateView { name: name.clone(), view: View { comment: None, column_comments: BTreeMap::new(), ..v.clone() } });
        comment(&mut self.changes, CommentTarget::View { name: name.clone(), materialized: v.materialized }, &None, &v.comment);
        for (col, text) in &v.column_comments {
            self.changes.push(Change::SetComment { target: CommentTarget::Column { table: name.clone(), column: col.clone() }, comment: Some(text.clone()) });
        }
    }

    fn grants(&mut self) {
        for g in self.from.grants.difference(&self.to.grants) {
            self.push(Change::Revoke { grant: g.clone() });
        }
        for g in self.to.grants.difference(&self.from.grants) {
            self.push(Change::Grant { grant: g.clone() });
        }
    }

    /// A foreign key depends on the unique key it references: when that key
    /// is dropped (or rebuilt), the foreign keys over it are dropped first
    /// and added again afterwards.
    fn dependent_foreign_keys(&mut self) {
        let mut dropped_keys: BTreeSet<(QualifiedName, Vec<String>)> = BTreeSet::new();
        for c in &self.changes {
            match c {
                Change::DropConstraint { table, constraint, .. } if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }) => {
                    dropped_keys.insert((table.clone(), constraint.kind.columns().to_vec()));
                }
                Change::DropIndex { index, .. } if index.unique => {
                    let cols = index.keys.iter().filter_map(|k| if let astrola_core::model::IndexTarget::Column(c) = &k.target { Some(c.clone()) } else { None }).collect();
                    dropped_keys.insert((index.table.clone(), cols));
                }
                Change::AlterColumnType { table, column, .. } => {
                    // Changing a referenced column's type rebuilds its key.
                    for (_, k) in self.from.tables.get(table).map(|t| t.constraints.iter()).into_iter().flatten() {
                        if k.kind.has_index() && k.kind.columns().contains(column) {
                            dropped_keys.insert((table.clone(), k.kind.columns().to_vec()));
                        }
                    }
                }
                _ => {}
            }
        }
        if dropped_keys.is_empty() {
            return;
        }
        let already: BTreeSet<(QualifiedName, String)> = self
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::DropConstraint { table, name, .. } => Some((table.clone(), name.clone())),
                Change::DropTable { name, .. } => Some((name.clone(), String::new())),
                _ => None,
            })
            .collect();
        let mut extra = Vec::new();
        for (tname, t) in &self.from.tables {
            if already.contains(&(tname.clone(), String::new())) {
                continue;
            }
            for (cname, c) in &t.constraints {
                if let ConstraintKind::ForeignKey { ref_table, ref_columns, .. } = &c.kind {
                    let mut sorted = ref_columns.clone();
                    sorted.sort();
                    let hit = dropped_keys.iter().any(|(kt, kc)| {
                        let mut kc = kc.clone();
                        kc.sort();
                        kt == ref_table && kc == sorted
                    });
                    if hit && !already.contains(&(tname.clone(), cname.clone())) {
                        extra.push(Change::DropConstraint { table: tname.clone(), name: cname.clone(), constraint: astrola_core::model::Constraint { comment: None, ..c.clone() } });
                        if let Some(c2) = self.to.tables.get(tname).and_then(|t2| t2.constraints.get(cname)) {
                            extra.push(Change::AddConstraint { table: tname.clone(), name: cname.clone(), constraint: astrola_core::model::Constraint { comment: None, ..c2.clone() } });
                        }
                    }
                }
            }
        }
        self.changes.extend(extra);
    }
}

fn strip_comment(c: &Column) -> Column {
    Column { comment: None, ..c.clone() }
}

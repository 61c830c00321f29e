//! Statements that act on existing objects: DROP, RENAME, SET SCHEMA,
//! COMMENT ON, GRANT and REVOKE.

use pg_query::protobuf::{self, Node, ObjectType};
use pg_query::NodeEnum;

use super::expr::{self, ExprContext};
use super::objects::role_name;
use super::tables::{object_word, strings};
use super::types::name_parts;
use super::Replay;
use crate::ident::QualifiedName;
use crate::model::{ConstraintKind, Grant, IndexTarget, Schema, TypeKind};
use crate::Error;

/// An object named in DROP, COMMENT or GRANT.
enum ObjectName {
    /// A dotted name.
    Parts(Vec<String>),
    /// A function with its argument types.
    Function(QualifiedName, Vec<String>),
}

impl Replay<'_> {
    fn object_name(&self, n: &Node) -> ObjectName {
        match &n.node {
            Some(NodeEnum::List(l)) => ObjectName::Parts(strings(&l.items)),
            Some(NodeEnum::String(s)) => ObjectName::Parts(vec![s.sval.clone()]),
            Some(NodeEnum::TypeName(t)) => ObjectName::Parts(name_parts(&t.names)),
            Some(NodeEnum::RangeVar(rv)) => {
                let q = self.relation_name(rv);
                ObjectName::Parts(vec![q.schema, q.name])
            }
            Some(NodeEnum::ObjectWithArgs(o)) => {
                let name = self.list_name(&o.objname);
                let args = o
                    .objargs
                    .iter()
                    .filter_map(|a| match &a.node {
                        Some(NodeEnum::TypeName(t)) => Some(self.resolve_type(t).name),
                        _ => None,
                    })
                    .collect();
                ObjectName::Function(name, args)
            }
            _ => ObjectName::Parts(Vec::new()),
        }
    }

    fn qualify(&self, parts: &[String]) -> QualifiedName {
        match parts {
            [name] => QualifiedName::new(self.default_schema.clone(), name.clone()),
            [.., schema, name] => QualifiedName::new(schema.clone(), name.clone()),
            [] => QualifiedName::new(self.default_schema.clone(), ""),
        }
    }

    /// `(table, name)` from `[schema.]table.name` (triggers, policies, constraints, columns).
    fn qualify_member(&self, parts: &[String]) -> (QualifiedName, String) {
        match parts {
            [table, member] => (QualifiedName::new(self.default_schema.clone(), table.clone()), member.clone()),
            [.., schema, table, member] => (QualifiedName::new(schema.clone(), table.clone()), member.clone()),
            _ => (QualifiedName::new(self.default_schema.clone(), ""), String::new()),
        }
    }

    /// Finds a function by name and, when given, argument types.
    fn find_function(&self, name: &QualifiedName, args: Option<&[String]>) -> Option<String> {
        match args {
            Some(args) => {
                let key = Self::function_key(name, args);
                self.schema.functions.contains_key(&key).then_some(key)
            }
            None => {
                let mut matches = self.schema.functions.iter().filter(|(_, f)| &f.name == name).map(|(k, _)| k.clone());
                let first = matches.next();
                if matches.next().is_some() {
                    None
                } else {
                    first
                }
            }
        }
    }

    /// `DROP ...`.
    pub(crate) fn drop(&mut self, s: &protobuf::DropStmt) -> Result<(), Error> {
        let kind = s.remove_type();
        let cascade = s.behavior() == protobuf::DropBehavior::DropCascade;
        for object in &s.objects {
            let found = match (kind, self.object_name(object)) {
                (ObjectType::ObjectTable | ObjectType::ObjectForeignTable, ObjectName::Parts(p)) => {
                    let name = self.qualify(&p);
                    self.drop_table(&name, cascade)?
                }
                (ObjectType::ObjectView | ObjectType::ObjectMatview, ObjectName::Parts(p)) => {
                    let name = self.qualify(&p);
                    let materialized = kind == ObjectType::ObjectMatview;
                    match self.schema.views.get(&name) {
                        Some(v) if v.materialized == materialized => {
                            self.schema.views.remove(&name);
                            self.schema.indexes.retain(|_, i| i.table != name);
                            self.drop_grants("TABLE", &name.to_string());
                            true
                        }
                        _ => false,
                    }
                }
                (ObjectType::ObjectIndex, ObjectName::Parts(p)) => {
                    let name = self.qualify(&p);
                    if self.schema.indexes.remove(&name).is_some() {
                        true
                    } else if self.relation_taken(&name.schema, &name.name, None) {
                        return Err(self.error(format!("cannot drop index {name} because a constraint requires it")));
                    } else {
                        false
                    }
                }
                (ObjectType::ObjectSequence, ObjectName::Parts(p)) => {
                    let name = self.qualify(&p);
                    let found = self.schema.sequences.remove(&name).is_some();
                    if found {
                        self.drop_grants("SEQUENCE", &name.to_string());
                    }
                    found
                }
                (ObjectType::ObjectType, ObjectName::Parts(p)) => {
                    let name = self.qualify(&p);
                    let found = self.schema.types.remove(&name).is_some() || self.schema.domains.remove(&name).is_some();
                    if found {
                        self.drop_grants("TYPE", &name.to_string());
                    }
                    found
                }
                (ObjectType::ObjectDomain, ObjectName::Parts(p)) => {
                    let name = self.qualify(&p);
                    self.schema.domains.remove(&name).is_some()
                }
                (ObjectType::ObjectExtension, ObjectName::Parts(p)) => p.first().is_some_and(|n| self.schema.extensions.remove(n).is_some()),
                (ObjectType::ObjectSchema, ObjectName::Parts(p)) => {
                    let Some(n) = p.first() else { continue };
                    let found = self.schema.namespaces.remove(n).is_some();
                    if found {
                        drop_namespace_contents(self.schema, n);
                    }
                    found
                }
                (ObjectType::ObjectFunction | ObjectType::ObjectProcedure | ObjectType::ObjectRoutine, ObjectName::Function(name, args)) => {
                    let specified = match &object.node {
                        Some(NodeEnum::ObjectWithArgs(o)) => !o.args_unspecified,
                        _ => true,
                    };
                    match self.find_function(&name, specified.then_some(args.as_slice())) {
                        Some(key) => {
                            self.schema.functions.remove(&key);
                            self.drop_grants("FUNCTION", &key);
                            self.drop_grants("PROCEDURE", &key);
                            true
                        }
                        None => false,
                    }
                }
                (ObjectType::ObjectTrigger | ObjectType::ObjectPolicy, ObjectName::Parts(p)) => {
                    let (table, member) = self.qualify_member(&p);
                    let t = self.schema.tables.get_mut(&table);
                    match (kind, t) {
                        (ObjectType::ObjectTrigger, Some(t)) => t.triggers.remove(&member).is_some(),
                        (_, Some(t)) => t.policies.remove(&member).is_some(),
                        _ => false,
                    }
                }
                (other, _) => {
                    self.unmanaged(format!("DROP {}", object_word(other)));
                    return Ok(());
                }
            };
            if !found && !s.missing_ok {
                return Err(self.error(format!("{} does not exist", object_word(kind).to_lowercase())));
            }
        }
        Ok(())
    }

    fn drop_grants(&mut self, kind: &str, object: &str) {
        self.schema.grants.retain(|g| !(g.object_kind == kind && g.object == object));
    }

    /// Drops a table with what depends on it: its indexes, owned sequences,
    /// partitions and (with CASCADE) foreign keys that reference it.
    fn drop_table(&mut self, name: &QualifiedName, cascade: bool) -> Result<bool, Error> {
        if self.schema.tables.remove(name).is_none() {
            return Ok(false);
        }
        let referencing: Vec<QualifiedName> = self
            .schema
            .tables
            .iter()
            .filter(|(_, t)| t.constraints.values().any(|c| matches!(&c.kind, ConstraintKind::ForeignKey { ref_table, .. } if ref_table == name)))
            .map(|(k, _)| k.clone())
            .collect();
        if !referencing.is_empty() && !cascade {
            return Err(self.error(format!("cannot drop table {name} because other objects depend on it (foreign keys from {})", referencing.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))));
        }
        for t in self.schema.tables.values_mut() {
            t.constraints.retain(|_, c| !matches!(&c.kind, ConstraintKind::ForeignKey { ref_table, .. } if ref_table == name));
        }
        self.schema.indexes.retain(|_, i| &i.table != name);
        self.schema.sequences.retain(|_, s| s.owned_by.as_ref().is_none_or(|o| &o.table != name));
        self.drop_grants("TABLE", &name.to_string());
        for child in self.partitions_of(name) {
            self.drop_table(&child, true)?;
        }
        Ok(true)
    }

    /// `ALTER ... RENAME`.
    pub(crate) fn rename(&mut self, s: &protobuf::RenameStmt) -> Result<(), Error> {
        let kind = s.rename_type();
        match kind {
            ObjectType::ObjectTable | ObjectType::ObjectView | ObjectType::ObjectMatview | ObjectType::ObjectIndex | ObjectType::ObjectSequence | ObjectType::ObjectForeignTable => {
                let Some(rv) = s.relation.as_ref() else { return Ok(()) };
                let old = self.relation_name(rv);
                let new = QualifiedName::new(old.schema.clone(), s.newname.clone());
                self.rename_relation(&old, &new, s.missing_ok)
            }
            ObjectType::ObjectColumn | ObjectType::ObjectAttribute => {
                let Some(rv) = s.relation.as_ref() else { return Ok(()) };
                let table = self.relation_name(rv);
                self.rename_column(&table, &s.subname, &s.newname, s.missing_ok)
            }
            ObjectType::ObjectTabconstraint => {
                let Some(rv) = s.relation.as_ref() else { return Ok(()) };
                let table = self.relation_name(rv);
                let err = self.error(format!("constraint \"{}\" for table {table} does not exist", s.subname));
                let t = self.schema.tables.get_mut(&table).ok_or_else(|| err.clone())?;
                let c = t.constraints.remove(&s.subname).ok_or(err)?;
                t.constraints.insert(s.newname.clone(), c);
                Ok(())
            }
            ObjectType::ObjectTrigger | ObjectType::ObjectPolicy => {
                let Some(rv) = s.relation.as_ref() else { return Ok(()) };
                let table = self.relation_name(rv);
                let err = self.error(format!("\"{}\" for table {table} does not exist", s.subname));
                let t = self.schema.tables.get_mut(&table).ok_or_else(|| err.clone())?;
                if kind == ObjectType::ObjectTrigger {
                    let v = t.triggers.remove(&s.subname).ok_or(err)?;
                    t.triggers.insert(s.newname.clone(), v);
                } else {
                    let v = t.policies.remove(&s.subname).ok_or(err)?;
                    t.policies.insert(s.newname.clone(), v);
                }
                Ok(())
            }
            ObjectType::ObjectType | ObjectType::ObjectDomain => {
                let Some(object) = s.object.as_deref() else { return Ok(()) };
                let ObjectName::Parts(parts) = self.object_name(object) else { return Ok(()) };
                let old = self.qualify(&parts);
                let new = QualifiedName::new(old.schema.clone(), s.newname.clone());
                self.rename_type(&old, &new)
            }
            ObjectType::ObjectSchema => {
                let Some(ns) = self.schema.namespaces.remove(&s.subname) else {
                    return Err(self.error(format!("schema \"{}\" does not exist", s.subname)));
                };
                self.schema.namespaces.insert(s.newname.clone(), ns);
                let old = s.subname.clone();
                let new = s.newname.clone();
                move_namespace(self.schema, &old, &new);
                Ok(())
            }
            ObjectType::ObjectFunction | ObjectType::ObjectProcedure | ObjectType::ObjectRoutine => {
                let Some(object) = s.object.as_deref() else { return Ok(()) };
                let ObjectName::Function(name, args) = self.object_name(object) else { return Ok(()) };
                let err = self.error(format!("function {name} does not exist"));
                let key = self.find_function(&name, Some(&args)).or_else(|| self.find_function(&name, None)).ok_or(err)?;
                let Some(mut f) = self.schema.functions.remove(&key) else { return Ok(()) };
                f.name = QualifiedName::new(name.schema.clone(), s.newname.clone());
                let types: Vec<String> = f.args.iter().filter(|a| a.mode != "OUT").map(|a| a.data_type.clone()).collect();
                self.schema.functions.insert(Self::function_key(&f.name, &types), f);
                Ok(())
            }
            other => {
                self.unmanaged(format!("ALTER {} RENAME", object_word(other)));
                Ok(())
            }
        }
    }

    /// Renames (or moves) a relation and every reference to it.
    fn rename_relation(&mut self, old: &QualifiedName, new: &QualifiedName, missing_ok: bool) -> Result<(), Error> {
        if let Some(t) = self.schema.tables.remove(old) {
            self.schema.tables.insert(new.clone(), t);
            self.retarget_table(old, new);
        } else if let Some(v) = self.schema.views.remove(old) {
            self.schema.views.insert(new.clone(), v);
            self.retarget_grants("TABLE", &old.to_string(), &new.to_string());
        } else if let Some(i) = self.schema.indexes.remove(old) {
            self.schema.indexes.insert(new.clone(), i);
        } else if let Some(seq) = self.schema.sequences.remove(old) {
            self.schema.sequences.insert(new.clone(), seq);
            self.retarget_grants("SEQUENCE", &old.to_string(), &new.to_string());
            let (old_default, new_default) = (super::tables::nextval_default(old), super::tables::nextval_default(new));
            for t in self.schema.tables.values_mut() {
                for c in &mut t.columns {
                    if c.default.as_deref() == Some(old_default.as_str()) {
                        c.default = Some(new_default.clone());
                    }
                }
            }
        } else {
            // An index behind a constraint: renaming it renames the constraint.
            let schema = old.schema.clone();
            let owner = self
                .schema
                .tables
                .iter_mut()
                .filter(|(k, _)| k.schema == schema)
                .find(|(_, t)| t.constraints.get(&old.name).is_some_and(|c| c.kind.has_index()));
            if let Some((_, t)) = owner {
                if let Some(c) = t.constraints.remove(&old.name) {
                    t.constraints.insert(new.name.clone(), c);
                }
            } else if !missing_ok {
                return Err(self.error(format!("relation {old} does not exist")));
            }
        }
        Ok(())
    }

    /// Points everything that referred to table `old` at `new`.
    fn retarget_table(&mut self, old: &QualifiedName, new: &QualifiedName) {
        for t in self.schema.tables.values_mut() {
            for c in t.constraints.values_mut() {
                if let ConstraintKind::ForeignKey { ref_table, .. } = &mut c.kind {
                    if ref_table == old {
                        *ref_table = new.clone();
                    }
                }
            }
            if let Some(p) = t.partition_of.as_mut() {
                if &p.parent == old {
                    p.parent = new.clone();
                }
            }
            for parent in &mut t.inherits {
                if parent == old {
                    *parent = new.clone();
                }
            }
        }
        for i in self.schema.indexes.values_mut() {
            if &i.table == old {
                i.table = new.clone();
            }
        }
        for s in self.schema.sequences.values_mut() {
            if let Some(o) = s.owned_by.as_mut() {
                if &o.table == old {
                    o.table = new.clone();
                }
            }
        }
        self.retarget_grants("TABLE", &old.to_string(), &new.to_string());
    }

    fn retarget_grants(&mut self, kind: &str, old: &str, new: &str) {
        let moved: Vec<Grant> = self.schema.grants.iter().filter(|g| g.object_kind == kind && g.object == old).cloned().collect();
        for g in moved {
            self.schema.grants.remove(&g);
            self.schema.grants.insert(Grant { object: new.to_string(), ..g });
        }
    }

    fn rename_column(&mut self, table: &QualifiedName, old: &str, new: &str, missing_ok: bool) -> Result<(), Error> {
        if let Some(TypeKind::Composite { attributes }) = self.schema.types.get_mut(table).map(|t| &mut t.kind) {
            if let Some(a) = attributes.iter_mut().find(|a| a.name == old) {
                a.name = new.to_string();
            }
            return Ok(());
        }
        if let Some(view) = self.schema.views.get_mut(table) {
            if let Some(c) = view.columns.iter_mut().find(|c| *c == old) {
                *c = new.to_string();
            } else {
                self.unmanaged("ALTER VIEW RENAME COLUMN");
            }
            return Ok(());
        }
        let err = self.error(format!("column \"{old}\" does not exist"));
        let Some(mut t) = self.schema.tables.remove(table) else {
            if missing_ok {
                return Ok(());
            }
            return Err(self.error(format!("relation {table} does not exist")));
        };
        let Some(col) = t.column_mut(old) else {
            self.schema.tables.insert(table.clone(), t);
            return Err(err);
        };
        col.name = new.to_string();
        let rename = |s: &mut String| {
            if s == old {
                *s = new.to_string();
            }
        };
        let rename_expr = |e: &mut String| {
            if let Some(renamed) = rename_in_expression(e, old, new) {
                *e = renamed;
            }
        };
        for c in &mut t.columns {
            c.default.as_mut().map(rename_expr);
            c.generated.as_mut().map(rename_expr);
        }
        for c in t.constraints.values_mut() {
            match &mut c.kind {
                ConstraintKind::PrimaryKey { columns, index } | ConstraintKind::Unique { columns, index, .. } => {
                    columns.iter_mut().for_each(rename);
                    index.include.iter_mut().for_each(rename);
                }
                ConstraintKind::ForeignKey { columns, ref_table, ref_columns, .. } => {
                    columns.iter_mut().for_each(rename);
                    if ref_table == table {
                        ref_columns.iter_mut().for_each(rename);
                    }
                }
                ConstraintKind::Check { expr, .. } => rename_expr(expr),
                ConstraintKind::Exclusion { elements, predicate, .. } => {
                    for e in elements {
                        match &mut e.key.target {
                            IndexTarget::Column(c) => rename(c),
                            IndexTarget::Expression(x) => rename_expr(x),
                        }
                    }
                    predicate.as_mut().map(rename_expr);
                }
            }
        }
        if let Some(p) = t.partition_by.as_mut() {
            for k in &mut p.keys {
                if let IndexTarget::Column(c) = &mut k.target {
                    rename(c);
                }
            }
        }
        self.schema.tables.insert(table.clone(), t);
        for (name, other) in self.schema.tables.iter_mut() {
            if name == table {
                continue;
            }
            for c in other.constraints.values_mut() {
                if let ConstraintKind::ForeignKey { ref_table, ref_columns, .. } = &mut c.kind {
                    if ref_table == table {
                        ref_columns.iter_mut().for_each(rename);
                    }
                }
            }
        }
        for i in self.schema.indexes.values_mut().filter(|i| &i.table == table) {
            for k in &mut i.keys {
                match &mut k.target {
                    IndexTarget::Column(c) => rename(c),
                    IndexTarget::Expression(x) => rename_expr(x),
                }
            }
            i.include.iter_mut().for_each(rename);
            i.predicate.as_mut().map(rename_expr);
        }
        for s in self.schema.sequences.values_mut() {
            if let Some(o) = s.owned_by.as_mut() {
                if &o.table == table {
                    rename(&mut o.column);
                }
            }
        }
        Ok(())
    }

    fn rename_type(&mut self, old: &QualifiedName, new: &QualifiedName) -> Result<(), Error> {
        if let Some(t) = self.schema.types.remove(old) {
            self.schema.types.insert(new.clone(), t);
        } else if let Some(d) = self.schema.domains.remove(old) {
            self.schema.domains.insert(new.clone(), d);
        } else {
            return Err(self.error(format!("type {old} does not exist")));
        }
        let (old_text, new_text) = (old.to_string(), new.to_string());
        let retype = |t: &mut String| {
            if *t == old_text {
                *t = new_text.clone();
            } else if t.strip_suffix("[]") == Some(old_text.as_str()) {
                *t = format!("{new_text}[]");
            }
        };
        for t in self.schema.tables.values_mut() {
            for c in &mut t.columns {
                retype(&mut c.data_type);
            }
        }
        for d in self.schema.domains.values_mut() {
            retype(&mut d.data_type);
        }
        self.retarget_grants("TYPE", &old_text, &new_text);
        Ok(())
    }

    /// `ALTER ... SET SCHEMA`.
    pub(crate) fn set_schema(&mut self, s: &protobuf::AlterObjectSchemaStmt) -> Result<(), Error> {
        match s.object_type() {
            ObjectType::ObjectTable | ObjectType::ObjectView | ObjectType::ObjectMatview | ObjectType::ObjectSequence => {
                let Some(rv) = s.relation.as_ref() else { return Ok(()) };
                let old = self.relation_name(rv);
                let new = QualifiedName::new(s.newschema.clone(), old.name.clone());
                self.rename_relation(&old, &new, s.missing_ok)?;
                // Indexes and owned sequences move with their table.
                let moved: Vec<QualifiedName> = self.schema.indexes.iter().filter(|(k, i)| i.table == new && k.schema == old.schema).map(|(k, _)| k.clone()).collect();
                for k in moved {
                    if let Some(i) = self.schema.indexes.remove(&k) {
                        self.schema.indexes.insert(QualifiedName::new(s.newschema.clone(), k.name), i);
                    }
                }
                Ok(())
            }
            ObjectType::ObjectType | ObjectType::ObjectDomain => {
                let Some(object) = s.object.as_deref() else { return Ok(()) };
                let ObjectName::Parts(parts) = self.object_name(object) else { return Ok(()) };
                let old = self.qualify(&parts);
                let new = QualifiedName::new(s.newschema.clone(), old.name.clone());
                self.rename_type(&old, &new)
            }
            ObjectType::ObjectExtension => {
                let Some(object) = s.object.as_deref() else { return Ok(()) };
                let ObjectName::Parts(parts) = self.object_name(object) else { return Ok(()) };
                if let Some(ext) = parts.first().and_then(|n| self.schema.extensions.get_mut(n)) {
                    ext.schema = s.newschema.clone();
                }
                Ok(())
            }
            other => {
                self.unmanaged(format!("ALTER {} SET SCHEMA", object_word(other)));
                Ok(())
            }
        }
    }

    /// `COMMENT ON ... IS ...`.
    pub(crate) fn comment(&mut self, s: &protobuf::CommentStmt) -> Result<(), Error> {
        let Some(object) = s.object.as_deref() else { return Ok(()) };
        let text = (!s.comment.is_empty()).then(|| s.comment.clone());
        let kind = s.objtype();
        let target = self.object_name(object);
        let missing = |r: &Self| r.error(format!("{} does not exist", object_word(kind).to_lowercase()));
        let slot: Option<&mut Option<String>> = match (kind, &target) {
            (ObjectType::ObjectTable | ObjectType::ObjectForeignTable, ObjectName::Parts(p)) => {
                let n = self.qualify(p);
                self.schema.tables.get_mut(&n).map(|t| &mut t.comment)
            }
            (ObjectType::ObjectView | ObjectType::ObjectMatview, ObjectName::Parts(p)) => {
                let n = self.qualify(p);
                self.schema.views.get_mut(&n).map(|v| &mut v.comment)
            }
            (ObjectType::ObjectIndex, ObjectName::Parts(p)) => {
                let n = self.qualify(p);
                match self.schema.indexes.get_mut(&n) {
                    Some(i) => Some(&mut i.comment),
                    None => {
                        // The index of a constraint: PostgreSQL keeps the
                        // comment on the index, which we fold into the constraint.
                        let schema = n.schema.clone();
                        self.schema
                            .tables
                            .iter_mut()
                            .filter(|(k, _)| k.schema == schema)
                            .find_map(|(_, t)| t.constraints.get_mut(&n.name).filter(|c| c.kind.has_index()))
                            .map(|c| &mut c.comment)
                    }
                }
            }
            (ObjectType::ObjectSequence, ObjectName::Parts(p)) => {
                let n = self.qualify(p);
                self.schema.sequences.get_mut(&n).map(|x| &mut x.comment)
            }
            (ObjectType::ObjectType, ObjectName::Parts(p)) => {
                let n = self.qualify(p);
                match self.schema.types.get_mut(&n) {
                    Some(t) => Some(&mut t.comment),
                    None => self.schema.domains.get_mut(&n).map(|d| &mut d.comment),
                }
            }
            (ObjectType::ObjectDomain, ObjectName::Parts(p)) => {
                let n = self.qualify(p);
                self.schema.domains.get_mut(&n).map(|d| &mut d.comment)
            }
            (ObjectType::ObjectSchema, ObjectName::Parts(p)) => match p.first() {
                Some(n) if n == "public" => {
                    // `public` is implied, so its comment is kept on an entry for it.
                    Some(&mut self.schema.namespaces.entry(n.clone()).or_default().comment)
                }
                Some(n) => self.schema.namespaces.get_mut(n).map(|ns| &mut ns.comment),
                None => None,
            },
            (ObjectType::ObjectExtension, ObjectName::Parts(p)) => p.first().and_then(|n| self.schema.extensions.get_mut(n)).map(|e| &mut e.comment),
            (ObjectType::ObjectColumn, ObjectName::Parts(p)) => {
                let (table, column) = self.qualify_member(p);
                if let Some(t) = self.schema.tables.get_mut(&table) {
                    t.column_mut(&column).map(|c| &mut c.comment)
                } else if let Some(v) = self.schema.views.get_mut(&table) {
                    match text {
                        Some(t) => {
                            v.column_comments.insert(column, t);
                        }
                        None => {
                            v.column_comments.remove(&column);
                        }
                    }
                    return Ok(());
                } else {
                    None
                }
            }
            (ObjectType::ObjectTabconstraint | ObjectType::ObjectTrigger | ObjectType::ObjectPolicy, ObjectName::Parts(p)) => {
                let (table, member) = self.qualify_member(p);
                let t = self.schema.tables.get_mut(&table);
                match kind {
                    ObjectType::ObjectTabconstraint => t.and_then(|t| t.constraints.get_mut(&member)).map(|c| &mut c.comment),
                    ObjectType::ObjectTrigger => t.and_then(|t| t.triggers.get_mut(&member)).map(|c| &mut c.comment),
                    _ => t.and_then(|t| t.policies.get_mut(&member)).map(|c| &mut c.comment),
                }
            }
            (ObjectType::ObjectFunction | ObjectType::ObjectProcedure | ObjectType::ObjectRoutine, ObjectName::Function(name, args)) => {
                let specified = match &object.node {
                    Some(NodeEnum::ObjectWithArgs(o)) => !o.args_unspecified,
                    _ => true,
                };
                let key = self.find_function(name, specified.then_some(args.as_slice()));
                key.and_then(|k| self.schema.functions.get_mut(&k)).map(|f| &mut f.comment)
            }
            (other, _) => {
                self.unmanaged(format!("COMMENT ON {}", object_word(other)));
                return Ok(());
            }
        };
        match slot {
            Some(slot) => {
                *slot = text;
                // An empty entry for `public` carries nothing.
                self.schema.namespaces.retain(|n, ns| n != "public" || ns.comment.is_some());
                Ok(())
            }
            None => Err(missing(self)),
        }
    }

    /// `GRANT` / `REVOKE` on objects.
    pub(crate) fn grant(&mut self, s: &protobuf::GrantStmt) -> Result<(), Error> {
        let kind = s.objtype();
        let (object_kind, all): (&str, &[&str]) = match kind {
            ObjectType::ObjectTable => ("TABLE", &["DELETE", "INSERT", "REFERENCES", "SELECT", "TRIGGER", "TRUNCATE", "UPDATE"]),
            ObjectType::ObjectSequence => ("SEQUENCE", &["SELECT", "UPDATE", "USAGE"]),
            ObjectType::ObjectFunction | ObjectType::ObjectRoutine => ("FUNCTION", &["EXECUTE"]),
            ObjectType::ObjectProcedure => ("PROCEDURE", &["EXECUTE"]),
            ObjectType::ObjectSchema => ("SCHEMA", &["CREATE", "USAGE"]),
            ObjectType::ObjectType | ObjectType::ObjectDomain => ("TYPE", &["USAGE"]),
            other => {
                self.unmanaged(format!("GRANT ON {}", object_word(other)));
                return Ok(());
            }
        };
        let objects = self.grant_objects(s, kind)?;
        let mut privileges: Vec<(String, Vec<String>)> = Vec::new();
        for p in &s.privileges {
            if let Some(NodeEnum::AccessPriv(ap)) = &p.node {
                let cols = strings(&ap.cols);
                if ap.priv_name.is_empty() {
                    privileges.extend(all.iter().map(|a| (a.to_string(), cols.clone())));
                } else {
                    privileges.push((ap.priv_name.to_uppercase(), cols));
                }
            }
        }
        if s.privileges.is_empty() {
            privileges.extend(all.iter().map(|a| (a.to_string(), Vec::new())));
        }
        let grantees: Vec<String> = s
            .grantees
            .iter()
            .filter_map(|g| match &g.node {
                Some(NodeEnum::RoleSpec(rs)) => Some(role_name(rs)).map(|r| if r == "public" { "PUBLIC".to_string() } else { r }),
                _ => None,
            })
            .collect();
        for object in &objects {
            for (privilege, columns) in &privileges {
                for grantee in &grantees {
                    let expanded: Vec<Vec<String>> = if columns.is_empty() { vec![Vec::new()] } else { columns.iter().map(|c| vec![c.clone()]).collect() };
                    for cols in expanded {
                        let grant = Grant {
                            object_kind: object_kind.to_string(),
                            object: object.clone(),
                            privilege: privilege.clone(),
                            columns: cols,
                            grantee: grantee.clone(),
                            with_grant_option: false,
                        };
                        let with_option = Grant { with_grant_option: true, ..grant.clone() };
                        if s.is_grant {
                            if s.grant_option {
                                self.schema.grants.remove(&grant);
                                self.schema.grants.insert(with_option);
                            } else if !self.schema.grants.contains(&with_option) {
                                self.schema.grants.insert(grant);
                            }
                        } else if s.grant_option {
                            if self.schema.grants.remove(&with_option) {
                                self.schema.grants.insert(grant);
                            }
                        } else {
                            self.schema.grants.remove(&grant);
                            self.schema.grants.remove(&with_option);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn grant_objects(&self, s: &protobuf::GrantStmt, kind: ObjectType) -> Result<Vec<String>, Error> {
        if s.targtype() == protobuf::GrantTargetType::AclTargetAllInSchema {
            let schemas: Vec<String> = s.objects.iter().filter_map(|o| match &o.node {
                Some(NodeEnum::String(x)) => Some(x.sval.clone()),
                _ => None,
            }).collect();
            let in_schema = |q: &QualifiedName| schemas.contains(&q.schema);
            return Ok(match kind {
                ObjectType::ObjectTable => self.schema.tables.keys().chain(self.schema.views.keys()).filter(|k| in_schema(k)).map(ToString::to_string).collect(),
                ObjectType::ObjectSequence => self.schema.sequences.keys().filter(|k| in_schema(k)).map(ToString::to_string).collect(),
                _ => self.schema.functions.iter().filter(|(_, f)| in_schema(&f.name)).map(|(k, _)| k.clone()).collect(),
            });
        }
        if s.targtype() != protobuf::GrantTargetType::AclTargetObject {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for o in &s.objects {
            let text = match (kind, self.object_name(o)) {
                (ObjectType::ObjectSchema, ObjectName::Parts(p)) => p.first().map(|n| crate::ident::quote_ident(n)),
                (ObjectType::ObjectFunction | ObjectType::ObjectProcedure | ObjectType::ObjectRoutine, ObjectName::Function(name, args)) => {
                    let specified = match &o.node {
                        Some(NodeEnum::ObjectWithArgs(x)) => !x.args_unspecified,
                        _ => true,
                    };
                    self.find_function(&name, specified.then_some(args.as_slice()))
                }
                (_, ObjectName::Parts(p)) => Some(self.qualify(&p).to_string()),
                _ => None,
            };
            match text {
                Some(t) => out.push(t),
                None => return Err(self.error("object of GRANT does not exist")),
            }
        }
        Ok(out)
    }
}

/// Drops everything in namespace `ns` (DROP SCHEMA ... CASCADE).
fn drop_namespace_contents(schema: &mut Schema, ns: &str) {
    schema.tables.retain(|k, _| k.schema != ns);
    schema.indexes.retain(|k, _| k.schema != ns);
    schema.sequences.retain(|k, _| k.schema != ns);
    schema.views.retain(|k, _| k.schema != ns);
    schema.types.retain(|k, _| k.schema != ns);
    schema.domains.retain(|k, _| k.schema != ns);
    schema.functions.retain(|_, f| f.name.schema != ns);
}

/// Moves everything in namespace `old` to `new` (ALTER SCHEMA RENAME).
fn move_namespace(schema: &mut Schema, old: &str, new: &str) {
    fn rekey<V>(map: &mut std::collections::BTreeMap<QualifiedName, V>, old: &str, new: &str) {
        let keys: Vec<QualifiedName> = map.keys().filter(|k| k.schema == old).cloned().collect();
        for k in keys {
            if let Some(v) = map.remove(&k) {
                map.insert(QualifiedName::new(new, k.name), v);
            }
        }
    }
    rekey(&mut schema.tables, old, new);
    rekey(&mut schema.indexes, old, new);
    rekey(&mut schema.sequences, old, new);
    rekey(&mut schema.views, old, new);
    rekey(&mut schema.types, old, new);
    rekey(&mut schema.domains, old, new);
    let fix = |q: &mut QualifiedName| {
        if q.schema == old {
            q.schema = new.to_string();
        }
    };
    for t in schema.tables.values_mut() {
        for c in t.constraints.values_mut() {
            if let ConstraintKind::ForeignKey { ref_table, .. } = &mut c.kind {
                fix(ref_table);
            }
        }
    }
    for i in schema.indexes.values_mut() {
        fix(&mut i.table);
    }
}

/// Renames column references `old` to `new` in a canonical expression.
fn rename_in_expression(text: &str, old: &str, new: &str) -> Option<String> {
    let parsed = pg_query::parse(&format!("SELECT {text}"), pg_query::ParserOptions::DEFAULT).ok()?;
    let stmt = parsed.protobuf.stmts.into_iter().next()?.stmt?;
    let Some(NodeEnum::SelectStmt(s)) = stmt.node else { return None };
    let Some(NodeEnum::ResTarget(rt)) = s.target_list.into_iter().next()?.node else { return None };
    let mut value = *rt.val?;
    let mut changed = false;
    expr::walk_mut(&mut value, &mut |n| {
        if let Some(NodeEnum::ColumnRef(c)) = n.node.as_mut() {
            if let Some(Some(NodeEnum::String(last))) = c.fields.last_mut().map(|f| f.node.as_mut()) {
                if last.sval == old {
                    last.sval = new.to_string();
                    changed = true;
                }
            }
        }
    });
    if !changed {
        return None;
    }
    let none = |_: &str| None;
    let _ = ExprContext { default_schema: "public", column_type: &none };
    expr::deparse_expr(value).ok()
}

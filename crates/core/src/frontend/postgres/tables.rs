//! Tables, columns, constraints, indexes and partitions.

use std::collections::BTreeMap;

use pg_query::protobuf::{
    self, AlterTableCmd, AlterTableStmt, AlterTableType, ColumnDef, ConstrType, Constraint as PgConstraint, CreateStmt, IndexElem, IndexStmt,
    Node, ObjectType, PartitionBoundSpec, SortByDir, SortByNulls,
};
use pg_query::NodeEnum;

use super::expr::{self, ExprContext};
use super::naming::{choose_name, name_addition, unique_column_names};
use super::types::{self, collation_name, name_parts};
use super::Replay;
use crate::ident::QualifiedName;
use crate::model::{
    Column, Constraint, ConstraintIndex, ConstraintKind, ExclusionElement, FkAction, Identity, Index, IndexKey, IndexTarget, PartitionBy,
    PartitionOf, PartitionStrategy, SequenceOptions, Table,
};
use crate::Error;

/// String values of a list of `String` nodes.
pub(crate) fn strings(nodes: &[Node]) -> Vec<String> {
    name_parts(nodes)
}

/// Reads `WITH (a = b, ...)` definitions into a sorted map.
pub(crate) fn def_options(nodes: &[Node]) -> BTreeMap<String, String> {
    nodes
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::DefElem(d)) => {
                let key = if d.defnamespace.is_empty() { d.defname.clone() } else { format!("{}.{}", d.defnamespace, d.defname) };
                Some((key, d.arg.as_deref().map(def_arg_text).unwrap_or_else(|| "true".into())))
            }
            _ => None,
        })
        .collect()
}

/// The text of a `DefElem` argument.
pub(crate) fn def_arg_text(n: &Node) -> String {
    match &n.node {
        Some(NodeEnum::String(s)) => s.sval.clone(),
        Some(NodeEnum::Integer(i)) => i.ival.to_string(),
        Some(NodeEnum::Float(f)) => f.fval.clone(),
        Some(NodeEnum::Boolean(b)) => b.boolval.to_string(),
        Some(NodeEnum::TypeName(t)) => name_parts(&t.names).join("."),
        Some(NodeEnum::List(l)) => name_parts(&l.items).join("."),
        Some(NodeEnum::AConst(c)) => match &c.val {
            Some(protobuf::a_const::Val::Sval(s)) => s.sval.clone(),
            Some(protobuf::a_const::Val::Ival(i)) => i.ival.to_string(),
            Some(protobuf::a_const::Val::Fval(f)) => f.fval.clone(),
            Some(protobuf::a_const::Val::Boolval(b)) => b.boolval.to_string(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// How an expression belongs to a table: which columns it can see.
fn column_lookup(columns: &[Column]) -> impl Fn(&str) -> Option<String> + '_ {
    move |name| columns.iter().find(|c| c.name == name).map(|c| c.data_type.clone())
}

impl Replay<'_> {
    /// Normalises an expression over `columns`.
    pub(crate) fn canonical_expr(&self, n: &Node, columns: &[Column]) -> Result<Option<String>, Error> {
        let lookup = column_lookup(columns);
        let ctx = ExprContext { default_schema: "public", column_type: &lookup };
        expr::canonical(n, &ctx).map_err(|m| self.error(format!("cannot print expression: {m}")))
    }

    /// Normalises a column default: like [`Replay::canonical_expr`], with
    /// literals coerced to the column's type as the server does.
    pub(crate) fn canonical_default(&self, n: &Node, columns: &[Column], data_type: &str) -> Result<Option<String>, Error> {
        let lookup = column_lookup(columns);
        let ctx = ExprContext { default_schema: "public", column_type: &lookup };
        expr::canonical_for_type(n, &ctx, Some(data_type)).map_err(|m| self.error(format!("cannot print expression: {m}")))
    }

    /// Like [`Replay::canonical_expr`] for expressions that cannot be NULL.
    pub(crate) fn required_expr(&self, n: &Node, columns: &[Column]) -> Result<String, Error> {
        Ok(self.canonical_expr(n, columns)?.unwrap_or_else(|| "NULL".to_string()))
    }

    /// Resolves a type name, finding unqualified user types in the default
    /// namespace or `public`.
    pub(crate) fn resolve_type(&self, tn: &protobuf::TypeName) -> types::ResolvedType {
        let default_schema = self.default_schema.clone();
        let schema = &*self.schema;
        let resolve_user = move |name: &str| {
            let here = QualifiedName::new(default_schema.clone(), name);
            if schema.types.contains_key(&here) || schema.domains.contains_key(&here) || schema.tables.contains_key(&here) {
                default_schema.clone()
            } else {
                "public".to_string()
            }
        };
        types::resolve(tn, &resolve_user)
    }

    /// Whether a relation (table, index, sequence, view, composite type, or an
    /// index behind a constraint) called `name` exists in `schema`.
    pub(crate) fn relation_taken(&self, schema: &str, name: &str, pending: Option<&Table>) -> bool {
        let key = QualifiedName::new(schema, name);
        if self.schema.tables.contains_key(&key)
            || self.schema.indexes.contains_key(&key)
            || self.schema.sequences.contains_key(&key)
            || self.schema.views.contains_key(&key)
            || matches!(self.schema.types.get(&key), Some(t) if matches!(t.kind, crate::model::TypeKind::Composite { .. }))
        {
            return true;
        }
        let table_uses = |t: &Table| {
            t.constraints.get(name).is_some_and(|c| c.kind.has_index())
                || t.columns.iter().any(|c| c.identity.as_ref().is_some_and(|i| i.sequence == key))
        };
        pending.is_some_and(table_uses) || self.with_derived(|d| d.relations.contains(&key))
    }

    /// Whether a table, index, sequence, view or composite type is called `key`.
    fn relation_taken_except_constraints(&self, key: &QualifiedName) -> bool {
        self.schema.tables.contains_key(key)
            || self.schema.indexes.contains_key(key)
            || self.schema.sequences.contains_key(key)
            || self.schema.views.contains_key(key)
            || matches!(self.schema.types.get(key), Some(t) if matches!(t.kind, crate::model::TypeKind::Composite { .. }))
    }

    /// Runs `f` on the derived names, building them first if needed.
    pub(crate) fn with_derived<R>(&self, f: impl FnOnce(&super::DerivedNames) -> R) -> R {
        let mut cell = self.derived.borrow_mut();
        let names = cell.get_or_insert_with(|| super::DerivedNames::build(self.schema));
        f(names)
    }

    /// Records a new table in the derived names, if they are built.
    pub(crate) fn note_table(&self, name: &QualifiedName) {
        if let (Some(names), Some(table)) = (self.derived.borrow_mut().as_mut(), self.schema.tables.get(name)) {
            names.add_table(name, table);
        }
    }

    /// Whether a canonical type names a modelled enum type.
    fn is_enum_type(&self, data_type: &str) -> bool {
        QualifiedName::parse(data_type)
            .and_then(|q| self.schema.types.get(&q))
            .is_some_and(|t| matches!(t.kind, crate::model::TypeKind::Enum { .. }))
    }

    /// Whether a constraint called `name` exists in `schema`.
    pub(crate) fn constraint_taken(&self, schema: &str, name: &str, pending: Option<&Table>) -> bool {
        pending.is_some_and(|t| t.constraints.contains_key(name))
            || self.tables_in(schema).any(|(_, t)| t.constraints.contains_key(name))
            || self.schema.domains.range(QualifiedName::new(schema, "")..).take_while(|(k, _)| k.schema == schema).any(|(_, d)| d.checks.contains_key(name))
    }

    fn tables_in<'s>(&'s self, schema: &'s str) -> impl Iterator<Item = (&'s QualifiedName, &'s Table)> + 's {
        self.schema.tables.range(QualifiedName::new(schema, "")..).take_while(move |(k, _)| k.schema == schema)
    }

    /// `CREATE TABLE`.
    pub(crate) fn create_table(&mut self, stmt: &CreateStmt) -> Result<(), Error> {
        let Some(rv) = stmt.relation.as_ref() else { return Ok(()) };
        if rv.relpersistence == "t" {
            self.unmanaged("CREATE TEMPORARY TABLE");
            return Ok(());
        }
        if stmt.of_typename.is_some() {
            self.unmanaged("CREATE TABLE OF type");
            return Ok(());
        }
        let name = self.relation_name(rv);
        if self.relation_taken(&name.schema, &name.name, None) {
            if stmt.if_not_exists {
                return Ok(());
            }
            return Err(self.error(format!("relation {name} already exists")));
        }
        let mut table = Table { unlogged: rv.relpersistence == "u", options: def_options(&stmt.options), ..Table::default() };
        let parents: Vec<QualifiedName> = stmt
            .inh_relations
            .iter()
            .filter_map(|n| match &n.node {
                Some(NodeEnum::RangeVar(p)) => Some(self.relation_name(p)),
                _ => None,
            })
            .collect();
        for parent in &parents {
            if !self.schema.tables.contains_key(parent) {
                return Err(self.error(format!("relation {parent} does not exist")));
            }
        }
        let partition_parent = stmt.partbound.as_ref().and(parents.first().cloned());
        // Children start with their parents' columns (in the physical order
        // PostgreSQL gives them) and inheritable CHECK constraints.
        for parent in &parents {
            self.copy_parent(parent, &mut table);
        }
        if partition_parent.is_none() {
            table.inherits = parents;
        }
        let mut deferred = Vec::new();
        for elt in &stmt.table_elts {
            match &elt.node {
                Some(NodeEnum::ColumnDef(cd)) => self.add_column_def(&name, &mut table, cd, &mut deferred, true)?,
                Some(NodeEnum::Constraint(c)) => deferred.push((**c).clone()),
                Some(NodeEnum::TableLikeClause(like)) => self.copy_like(&mut table, like)?,
                _ => {}
            }
        }
        for c in &stmt.constraints {
            if let Some(NodeEnum::Constraint(c)) = &c.node {
                deferred.push((**c).clone());
            }
        }
        // PostgreSQL adds CHECK constraints while creating the relation and
        // the indexes for PRIMARY KEY / UNIQUE afterwards, then the FKs.
        deferred.sort_by_key(|c| match c.contype() {
            ConstrType::ConstrCheck => 0,
            ConstrType::ConstrPrimary | ConstrType::ConstrUnique | ConstrType::ConstrExclusion => 1,
            _ => 2,
        });
        for c in &deferred {
            self.add_table_constraint(&name, &mut table, c, None)?;
        }
        if let Some(spec) = &stmt.partspec {
            table.partition_by = Some(self.partition_spec(spec, &table.columns)?);
        }
        if let (Some(parent), Some(bound)) = (&partition_parent, &stmt.partbound) {
            table.partition_of = Some(PartitionOf { parent: parent.clone(), bound: self.partition_bound(bound)? });
        }
        self.schema.tables.insert(name.clone(), table);
        self.note_table(&name);
        if let Some(parent) = partition_parent {
            self.propagate_to_partition(&parent, &name)?;
        }
        Ok(())
    }

    /// Copies a parent's columns (merging same-named ones) and inheritable
    /// CHECK constraints into a new partition or inheritance child.
    fn copy_parent(&self, parent: &QualifiedName, table: &mut Table) {
        let Some(p) = self.schema.tables.get(parent) else { return };
        for c in &p.columns {
            match table.column_mut(&c.name) {
                Some(existing) => existing.not_null |= c.not_null,
                None => table.columns.push(Column { identity: None, comment: None, ..c.clone() }),
            }
        }
        for (n, c) in &p.constraints {
            if let ConstraintKind::Check { no_inherit: false, .. } = c.kind {
                table.constraints.entry(n.clone()).or_insert_with(|| Constraint { comment: None, ..c.clone() });
            }
        }
    }

    /// `LIKE other`: copies the columns (and their NOT NULL), as PostgreSQL
    /// does by default.
    fn copy_like(&self, table: &mut Table, like: &protobuf::TableLikeClause) -> Result<(), Error> {
        let Some(rv) = like.relation.as_ref() else { return Ok(()) };
        let source = self.relation_name(rv);
        let Some(src) = self.schema.tables.get(&source) else {
            return Err(self.error(format!("relation {source} does not exist")));
        };
        // CREATE_TABLE_LIKE_DEFAULTS = 1 << 3, _GENERATED = 1 << 5.
        let with_defaults = like.options & (1 << 3) != 0;
        for c in &src.columns {
            table.columns.push(Column {
                default: if with_defaults { c.default.clone() } else { None },
                identity: None,
                generated: if like.options & (1 << 5) != 0 { c.generated.clone() } else { None },
                comment: None,
                ..c.clone()
            });
        }
        Ok(())
    }

    /// Adds one column definition. Inline constraints other than NOT NULL,
    /// DEFAULT, identity and generation go to `deferred` as table constraints.
    fn add_column_def(
        &mut self,
        table_name: &QualifiedName,
        table: &mut Table,
        cd: &ColumnDef,
        deferred: &mut Vec<PgConstraint>,
        creating: bool,
    ) -> Result<(), Error> {
        let existing = table.columns.iter().position(|c| c.name == cd.colname);
        let index = match (existing, cd.type_name.as_ref()) {
            (Some(i), None) => i,
            (Some(i), Some(tn)) if creating => {
                // A column also inherited from a parent is merged with it.
                if table.inherits.is_empty() && table.partition_of.is_none() {
                    return Err(self.error(format!("column \"{}\" specified more than once", cd.colname)));
                }
                let data_type = self.resolve_type(tn).name;
                if data_type != table.columns[i].data_type {
                    return Err(self.error(format!("column \"{}\" has a type conflict: {} versus {data_type}", cd.colname, table.columns[i].data_type)));
                }
                i
            }
            (Some(i), Some(_)) => i,
            (None, None) => return Err(self.error(format!("column \"{}\" does not exist", cd.colname))),
            (None, Some(tn)) => {
                let resolved = self.resolve_type(tn);
                let mut column = Column::new(cd.colname.clone(), resolved.name.clone());
                if resolved.serial {
                    self.add_serial(table_name, table, &mut column)?;
                }
                table.columns.push(column);
                table.columns.len() - 1
            }
        };
        if let Some(coll) = cd.coll_clause.as_ref() {
            table.columns[index].collation = Some(collation_name(&name_parts(&coll.collname)));
        }
        if cd.is_not_null {
            table.columns[index].not_null = true;
        }
        if let Some(def) = cd.raw_default.as_deref() {
            let value = self.canonical_default(def, &table.columns, &table.columns[index].data_type)?;
            table.columns[index].default = value;
        }
        let mut last_constraint: Option<usize> = None;
        for c in &cd.constraints {
            let Some(NodeEnum::Constraint(c)) = &c.node else { continue };
            match c.contype() {
                ConstrType::ConstrNull => table.columns[index].not_null = false,
                ConstrType::ConstrNotnull => table.columns[index].not_null = true,
                ConstrType::ConstrDefault => {
                    if let Some(e) = c.raw_expr.as_deref() {
                        let value = self.canonical_default(e, &table.columns, &table.columns[index].data_type)?;
                        table.columns[index].default = value;
                    }
                }
                ConstrType::ConstrIdentity => {
                    let data_type = table.columns[index].data_type.clone();
                    let identity = self.identity(table_name, table, &cd.colname, &data_type, c.generated_when == "a", &c.options)?;
                    table.columns[index].identity = Some(identity);
                    table.columns[index].not_null = true;
                }
                ConstrType::ConstrGenerated => {
                    if let Some(e) = c.raw_expr.as_deref() {
                        table.columns[index].generated = Some(self.required_expr(e, &table.columns)?);
                    }
                }
                ConstrType::ConstrAttrDeferrable
                | ConstrType::ConstrAttrNotDeferrable
                | ConstrType::ConstrAttrDeferred
                | ConstrType::ConstrAttrImmediate => {
                    if let Some(target) = last_constraint.and_then(|i| deferred.get_mut(i)) {
                        match c.contype() {
                            ConstrType::ConstrAttrDeferrable => target.deferrable = true,
                            ConstrType::ConstrAttrNotDeferrable => target.deferrable = false,
                            ConstrType::ConstrAttrDeferred => target.initdeferred = true,
                            _ => target.initdeferred = false,
                        }
                    }
                }
                _ => {
                    let mut c = (**c).clone();
                    let column = node_string(&cd.colname);
                    match c.contype() {
                        ConstrType::ConstrPrimary | ConstrType::ConstrUnique if c.keys.is_empty() => c.keys = vec![column],
                        ConstrType::ConstrForeign if c.fk_attrs.is_empty() => c.fk_attrs = vec![column],
                        _ => {}
                    }
                    deferred.push(c);
                    last_constraint = Some(deferred.len() - 1);
                }
            }
        }
        // The server refuses these combinations; so do we.
        let column = &table.columns[index];
        let conflict = match (&column.default, &column.identity, &column.generated) {
            (Some(_), _, Some(_)) => Some("both default and generation expression"),
            (Some(_), Some(_), _) => Some("both default and identity"),
            (_, Some(_), Some(_)) => Some("both identity and generation expression"),
            _ => None,
        };
        if let Some(what) = conflict {
            return Err(self.error(format!("{what} specified for column \"{}\" of table {table_name}", column.name)));
        }
        Ok(())
    }

    /// `serial`: an owned sequence and a `nextval` default.
    fn add_serial(&mut self, table_name: &QualifiedName, table: &Table, column: &mut Column) -> Result<(), Error> {
        let seq_name = choose_name(&table_name.name, Some(&column.name), "seq", &|n| self.relation_taken(&table_name.schema, n, Some(table)));
        let seq = QualifiedName::new(table_name.schema.clone(), seq_name);
        self.schema.sequences.insert(
            seq.clone(),
            crate::model::Sequence {
                options: SequenceOptions::defaults(&column.data_type, 1),
                owned_by: Some(crate::model::ColumnRef { table: table_name.clone(), column: column.name.clone() }),
                comment: None,
            },
        );
        column.default = Some(nextval_default(&seq));
        column.not_null = true;
        Ok(())
    }

    /// `GENERATED ... AS IDENTITY [(options)]`.
    fn identity(
        &self,
        table_name: &QualifiedName,
        table: &Table,
        column: &str,
        data_type: &str,
        always: bool,
        options: &[Node],
    ) -> Result<Identity, Error> {
        let mut sequence = None;
        let mut opts = SequenceOptions::defaults(data_type, 1);
        let mut rest = Vec::new();
        for o in options {
            if let Some(NodeEnum::DefElem(d)) = &o.node {
                if d.defname == "sequence_name" {
                    if let Some(NodeEnum::List(l)) = d.arg.as_ref().and_then(|a| a.node.as_ref()) {
                        sequence = Some(self.list_name(&l.items));
                    }
                    continue;
                }
            }
            rest.push(o.clone());
        }
        self.apply_sequence_options(&mut opts, &rest, true)?;
        let sequence = sequence.unwrap_or_else(|| {
            let n = choose_name(&table_name.name, Some(column), "seq", &|n| self.relation_taken(&table_name.schema, n, Some(table)));
            QualifiedName::new(table_name.schema.clone(), n)
        });
        Ok(Identity { always, sequence, options: opts })
    }

    /// Adds a table constraint (from CREATE TABLE or ALTER TABLE ADD).
    pub(crate) fn add_table_constraint(
        &mut self,
        table_name: &QualifiedName,
        table: &mut Table,
        c: &PgConstraint,
        only: Option<bool>,
    ) -> Result<Option<String>, Error> {
        let schema = table_name.schema.clone();
        let tname = table_name.name.clone();
        let mut explicit = (!c.conname.is_empty()).then(|| c.conname.clone());
        // `ADD CONSTRAINT name {PRIMARY KEY | UNIQUE} USING INDEX index`: the
        // unique index becomes the constraint's (and takes its name).
        let using_index = if matches!(c.contype(), ConstrType::ConstrPrimary | ConstrType::ConstrUnique) && !c.indexname.is_empty() {
            let key = QualifiedName::new(schema.clone(), c.indexname.clone());
            let Some(index) = self.schema.indexes.get(&key).filter(|i| &i.table == table_name && i.unique) else {
                return Err(self.error(format!("index \"{}\" is not a unique index of {table_name}", c.indexname)));
            };
            let columns: Option<Vec<String>> = index.keys.iter().map(|k| if let IndexTarget::Column(col) = &k.target { Some(col.clone()) } else { None }).collect();
            let Some(columns) = columns.filter(|_| index.predicate.is_none()) else {
                return Err(self.error(format!("index \"{}\" contains expressions or a predicate", c.indexname)));
            };
            let options = ConstraintIndex { include: index.include.clone(), with: index.with.clone(), tablespace: index.tablespace.clone() };
            let nnd = index.nulls_not_distinct;
            self.schema.indexes.remove(&key);
            explicit = explicit.or(Some(c.indexname.clone()));
            Some((columns, options, nnd))
        } else {
            None
        };
        let kind;
        let name;
        match c.contype() {
            ConstrType::ConstrPrimary => {
                if table.primary_key().is_some() {
                    return Err(self.error(format!("multiple primary keys for table {table_name} are not allowed")));
                }
                let columns = using_index.as_ref().map(|u| u.0.clone()).unwrap_or_else(|| strings(&c.keys));
                self.check_columns(table, &columns)?;
                for col in &columns {
                    if let Some(column) = table.column_mut(col) {
                        column.not_null = true;
                    }
                }
                name = explicit.unwrap_or_else(|| {
                    choose_name(&tname, None, "pkey", &|n| self.relation_taken(&schema, n, Some(table)) || self.constraint_taken(&schema, n, Some(table)))
                });
                kind = ConstraintKind::PrimaryKey { columns, index: using_index.as_ref().map(|u| u.1.clone()).unwrap_or_else(|| constraint_index(c)) };
            }
            ConstrType::ConstrUnique => {
                let columns = using_index.as_ref().map(|u| u.0.clone()).unwrap_or_else(|| strings(&c.keys));
                self.check_columns(table, &columns)?;
                name = explicit.unwrap_or_else(|| {
                    choose_name(&tname, Some(&name_addition(&columns)), "key", &|n| {
                        self.relation_taken(&schema, n, Some(table)) || self.constraint_taken(&schema, n, Some(table))
                    })
                });
                kind = match &using_index {
                    Some((_, options, nnd)) => ConstraintKind::Unique { columns, nulls_not_distinct: *nnd, index: options.clone() },
                    None => ConstraintKind::Unique { columns, nulls_not_distinct: c.nulls_not_distinct, index: constraint_index(c) },
                };
            }
            ConstrType::ConstrCheck => {
                let Some(e) = c.raw_expr.as_deref() else { return Ok(None) };
                let referenced = expr::referenced_columns(e);
                let single = (referenced.len() == 1).then(|| referenced[0].clone());
                name = explicit.unwrap_or_else(|| choose_name(&tname, single.as_deref(), "check", &|n| self.constraint_taken(&schema, n, Some(table))));
                kind = ConstraintKind::Check { expr: self.required_expr(e, &table.columns)?, no_inherit: c.is_no_inherit };
            }
            ConstrType::ConstrForeign => {
                let columns = strings(&c.fk_attrs);
                self.check_columns(table, &columns)?;
                let Some(pk) = c.pktable.as_ref() else { return Ok(None) };
                let ref_table = self.relation_name(pk);
                let mut ref_columns = strings(&c.pk_attrs);
                if ref_columns.is_empty() {
                    let target = if &ref_table == table_name { Some(&*table) } else { self.schema.tables.get(&ref_table) };
                    let Some(target) = target else { return Err(self.error(format!("relation {ref_table} does not exist"))) };
                    ref_columns = match target.primary_key() {
                        Some((_, pk)) => pk.kind.columns().to_vec(),
                        None => return Err(self.error(format!("there is no primary key for referenced table {ref_table}"))),
                    };
                } else if &ref_table != table_name && !self.schema.tables.contains_key(&ref_table) {
                    return Err(self.error(format!("relation {ref_table} does not exist")));
                }
                name = explicit.unwrap_or_else(|| choose_name(&tname, Some(&name_addition(&columns)), "fkey", &|n| self.constraint_taken(&schema, n, Some(table))));
                kind = ConstraintKind::ForeignKey {
                    columns,
                    ref_table,
                    ref_columns,
                    on_update: fk_action(&c.fk_upd_action),
                    on_delete: fk_action(&c.fk_del_action),
                    match_full: c.fk_matchtype == "f",
                };
            }
            ConstrType::ConstrExclusion => {
                let mut elements = Vec::new();
                let mut colnames = Vec::new();
                for pair in &c.exclusions {
                    let Some(NodeEnum::List(l)) = &pair.node else { continue };
                    let (Some(Some(NodeEnum::IndexElem(ie))), Some(Some(NodeEnum::List(op)))) =
                        (l.items.first().map(|n| &n.node), l.items.get(1).map(|n| &n.node))
                    else {
                        continue;
                    };
                    colnames.push(index_elem_colname(ie));
                    let method = if c.access_method.is_empty() { "btree" } else { c.access_method.as_str() };
                    elements.push(ExclusionElement { key: self.index_key(ie, &table.columns, method)?, operator: strings(&op.items).join(".") });
                }
                let colnames = unique_column_names(colnames);
                name = explicit.unwrap_or_else(|| {
                    choose_name(&tname, Some(&name_addition(&colnames)), "excl", &|n| {
                        self.relation_taken(&schema, n, Some(table)) || self.constraint_taken(&schema, n, Some(table))
                    })
                });
                let predicate = match c.where_clause.as_deref() {
                    Some(w) => self.canonical_expr(w, &table.columns)?,
                    None => None,
                };
                let method = if c.access_method.is_empty() { "btree".to_string() } else { c.access_method.clone() };
                kind = ConstraintKind::Exclusion { method, elements, predicate, index: constraint_index(c) };
            }
            ConstrType::ConstrNotnull => {
                for col in strings(&c.keys) {
                    if let Some(column) = table.column_mut(&col) {
                        column.not_null = true;
                    }
                }
                return Ok(None);
            }
            _ => {
                self.unmanaged("constraint");
                return Ok(None);
            }
        }
        if table.constraints.contains_key(&name) {
            return Err(self.error(format!("constraint \"{name}\" for relation {table_name} already exists")));
        }
        let not_valid = c.skip_validation && matches!(kind, ConstraintKind::Check { .. } | ConstraintKind::ForeignKey { .. });
        let _ = only;
        if kind.has_index() {
            if let Some(names) = self.derived.borrow_mut().as_mut() {
                names.relations.insert(QualifiedName::new(schema.clone(), name.clone()));
            }
        }
        table.constraints.insert(
            name.clone(),
            Constraint { kind, deferrable: c.deferrable, initially_deferred: c.initdeferred, not_valid, comment: None },
        );
        Ok(Some(name))
    }

    fn check_columns(&self, table: &Table, columns: &[String]) -> Result<(), Error> {
        for col in columns {
            if table.column(col).is_none() {
                return Err(self.error(format!("column \"{col}\" named in key does not exist")));
            }
        }
        Ok(())
    }

    /// One index key (also used for partition keys and exclusion elements).
    pub(crate) fn index_key(&self, ie: &IndexElem, columns: &[Column], method: &str) -> Result<IndexKey, Error> {
        let target = match ie.expr.as_deref() {
            Some(e) => match &e.node {
                // `(col)` written as an expression is a plain column.
                Some(NodeEnum::ColumnRef(c)) if c.fields.len() == 1 && name_parts(&c.fields).len() == 1 => {
                    IndexTarget::Column(name_parts(&c.fields).remove(0))
                }
                _ => IndexTarget::Expression(self.required_expr(e, columns)?),
            },
            None => IndexTarget::Column(ie.name.clone()),
        };
        let descending = ie.ordering() == SortByDir::SortbyDesc;
        let nulls_first = match ie.nulls_ordering() {
            SortByNulls::SortbyNullsFirst if !descending => Some(true),
            SortByNulls::SortbyNullsLast if descending => Some(false),
            _ => None,
        };
        let opclass = (!ie.opclass.is_empty()).then(|| {
            let parts = strings(&ie.opclass);
            match parts.as_slice() {
                [schema, name] if schema == "pg_catalog" || schema == "public" => name.clone(),
                _ => parts.join("."),
            }
        });
        // The type's default operator class is not stored as such.
        let column_type = match &target {
            IndexTarget::Column(c) => columns.iter().find(|col| &col.name == c).map(|col| col.data_type.as_str()),
            IndexTarget::Expression(_) => None,
        };
        let opclass = opclass.filter(|o| column_type.and_then(|t| default_opclass(method, t, self.is_enum_type(t))) != Some(o.as_str()));
        Ok(IndexKey {
            target,
            collation: (!ie.collation.is_empty()).then(|| collation_name(&strings(&ie.collation))),
            opclass,
            descending,
            nulls_first,
        })
    }

    fn partition_spec(&self, spec: &protobuf::PartitionSpec, columns: &[Column]) -> Result<PartitionBy, Error> {
        let strategy = match spec.strategy() {
            protobuf::PartitionStrategy::List => PartitionStrategy::List,
            protobuf::PartitionStrategy::Hash => PartitionStrategy::Hash,
            _ => PartitionStrategy::Range,
        };
        let mut keys = Vec::new();
        for p in &spec.part_params {
            let Some(NodeEnum::PartitionElem(pe)) = &p.node else { continue };
            let ie = IndexElem {
                name: pe.name.clone(),
                expr: pe.expr.clone(),
                collation: pe.collation.clone(),
                opclass: pe.opclass.clone(),
                ..Default::default()
            };
            keys.push(self.index_key(&ie, columns, "btree")?);
        }
        Ok(PartitionBy { strategy, keys })
    }

    /// The canonical text of a partition bound.
    pub(crate) fn partition_bound(&self, b: &PartitionBoundSpec) -> Result<String, Error> {
        if b.is_default {
            return Ok("DEFAULT".into());
        }
        let list = |nodes: &[Node]| -> Result<String, Error> {
            let mut out = Vec::new();
            for n in nodes {
                let text = match &n.node {
                    Some(NodeEnum::PartitionRangeDatum(d)) => match d.kind() {
                        protobuf::PartitionRangeDatumKind::PartitionRangeDatumMinvalue => "MINVALUE".to_string(),
                        protobuf::PartitionRangeDatumKind::PartitionRangeDatumMaxvalue => "MAXVALUE".to_string(),
                        _ => match d.value.as_deref() {
                            Some(v) => self.required_expr(v, &[])?,
                            None => "NULL".into(),
                        },
                    },
                    Some(NodeEnum::ColumnRef(c)) => name_parts(&c.fields).join(".").to_uppercase(),
                    _ => self.canonical_expr(n, &[])?.unwrap_or_else(|| "NULL".into()),
                };
                out.push(text);
            }
            Ok(out.join(", "))
        };
        Ok(match b.strategy.as_str() {
            "l" => format!("FOR VALUES IN ({})", list(&b.listdatums)?),
            "h" => format!("FOR VALUES WITH (modulus {}, remainder {})", b.modulus, b.remainder),
            _ => format!("FOR VALUES FROM ({}) TO ({})", list(&b.lowerdatums)?, list(&b.upperdatums)?),
        })
    }

    /// Gives a new partition its parent's index-backed constraints and
    /// indexes, as PostgreSQL does when a partition is created or attached.
    fn propagate_to_partition(&mut self, parent: &QualifiedName, child: &QualifiedName) -> Result<(), Error> {
        let Some(p) = self.schema.tables.get(parent) else { return Ok(()) };
        let constraints: Vec<Constraint> = p.constraints.values().filter(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. })).cloned().collect();
        let indexes: Vec<Index> = self.schema.indexes.values().filter(|i| &i.table == parent && !i.only).cloned().collect();
        for c in constraints {
            self.add_partition_constraint(child, c);
        }
        for index in indexes {
            self.add_partition_index(child, index)?;
        }
        Ok(())
    }

    fn add_partition_constraint(&mut self, child: &QualifiedName, c: Constraint) {
        let Some(table) = self.schema.tables.get(child) else { return };
        if table.constraints.values().any(|existing| existing.kind == c.kind) {
            return;
        }
        let (label, addition) = match &c.kind {
            ConstraintKind::PrimaryKey { .. } => ("pkey", None),
            other => ("key", Some(name_addition(other.columns()))),
        };
        let name = choose_name(&child.name, addition.as_deref(), label, &|n| {
            self.relation_taken(&child.schema, n, None) || self.constraint_taken(&child.schema, n, None)
        });
        let grandchildren = self.partitions_of(child);
        if let Some(names) = self.derived.borrow_mut().as_mut() {
            names.relations.insert(QualifiedName::new(child.schema.clone(), name.clone()));
        }
        if let Some(table) = self.schema.tables.get_mut(child) {
            table.constraints.insert(name, Constraint { comment: None, ..c.clone() });
        }
        for g in grandchildren {
            self.add_partition_constraint(&g, c.clone());
        }
    }

    fn add_partition_index(&mut self, child: &QualifiedName, index: Index) -> Result<(), Error> {
        let same = |i: &Index| i.table == *child && i.keys == index.keys && i.method == index.method && i.predicate == index.predicate && i.unique == index.unique;
        if self.schema.indexes.values().any(same) {
            return Ok(());
        }
        let colnames = unique_column_names(index.keys.iter().map(key_colname).collect());
        let name = choose_name(&child.name, Some(&name_addition(&colnames)), "idx", &|n| self.relation_taken(&child.schema, n, None));
        let child_index = Index { table: child.clone(), comment: None, only: false, ..index.clone() };
        self.schema.indexes.insert(QualifiedName::new(child.schema.clone(), name), child_index);
        for g in self.partitions_of(child) {
            self.add_partition_index(&g, index.clone())?;
        }
        Ok(())
    }

    /// The partitions and inheritance children of a table: what ALTER TABLE
    /// recurses to without ONLY.
    pub(crate) fn children_of(&self, parent: &QualifiedName) -> Vec<QualifiedName> {
        self.with_derived(|d| d.children.get(parent).cloned().unwrap_or_default())
    }

    /// The partitions of a table.
    pub(crate) fn partitions_of(&self, parent: &QualifiedName) -> Vec<QualifiedName> {
        self.children_of(parent)
            .into_iter()
            .filter(|c| self.schema.tables.get(c).and_then(|t| t.partition_of.as_ref()).is_some_and(|p| &p.parent == parent))
            .collect()
    }

    /// `CREATE INDEX`.
    pub(crate) fn create_index(&mut self, stmt: &IndexStmt) -> Result<(), Error> {
        let Some(rv) = stmt.relation.as_ref() else { return Ok(()) };
        let table_name = self.relation_name(rv);
        let no_columns = Vec::new();
        let columns = match (self.schema.tables.get(&table_name), self.schema.views.get(&table_name)) {
            (Some(t), _) => &t.columns,
            (None, Some(v)) if v.materialized => &no_columns,
            _ => return Err(self.error(format!("relation {table_name} does not exist"))),
        };
        let mut keys = Vec::new();
        let mut colnames = Vec::new();
        let method = if stmt.access_method.is_empty() { "btree" } else { stmt.access_method.as_str() };
        for p in &stmt.index_params {
            if let Some(NodeEnum::IndexElem(ie)) = &p.node {
                colnames.push(index_elem_colname(ie));
                keys.push(self.index_key(ie, columns, method)?);
            }
        }
        let include: Vec<String> = stmt
            .index_including_params
            .iter()
            .filter_map(|p| match &p.node {
                Some(NodeEnum::IndexElem(ie)) => Some(ie.name.clone()),
                _ => None,
            })
            .collect();
        let schema = table_name.schema.clone();
        let name = if stmt.idxname.is_empty() {
            let colnames = unique_column_names(colnames);
            choose_name(&table_name.name, Some(&name_addition(&colnames)), "idx", &|n| self.relation_taken(&schema, n, None))
        } else {
            stmt.idxname.clone()
        };
        let key = QualifiedName::new(schema.clone(), name);
        // A generated name is free by construction; an explicit one is
        // checked against relations and the indexes behind constraints.
        let taken = !stmt.idxname.is_empty() && self.relation_taken(&schema, &key.name, None);
        if taken {
            if stmt.if_not_exists {
                return Ok(());
            }
            return Err(self.error(format!("relation {key} already exists")));
        }
        let predicate = match stmt.where_clause.as_deref() {
            Some(w) => self.canonical_expr(w, columns)?,
            None => None,
        };
        let index = Index {
            table: table_name.clone(),
            unique: stmt.unique,
            method: if stmt.access_method.is_empty() { "btree".into() } else { stmt.access_method.clone() },
            keys,
            include,
            predicate,
            nulls_not_distinct: stmt.nulls_not_distinct,
            with: def_options(&stmt.options),
            tablespace: (!stmt.table_space.is_empty()).then(|| stmt.table_space.clone()),
            only: !rv.inh && self.schema.tables.get(&table_name).is_some_and(|t| t.partition_by.is_some()),
            comment: None,
        };
        self.schema.indexes.insert(key, index.clone());
        if !index.only {
            for child in self.partitions_of(&table_name) {
                self.add_partition_index(&child, index.clone())?;
            }
        }
        Ok(())
    }

    /// `ALTER TABLE` (and `ALTER INDEX ... ATTACH PARTITION`).
    pub(crate) fn alter_table(&mut self, stmt: &AlterTableStmt) -> Result<(), Error> {
        let Some(rv) = stmt.relation.as_ref() else { return Ok(()) };
        let name = self.relation_name(rv);
        match stmt.objtype() {
            ObjectType::ObjectTable | ObjectType::ObjectForeignTable => {}
            ObjectType::ObjectIndex => return self.alter_index(&name, stmt),
            ObjectType::ObjectSequence | ObjectType::ObjectView | ObjectType::ObjectMatview => {
                self.unmanaged(format!("ALTER {}", object_word(stmt.objtype())));
                return Ok(());
            }
            other => {
                self.unmanaged(format!("ALTER {}", object_word(other)));
                return Ok(());
            }
        }
        if !self.schema.tables.contains_key(&name) {
            // ALTER TABLE also works on sequences, views and indexes (pg_dump
            // writes `ALTER TABLE seq OWNER TO ...`); nothing of theirs that
            // it can change is modelled.
            if self.relation_taken_except_constraints(&name) {
                self.unmanaged("ALTER TABLE on a non-table relation");
                return Ok(());
            }
            if stmt.missing_ok {
                return Ok(());
            }
            return Err(self.error(format!("relation {name} does not exist")));
        }
        for cmd in &stmt.cmds {
            if let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node {
                self.alter_table_cmd(&name, cmd, rv.inh)?;
            }
        }
        Ok(())
    }

    fn alter_index(&mut self, name: &QualifiedName, stmt: &AlterTableStmt) -> Result<(), Error> {
        for cmd in &stmt.cmds {
            let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else { continue };
            if cmd.subtype() == AlterTableType::AtAttachPartition {
                if let Some(index) = self.schema.indexes.get_mut(name) {
                    index.only = false;
                }
            } else {
                self.unmanaged("ALTER INDEX");
            }
        }
        Ok(())
    }

    /// Runs `f` on a table and, unless `ONLY` was given, on its partitions.
    fn on_table_and_partitions(
        &mut self,
        name: &QualifiedName,
        recurse: bool,
        f: &mut dyn FnMut(&mut Self, &QualifiedName, &mut Table) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let Some(mut table) = self.schema.tables.remove(name) else {
            return Err(self.error(format!("relation {name} does not exist")));
        };
        let result = f(self, name, &mut table);
        self.schema.tables.insert(name.clone(), table);
        result?;
        if recurse {
            for child in self.children_of(name) {
                self.on_table_and_partitions(&child, true, f)?;
            }
        }
        Ok(())
    }

    fn alter_table_cmd(&mut self, name: &QualifiedName, cmd: &AlterTableCmd, inh: bool) -> Result<(), Error> {
        use AlterTableType as T;
        let column = cmd.name.clone();
        match cmd.subtype() {
            T::AtAddColumn => {
                let Some(NodeEnum::ColumnDef(cd)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else { return Ok(()) };
                let cd = (**cd).clone();
                let missing_ok = cmd.missing_ok;
                self.on_table_and_partitions(name, inh, &mut |r, n, t| {
                    if t.column(&cd.colname).is_some() {
                        if missing_ok {
                            return Ok(());
                        }
                        return Err(r.error(format!("column \"{}\" of relation {n} already exists", cd.colname)));
                    }
                    let mut deferred = Vec::new();
                    r.add_column_def(n, t, &cd, &mut deferred, false)?;
                    for c in &deferred {
                        r.add_table_constraint(n, t, c, None)?;
                    }
                    Ok(())
                })?;
            }
            T::AtColumnDefault => {
                let def = cmd.def.as_deref().cloned();
                self.on_table_and_partitions(name, inh, &mut |r, _, t| {
                    let data_type = r.column_of(t, &column)?.data_type.clone();
                    let value = match &def {
                        Some(d) => r.canonical_default(d, &t.columns, &data_type)?,
                        None => None,
                    };
                    r.column_of(t, &column)?.default = value;
                    Ok(())
                })?;
            }
            T::AtDropNotNull => self.on_table_and_partitions(name, inh, &mut |r, _, t| {
                r.column_of(t, &column)?.not_null = false;
                Ok(())
            })?,
            T::AtSetNotNull => self.on_table_and_partitions(name, inh, &mut |r, _, t| {
                r.column_of(t, &column)?.not_null = true;
                Ok(())
            })?,
            T::AtDropColumn => {
                let missing_ok = cmd.missing_ok;
                self.on_table_and_partitions(name, inh, &mut |r, n, t| {
                    if t.column(&column).is_none() {
                        if missing_ok {
                            return Ok(());
                        }
                        return Err(r.error(format!("column \"{column}\" of relation {n} does not exist")));
                    }
                    t.columns.retain(|c| c.name != column);
                    t.constraints.retain(|_, c| !constraint_uses_column(c, &column));
                    Ok(())
                })?;
                self.schema.indexes.retain(|_, i| !(&i.table == name && index_uses_column(i, &column)));
                self.schema.sequences.retain(|_, s| !s.owned_by.as_ref().is_some_and(|o| &o.table == name && o.column == column));
            }
            T::AtAlterColumnType => {
                let Some(NodeEnum::ColumnDef(cd)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else { return Ok(()) };
                let Some(tn) = cd.type_name.as_ref() else { return Ok(()) };
                let data_type = self.resolve_type(tn).name;
                let collation = cd.coll_clause.as_ref().map(|c| collation_name(&name_parts(&c.collname)));
                self.on_table_and_partitions(name, inh, &mut |r, _, t| {
                    let col = r.column_of(t, &column)?;
                    col.data_type = data_type.clone();
                    col.collation = collation.clone();
                    Ok(())
                })?;
            }
            T::AtAddConstraint => {
                let Some(NodeEnum::Constraint(c)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else { return Ok(()) };
                let c = (**c).clone();
                let mut table = self.schema.tables.remove(name).unwrap_or_default();
                let result = self.add_table_constraint(name, &mut table, &c, Some(!inh));
                let is_check = matches!(c.contype(), ConstrType::ConstrCheck) && !c.is_no_inherit;
                let added = table.constraints.get(result.as_ref().ok().and_then(|n| n.as_deref()).unwrap_or("")).cloned();
                self.schema.tables.insert(name.clone(), table);
                let added_name = result?;
                if inh {
                    if let (Some(constraint), Some(cname)) = (added, added_name) {
                        for child in self.children_of(name) {
                            if is_check {
                                if let Some(t) = self.schema.tables.get_mut(&child) {
                                    t.constraints.entry(cname.clone()).or_insert_with(|| constraint.clone());
                                }
                            } else if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }) {
                                self.add_partition_constraint(&child, constraint.clone());
                            }
                        }
                    }
                }
            }
            T::AtDropConstraint => {
                let missing_ok = cmd.missing_ok;
                let cname = cmd.name.clone();
                let table = self.schema.tables.get_mut(name);
                let removed = table.and_then(|t| t.constraints.remove(&cname));
                if removed.is_none() && !missing_ok {
                    return Err(self.error(format!("constraint \"{cname}\" of relation {name} does not exist")));
                }
                for child in self.children_of(name) {
                    if let Some(t) = self.schema.tables.get_mut(&child) {
                        if matches!(t.constraints.get(&cname), Some(c) if matches!(c.kind, ConstraintKind::Check { .. })) {
                            t.constraints.remove(&cname);
                        }
                    }
                }
            }
            T::AtValidateConstraint => {
                let cname = cmd.name.clone();
                self.on_table_and_partitions(name, inh, &mut |_, _, t| {
                    if let Some(c) = t.constraints.get_mut(&cname) {
                        c.not_valid = false;
                    }
                    Ok(())
                })?;
            }
            T::AtAlterConstraint => {
                let Some(NodeEnum::AtalterConstraint(ac)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else {
                    self.unmanaged("ALTER TABLE ... ALTER CONSTRAINT");
                    return Ok(());
                };
                let (cname, deferrable, deferred) = (ac.conname.clone(), ac.deferrable, ac.initdeferred);
                let table = self.schema.tables.get_mut(name);
                match table.and_then(|t| t.constraints.get_mut(&cname)) {
                    Some(c) => {
                        c.deferrable = deferrable;
                        c.initially_deferred = deferred;
                    }
                    None => return Err(self.error(format!("constraint \"{cname}\" of relation {name} does not exist"))),
                }
            }
            T::AtAddIdentity => {
                let Some(NodeEnum::Constraint(c)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else { return Ok(()) };
                let c = (**c).clone();
                let mut table = self.schema.tables.remove(name).unwrap_or_default();
                let result = (|| {
                    let data_type = self.column_of(&mut table, &column)?.data_type.clone();
                    let identity = self.identity(name, &table, &column, &data_type, c.generated_when == "a", &c.options)?;
                    let col = self.column_of(&mut table, &column)?;
                    col.identity = Some(identity);
                    col.not_null = true;
                    Ok(())
                })();
                self.schema.tables.insert(name.clone(), table);
                result?;
            }
            T::AtSetIdentity => {
                let options: Vec<Node> = match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                    Some(NodeEnum::List(l)) => l.items.clone(),
                    _ => Vec::new(),
                };
                let mut table = self.schema.tables.remove(name).unwrap_or_default();
                let result = (|| {
                    let mut identity = self.column_of(&mut table, &column)?.identity.clone().ok_or_else(|| self.error(format!("column \"{column}\" is not an identity column")))?;
                    let mut rest = Vec::new();
                    for o in &options {
                        if let Some(NodeEnum::DefElem(d)) = &o.node {
                            if d.defname == "generated" {
                                identity.always = d.arg.as_deref().map(def_arg_text).is_some_and(|v| v == "1" || v == "a");
                                continue;
                            }
                        }
                        rest.push(o.clone());
                    }
                    self.apply_sequence_options(&mut identity.options, &rest, false)?;
                    self.column_of(&mut table, &column)?.identity = Some(identity);
                    Ok(())
                })();
                self.schema.tables.insert(name.clone(), table);
                result?;
            }
            T::AtDropIdentity => {
                let missing_ok = cmd.missing_ok;
                self.on_table_and_partitions(name, false, &mut |r, _, t| {
                    let col = r.column_of(t, &column)?;
                    if col.identity.take().is_none() && !missing_ok {
                        return Err(r.error(format!("column \"{column}\" is not an identity column")));
                    }
                    Ok(())
                })?;
            }
            T::AtSetExpression | T::AtDropExpression => {
                let def = cmd.def.as_deref().cloned();
                self.on_table_and_partitions(name, inh, &mut |r, _, t| {
                    let value = match &def {
                        Some(d) => Some(r.required_expr(d, &t.columns)?),
                        None => None,
                    };
                    r.column_of(t, &column)?.generated = value;
                    Ok(())
                })?;
            }
            T::AtEnableRowSecurity | T::AtDisableRowSecurity | T::AtForceRowSecurity | T::AtNoForceRowSecurity | T::AtSetLogged | T::AtSetUnLogged => {
                if let Some(t) = self.schema.tables.get_mut(name) {
                    match cmd.subtype() {
                        T::AtEnableRowSecurity => t.row_security = true,
                        T::AtDisableRowSecurity => t.row_security = false,
                        T::AtForceRowSecurity => t.force_row_security = true,
                        T::AtNoForceRowSecurity => t.force_row_security = false,
                        T::AtSetLogged => t.unlogged = false,
                        _ => t.unlogged = true,
                    }
                }
            }
            T::AtSetRelOptions | T::AtResetRelOptions => {
                let opts: Vec<Node> = match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                    Some(NodeEnum::List(l)) => l.items.clone(),
                    _ => Vec::new(),
                };
                let parsed = def_options(&opts);
                if let Some(t) = self.schema.tables.get_mut(name) {
                    for (k, v) in parsed {
                        if cmd.subtype() == T::AtSetRelOptions {
                            t.options.insert(k, v);
                        } else {
                            t.options.remove(&k);
                        }
                    }
                }
            }
            T::AtAttachPartition => {
                let Some(NodeEnum::PartitionCmd(pc)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else { return Ok(()) };
                let (Some(child_rv), Some(bound)) = (pc.name.as_ref(), pc.bound.as_ref()) else { return Ok(()) };
                let child = self.relation_name(child_rv);
                let bound = self.partition_bound(bound)?;
                let parent_checks: Vec<(String, Constraint)> = self
                    .schema
                    .tables
                    .get(name)
                    .map(|p| p.constraints.iter().filter(|(_, c)| matches!(c.kind, ConstraintKind::Check { no_inherit: false, .. })).map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default();
                let Some(t) = self.schema.tables.get_mut(&child) else {
                    return Err(self.error(format!("relation {child} does not exist")));
                };
                t.partition_of = Some(PartitionOf { parent: name.clone(), bound });
                for (k, c) in parent_checks {
                    if !t.constraints.values().any(|existing| existing.kind == c.kind) {
                        t.constraints.entry(k).or_insert(c);
                    }
                }
                self.note_table(&child);
                self.propagate_to_partition(name, &child)?;
            }
            T::AtDetachPartition => {
                let Some(NodeEnum::PartitionCmd(pc)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else { return Ok(()) };
                if let Some(child_rv) = pc.name.as_ref() {
                    let child = self.relation_name(child_rv);
                    if let Some(t) = self.schema.tables.get_mut(&child) {
                        t.partition_of = None;
                    }
                }
            }
            T::AtEnableTrig | T::AtEnableAlwaysTrig | T::AtEnableReplicaTrig | T::AtDisableTrig => {
                let firing = match cmd.subtype() {
                    T::AtEnableAlwaysTrig => Some("ALWAYS".to_string()),
                    T::AtEnableReplicaTrig => Some("REPLICA".to_string()),
                    T::AtDisableTrig => Some("DISABLED".to_string()),
                    _ => None,
                };
                let err = self.error(format!("trigger \"{}\" for table {name} does not exist", cmd.name));
                let trigger = self.schema.tables.get_mut(name).and_then(|t| t.triggers.get_mut(&cmd.name)).ok_or(err)?;
                trigger.firing = firing;
            }
            T::AtAddInherit | T::AtDropInherit => {
                let Some(NodeEnum::RangeVar(p)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else { return Ok(()) };
                let parent = self.relation_name(p);
                if let Some(t) = self.schema.tables.get_mut(name) {
                    if cmd.subtype() == T::AtAddInherit {
                        t.inherits.push(parent);
                    } else {
                        t.inherits.retain(|x| x != &parent);
                    }
                }
            }
            other => {
                let word = format!("{other:?}");
                let word = word.strip_prefix("At").unwrap_or(&word);
                self.unmanaged(format!("ALTER TABLE {word}"));
            }
        }
        Ok(())
    }

    /// The column `name` of `table`, or an error naming it.
    pub(crate) fn column_of<'t>(&self, table: &'t mut Table, name: &str) -> Result<&'t mut Column, Error> {
        let e = self.error(format!("column \"{name}\" does not exist"));
        table.column_mut(name).ok_or(e)
    }
}

fn node_string(s: &str) -> Node {
    expr::node(NodeEnum::String(protobuf::String { sval: s.to_string() }))
}

/// The `nextval` default of a serial column, in canonical form.
pub(crate) fn nextval_default(seq: &QualifiedName) -> String {
    let text = if seq.schema == "public" { crate::ident::quote_ident(&seq.name) } else { seq.to_string() };
    format!("nextval({})", crate::ident::quote_literal(&text))
}

/// The index column name PostgreSQL derives for an element.
fn index_elem_colname(ie: &IndexElem) -> String {
    if !ie.name.is_empty() {
        return ie.name.clone();
    }
    if !ie.indexcolname.is_empty() {
        return ie.indexcolname.clone();
    }
    ie.expr.as_deref().and_then(expr::figure_colname).unwrap_or_else(|| "expr".to_string())
}

/// The index column name of a modelled key (for propagated child indexes).
fn key_colname(k: &IndexKey) -> String {
    match &k.target {
        IndexTarget::Column(c) => c.clone(),
        IndexTarget::Expression(e) => pg_query::parse(&format!("SELECT {e}"), pg_query::ParserOptions::DEFAULT)
            .ok()
            .and_then(|r| {
                r.protobuf.stmts.first().and_then(|s| s.stmt.as_deref()).and_then(|s| match &s.node {
                    Some(NodeEnum::SelectStmt(sel)) => sel.target_list.first().and_then(|t| match &t.node {
                        Some(NodeEnum::ResTarget(rt)) => rt.val.as_deref().and_then(expr::figure_colname),
                        _ => None,
                    }),
                    _ => None,
                })
            })
            .unwrap_or_else(|| "expr".into()),
    }
}

fn constraint_index(c: &PgConstraint) -> ConstraintIndex {
    ConstraintIndex {
        include: strings(&c.including),
        with: def_options(&c.options),
        tablespace: (!c.indexspace.is_empty()).then(|| c.indexspace.clone()),
    }
}

/// Whether dropping `column` drops the constraint (PostgreSQL drops
/// constraints and indexes that use a dropped column).
fn constraint_uses_column(c: &Constraint, column: &str) -> bool {
    match &c.kind {
        ConstraintKind::Check { expr, .. } => expression_mentions(expr, column),
        ConstraintKind::Exclusion { elements, .. } => elements.iter().any(|e| key_uses_column(&e.key, column)),
        other => other.columns().iter().any(|c| c == column),
    }
}

fn index_uses_column(i: &Index, column: &str) -> bool {
    i.keys.iter().any(|k| key_uses_column(k, column))
        || i.include.iter().any(|c| c == column)
        || i.predicate.as_deref().is_some_and(|p| expression_mentions(p, column))
}

fn key_uses_column(k: &IndexKey, column: &str) -> bool {
    match &k.target {
        IndexTarget::Column(c) => c == column,
        IndexTarget::Expression(e) => expression_mentions(e, column),
    }
}

/// Whether a canonical expression refers to `column`.
fn expression_mentions(expr: &str, column: &str) -> bool {
    pg_query::parse(&format!("SELECT {expr}"), pg_query::ParserOptions::DEFAULT)
        .ok()
        .and_then(|r| r.protobuf.stmts.into_iter().next().and_then(|s| s.stmt))
        .is_some_and(|stmt| expr::referenced_columns(&stmt).iter().any(|c| c == column))
}

/// The default operator class of `data_type` for index `method`, which
/// PostgreSQL does not print (and so neither do we).
fn default_opclass(method: &str, data_type: &str, is_enum: bool) -> Option<&'static str> {
    if data_type.ends_with("[]") {
        return matches!(method, "btree" | "hash" | "gin").then_some("array_ops");
    }
    let base = data_type.split('(').next().unwrap_or(data_type);
    let scalar = match base {
        "smallint" => "int2_ops",
        "integer" => "int4_ops",
        "bigint" => "int8_ops",
        "real" => "float4_ops",
        "double precision" => "float8_ops",
        "numeric" => "numeric_ops",
        "text" | "character varying" => "text_ops",
        "character" => "bpchar_ops",
        "boolean" => "bool_ops",
        "date" => "date_ops",
        "timestamp without time zone" => "timestamp_ops",
        "timestamp with time zone" => "timestamptz_ops",
        "time without time zone" => "time_ops",
        "uuid" => "uuid_ops",
        "bytea" => "bytea_ops",
        "inet" | "cidr" => "inet_ops",
        "interval" => "interval_ops",
        "jsonb" => "jsonb_ops",
        "tsvector" => "tsvector_ops",
        _ if is_enum => "enum_ops",
        _ => return None,
    };
    match method {
        "btree" | "hash" => Some(scalar),
        "gin" => matches!(scalar, "jsonb_ops" | "tsvector_ops").then_some(scalar),
        "gist" => (scalar == "tsvector_ops").then_some(scalar),
        _ => None,
    }
}

/// The SQL word for an object type.
pub(crate) fn object_word(t: ObjectType) -> String {
    let s = format!("{t:?}");
    s.strip_prefix("Object").unwrap_or(&s).to_uppercase()
}

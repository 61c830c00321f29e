//! PostgreSQL rendering.
//!
//! The output follows `pg_dump`'s order, which is what lets partitioned
//! tables, their indexes and constraints load without the server creating
//! objects of its own: types and functions, sequences, tables (columns and
//! CHECKs), partition attachments, owned-by links, primary keys and unique
//! and exclusion constraints, indexes, index attachments, foreign keys,
//! views, triggers, policies, comments, grants, and finally the unmanaged
//! statements, verbatim.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::ident::{quote_ident, quote_literal, QualifiedName};
use crate::model::{
    Column, Constraint, ConstraintIndex, ConstraintKind, Domain, Function, Index, IndexKey, IndexTarget, PartitionStrategy, Schema, Sequence,
    SequenceOptions, Table, TypeKind, View,
};

/// Renders `schema` as PostgreSQL DDL.
pub fn render(schema: &Schema) -> String {
    let mut out = String::new();
    if schema.is_empty() {
        return out;
    }
    if schema.functions.values().any(|f| !f.standard_body) {
        // As pg_dump does: function bodies may refer to tables created later.
        out.push_str("SET check_function_bodies = false;\n\n");
    }
    for (name, ns) in &schema.namespaces {
        if name != "public" {
            let _ = writeln!(out, "CREATE SCHEMA {};", quote_ident(name));
        }
        let _ = ns;
    }
    for (name, ext) in &schema.extensions {
        let _ = write!(out, "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}", quote_ident(name), quote_ident(&ext.schema));
        if let Some(v) = &ext.version {
            let _ = write!(out, " VERSION {}", quote_literal(v));
        }
        out.push_str(";\n");
    }
    render_types(schema, &mut out);
    // Functions come before tables (defaults and checks call them), except
    // those whose signature uses a table's row type, which need the table.
    let (late, early): (Vec<&Function>, Vec<&Function>) = schema.functions.values().partition(|f| uses_row_type(schema, f));
    for f in early {
        render_function(f, &mut out);
    }
    for (name, seq) in &schema.sequences {
        render_sequence(name, seq, &mut out);
    }
    for name in table_order(schema) {
        if let Some(table) = schema.tables.get(&name) {
            render_table(&name, table, &mut out);
        }
    }
    for (name, table) in &schema.tables {
        if let Some(p) = &table.partition_of {
            let _ = writeln!(out, "ALTER TABLE ONLY {} ATTACH PARTITION {name} {};", p.parent, p.bound);
        }
    }
    for (name, seq) in &schema.sequences {
        if let Some(o) = &seq.owned_by {
            let _ = writeln!(out, "ALTER SEQUENCE {name} OWNED BY {}.{};", o.table, quote_ident(&o.column));
        }
    }
    for (name, table) in &schema.tables {
        for (cname, c) in &table.constraints {
            if c.kind.has_index() {
                let _ = writeln!(out, "ALTER TABLE ONLY {name} ADD CONSTRAINT {} {};", quote_ident(cname), constraint_body(c));
            }
        }
    }
    for (name, index) in &schema.indexes {
        render_index(schema, name, index, &mut out);
    }
    render_index_attachments(schema, &mut out);
    for (name, table) in &schema.tables {
        for (cname, c) in &table.constraints {
            let deferred_check = matches!(c.kind, ConstraintKind::Check { .. }) && c.not_valid;
            if matches!(c.kind, ConstraintKind::ForeignKey { .. }) || deferred_check {
                let only = if table.partition_by.is_some() { "" } else { "ONLY " };
                let _ = writeln!(out, "ALTER TABLE {only}{name} ADD CONSTRAINT {} {};", quote_ident(cname), constraint_body(c));
            }
        }
    }
    for f in late {
        render_function(f, &mut out);
    }
    for name in view_order(schema) {
        if let Some(view) = schema.views.get(&name) {
            render_view(&name, view, &mut out);
        }
    }
    for (name, index) in &schema.indexes {
        if schema.views.contains_key(&index.table) {
            render_index_statement(name, index, false, &mut out);
        }
    }
    for (name, table) in &schema.tables {
        render_table_extras(name, table, &mut out);
    }
    render_comments(schema, &mut out);
    for g in &schema.grants {
        out.push_str(&statements::grant(g, false));
    }
    for u in &schema.unmanaged {
        let _ = writeln!(out, "-- unmanaged: {}\n{};", u.kind, u.sql.trim_end().trim_end_matches(';'));
    }
    out
}

/// Statement-level rendering, for callers that emit DDL object by object
/// (the diff). Each function returns complete statements ending in `;\n`.
pub mod statements {
    use super::*;

    /// `CREATE TYPE` for an enum, range or composite type.
    pub fn create_type(name: &QualifiedName, t: &crate::model::TypeDef) -> String {
        let mut schema = Schema::new(crate::Dialect::Postgres);
        schema.types.insert(name.clone(), crate::model::TypeDef { comment: None, ..t.clone() });
        let mut out = String::new();
        render_types(&schema, &mut out);
        out
    }

    /// `CREATE DOMAIN`, with its NOT VALID checks added after.
    pub fn create_domain(name: &QualifiedName, d: &Domain) -> String {
        let mut out = String::new();
        render_domain(name, d, &mut out);
        out
    }

    /// `CREATE FUNCTION` / `CREATE PROCEDURE`; `or_replace` writes `CREATE OR REPLACE`.
    pub fn create_function(f: &Function, or_replace: bool) -> String {
        let mut out = String::new();
        render_function(f, &mut out);
        if or_replace {
            out = out.replacen("CREATE ", "CREATE OR REPLACE ", 1);
        }
        out
    }

    /// `CREATE SEQUENCE`.
    pub fn create_sequence(name: &QualifiedName, seq: &Sequence) -> String {
        let mut out = String::new();
        render_sequence(name, seq, &mut out);
        out
    }

    /// The sequence options clause (`START WITH ... CACHE ...`).
    pub fn sequence_options_sql(o: &SequenceOptions) -> String {
        sequence_options(o)
    }

    /// `CREATE TABLE` with its columns, inline CHECKs, inheritance,
    /// partitioning and storage options.
    pub fn create_table(name: &QualifiedName, t: &Table) -> String {
        let mut out = String::new();
        render_table(name, t, &mut out);
        out
    }

    /// A column definition (`name type [COLLATE] [DEFAULT|GENERATED] [NOT NULL]`).
    pub fn column_definition(c: &Column) -> String {
        column_sql(c)
    }

    /// A DEFAULT expression, parenthesised when the grammar needs it.
    pub fn default_expression(expr: &str) -> String {
        default_expr(expr)
    }

    /// The constraint text after `CONSTRAINT name`.
    pub fn constraint_definition(c: &Constraint) -> String {
        constraint_body(c)
    }

    /// `CREATE INDEX`; `only` writes `ON ONLY` (a partitioned table).
    pub fn create_index(name: &QualifiedName, index: &Index, only: bool) -> String {
        let mut out = String::new();
        render_index_statement(name, index, only, &mut out);
        out
    }

    /// `CREATE VIEW` / `CREATE MATERIALIZED VIEW`.
    pub fn create_view(name: &QualifiedName, v: &View) -> String {
        let mut out = String::new();
        render_view(name, v, &mut out);
        out
    }

    /// `CREATE TRIGGER` (and its enable state).
    pub fn create_trigger(table: &QualifiedName, name: &str, t: &crate::model::Trigger) -> String {
        let mut one = Table::default();
        one.triggers.insert(name.to_string(), crate::model::Trigger { comment: None, ..t.clone() });
        let mut out = String::new();
        render_table_extras(table, &one, &mut out);
        out
    }

    /// `CREATE POLICY`.
    pub fn create_policy(table: &QualifiedName, name: &str, p: &crate::model::Policy) -> String {
        let mut one = Table::default();
        one.policies.insert(name.to_string(), crate::model::Policy { comment: None, ..p.clone() });
        let mut out = String::new();
        render_table_extras(table, &one, &mut out);
        out
    }

    /// `GRANT` (or, with `revoke`, `REVOKE`) of one privilege.
    pub fn grant(g: &crate::model::Grant, revoke: bool) -> String {
        let cols = if g.columns.is_empty() { String::new() } else { format!(" ({})", idents(&g.columns)) };
        let grantee = if g.grantee == "PUBLIC" { "PUBLIC".to_string() } else { quote_ident(&g.grantee) };
        if revoke {
            let option = if g.with_grant_option { "GRANT OPTION FOR " } else { "" };
            format!("REVOKE {option}{}{cols} ON {} {} FROM {grantee};\n", g.privilege, g.object_kind, g.object)
        } else {
            let option = if g.with_grant_option { " WITH GRANT OPTION" } else { "" };
            format!("GRANT {}{cols} ON {} {} TO {grantee}{option};\n", g.privilege, g.object_kind, g.object)
        }
    }

    /// `COMMENT ON what IS 'text'` (or `IS NULL`).
    pub fn comment_on(what: &str, text: Option<&str>) -> String {
        match text {
            Some(t) => format!("COMMENT ON {what} IS {};\n", quote_literal(t)),
            None => format!("COMMENT ON {what} IS NULL;\n"),
        }
    }
}

fn idents(names: &[String]) -> String {
    names.iter().map(|n| quote_ident(n)).collect::<Vec<_>>().join(", ")
}

fn render_types(schema: &Schema, out: &mut String) {
    for (name, t) in &schema.types {
        match &t.kind {
            TypeKind::Enum { labels } => {
                let labels: Vec<String> = labels.iter().map(|l| quote_literal(l)).collect();
                let _ = writeln!(out, "CREATE TYPE {name} AS ENUM ({});", labels.join(", "));
            }
            TypeKind::Range { options } => {
                let opts: Vec<String> = options.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                let _ = writeln!(out, "CREATE TYPE {name} AS RANGE ({});", opts.join(", "));
            }
            TypeKind::Composite { .. } => {}
        }
    }
    for (name, d) in &schema.domains {
        render_domain(name, d, out);
    }
    for (name, t) in &schema.types {
        if let TypeKind::Composite { attributes } = &t.kind {
            let attrs: Vec<String> = attributes
                .iter()
                .map(|a| {
                    let coll = a.collation.as_ref().map(|c| format!(" COLLATE {c}")).unwrap_or_default();
                    format!("{} {}{coll}", quote_ident(&a.name), a.data_type)
                })
                .collect();
            let _ = writeln!(out, "CREATE TYPE {name} AS ({});", attrs.join(", "));
        }
    }
}

fn render_domain(name: &QualifiedName, d: &Domain, out: &mut String) {
    let _ = write!(out, "CREATE DOMAIN {name} AS {}", d.data_type);
    if let Some(c) = &d.collation {
        let _ = write!(out, " COLLATE {c}");
    }
    if let Some(def) = &d.default {
        let _ = write!(out, " DEFAULT {}", default_expr(def));
    }
    if d.not_null {
        out.push_str(" NOT NULL");
    }
    for (cname, check) in d.checks.iter().filter(|(_, c)| !c.not_valid) {
        let _ = write!(out, " CONSTRAINT {} CHECK ({})", quote_ident(cname), check.expr);
    }
    out.push_str(";\n");
    for (cname, check) in d.checks.iter().filter(|(_, c)| c.not_valid) {
        let _ = writeln!(out, "ALTER DOMAIN {name} ADD CONSTRAINT {} CHECK ({}) NOT VALID;", quote_ident(cname), check.expr);
    }
}

/// A dollar-quote tag that does not occur in `body`.
fn dollar_tag(body: &str) -> String {
    let mut tag = "$$".to_string();
    let mut n = 0;
    while body.contains(&tag) {
        tag = format!("${}$", "_".repeat(n + 1));
        n += 1;
    }
    tag
}

fn render_function(f: &Function, out: &mut String) {
    let args: Vec<String> = f
        .args
        .iter()
        .map(|a| {
            let mut s = String::new();
            if !a.mode.is_empty() {
                s.push_str(&a.mode);
                s.push(' ');
            }
            if !a.name.is_empty() {
                s.push_str(&quote_ident(&a.name));
                s.push(' ');
            }
            s.push_str(&a.data_type);
            if let Some(d) = &a.default {
                let _ = write!(s, " DEFAULT {}", default_expr(d));
            }
            s
        })
        .collect();
    let kind = if f.procedure { "PROCEDURE" } else { "FUNCTION" };
    let _ = write!(out, "CREATE {kind} {}({})", f.name, args.join(", "));
    if let Some(r) = &f.returns {
        let _ = write!(out, " RETURNS {r}");
    }
    let _ = write!(out, " LANGUAGE {}", quote_ident(&f.language));
    for o in &f.options {
        let _ = write!(out, " {o}");
    }
    if f.standard_body {
        let _ = writeln!(out, "\n{};", f.body);
    } else {
        let tag = dollar_tag(&f.body);
        let _ = writeln!(out, " AS {tag}{}{tag};", f.body);
    }
}

/// A DEFAULT expression: the grammar only takes a restricted expression
/// there (`DEFAULT now() AT TIME ZONE 'utc'` does not parse), so anything
/// with an operator or keyword goes in parentheses.
fn default_expr(expr: &str) -> String {
    if expr.contains(' ') {
        format!("({expr})")
    } else {
        expr.to_string()
    }
}

/// Whether a function's arguments or result use the row type of a table or
/// view of the schema.
fn uses_row_type(schema: &Schema, f: &Function) -> bool {
    let is_relation = |t: &str| {
        let t = t.strip_prefix("SETOF ").unwrap_or(t).trim_end_matches("[]");
        QualifiedName::parse(t).is_some_and(|q| schema.tables.contains_key(&q) || schema.views.contains_key(&q))
    };
    f.args.iter().any(|a| is_relation(&a.data_type)) || f.returns.as_deref().is_some_and(is_relation)
}

fn sequence_options(o: &SequenceOptions) -> String {
    let mut s = format!(
        "START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {}",
        o.start, o.increment, o.min_value, o.max_value, o.cache
    );
    if o.cycle {
        s.push_str(" CYCLE");
    }
    s
}

fn render_sequence(name: &QualifiedName, seq: &Sequence, out: &mut String) {
    let _ = writeln!(out, "CREATE SEQUENCE {name} AS {} {};", seq.options.data_type, sequence_options(&seq.options));
}

/// Tables with inheritance parents after their parents; otherwise by name.
fn table_order(schema: &Schema) -> Vec<QualifiedName> {
    let mut done: BTreeSet<QualifiedName> = BTreeSet::new();
    let mut order = Vec::with_capacity(schema.tables.len());
    fn visit(name: &QualifiedName, schema: &Schema, done: &mut BTreeSet<QualifiedName>, order: &mut Vec<QualifiedName>) {
        if !done.insert(name.clone()) {
            return;
        }
        if let Some(t) = schema.tables.get(name) {
            for p in &t.inherits {
                visit(p, schema, done, order);
            }
        }
        order.push(name.clone());
    }
    for name in schema.tables.keys() {
        visit(name, schema, &mut done, &mut order);
    }
    order
}

fn column_sql(c: &Column) -> String {
    let mut s = format!("{} {}", quote_ident(&c.name), c.data_type);
    if let Some(coll) = &c.collation {
        let _ = write!(s, " COLLATE {coll}");
    }
    if let Some(g) = &c.generated {
        let _ = write!(s, " GENERATED ALWAYS AS ({g}) STORED");
    } else if let Some(d) = &c.default {
        let _ = write!(s, " DEFAULT {}", default_expr(d));
    }
    if let Some(id) = &c.identity {
        let when = if id.always { "ALWAYS" } else { "BY DEFAULT" };
        let _ = write!(s, " GENERATED {when} AS IDENTITY (SEQUENCE NAME {} {})", id.sequence, sequence_options(&id.options));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
}

fn index_options(index: &ConstraintIndex) -> String {
    let mut s = String::new();
    if !index.include.is_empty() {
        let _ = write!(s, " INCLUDE ({})", idents(&index.include));
    }
    if !index.with.is_empty() {
        let _ = write!(s, " WITH ({})", with_list(&index.with));
    }
    if let Some(ts) = &index.tablespace {
        let _ = write!(s, " USING INDEX TABLESPACE {}", quote_ident(ts));
    }
    s
}

fn with_list(options: &BTreeMap<String, String>) -> String {
    options.iter().map(|(k, v)| format!("{k}={}", option_value(v))).collect::<Vec<_>>().join(", ")
}

fn option_value(v: &str) -> String {
    let plain = !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if plain { v.to_string() } else { quote_literal(v) }
}

pub(crate) fn key_sql(k: &IndexKey) -> String {
    let mut s = match &k.target {
        IndexTarget::Column(c) => quote_ident(c),
        IndexTarget::Expression(e) => format!("({e})"),
    };
    if let Some(c) = &k.collation {
        let _ = write!(s, " COLLATE {c}");
    }
    if let Some(o) = &k.opclass {
        let _ = write!(s, " {o}");
    }
    if k.descending {
        s.push_str(" DESC");
    }
    match k.nulls_first {
        Some(true) => s.push_str(" NULLS FIRST"),
        Some(false) => s.push_str(" NULLS LAST"),
        None => {}
    }
    s
}

/// The text after `CONSTRAINT name`.
pub(crate) fn constraint_body(c: &Constraint) -> String {
    let mut s = match &c.kind {
        ConstraintKind::PrimaryKey { columns, index } => format!("PRIMARY KEY ({}){}", idents(columns), index_options(index)),
        ConstraintKind::Unique { columns, nulls_not_distinct, index } => {
            let nnd = if *nulls_not_distinct { " NULLS NOT DISTINCT" } else { "" };
            format!("UNIQUE{nnd} ({}){}", idents(columns), index_options(index))
        }
        ConstraintKind::Check { expr, no_inherit } => {
            format!("CHECK ({expr}){}", if *no_inherit { " NO INHERIT" } else { "" })
        }
        ConstraintKind::ForeignKey { columns, ref_table, ref_columns, on_update, on_delete, match_full } => {
            let mut s = format!("FOREIGN KEY ({}) REFERENCES {ref_table}({})", idents(columns), idents(ref_columns));
            if *match_full {
                s.push_str(" MATCH FULL");
            }
            if !on_update.is_default() {
                let _ = write!(s, " ON UPDATE {}", on_update.sql());
            }
            if !on_delete.is_default() {
                let _ = write!(s, " ON DELETE {}", on_delete.sql());
            }
            s
        }
        ConstraintKind::Exclusion { method, elements, predicate, index } => {
            let elems: Vec<String> = elements.iter().map(|e| format!("{} WITH {}", key_sql(&e.key), e.operator)).collect();
            let mut s = format!("EXCLUDE USING {} ({}){}", quote_ident(method), elems.join(", "), index_options(index));
            if let Some(p) = predicate {
                let _ = write!(s, " WHERE ({p})");
            }
            s
        }
    };
    if c.deferrable {
        s.push_str(" DEFERRABLE");
    }
    if c.initially_deferred {
        s.push_str(" INITIALLY DEFERRED");
    }
    if c.not_valid {
        s.push_str(" NOT VALID");
    }
    s
}

fn render_table(name: &QualifiedName, t: &Table, out: &mut String) {
    let unlogged = if t.unlogged { "UNLOGGED " } else { "" };
    let mut items: Vec<String> = t.columns.iter().map(column_sql).collect();
    for (cname, c) in &t.constraints {
        if matches!(c.kind, ConstraintKind::Check { .. }) && !c.not_valid {
            items.push(format!("CONSTRAINT {} {}", quote_ident(cname), constraint_body(c)));
        }
    }
    let _ = write!(out, "CREATE {unlogged}TABLE {name} (");
    if items.is_empty() {
        out.push(')');
    } else {
        let _ = write!(out, "\n    {}\n)", items.join(",\n    "));
    }
    if !t.inherits.is_empty() {
        let parents: Vec<String> = t.inherits.iter().map(ToString::to_string).collect();
        let _ = write!(out, " INHERITS ({})", parents.join(", "));
    }
    if let Some(p) = &t.partition_by {
        let strategy = match p.strategy {
            PartitionStrategy::Range => "RANGE",
            PartitionStrategy::List => "LIST",
            PartitionStrategy::Hash => "HASH",
        };
        let keys: Vec<String> = p.keys.iter().map(key_sql).collect();
        let _ = write!(out, " PARTITION BY {strategy} ({})", keys.join(", "));
    }
    if !t.options.is_empty() {
        let _ = write!(out, " WITH ({})", with_list(&t.options));
    }
    out.push_str(";\n");
}

fn render_index(schema: &Schema, name: &QualifiedName, index: &Index, out: &mut String) {
    if schema.views.contains_key(&index.table) {
        return;
    }
    let partitioned = schema.tables.get(&index.table).is_some_and(|t| t.partition_by.is_some());
    render_index_statement(name, index, partitioned, out);
}

fn render_index_statement(name: &QualifiedName, index: &Index, only: bool, out: &mut String) {
    let unique = if index.unique { "UNIQUE " } else { "" };
    let only = if only { "ONLY " } else { "" };
    let keys: Vec<String> = index.keys.iter().map(key_sql).collect();
    let _ = write!(out, "CREATE {unique}INDEX {} ON {only}{} USING {} ({})", quote_ident(&name.name), index.table, quote_ident(&index.method), keys.join(", "));
    if !index.include.is_empty() {
        let _ = write!(out, " INCLUDE ({})", idents(&index.include));
    }
    if index.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    if !index.with.is_empty() {
        let _ = write!(out, " WITH ({})", with_list(&index.with));
    }
    if let Some(ts) = &index.tablespace {
        let _ = write!(out, " TABLESPACE {}", quote_ident(ts));
    }
    if let Some(p) = &index.predicate {
        let _ = write!(out, " WHERE ({p})");
    }
    out.push_str(";\n");
}

/// `ALTER INDEX parent ATTACH PARTITION child` for each partition index that
/// matches an index of its parent table (what PostgreSQL links itself when
/// indexes are created on a partitioned table).
fn render_index_attachments(schema: &Schema, out: &mut String) {
    let mut by_table: BTreeMap<&QualifiedName, Vec<(&QualifiedName, &Index)>> = BTreeMap::new();
    for (name, index) in &schema.indexes {
        by_table.entry(&index.table).or_default().push((name, index));
    }
    for (child_table, table) in &schema.tables {
        let Some(partition) = &table.partition_of else { continue };
        let (Some(parents), Some(children)) = (by_table.get(&partition.parent), by_table.get(child_table)) else { continue };
        for (parent_name, parent) in parents.iter().filter(|(_, p)| !p.only) {
            for (child_name, child) in children {
                let same = child.keys == parent.keys && child.method == parent.method && child.predicate == parent.predicate && child.unique == parent.unique;
                if same {
                    let _ = writeln!(out, "ALTER INDEX {parent_name} ATTACH PARTITION {child_name};");
                }
            }
        }
    }
}

/// Views in dependency order: a view that names another comes after it.
fn view_order(schema: &Schema) -> Vec<QualifiedName> {
    let names: Vec<&QualifiedName> = schema.views.keys().collect();
    let mut done = BTreeSet::new();
    let mut order = Vec::new();
    fn visit<'a>(n: &'a QualifiedName, schema: &'a Schema, names: &[&'a QualifiedName], done: &mut BTreeSet<&'a QualifiedName>, order: &mut Vec<QualifiedName>) {
        if !done.insert(n) {
            return;
        }
        if let Some(v) = schema.views.get(n) {
            for other in names {
                if *other != n && mentions(&v.query, &other.name) {
                    visit(other, schema, names, done, order);
                }
            }
        }
        order.push(n.clone());
    }
    for n in &names {
        visit(n, schema, &names, &mut done, &mut order);
    }
    order
}

/// Whether `name` occurs in `text` as a whole identifier.
fn mentions(text: &str, name: &str) -> bool {
    let quoted = quote_ident(name);
    text.match_indices(quoted.as_str()).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        boundary(before) && boundary(after)
    })
}

fn render_view(name: &QualifiedName, v: &View, out: &mut String) {
    let kind = if v.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
    let _ = write!(out, "CREATE {kind} {name}");
    if !v.columns.is_empty() {
        let _ = write!(out, " ({})", idents(&v.columns));
    }
    let mut options = v.options.clone();
    let check = options.remove("check_option");
    if !options.is_empty() {
        let _ = write!(out, " WITH ({})", with_list(&options));
    }
    let _ = write!(out, " AS {}", v.query);
    if let Some(c) = check {
        let _ = write!(out, " WITH {} CHECK OPTION", c.to_uppercase());
    }
    out.push_str(";\n");
}

fn render_table_extras(name: &QualifiedName, t: &Table, out: &mut String) {
    for (tname, tr) in &t.triggers {
        let constraint = if tr.constraint { "CONSTRAINT " } else { "" };
        let _ = write!(out, "CREATE {constraint}TRIGGER {} {} {} ON {name}", quote_ident(tname), tr.timing, tr.events.join(" OR "));
        if tr.deferrable {
            out.push_str(" DEFERRABLE");
        }
        if tr.initially_deferred {
            out.push_str(" INITIALLY DEFERRED");
        }
        if !tr.referencing.is_empty() {
            let _ = write!(out, " REFERENCING {}", tr.referencing.join(" "));
        }
        let _ = write!(out, " FOR EACH {}", if tr.for_each_row { "ROW" } else { "STATEMENT" });
        if let Some(w) = &tr.when {
            let _ = write!(out, " WHEN ({w})");
        }
        let args: Vec<String> = tr.args.iter().map(|a| quote_literal(a)).collect();
        let _ = writeln!(out, " EXECUTE FUNCTION {}({});", tr.function, args.join(", "));
        match tr.firing.as_deref() {
            Some("DISABLED") => {
                let _ = writeln!(out, "ALTER TABLE {name} DISABLE TRIGGER {};", quote_ident(tname));
            }
            Some(when) => {
                let _ = writeln!(out, "ALTER TABLE {name} ENABLE {when} TRIGGER {};", quote_ident(tname));
            }
            None => {}
        }
    }
    if t.row_security {
        let _ = writeln!(out, "ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;");
    }
    if t.force_row_security {
        let _ = writeln!(out, "ALTER TABLE {name} FORCE ROW LEVEL SECURITY;");
    }
    for (pname, p) in &t.policies {
        let kind = if p.permissive { "PERMISSIVE" } else { "RESTRICTIVE" };
        let roles: Vec<String> = p.roles.iter().map(|r| if r == "public" { "PUBLIC".to_string() } else if r.chars().all(|c| c.is_ascii_uppercase() || c == '_') { r.clone() } else { quote_ident(r) }).collect();
        let _ = write!(out, "CREATE POLICY {} ON {name} AS {kind} FOR {} TO {}", quote_ident(pname), p.command, roles.join(", "));
        if let Some(u) = &p.using {
            let _ = write!(out, " USING ({u})");
        }
        if let Some(w) = &p.with_check {
            let _ = write!(out, " WITH CHECK ({w})");
        }
        out.push_str(";\n");
    }
}

fn comment(out: &mut String, what: &str, text: &Option<String>) {
    if let Some(t) = text {
        let _ = writeln!(out, "COMMENT ON {what} IS {};", quote_literal(t));
    }
}

fn render_comments(schema: &Schema, out: &mut String) {
    for (name, ns) in &schema.namespaces {
        comment(out, &format!("SCHEMA {}", quote_ident(name)), &ns.comment);
    }
    for (name, e) in &schema.extensions {
        comment(out, &format!("EXTENSION {}", quote_ident(name)), &e.comment);
    }
    for (name, t) in &schema.types {
        comment(out, &format!("TYPE {name}"), &t.comment);
    }
    for (name, d) in &schema.domains {
        comment(out, &format!("DOMAIN {name}"), &d.comment);
    }
    for (key, f) in &schema.functions {
        comment(out, &format!("{} {key}", if f.procedure { "PROCEDURE" } else { "FUNCTION" }), &f.comment);
    }
    for (name, s) in &schema.sequences {
        comment(out, &format!("SEQUENCE {name}"), &s.comment);
    }
    for (name, t) in &schema.tables {
        comment(out, &format!("TABLE {name}"), &t.comment);
        for c in &t.columns {
            comment(out, &format!("COLUMN {name}.{}", quote_ident(&c.name)), &c.comment);
        }
        for (cname, c) in &t.constraints {
            comment(out, &format!("CONSTRAINT {} ON {name}", quote_ident(cname)), &c.comment);
        }
        for (tname, tr) in &t.triggers {
            comment(out, &format!("TRIGGER {} ON {name}", quote_ident(tname)), &tr.comment);
        }
        for (pname, p) in &t.policies {
            comment(out, &format!("POLICY {} ON {name}", quote_ident(pname)), &p.comment);
        }
    }
    for (name, i) in &schema.indexes {
        comment(out, &format!("INDEX {name}"), &i.comment);
    }
    for (name, v) in &schema.views {
        let kind = if v.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
        comment(out, &format!("{kind} {name}"), &v.comment);
        for (col, text) in &v.column_comments {
            comment(out, &format!("COLUMN {name}.{}", quote_ident(col)), &Some(text.clone()));
        }
    }
}

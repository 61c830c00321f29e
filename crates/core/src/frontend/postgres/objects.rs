//! Sequences, views, types, domains, extensions, functions, triggers,
//! policies and schemas.

use std::collections::BTreeMap;

use pg_query::protobuf::{self, ConstrType, CreateFunctionStmt, FunctionParameterMode, Node, ObjectType, ResTarget, SelectStmt};
use pg_query::NodeEnum;

use super::expr::{self, ExprContext};
use super::naming::choose_name;
use super::tables::{def_arg_text, def_options, strings};
use super::types::{collation_name, name_parts};
use super::Replay;
use crate::ident::{quote_ident, QualifiedName};
use crate::model::{
    ColumnRef, CompositeAttribute, Domain, DomainCheck, Extension, Function, FunctionArg, Namespace, Policy, Sequence, SequenceOptions,
    Trigger, TypeDef, TypeKind, View,
};
use crate::Error;

fn int_value(n: Option<&Node>) -> Option<i64> {
    let n = n?;
    match &n.node {
        Some(NodeEnum::Integer(i)) => Some(i64::from(i.ival)),
        Some(NodeEnum::Float(f)) => f.fval.parse().ok(),
        Some(NodeEnum::String(s)) => s.sval.parse().ok(),
        _ => None,
    }
}

impl Replay<'_> {
    /// Applies `CREATE/ALTER SEQUENCE` options. Returns the `OWNED BY` target
    /// when given (`Some(None)` for `OWNED BY NONE`).
    pub(crate) fn apply_sequence_options(
        &self,
        opts: &mut SequenceOptions,
        options: &[Node],
        creating: bool,
    ) -> Result<Option<Option<ColumnRef>>, Error> {
        let mut owned_by = None;
        let (mut min, mut max, mut start) = (None, None, None);
        let (mut no_min, mut no_max) = (false, false);
        let old_type = opts.data_type.clone();
        for o in options {
            let Some(NodeEnum::DefElem(d)) = &o.node else { continue };
            let arg = d.arg.as_deref();
            match d.defname.as_str() {
                "as" => {
                    if let Some(NodeEnum::TypeName(tn)) = arg.and_then(|a| a.node.as_ref()) {
                        opts.data_type = self.resolve_type(tn).name;
                    }
                }
                "increment" => opts.increment = int_value(arg).unwrap_or(1),
                "start" => start = int_value(arg),
                "minvalue" => match int_value(arg) {
                    Some(v) => min = Some(v),
                    None => no_min = true,
                },
                "maxvalue" => match int_value(arg) {
                    Some(v) => max = Some(v),
                    None => no_max = true,
                },
                "cache" => opts.cache = int_value(arg).unwrap_or(1),
                "cycle" => opts.cycle = arg.map(def_arg_text).is_none_or(|v| v == "true" || v == "1"),
                "owned_by" => {
                    let parts = match arg.and_then(|a| a.node.as_ref()) {
                        Some(NodeEnum::List(l)) => strings(&l.items),
                        _ => Vec::new(),
                    };
                    owned_by = Some(match parts.as_slice() {
                        [none] if none == "none" => None,
                        [table, column] => Some(ColumnRef { table: QualifiedName::new(self.default_schema.clone(), table.clone()), column: column.clone() }),
                        [schema, table, column] => Some(ColumnRef { table: QualifiedName::new(schema.clone(), table.clone()), column: column.clone() }),
                        _ => return Err(self.error("invalid OWNED BY")),
                    });
                }
                "restart" => {}
                other => return Err(self.error(format!("unrecognized sequence option \"{other}\""))),
            }
        }
        let defaults = SequenceOptions::defaults(&opts.data_type, opts.increment);
        let old_defaults = SequenceOptions::defaults(&old_type, opts.increment);
        if let Some(v) = min {
            opts.min_value = v;
        } else if no_min || creating || opts.min_value == old_defaults.min_value || opts.min_value == SequenceOptions::defaults(&old_type, -opts.increment).min_value {
            opts.min_value = defaults.min_value;
        }
        if let Some(v) = max {
            opts.max_value = v;
        } else if no_max || creating || opts.max_value == old_defaults.max_value || opts.max_value == SequenceOptions::defaults(&old_type, -opts.increment).max_value {
            opts.max_value = defaults.max_value;
        }
        if let Some(v) = start {
            opts.start = v;
        } else if creating {
            opts.start = if opts.increment > 0 { opts.min_value } else { opts.max_value };
        }
        Ok(owned_by)
    }

    /// `CREATE SEQUENCE`.
    pub(crate) fn create_sequence(&mut self, s: &protobuf::CreateSeqStmt) -> Result<(), Error> {
        let Some(rv) = s.sequence.as_ref() else { return Ok(()) };
        if rv.relpersistence == "t" {
            self.unmanaged("CREATE TEMPORARY SEQUENCE");
            return Ok(());
        }
        let name = self.relation_name(rv);
        if self.relation_taken(&name.schema, &name.name, None) {
            if s.if_not_exists {
                return Ok(());
            }
            return Err(self.error(format!("relation {name} already exists")));
        }
        let mut options = SequenceOptions::defaults("bigint", 1);
        let owned_by = self.apply_sequence_options(&mut options, &s.options, true)?.flatten();
        self.schema.sequences.insert(name, Sequence { options, owned_by, comment: None });
        Ok(())
    }

    /// `ALTER SEQUENCE`.
    pub(crate) fn alter_sequence(&mut self, s: &protobuf::AlterSeqStmt) -> Result<(), Error> {
        let Some(rv) = s.sequence.as_ref() else { return Ok(()) };
        let name = self.relation_name(rv);
        let Some(mut seq) = self.schema.sequences.get(&name).cloned() else {
            if s.missing_ok {
                return Ok(());
            }
            return Err(self.error(format!("relation {name} does not exist")));
        };
        if let Some(owned_by) = self.apply_sequence_options(&mut seq.options, &s.options, false)? {
            seq.owned_by = owned_by;
        }
        self.schema.sequences.insert(name, seq);
        Ok(())
    }

    /// Normalises a view query: the expression rules, unqualified column
    /// references and expanded `*` for single-table queries, and explicit
    /// output names where PostgreSQL prints them.
    pub(crate) fn canonical_query(&self, query: &Node) -> Result<String, Error> {
        let mut q = query.clone();
        if let Some(NodeEnum::SelectStmt(s)) = q.node.as_mut() {
            self.simplify_select(s);
        }
        let no_columns = |_: &str| None;
        let ctx = ExprContext { default_schema: "public", column_type: &no_columns };
        expr::normalize(&mut q, &ctx);
        name_targets(&mut q);
        expr::deparse_statement(q).map_err(|m| self.error(format!("cannot print query: {m}")))
    }

    /// For a query over one table: expands `*` and drops table qualifiers.
    fn simplify_select(&self, s: &mut SelectStmt) {
        if let Some(with) = s.with_clause.as_mut() {
            for cte in &mut with.ctes {
                if let Some(NodeEnum::CommonTableExpr(c)) = cte.node.as_mut() {
                    if let Some(NodeEnum::SelectStmt(q)) = c.ctequery.as_mut().and_then(|q| q.node.as_mut()) {
                        self.simplify_select(q);
                    }
                }
            }
        }
        for from in &mut s.from_clause {
            if let Some(NodeEnum::RangeSubselect(sub)) = from.node.as_mut() {
                if let Some(NodeEnum::SelectStmt(q)) = sub.subquery.as_mut().and_then(|q| q.node.as_mut()) {
                    self.simplify_select(q);
                }
            }
        }
        if let Some(l) = s.larg.as_mut() {
            self.simplify_select(l);
        }
        if let Some(r) = s.rarg.as_mut() {
            self.simplify_select(r);
        }
        let [from] = s.from_clause.as_slice() else { return };
        let (qualifier, columns) = match &from.node {
            Some(NodeEnum::RangeVar(rv)) => {
                let table_name = self.relation_name(rv);
                let qualifier = rv.alias.as_ref().map_or_else(|| rv.relname.clone(), |a| a.aliasname.clone());
                let cte_columns = rv.schemaname.is_empty().then(|| cte_output_names(s, &rv.relname)).flatten();
                let columns = cte_columns.or_else(|| self.schema.tables.get(&table_name).map(|t| t.columns.iter().map(|c| c.name.clone()).collect()));
                (qualifier, columns)
            }
            Some(NodeEnum::RangeSubselect(sub)) => {
                let Some(alias) = sub.alias.as_ref() else { return };
                let columns = if alias.colnames.is_empty() {
                    match sub.subquery.as_deref().and_then(|q| q.node.as_ref()) {
                        Some(NodeEnum::SelectStmt(q)) => select_output_names(q),
                        _ => None,
                    }
                } else {
                    Some(strings(&alias.colnames))
                };
                (alias.aliasname.clone(), columns)
            }
            _ => return,
        };
        // GROUP BY an output alias means the aliased expression, unless an
        // input column has that name.
        if let Some(columns) = &columns {
            let aliases: Vec<(String, Node)> = s
                .target_list
                .iter()
                .filter_map(|t| match &t.node {
                    Some(NodeEnum::ResTarget(rt)) if !rt.name.is_empty() => rt.val.as_deref().map(|v| (rt.name.clone(), v.clone())),
                    _ => None,
                })
                .collect();
            for g in &mut s.group_clause {
                let Some(NodeEnum::ColumnRef(c)) = &g.node else { continue };
                let parts = name_parts(&c.fields);
                let [name] = parts.as_slice() else { continue };
                if columns.contains(name) {
                    continue;
                }
                if let Some((_, value)) = aliases.iter().find(|(a, _)| a == name) {
                    *g = value.clone();
                }
            }
        }
        if let Some(columns) = columns {
            let mut targets = Vec::with_capacity(s.target_list.len());
            for t in s.target_list.drain(..) {
                if is_star_target(&t, &qualifier) {
                    for c in &columns {
                        targets.push(column_target(c));
                    }
                } else {
                    targets.push(t);
                }
            }
            s.target_list = targets;
        }
        // Qualifiers are redundant with one table (sub-queries keep theirs).
        let mut strip = |n: &mut Node| {
            if let Some(NodeEnum::ColumnRef(c)) = n.node.as_mut() {
                if c.fields.len() == 2 && name_parts(&c.fields[..1]).first() == Some(&qualifier) && !matches!(c.fields[1].node, Some(NodeEnum::AStar(_))) {
                    c.fields.remove(0);
                }
            }
        };
        for list in [&mut s.target_list, &mut s.group_clause, &mut s.sort_clause, &mut s.distinct_clause] {
            for n in list.iter_mut() {
                expr::walk_mut(n, &mut strip);
            }
        }
        for n in [s.where_clause.as_deref_mut(), s.having_clause.as_deref_mut()].into_iter().flatten() {
            expr::walk_mut(n, &mut strip);
        }
    }

    /// `CREATE [OR REPLACE] VIEW`.
    pub(crate) fn create_view(&mut self, s: &protobuf::ViewStmt) -> Result<(), Error> {
        let Some(rv) = s.view.as_ref() else { return Ok(()) };
        if rv.relpersistence == "t" {
            self.unmanaged("CREATE TEMPORARY VIEW");
            return Ok(());
        }
        let name = self.relation_name(rv);
        if !s.replace && self.relation_taken(&name.schema, &name.name, None) {
            return Err(self.error(format!("relation {name} already exists")));
        }
        let Some(query) = s.query.as_deref() else { return Ok(()) };
        let mut options = def_options(&s.options);
        match s.with_check_option {
            2 => {
                options.insert("check_option".into(), "local".into());
            }
            3 => {
                options.insert("check_option".into(), "cascaded".into());
            }
            _ => {}
        }
        let previous = self.schema.views.get(&name);
        let view = View {
            materialized: false,
            columns: strings(&s.aliases),
            query: self.canonical_query(query)?,
            options,
            comment: previous.and_then(|v| v.comment.clone()),
            column_comments: previous.map(|v| v.column_comments.clone()).unwrap_or_default(),
        };
        self.schema.views.insert(name, view);
        Ok(())
    }

    /// `CREATE MATERIALIZED VIEW` (other `CREATE TABLE AS` are unmanaged).
    pub(crate) fn create_table_as(&mut self, s: &protobuf::CreateTableAsStmt) -> Result<(), Error> {
        if s.objtype() != ObjectType::ObjectMatview {
            self.unmanaged("CREATE TABLE AS");
            return Ok(());
        }
        let Some(into) = s.into.as_ref() else { return Ok(()) };
        let Some(rv) = into.rel.as_ref() else { return Ok(()) };
        let name = self.relation_name(rv);
        if self.relation_taken(&name.schema, &name.name, None) {
            if s.if_not_exists {
                return Ok(());
            }
            return Err(self.error(format!("relation {name} already exists")));
        }
        let Some(query) = s.query.as_deref() else { return Ok(()) };
        let view = View {
            materialized: true,
            columns: strings(&into.col_names),
            query: self.canonical_query(query)?,
            options: def_options(&into.options),
            comment: None,
            column_comments: BTreeMap::new(),
        };
        self.schema.views.insert(name, view);
        Ok(())
    }

    fn new_type_name(&self, names: &[Node]) -> Result<QualifiedName, Error> {
        let name = self.list_name(names);
        if self.schema.types.contains_key(&name) || self.schema.domains.contains_key(&name) || self.schema.tables.contains_key(&name) {
            return Err(self.error(format!("type {name} already exists")));
        }
        Ok(name)
    }

    /// `CREATE TYPE ... AS ENUM`.
    pub(crate) fn create_enum(&mut self, s: &protobuf::CreateEnumStmt) -> Result<(), Error> {
        let name = self.new_type_name(&s.type_name)?;
        self.schema.types.insert(name, TypeDef { kind: TypeKind::Enum { labels: strings(&s.vals) }, comment: None });
        Ok(())
    }

    /// `ALTER TYPE ... ADD VALUE` / `RENAME VALUE`.
    pub(crate) fn alter_enum(&mut self, s: &protobuf::AlterEnumStmt) -> Result<(), Error> {
        let name = self.list_name(&s.type_name);
        let err_missing = self.error(format!("type {name} does not exist"));
        let err_exists = self.error(format!("enum label \"{}\" already exists", s.new_val));
        let err_label = self.error(format!("\"{}\" is not an existing enum label", if s.old_val.is_empty() { &s.new_val_neighbor } else { &s.old_val }));
        let Some(TypeDef { kind: TypeKind::Enum { labels }, .. }) = self.schema.types.get_mut(&name) else { return Err(err_missing) };
        if !s.old_val.is_empty() {
            let Some(label) = labels.iter_mut().find(|l| **l == s.old_val) else { return Err(err_label) };
            *label = s.new_val.clone();
            return Ok(());
        }
        if labels.contains(&s.new_val) {
            return if s.skip_if_new_val_exists { Ok(()) } else { Err(err_exists) };
        }
        let position = if s.new_val_neighbor.is_empty() {
            labels.len()
        } else {
            let Some(i) = labels.iter().position(|l| *l == s.new_val_neighbor) else { return Err(err_label) };
            if s.new_val_is_after { i + 1 } else { i }
        };
        labels.insert(position, s.new_val.clone());
        Ok(())
    }

    /// `CREATE TYPE ... AS (...)`.
    pub(crate) fn create_composite(&mut self, s: &protobuf::CompositeTypeStmt) -> Result<(), Error> {
        let Some(rv) = s.typevar.as_ref() else { return Ok(()) };
        let name = self.relation_name(rv);
        if self.schema.types.contains_key(&name) || self.relation_taken(&name.schema, &name.name, None) {
            return Err(self.error(format!("type {name} already exists")));
        }
        let mut attributes = Vec::new();
        for c in &s.coldeflist {
            let Some(NodeEnum::ColumnDef(cd)) = &c.node else { continue };
            let Some(tn) = cd.type_name.as_ref() else { continue };
            attributes.push(CompositeAttribute {
                name: cd.colname.clone(),
                data_type: self.resolve_type(tn).name,
                collation: cd.coll_clause.as_ref().map(|c| collation_name(&name_parts(&c.collname))),
            });
        }
        self.schema.types.insert(name, TypeDef { kind: TypeKind::Composite { attributes }, comment: None });
        Ok(())
    }

    /// `CREATE TYPE ... AS RANGE`.
    pub(crate) fn create_range(&mut self, s: &protobuf::CreateRangeStmt) -> Result<(), Error> {
        let name = self.new_type_name(&s.type_name)?;
        let mut options = BTreeMap::new();
        for p in &s.params {
            let Some(NodeEnum::DefElem(d)) = &p.node else { continue };
            let value = match d.arg.as_ref().and_then(|a| a.node.as_ref()) {
                Some(NodeEnum::TypeName(tn)) => self.resolve_type(tn).name,
                _ => d.arg.as_deref().map(def_arg_text).unwrap_or_default(),
            };
            options.insert(d.defname.to_lowercase(), value);
        }
        self.schema.types.insert(name, TypeDef { kind: TypeKind::Range { options }, comment: None });
        Ok(())
    }

    /// `CREATE DOMAIN`.
    pub(crate) fn create_domain(&mut self, s: &protobuf::CreateDomainStmt) -> Result<(), Error> {
        let name = self.new_type_name(&s.domainname)?;
        let Some(tn) = s.type_name.as_ref() else { return Ok(()) };
        let mut domain = Domain {
            data_type: self.resolve_type(tn).name,
            collation: s.coll_clause.as_ref().map(|c| collation_name(&name_parts(&c.collname))),
            default: None,
            not_null: false,
            checks: BTreeMap::new(),
            comment: None,
        };
        for c in &s.constraints {
            if let Some(NodeEnum::Constraint(c)) = &c.node {
                self.domain_constraint(&name, &mut domain, c)?;
            }
        }
        self.schema.domains.insert(name, domain);
        Ok(())
    }

    fn domain_constraint(&self, name: &QualifiedName, domain: &mut Domain, c: &protobuf::Constraint) -> Result<(), Error> {
        match c.contype() {
            ConstrType::ConstrNotnull => domain.not_null = true,
            ConstrType::ConstrNull => domain.not_null = false,
            ConstrType::ConstrDefault => {
                domain.default = match c.raw_expr.as_deref() {
                    Some(e) => self.canonical_expr(e, &[])?,
                    None => None,
                }
            }
            ConstrType::ConstrCheck => {
                let Some(e) = c.raw_expr.as_deref() else { return Ok(()) };
                let cname = if c.conname.is_empty() {
                    choose_name(&name.name, None, "check", &|n| domain.checks.contains_key(n) || self.constraint_taken(&name.schema, n, None))
                } else {
                    c.conname.clone()
                };
                let expr = self.required_expr(e, &[])?;
                domain.checks.insert(cname, DomainCheck { expr, not_valid: c.skip_validation });
            }
            _ => return Err(self.error("unsupported domain constraint")),
        }
        Ok(())
    }

    /// `ALTER DOMAIN`.
    pub(crate) fn alter_domain(&mut self, s: &protobuf::AlterDomainStmt) -> Result<(), Error> {
        let name = self.list_name(&s.type_name);
        let Some(mut domain) = self.schema.domains.get(&name).cloned() else {
            return Err(self.error(format!("type {name} does not exist")));
        };
        match s.subtype.as_str() {
            "T" => {
                domain.default = match s.def.as_deref() {
                    Some(e) => self.canonical_expr(e, &[])?,
                    None => None,
                }
            }
            "N" => domain.not_null = false,
            "O" => domain.not_null = true,
            "C" => {
                if let Some(NodeEnum::Constraint(c)) = s.def.as_ref().and_then(|d| d.node.as_ref()) {
                    self.domain_constraint(&name, &mut domain, c)?;
                }
            }
            "X" => {
                if domain.checks.remove(&s.name).is_none() && !s.missing_ok {
                    return Err(self.error(format!("constraint \"{}\" of domain {name} does not exist", s.name)));
                }
            }
            "V" => {
                if let Some(c) = domain.checks.get_mut(&s.name) {
                    c.not_valid = false;
                }
            }
            _ => self.unmanaged("ALTER DOMAIN"),
        }
        self.schema.domains.insert(name, domain);
        Ok(())
    }

    /// `CREATE EXTENSION`.
    pub(crate) fn create_extension(&mut self, s: &protobuf::CreateExtensionStmt) -> Result<(), Error> {
        if self.schema.extensions.contains_key(&s.extname) {
            if s.if_not_exists {
                return Ok(());
            }
            return Err(self.error(format!("extension \"{}\" already exists", s.extname)));
        }
        let opts = def_options(&s.options);
        let extension = Extension {
            schema: opts.get("schema").cloned().unwrap_or_else(|| self.default_schema.clone()),
            version: opts.get("new_version").cloned(),
            comment: None,
        };
        self.schema.extensions.insert(s.extname.clone(), extension);
        Ok(())
    }

    /// The signature key of a function: `schema.name(type, ...)` over its
    /// input arguments.
    pub(crate) fn function_key(name: &QualifiedName, arg_types: &[String]) -> String {
        format!("{name}({})", arg_types.join(", "))
    }

    /// `CREATE [OR REPLACE] FUNCTION | PROCEDURE`.
    pub(crate) fn create_function(&mut self, s: &CreateFunctionStmt) -> Result<(), Error> {
        let name = self.list_name(&s.funcname);
        let mut args = Vec::new();
        let mut table_columns = Vec::new();
        for p in &s.parameters {
            let Some(NodeEnum::FunctionParameter(fp)) = &p.node else { continue };
            let Some(tn) = fp.arg_type.as_ref() else { continue };
            let data_type = self.resolve_type(tn).name;
            let mode = match fp.mode() {
                FunctionParameterMode::FuncParamOut => "OUT",
                FunctionParameterMode::FuncParamInout => "INOUT",
                FunctionParameterMode::FuncParamVariadic => "VARIADIC",
                FunctionParameterMode::FuncParamTable => {
                    table_columns.push(format!("{} {data_type}", quote_ident(&fp.name)));
                    continue;
                }
                _ => "",
            };
            let default = match fp.defexpr.as_deref() {
                Some(e) => self.canonical_expr(e, &[])?,
                None => None,
            };
            args.push(FunctionArg { mode: mode.to_string(), name: fp.name.clone(), data_type, default });
        }
        let returns = if !table_columns.is_empty() {
            Some(format!("TABLE({})", table_columns.join(", ")))
        } else {
            s.return_type.as_ref().map(|tn| {
                let t = self.resolve_type(tn).name;
                if tn.setof { format!("SETOF {t}") } else { t }
            })
        };
        let mut language = "sql".to_string();
        let mut body = None;
        let mut options = Vec::new();
        let mut cost = None;
        for o in &s.options {
            let Some(NodeEnum::DefElem(d)) = &o.node else { continue };
            let arg = d.arg.as_deref();
            let text = arg.map(def_arg_text).unwrap_or_default();
            match d.defname.as_str() {
                "as" => {
                    let parts = match arg.and_then(|a| a.node.as_ref()) {
                        Some(NodeEnum::List(l)) => strings(&l.items),
                        _ => vec![text.clone()],
                    };
                    match parts.as_slice() {
                        [src] => body = Some(src.clone()),
                        _ => {
                            self.unmanaged("CREATE FUNCTION with an object file");
                            return Ok(());
                        }
                    }
                }
                "language" => language = text.to_lowercase(),
                "volatility" if text != "volatile" => options.push(text.to_uppercase()),
                "strict" if text == "true" => options.push("STRICT".into()),
                "security" if text == "true" => options.push("SECURITY DEFINER".into()),
                "leakproof" if text == "true" => options.push("LEAKPROOF".into()),
                "window" if text == "true" => options.push("WINDOW".into()),
                "parallel" if text != "unsafe" => options.push(format!("PARALLEL {}", text.to_uppercase())),
                "cost" => cost = text.parse::<f64>().ok(),
                "rows" if text != "1000" && text != "0" => options.push(format!("ROWS {text}")),
                "support" => options.push(format!("SUPPORT {text}")),
                "set" => {
                    if let Some(NodeEnum::VariableSetStmt(v)) = arg.and_then(|a| a.node.as_ref()) {
                        let values: Vec<String> = v.args.iter().map(def_arg_text).collect();
                        options.push(format!("SET {} TO {}", v.name.to_lowercase(), values.iter().map(|x| crate::ident::quote_literal(x)).collect::<Vec<_>>().join(", ")));
                    }
                }
                _ => {}
            }
        }
        let default_cost = if matches!(language.as_str(), "c" | "internal") { 1.0 } else { 100.0 };
        if let Some(c) = cost.filter(|c| (*c - default_cost).abs() > f64::EPSILON) {
            options.push(format!("COST {c}"));
        }
        options.sort();
        let standard_body = body.is_none();
        let body = match (body, s.sql_body.as_deref()) {
            (Some(b), _) => b,
            (None, Some(sql_body)) => self.sql_body(sql_body)?,
            (None, None) => return Err(self.error("function body is missing")),
        };
        let input_types: Vec<String> = args.iter().filter(|a| a.mode != "OUT").map(|a| a.data_type.clone()).collect();
        let key = Self::function_key(&name, &input_types);
        let previous = self.schema.functions.get(&key);
        if previous.is_some() && !s.replace {
            return Err(self.error(format!("function {key} already exists with same argument types")));
        }
        let comment = previous.and_then(|f| f.comment.clone());
        let function = Function { name, procedure: s.is_procedure, args, returns, language, body, standard_body, options, comment };
        self.schema.functions.insert(key, function);
        Ok(())
    }

    /// A SQL-standard body (`RETURN expr` or `BEGIN ATOMIC ... END`).
    fn sql_body(&self, body: &Node) -> Result<String, Error> {
        let no_columns = |_: &str| None;
        let ctx = ExprContext { default_schema: "public", column_type: &no_columns };
        let mut b = body.clone();
        expr::normalize(&mut b, &ctx);
        match &b.node {
            Some(NodeEnum::ReturnStmt(r)) => {
                let e = r.returnval.as_deref().cloned().unwrap_or_default();
                Ok(format!("RETURN {}", expr::deparse_expr(e).map_err(|m| self.error(m))?))
            }
            Some(NodeEnum::List(l)) => {
                let mut parts = Vec::new();
                for item in &l.items {
                    let items = match &item.node {
                        Some(NodeEnum::List(inner)) => inner.items.clone(),
                        _ => vec![item.clone()],
                    };
                    for stmt in items {
                        parts.push(expr::deparse_statement(stmt).map_err(|m| self.error(m))?);
                    }
                }
                Ok(format!("BEGIN ATOMIC\n{};\nEND", parts.join(";\n")))
            }
            _ => expr::deparse_statement(b).map_err(|m| self.error(m)),
        }
    }

    /// `CREATE TRIGGER`.
    pub(crate) fn create_trigger(&mut self, s: &protobuf::CreateTrigStmt) -> Result<(), Error> {
        let Some(rv) = s.relation.as_ref() else { return Ok(()) };
        let table_name = self.relation_name(rv);
        let columns = match self.schema.tables.get(&table_name) {
            Some(t) => t.columns.clone(),
            None if self.schema.views.contains_key(&table_name) => {
                self.unmanaged("CREATE TRIGGER on a view");
                return Ok(());
            }
            None => return Err(self.error(format!("relation {table_name} does not exist"))),
        };
        const BEFORE: i32 = 1 << 1;
        const INSERT: i32 = 1 << 2;
        const DELETE: i32 = 1 << 3;
        const UPDATE: i32 = 1 << 4;
        const TRUNCATE: i32 = 1 << 5;
        const INSTEAD: i32 = 1 << 6;
        let timing = if s.timing & INSTEAD != 0 {
            "INSTEAD OF"
        } else if s.timing & BEFORE != 0 {
            "BEFORE"
        } else {
            "AFTER"
        };
        let mut events = Vec::new();
        if s.events & INSERT != 0 {
            events.push("INSERT".to_string());
        }
        if s.events & DELETE != 0 {
            events.push("DELETE".to_string());
        }
        if s.events & UPDATE != 0 {
            let cols = strings(&s.columns);
            events.push(if cols.is_empty() { "UPDATE".to_string() } else { format!("UPDATE OF {}", cols.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ")) });
        }
        if s.events & TRUNCATE != 0 {
            events.push("TRUNCATE".to_string());
        }
        let when = match s.when_clause.as_deref() {
            Some(w) => self.canonical_expr(w, &columns)?,
            None => None,
        };
        let referencing = s
            .transition_rels
            .iter()
            .filter_map(|t| match &t.node {
                Some(NodeEnum::TriggerTransition(tt)) => {
                    Some(format!("{} TABLE AS {}", if tt.is_new { "NEW" } else { "OLD" }, quote_ident(&tt.name)))
                }
                _ => None,
            })
            .collect();
        let trigger = Trigger {
            timing: timing.to_string(),
            events,
            for_each_row: s.row,
            when,
            function: self.list_name(&s.funcname),
            args: strings(&s.args),
            constraint: s.isconstraint,
            deferrable: s.deferrable,
            initially_deferred: s.initdeferred,
            referencing,
            firing: None,
            comment: None,
        };
        let Some(table) = self.schema.tables.get_mut(&table_name) else { return Ok(()) };
        if table.triggers.contains_key(&s.trigname) && !s.replace {
            return Err(self.error(format!("trigger \"{}\" for relation {table_name} already exists", s.trigname)));
        }
        table.triggers.insert(s.trigname.clone(), trigger);
        Ok(())
    }

    fn role_names(roles: &[Node]) -> Vec<String> {
        let mut out: Vec<String> = roles
            .iter()
            .filter_map(|r| match &r.node {
                Some(NodeEnum::RoleSpec(rs)) => Some(role_name(rs)),
                _ => None,
            })
            .collect();
        out.sort();
        out.dedup();
        if out.is_empty() {
            out.push("public".into());
        }
        out
    }

    /// `CREATE POLICY`.
    pub(crate) fn create_policy(&mut self, s: &protobuf::CreatePolicyStmt) -> Result<(), Error> {
        let Some(rv) = s.table.as_ref() else { return Ok(()) };
        let table_name = self.relation_name(rv);
        let Some(columns) = self.schema.tables.get(&table_name).map(|t| t.columns.clone()) else {
            return Err(self.error(format!("relation {table_name} does not exist")));
        };
        let using = match s.qual.as_deref() {
            Some(e) => self.canonical_expr(e, &columns)?,
            None => None,
        };
        let with_check = match s.with_check.as_deref() {
            Some(e) => self.canonical_expr(e, &columns)?,
            None => None,
        };
        let policy = Policy {
            permissive: s.permissive,
            command: s.cmd_name.to_uppercase(),
            roles: Self::role_names(&s.roles),
            using,
            with_check,
            comment: None,
        };
        let err = self.error(format!("policy \"{}\" for table {table_name} already exists", s.policy_name));
        let Some(table) = self.schema.tables.get_mut(&table_name) else { return Ok(()) };
        if table.policies.contains_key(&s.policy_name) {
            return Err(err);
        }
        table.policies.insert(s.policy_name.clone(), policy);
        Ok(())
    }

    /// `ALTER POLICY`.
    pub(crate) fn alter_policy(&mut self, s: &protobuf::AlterPolicyStmt) -> Result<(), Error> {
        let Some(rv) = s.table.as_ref() else { return Ok(()) };
        let table_name = self.relation_name(rv);
        let Some(columns) = self.schema.tables.get(&table_name).map(|t| t.columns.clone()) else {
            return Err(self.error(format!("relation {table_name} does not exist")));
        };
        let using = s.qual.as_deref().map(|e| self.canonical_expr(e, &columns)).transpose()?;
        let with_check = s.with_check.as_deref().map(|e| self.canonical_expr(e, &columns)).transpose()?;
        let err = self.error(format!("policy \"{}\" for table {table_name} does not exist", s.policy_name));
        let policy = self.schema.tables.get_mut(&table_name).and_then(|t| t.policies.get_mut(&s.policy_name)).ok_or(err)?;
        if !s.roles.is_empty() {
            policy.roles = Self::role_names(&s.roles);
        }
        if let Some(u) = using {
            policy.using = u;
        }
        if let Some(w) = with_check {
            policy.with_check = w;
        }
        Ok(())
    }

    /// `CREATE SCHEMA [name] [elements...]`.
    pub(crate) fn create_schema(&mut self, s: &protobuf::CreateSchemaStmt) -> Result<(), Error> {
        let name = if s.schemaname.is_empty() { s.authrole.as_ref().map(role_name).unwrap_or_default() } else { s.schemaname.clone() };
        if self.schema.namespaces.contains_key(&name) || name == "public" {
            if !s.if_not_exists {
                return Err(self.error(format!("schema \"{name}\" already exists")));
            }
        } else {
            self.schema.namespaces.insert(name.clone(), Namespace::default());
        }
        let saved = std::mem::replace(&mut self.default_schema, name);
        let mut result = Ok(());
        for elt in &s.schema_elts {
            result = self.statement(elt);
            if result.is_err() {
                break;
            }
        }
        self.default_schema = saved;
        result
    }
}

/// A role's name, or `public`.
pub(crate) fn role_name(rs: &protobuf::RoleSpec) -> String {
    match rs.roletype() {
        protobuf::RoleSpecType::RolespecPublic => "public".into(),
        protobuf::RoleSpecType::RolespecCurrentUser => "CURRENT_USER".into(),
        protobuf::RoleSpecType::RolespecSessionUser => "SESSION_USER".into(),
        protobuf::RoleSpecType::RolespecCurrentRole => "CURRENT_ROLE".into(),
        _ => rs.rolename.clone(),
    }
}

/// The output column names of the CTE called `name` in `s`'s WITH clause.
fn cte_output_names(s: &SelectStmt, name: &str) -> Option<Vec<String>> {
    let with = s.with_clause.as_ref()?;
    with.ctes.iter().find_map(|cte| match &cte.node {
        Some(NodeEnum::CommonTableExpr(c)) if c.ctename == name => {
            if !c.aliascolnames.is_empty() {
                return Some(strings(&c.aliascolnames));
            }
            match c.ctequery.as_deref().and_then(|q| q.node.as_ref()) {
                Some(NodeEnum::SelectStmt(q)) => select_output_names(q),
                _ => None,
            }
        }
        _ => None,
    })
}

/// The output column names of a query (the left arm's, for set operations),
/// when all of them can be told without a catalog.
fn select_output_names(q: &SelectStmt) -> Option<Vec<String>> {
    if let Some(l) = q.larg.as_deref() {
        return select_output_names(l);
    }
    q.target_list
        .iter()
        .map(|t| match &t.node {
            Some(NodeEnum::ResTarget(rt)) if !rt.name.is_empty() => Some(rt.name.clone()),
            Some(NodeEnum::ResTarget(rt)) => rt.val.as_deref().filter(|v| !is_star_value(v)).and_then(expr::figure_colname),
            _ => None,
        })
        .collect()
}

fn is_star_value(v: &Node) -> bool {
    matches!(&v.node, Some(NodeEnum::ColumnRef(c)) if c.fields.iter().any(|f| matches!(f.node, Some(NodeEnum::AStar(_)))))
}

fn is_star_target(t: &Node, qualifier: &str) -> bool {
    let Some(NodeEnum::ResTarget(rt)) = &t.node else { return false };
    let Some(NodeEnum::ColumnRef(c)) = rt.val.as_ref().and_then(|v| v.node.as_ref()) else { return false };
    match c.fields.as_slice() {
        [star] => matches!(star.node, Some(NodeEnum::AStar(_))),
        [q, star] => matches!(star.node, Some(NodeEnum::AStar(_))) && name_parts(std::slice::from_ref(q)).first().is_some_and(|n| n == qualifier),
        _ => false,
    }
}

fn column_target(name: &str) -> Node {
    let col = expr::node(NodeEnum::ColumnRef(protobuf::ColumnRef {
        fields: vec![expr::node(NodeEnum::String(protobuf::String { sval: name.to_string() }))],
        location: 0,
    }));
    expr::node(NodeEnum::ResTarget(Box::new(ResTarget { val: Some(Box::new(col)), ..Default::default() })))
}

/// Gives every output column of a view the name PostgreSQL prints: an
/// explicit `AS name` unless the value is a column of that name.
fn name_targets(q: &mut Node) {
    let Some(NodeEnum::SelectStmt(s)) = q.node.as_mut() else { return };
    fn name_select(s: &mut SelectStmt) {
        if let Some(l) = s.larg.as_mut() {
            name_select(l);
        }
        for t in &mut s.target_list {
            let Some(NodeEnum::ResTarget(rt)) = t.node.as_mut() else { continue };
            let Some(val) = rt.val.as_deref() else { continue };
            if matches!(&val.node, Some(NodeEnum::ColumnRef(c)) if c.fields.iter().any(|f| matches!(f.node, Some(NodeEnum::AStar(_))))) {
                continue;
            }
            let figured = expr::figure_colname(val).unwrap_or_else(|| "?column?".to_string());
            let name = if rt.name.is_empty() { figured.clone() } else { rt.name.clone() };
            let is_same_column = matches!(&val.node, Some(NodeEnum::ColumnRef(_))) && figured == name;
            rt.name = if is_same_column { String::new() } else { name };
        }
    }
    name_select(s);
}

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use pg_query::protobuf::{AlterTableType, ConstrType, Constraint, CreateStmt, ObjectType};
use pg_query::NodeEnum;
use regex::Regex;

use super::{alter_table_cmds, cmd_def, column_constraints, Checker, FileEnd, Token, STATEMENT};
use crate::config::anchored;
use crate::{NamingPolicy, DEFAULT_NAME_PATTERN};

declare_rule! {
    /// ## What it does
    /// Checks the names of the tables, views, columns, indexes and
    /// constraints the migration creates or renames to against the naming
    /// policy: regular expressions per kind of object (`[naming]` in
    /// `astrola.toml`) that must match the whole name. By default tables
    /// and columns must be lower snake case (`[a-z_][a-z0-9_]*`, names that
    /// never need quoting) and indexes and constraints are not checked;
    /// set `index` or `constraint` to check them. Names are compared as
    /// PostgreSQL stores them: unquoted names are folded to lower case
    /// first. A pattern that is not a valid regular expression is reported
    /// once, at the top of the file.
    ///
    /// ## Why is this bad?
    /// A name with capitals or spaces must be quoted, exactly as created,
    /// in every query that uses it: `"UserAccounts"` and `UserAccounts` are
    /// different names. Mixed conventions make names hard to guess, and
    /// teams that agree on index and constraint names (`index_<table>_on_
    /// <columns>`, `fk_<...>`) find them by name in incidents.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE "UserAccounts" ("userId" bigint);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE user_accounts (user_id bigint);
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the other statements and the code that use the name would
    /// have to change with it.
    pub(crate) RULE = { id: "naming-convention", category: SchemaDesign, severity: Info, check: check, finish: finish }
}

/// What kind of object a name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Table,
    Column,
    Index,
    Constraint,
}

impl Kind {
    fn title(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Column => "column",
            Self::Index => "index",
            Self::Constraint => "constraint",
        }
    }

    fn pattern(self, policy: &NamingPolicy) -> Option<&str> {
        match self {
            Self::Table => policy.table.as_deref(),
            Self::Column => policy.column.as_deref(),
            Self::Index => policy.index.as_deref(),
            Self::Constraint => policy.constraint.as_deref(),
        }
    }
}

const KINDS: [Kind; 4] = [Kind::Table, Kind::Column, Kind::Index, Kind::Constraint];

/// Compiled patterns, by pattern text (`None` for one that does not
/// compile): each pattern is compiled once per process, not per statement.
fn compiled(pattern: &str) -> Option<Regex> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(regex) = cache.get(pattern) {
        return regex.clone();
    }
    // Library users can pass any patterns; keep the cache small.
    if cache.len() >= 64 {
        cache.clear();
    }
    let regex = Regex::new(&anchored(pattern)).ok();
    cache.insert(pattern.to_string(), regex.clone());
    regex
}

/// A name the statement creates: its kind, the name, and where to look for
/// it in the text (a parser location, or [`STATEMENT`]).
type Named = (Kind, String, i32);

fn check(checker: &mut Checker<'_>) {
    let named = names(checker.node);
    if named.is_empty() {
        return;
    }
    let policy = &checker.options.naming;
    let regexes: Vec<(Kind, String, Regex)> = KINDS.iter().filter_map(|&k| k.pattern(policy).and_then(|p| Some((k, p.to_string(), compiled(p)?)))).collect();
    let mut tokens: Option<Vec<Token<'_>>> = None;
    let mut reports = Vec::new();
    for (kind, name, location) in named {
        let Some((_, pattern, regex)) = regexes.iter().find(|(k, _, _)| *k == kind) else { continue };
        if name.is_empty() || regex.is_match(&name) {
            continue;
        }
        let tokens = tokens.get_or_insert_with(|| checker.tokens());
        let from = usize::try_from(location).map_or(checker.range.0, |l| checker.base + l);
        let at = name_token(tokens, &name, from).or_else(|| name_token(tokens, &name, checker.range.0));
        let help = if pattern == DEFAULT_NAME_PATTERN {
            let suggestion = snake_case(&name);
            if regex.is_match(&suggestion) { format!("use lower snake case, such as {suggestion}") } else { "use lower snake case: letters, digits and underscores, not starting with a digit".to_string() }
        } else {
            format!("rename it to match {pattern}")
        };
        reports.push((at, format!("{} name {name} does not match the naming pattern {pattern}", kind.title()), help));
    }
    for (at, message, help) in reports {
        match at {
            Some((start, end)) => checker.report_at(&RULE, start, end, message, Some(help)),
            None => checker.report(&RULE, STATEMENT, message, help),
        };
    }
}

/// Reports each pattern that does not compile, once per file.
fn finish(end: &mut FileEnd<'_>) {
    for kind in KINDS {
        let Some(pattern) = kind.pattern(&end.options.naming) else { continue };
        if compiled(pattern).is_none() {
            let message = format!("the {} naming pattern {pattern} is not a valid regular expression; {} names are not checked", kind.title(), kind.title());
            end.report(&RULE, (0, 0), message, "fix the pattern in [naming] of astrola.toml".to_string());
        }
    }
}

/// The names a statement creates.
fn names(node: &NodeEnum) -> Vec<Named> {
    let mut out = Vec::new();
    match node {
        NodeEnum::CreateStmt(s) => create_table(s, &mut out),
        NodeEnum::CreateForeignTableStmt(s) => {
            if let Some(base) = &s.base_stmt {
                create_table(base, &mut out);
            }
        }
        NodeEnum::ViewStmt(s) => {
            if let Some(rv) = &s.view {
                out.push((Kind::Table, rv.relname.clone(), rv.location));
            }
        }
        NodeEnum::CreateTableAsStmt(s) => {
            if let Some(rv) = s.into.as_ref().and_then(|i| i.rel.as_ref()) {
                out.push((Kind::Table, rv.relname.clone(), rv.location));
            }
        }
        NodeEnum::IndexStmt(s) if !s.idxname.is_empty() => out.push((Kind::Index, s.idxname.clone(), STATEMENT)),
        NodeEnum::AlterTableStmt(s) => {
            for cmd in alter_table_cmds(s) {
                match (cmd.subtype(), cmd_def(cmd)) {
                    (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(c))) => {
                        out.push((Kind::Column, c.colname.clone(), c.location));
                        out.extend(column_constraints(c).filter_map(constraint_name));
                    }
                    (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(c))) => out.extend(constraint_name(c)),
                    _ => {}
                }
            }
        }
        NodeEnum::RenameStmt(s) => {
            let kind = match s.rename_type() {
                ObjectType::ObjectTable | ObjectType::ObjectView | ObjectType::ObjectMatview | ObjectType::ObjectForeignTable => Kind::Table,
                ObjectType::ObjectColumn => Kind::Column,
                ObjectType::ObjectIndex => Kind::Index,
                ObjectType::ObjectTabconstraint => Kind::Constraint,
                _ => return out,
            };
            out.push((kind, s.newname.clone(), STATEMENT));
        }
        _ => {}
    }
    out
}

fn create_table(s: &CreateStmt, out: &mut Vec<Named>) {
    if let Some(rv) = &s.relation {
        out.push((Kind::Table, rv.relname.clone(), rv.location));
    }
    for element in &s.table_elts {
        match &element.node {
            Some(NodeEnum::ColumnDef(c)) => {
                out.push((Kind::Column, c.colname.clone(), c.location));
                out.extend(column_constraints(c).filter_map(constraint_name));
            }
            Some(NodeEnum::Constraint(c)) => out.extend(constraint_name(c)),
            _ => {}
        }
    }
}

/// A constraint's name, when it is given (NOT NULL and DEFAULT are not
/// named constraints in PostgreSQL's catalog before 18; they are skipped).
fn constraint_name(c: &Constraint) -> Option<Named> {
    let kept = matches!(c.contype(), ConstrType::ConstrPrimary | ConstrType::ConstrUnique | ConstrType::ConstrCheck | ConstrType::ConstrForeign | ConstrType::ConstrExclusion);
    (kept && !c.conname.is_empty()).then(|| (Kind::Constraint, c.conname.clone(), c.location))
}

/// The file range of the first token at or after `from` that names `name`
/// (an unquoted word folded to lower case, or a quoted identifier).
fn name_token(tokens: &[Token<'_>], name: &str, from: usize) -> Option<(usize, usize)> {
    tokens.iter().filter(|t| t.start >= from).find(|t| identifier(t.text).is_some_and(|i| i == name)).map(|t| (t.start, t.end))
}

/// The name a token spells, if it is an identifier or keyword.
fn identifier(text: &str) -> Option<String> {
    if let Some(quoted) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return Some(quoted.replace("\"\"", "\""));
    }
    let first = text.chars().next()?;
    (first.is_alphabetic() || first == '_').then(|| text.to_lowercase())
}

/// `UserAccounts` -> `user_accounts`, `Order Items` -> `order_items`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.extend(c.to_lowercase());
            previous_lower = false;
        } else if c.is_alphanumeric() {
            out.push(c);
            previous_lower = c.is_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('_') {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    out
}

//! The rules: one module per rule, named after its id, and the registry.
//!
//! A rule is declared with [`declare_rule!`]: its doc comment (in the
//! sections What it does / Why is this bad? / Example / Use instead / Fix
//! safety) is both its rustdoc and its published documentation.

use astrola_core::span::LineIndex;
use pg_query::protobuf::{AlterTableCmd, AlterTableStmt, ColumnDef, ConstrType, Constraint, Node, TypeName};
use pg_query::NodeEnum;
use serde::Serialize;

use crate::context::Context;
use crate::{Diagnostic, LintOptions, Severity};

/// Declares a rule: `NAME = { id, category, severity, check }`, with the
/// doc comment kept as the rule's documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis $name:ident = { id: $id:literal, category: $category:ident, severity: $severity:ident, check: $check:path $(,)? }
    ) => {
        $(#[doc = $doc])*
        $vis const $name: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
            id: $id,
            category: $crate::rules::Category::$category,
            severity: $crate::Severity::$severity,
            doc: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}

mod add_check_without_not_valid;
mod add_column_volatile_default;
mod add_foreign_key_without_not_valid;
mod add_required_column;
mod add_unique_constraint;
mod change_column_type;
mod concurrently_in_transaction;
mod create_index_non_concurrently;
mod drop_column;
mod drop_index_non_concurrently;
mod drop_schema;
mod drop_table;
mod identifier_too_long;
mod prefer_bigint_over_int;
mod prefer_identity_over_serial;
mod prefer_text_over_varchar;
mod prefer_timestamptz;
mod rename_column;
mod rename_table;
mod set_not_null;
pub(crate) mod syntax_error;
mod truncate;
pub(crate) mod unknown_suppression;
pub(crate) mod unused_suppression;

/// Every rule, grouped by category.
static RULES: &[RuleInfo] = &[
    create_index_non_concurrently::RULE,
    drop_index_non_concurrently::RULE,
    add_foreign_key_without_not_valid::RULE,
    add_check_without_not_valid::RULE,
    add_unique_constraint::RULE,
    set_not_null::RULE,
    add_required_column::RULE,
    add_column_volatile_default::RULE,
    change_column_type::RULE,
    concurrently_in_transaction::RULE,
    drop_table::RULE,
    drop_column::RULE,
    drop_schema::RULE,
    truncate::RULE,
    rename_table::RULE,
    rename_column::RULE,
    prefer_bigint_over_int::RULE,
    prefer_text_over_varchar::RULE,
    prefer_timestamptz::RULE,
    prefer_identity_over_serial::RULE,
    identifier_too_long::RULE,
    syntax_error::RULE,
    unknown_suppression::RULE,
    unused_suppression::RULE,
];

/// Every rule the linter knows.
pub fn rules() -> &'static [RuleInfo] {
    RULES
}

/// What kind of hazard a rule catches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Deletes data.
    DataLoss,
    /// Breaks code that runs against the schema while it changes.
    BackwardIncompatible,
    /// Fails when the table already holds rows that break the new rule.
    FailsOnExistingData,
    /// Holds a lock that blocks reads or writes for a long time.
    Locking,
    /// Rewrites the whole table.
    Rewrite,
    /// Misuses transactions.
    Transaction,
    /// Fails when run twice.
    Idempotency,
    /// A design choice that tends to hurt later.
    SchemaDesign,
    /// The SQL does not parse.
    Syntax,
    /// The linter's own settings in the file: suppressions.
    Configuration,
}

impl Category {
    /// The name in the documentation ("Data loss").
    pub fn title(self) -> &'static str {
        match self {
            Self::DataLoss => "Data loss",
            Self::BackwardIncompatible => "Backward incompatible",
            Self::FailsOnExistingData => "Fails on existing data",
            Self::Locking => "Locking",
            Self::Rewrite => "Table rewrite",
            Self::Transaction => "Transaction",
            Self::Idempotency => "Idempotency",
            Self::SchemaDesign => "Schema design",
            Self::Syntax => "Syntax",
            Self::Configuration => "Configuration",
        }
    }
}

/// The rule reference (`docs/rules.md`): a table of every rule by
/// category, then each rule's documentation.
///
/// ```
/// let doc = astrola_lint::rules_markdown();
/// assert!(doc.contains("| [`drop-table`](#drop-table) | Data loss | warning |"));
/// assert!(doc.contains("\n### drop-table\n"));
/// ```
pub fn rules_markdown() -> String {
    let mut sorted: Vec<&RuleInfo> = rules().iter().collect();
    sorted.sort_by_key(|r| r.category);
    let mut out = String::from("<!-- Generated from the rules' doc comments by `UPDATE_RULES_DOC=1 cargo test -p astrola-lint --test rules_doc`. Do not edit. -->\n\n");
    out.push_str("# Lint rules\n\n");
    out.push_str(&format!("`astrola lint` has {} rules. Suppress a rule for one statement with `-- astrola-ignore rule-id[, rule-id ...]` on the line(s) directly before it or at the end of its first line, or for the whole file with `-- astrola-ignore-file rule-id[, ...]`.\n\n", sorted.len()));
    out.push_str("| Rule | Category | Default severity |\n|------|----------|------------------|\n");
    for rule in &sorted {
        out.push_str(&format!("| [`{id}`](#{id}) | {} | {} |\n", rule.category.title(), rule.severity, id = rule.id));
    }
    let mut category = None;
    for rule in &sorted {
        if category != Some(rule.category) {
            category = Some(rule.category);
            out.push_str(&format!("\n## {}\n", rule.category.title()));
        }
        out.push_str(&format!("\n### {}\n\nCategory: {}. Default severity: {}.\n\n", rule.id, rule.category.title(), rule.severity));
        let mut fenced = false;
        for line in rule.documentation().trim_end().lines() {
            if line.starts_with("```") {
                fenced = !fenced;
            }
            if !fenced && line.starts_with('#') {
                out.push_str("##");
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A rule's metadata and its check.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// The kebab-case id, also the name of its fixture.
    pub id: &'static str,
    /// What kind of hazard it catches.
    pub category: Category,
    /// The severity of its findings.
    pub severity: Severity,
    /// Its documentation (Markdown, one space of indent from the doc comment).
    pub doc: &'static str,
    pub(crate) check: fn(&mut Checker<'_>),
}

impl RuleInfo {
    /// The documentation as Markdown, without the doc comment's indent.
    pub fn documentation(&self) -> String {
        self.doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n")
    }
}

/// A location the parser did not give: the diagnostic covers the statement.
pub(crate) const STATEMENT: i32 = -1;

/// One statement under check, with what rules need to look at it and report.
pub(crate) struct Checker<'a> {
    /// The statement's parse tree.
    pub(crate) node: &'a NodeEnum,
    /// The migration before this statement.
    pub(crate) context: &'a Context,
    /// The options of the run.
    pub(crate) options: &'a LintOptions,
    /// The whole file.
    pub(crate) source: &'a str,
    /// The statement's byte range in `source`.
    pub(crate) range: (usize, usize),
    /// The offset in `source` that the parser's locations count from.
    pub(crate) base: usize,
    pub(crate) file: &'a str,
    pub(crate) lines: &'a LineIndex,
    pub(crate) diagnostics: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    /// The statement as written.
    pub(crate) fn text(&self) -> &str {
        self.source.get(self.range.0..self.range.1).unwrap_or_default()
    }

    /// Reports a finding of `rule` at the parser's `location` (or
    /// [`STATEMENT`]).
    pub(crate) fn report(&mut self, rule: &RuleInfo, location: i32, message: impl Into<String>, help: impl Into<String>) {
        let (start, end) = match usize::try_from(location) {
            Ok(offset) if self.base + offset < self.range.1 => {
                let start = self.base + offset;
                (start, token_end(self.source, start).min(self.range.1))
            }
            _ => self.range,
        };
        self.report_at(rule, start, end, message.into(), Some(help.into()));
    }

    /// Reports a finding of `rule` on the byte range `start..end` of the file.
    pub(crate) fn report_at(&mut self, rule: &RuleInfo, start: usize, end: usize, message: String, help: Option<String>) {
        self.diagnostics.push(Diagnostic {
            rule: rule.id,
            severity: rule.severity,
            message,
            span: self.lines.span(self.file, self.source, start, end),
            statement: self.text().to_string(),
            help,
        });
    }
}

/// The end of the name starting at `start`: words and quoted identifiers
/// joined by dots (`app.events`), or a run of word characters; at least one
/// character.
fn token_end(source: &str, start: usize) -> usize {
    let mut end = start;
    loop {
        let rest = source.get(end..).unwrap_or_default();
        let part = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
            Some(_) => rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(rest.len()),
            None => 0,
        };
        end += part;
        if part == 0 || !source[end..].starts_with('.') {
            break;
        }
        end += 1;
    }
    if end == start {
        source.get(start..).and_then(|r| r.chars().next()).map_or(start, |c| start + c.len_utf8())
    } else {
        end
    }
}

/// The commands of an `ALTER TABLE`.
pub(crate) fn alter_table_cmds(stmt: &AlterTableStmt) -> impl Iterator<Item = &AlterTableCmd> {
    stmt.cmds.iter().filter_map(|c| match &c.node {
        Some(NodeEnum::AlterTableCmd(cmd)) => Some(cmd.as_ref()),
        _ => None,
    })
}

/// The node a command defines (`ADD COLUMN`'s column, `ADD CONSTRAINT`'s constraint).
pub(crate) fn cmd_def(cmd: &AlterTableCmd) -> Option<&NodeEnum> {
    cmd.def.as_deref().and_then(|d| d.node.as_ref())
}

/// The constraints declared on a column.
pub(crate) fn column_constraints(column: &ColumnDef) -> impl Iterator<Item = &Constraint> {
    column.constraints.iter().filter_map(|c| match &c.node {
        Some(NodeEnum::Constraint(c)) => Some(c.as_ref()),
        _ => None,
    })
}

/// Whether the column declares a constraint of this type.
pub(crate) fn has_constraint(column: &ColumnDef, contype: ConstrType) -> bool {
    column_constraints(column).any(|c| c.contype() == contype)
}

/// The columns a statement declares or retypes, with their names:
/// `CREATE TABLE`'s columns, `ADD COLUMN` and `ALTER COLUMN ... TYPE`.
pub(crate) fn declared_columns(node: &NodeEnum) -> Vec<(&str, &ColumnDef)> {
    match node {
        NodeEnum::CreateStmt(s) => s
            .table_elts
            .iter()
            .filter_map(|e| match &e.node {
                Some(NodeEnum::ColumnDef(c)) => Some((c.colname.as_str(), c.as_ref())),
                _ => None,
            })
            .collect(),
        NodeEnum::AlterTableStmt(s) => alter_table_cmds(s)
            .filter_map(|cmd| match cmd_def(cmd) {
                // `ALTER COLUMN ... TYPE` names the column in the command.
                Some(NodeEnum::ColumnDef(c)) => Some((if c.colname.is_empty() { cmd.name.as_str() } else { c.colname.as_str() }, c.as_ref())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The name of a type as the parser spells it, without `pg_catalog`:
/// `int4` for `integer`, `varchar` for `character varying`.
pub(crate) fn type_name(tn: &TypeName) -> &str {
    match tn.names.last().and_then(|n| n.node.as_ref()) {
        Some(NodeEnum::String(s)) => s.sval.as_str(),
        _ => "",
    }
}

/// The serial pseudo-types, which create a sequence and a `nextval` default.
pub(crate) fn is_serial(tn: &TypeName) -> bool {
    matches!(type_name(tn), "serial" | "serial4" | "serial2" | "smallserial" | "bigserial" | "serial8")
}

/// The name a `Node::String` holds, or "".
pub(crate) fn string_value(node: &Node) -> &str {
    match &node.node {
        Some(NodeEnum::String(s)) => &s.sval,
        _ => "",
    }
}

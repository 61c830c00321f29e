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
/// doc comment kept as the rule's documentation. Optional, in this order:
/// `default_enabled: false` for a rule that runs only when switched on, and
/// `finish: path` for a check that runs once at the end of the file.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis $name:ident = { id: $id:literal, category: $category:ident, severity: $severity:ident, check: $check:path $(, default_enabled: $enabled:literal)? $(, finish: $finish:path)? $(,)? }
    ) => {
        $(#[doc = $doc])*
        $vis const $name: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
            id: $id,
            category: $crate::rules::Category::$category,
            severity: $crate::Severity::$severity,
            doc: concat!($($doc, "\n"),*),
            default_enabled: true $(&& $enabled)?,
            check: $check,
            finish: optional_finish!($($finish)?),
        };
    };
}

/// `None`, or `Some(path)` for a rule's end-of-file check.
macro_rules! optional_finish {
    () => {
        None
    };
    ($finish:path) => {
        Some($finish)
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

// Batch A
mod add_exclusion_constraint;
mod add_stored_generated_column;
mod change_column_collation;
mod create_trigger;
mod detach_partition_non_concurrently;
mod missing_lock_timeout;
mod missing_statement_timeout;
mod nested_transaction;
mod primary_key_on_nullable_column;
mod refresh_materialized_view_non_concurrently;
mod reindex_non_concurrently;
mod set_access_method;
mod set_logged_unlogged;
mod statements_after_access_exclusive;
mod unbatched_update;
mod unfinished_transaction;
mod vacuum_full_or_cluster;
mod validate_constraint_in_same_transaction;
// End of Batch A

// Batch B
mod drop_database;
mod drop_foreign_key;
mod drop_not_null;
mod duplicate_index;
mod foreign_key_without_index;
mod naming_convention;
mod prefer_jsonb_over_json;
mod prefer_text_over_char;
mod redundant_index;
mod require_if_exists;
mod require_if_not_exists;
mod table_without_primary_key;
// End of Batch B

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
    // Batch A
    reindex_non_concurrently::RULE,
    detach_partition_non_concurrently::RULE,
    validate_constraint_in_same_transaction::RULE,
    primary_key_on_nullable_column::RULE,
    add_exclusion_constraint::RULE,
    create_trigger::RULE,
    refresh_materialized_view_non_concurrently::RULE,
    unbatched_update::RULE,
    statements_after_access_exclusive::RULE,
    missing_lock_timeout::RULE,
    change_column_collation::RULE,
    add_stored_generated_column::RULE,
    set_logged_unlogged::RULE,
    set_access_method::RULE,
    vacuum_full_or_cluster::RULE,
    nested_transaction::RULE,
    unfinished_transaction::RULE,
    missing_statement_timeout::RULE,
    // End of Batch A
    // Batch B
    drop_database::RULE,
    drop_foreign_key::RULE,
    drop_not_null::RULE,
    require_if_not_exists::RULE,
    require_if_exists::RULE,
    prefer_jsonb_over_json::RULE,
    prefer_text_over_char::RULE,
    table_without_primary_key::RULE,
    foreign_key_without_index::RULE,
    duplicate_index::RULE,
    redundant_index::RULE,
    naming_convention::RULE,
    // End of Batch B
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
    /// Whether it runs unless switched off; the rest run only when a
    /// configuration switches them on.
    pub default_enabled: bool,
    pub(crate) check: fn(&mut Checker<'_>),
    pub(crate) finish: Option<fn(&mut FileEnd<'_>)>,
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
    /// [`STATEMENT`]). The diagnostic comes back to add a table, a fix or
    /// a validation query to.
    pub(crate) fn report(&mut self, rule: &RuleInfo, location: i32, message: impl Into<String>, help: impl Into<String>) -> &mut Diagnostic {
        let (start, end) = self.location(location);
        self.report_at(rule, start, end, message.into(), Some(help.into()))
    }

    /// The file byte range of the parser's `location` (the name there), or
    /// the statement's for [`STATEMENT`].
    pub(crate) fn location(&self, location: i32) -> (usize, usize) {
        match usize::try_from(location) {
            Ok(offset) if self.base + offset < self.range.1 => {
                let start = self.base + offset;
                (start, token_end(self.source, start).min(self.range.1))
            }
            _ => self.range,
        }
    }

    /// Reports a finding of `rule` on the byte range `start..end` of the file.
    pub(crate) fn report_at(&mut self, rule: &RuleInfo, start: usize, end: usize, message: String, help: Option<String>) -> &mut Diagnostic {
        let diagnostic = Diagnostic::new(rule, message, self.lines.span(self.file, self.source, start, end), self.text().to_string(), help);
        self.diagnostics.push(diagnostic);
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// The statement's tokens, as file byte ranges with their text.
    pub(crate) fn tokens(&self) -> Vec<Token<'_>> {
        tokens(self.source, self.range)
    }

    /// The file byte range of the first run of keywords `words` (compared
    /// case-insensitively, outside strings and comments), or `None`.
    pub(crate) fn find_keywords(&self, words: &[&str]) -> Option<(usize, usize)> {
        find_keywords(&self.tokens(), words)
    }

    /// Whether the statement runs inside a transaction block.
    pub(crate) fn in_transaction(&self) -> bool {
        self.context.in_transaction()
    }
}

/// One token of a statement, as PostgreSQL's scanner splits it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'s> {
    /// File byte range.
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The text as written.
    pub(crate) text: &'s str,
    /// A keyword or a plain identifier (not a string, a number, an operator or a quoted name).
    pub(crate) word: bool,
}

/// The tokens of `source[range]`.
pub(crate) fn tokens(source: &str, range: (usize, usize)) -> Vec<Token<'_>> {
    let Some(text) = source.get(range.0..range.1) else { return Vec::new() };
    let Ok(scan) = pg_query::scan(text) else { return Vec::new() };
    scan.tokens
        .iter()
        .filter_map(|t| {
            let (start, end) = (usize::try_from(t.start).ok()?, usize::try_from(t.end).ok()?);
            let word_text = text.get(start..end)?;
            let keyword = t.keyword_kind != 0;
            let ident = t.token == pg_query::protobuf::Token::Ident as i32 && !word_text.starts_with('"');
            if t.token == pg_query::protobuf::Token::SqlComment as i32 || t.token == pg_query::protobuf::Token::CComment as i32 {
                return None;
            }
            Some(Token { start: range.0 + start, end: range.0 + end, text: word_text, word: keyword || ident })
        })
        .collect()
}

/// The file byte range of the first run of `words` among `tokens`.
pub(crate) fn find_keywords(tokens: &[Token<'_>], words: &[&str]) -> Option<(usize, usize)> {
    if words.is_empty() {
        return None;
    }
    tokens.windows(words.len()).find(|w| w.iter().zip(words).all(|(t, word)| t.word && t.text.eq_ignore_ascii_case(word))).map(|w| (w[0].start, w[words.len() - 1].end))
}

/// The end of the file after the last statement: what rules that look at
/// the whole migration see.
pub(crate) struct FileEnd<'a> {
    /// The migration's state after its last statement.
    pub(crate) context: &'a crate::context::Context,
    /// The options of the run.
    pub(crate) options: &'a LintOptions,
    /// The whole file.
    pub(crate) source: &'a str,
    pub(crate) file: &'a str,
    pub(crate) lines: &'a LineIndex,
    pub(crate) diagnostics: &'a mut Vec<Diagnostic>,
}

impl FileEnd<'_> {
    /// Reports a finding of `rule` on the statement at `range`.
    pub(crate) fn report(&mut self, rule: &RuleInfo, range: (usize, usize), message: String, help: String) -> &mut Diagnostic {
        let statement = self.source.get(range.0..range.1).unwrap_or_default().to_string();
        self.diagnostics.push(Diagnostic::new(rule, message, self.lines.span(self.file, self.source, range.0, range.1), statement, Some(help)));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
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

/// The fix that adds a constraint `NOT VALID` and validates it in a second
/// statement, for an `ALTER TABLE` whose only command adds the named
/// constraint `c`. Safe outside a transaction block (the validation then
/// runs in its own transaction, under SHARE UPDATE EXCLUSIVE); unsafe
/// inside one, where the ADD's ACCESS EXCLUSIVE lock is still held.
pub(crate) fn not_valid_then_validate(checker: &Checker<'_>, stmt: &AlterTableStmt, c: &Constraint) -> Option<crate::Fix> {
    let table = stmt.relation.as_ref()?;
    if stmt.cmds.len() != 1 || c.conname.is_empty() {
        return None;
    }
    let applicability = if checker.in_transaction() { crate::Applicability::Unsafe } else { crate::Applicability::Safe };
    let validate = format!(" NOT VALID;\nALTER TABLE {} VALIDATE CONSTRAINT {}", crate::validation::table_sql(table), astrola_core::ident::quote_ident(&c.conname));
    let end = checker.range.1;
    Some(crate::Fix::new("add the constraint NOT VALID, then VALIDATE it in its own statement", applicability, crate::Edit { start: end, end, replacement: validate }))
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

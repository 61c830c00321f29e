//! The PostgreSQL frontend.
//!
//! Statements are split by the server's own scanner, parsed in parallel by
//! the server's own grammar (`pg_query`), and replayed in order into the
//! [`Schema`]. Expressions are normalised through pg_query's deparser (see
//! [`expr`]), type names as `format_type` prints them (see [`types`]), and
//! unnamed objects get the names the server would choose (see [`naming`]).

pub mod boundaries;
mod catalog;
mod expr;
mod naming;
mod objects;
mod tables;
mod types;

use pg_query::protobuf::{Node, RangeVar};
use pg_query::NodeEnum;
use rayon::prelude::*;

use crate::ident::QualifiedName;
use crate::model::UnmanagedStatement;
use crate::span::LineIndex;
use crate::{Error, Schema, Span, Warning};

/// Statements shorter than this are parsed on the calling thread: spreading
/// a handful of statements over threads costs more than it saves.
const PARALLEL_THRESHOLD: usize = 64;

/// Replays PostgreSQL DDL on `schema`.
pub fn apply(schema: &mut Schema, sql: &str, file: &str, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    let cleaned = blank_psql_meta_commands(sql);
    let ranges = split(&cleaned, file)?;
    let parse_chunk = |chunk: &[(usize, usize)]| -> Vec<Result<Vec<Node>, Error>> {
        parse_together(&cleaned, chunk)
            .unwrap_or_else(|| chunk.iter().map(|&(start, end)| parse_statement(&cleaned, sql, file, start, end)).collect())
    };
    let lines = LineIndex::new(sql);
    let mut replay = Replay { schema, warnings, sql, span: Span::default(), default_schema: "public".to_string(), derived: std::cell::RefCell::new(None) };
    let mut replay_chunk = |chunk: &[(usize, usize)], parsed: &[Result<Vec<Node>, Error>]| -> Result<(), Error> {
        for (&(start, end), statements) in chunk.iter().zip(parsed) {
            replay.span = lines.span(file, sql, start, end);
            for stmt in statements.as_ref().map_err(Clone::clone)? {
                replay.statement(stmt)?;
            }
        }
        Ok(())
    };
    if ranges.len() < PARALLEL_THRESHOLD {
        return replay_chunk(&ranges, &parse_chunk(&ranges));
    }
    // Pipeline: rayon parses chunks in parallel while this thread replays
    // the finished ones in order, so replay overlaps with parsing.
    let chunks: Vec<&[(usize, usize)]> = ranges.chunks(PARALLEL_THRESHOLD).collect();
    let (senders, receivers): (Vec<_>, Vec<_>) = chunks.iter().map(|_| std::sync::mpsc::sync_channel(1)).unzip();
    // Freeing the parse trees is left to another thread too.
    let (graveyard, graves) = std::sync::mpsc::channel::<Vec<Result<Vec<Node>, Error>>>();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            chunks.par_iter().zip(senders).for_each(|(chunk, tx)| {
                // The receiver is gone only when replay stopped at an error.
                let _ = tx.send(parse_chunk(chunk));
            });
        });
        scope.spawn(move || graves.into_iter().for_each(drop));
        for (chunk, rx) in chunks.iter().zip(receivers) {
            let parsed = rx.recv().map_err(|_| Error::Unsupported("the parser thread stopped unexpectedly".into()))?;
            replay_chunk(chunk, &parsed)?;
            // The dropping thread only ends when this sender is dropped.
            let _ = graveyard.send(parsed);
        }
        drop(graveyard);
        Ok(())
    })
}

/// Prints a parsed expression (a CHECK's condition, an index expression)
/// as SQL, with pg_query's deparser.
///
/// ```
/// let parsed = pg_query::parse("SELECT 1 WHERE price > 0", pg_query::ParserOptions::DEFAULT).unwrap();
/// let pg_query::NodeEnum::SelectStmt(select) = parsed.protobuf.stmts[0].stmt.as_deref().unwrap().node.as_ref().unwrap() else { panic!() };
/// let condition = select.where_clause.as_deref().unwrap();
/// assert_eq!(astrola_core::frontend::postgres::deparse_expression(condition).unwrap(), "price > 0");
/// ```
pub fn deparse_expression(expr: &Node) -> Result<String, String> {
    expr::deparse_expr(expr.clone())
}

/// A parsed type as the model (and `format_type`) spells it:
/// `character varying(255)`, `timestamp(3) with time zone`, `public.mood[]`.
/// An unqualified name that is not a built-in type is taken to be in
/// `public`.
pub fn format_type_name(tn: &pg_query::protobuf::TypeName) -> String {
    types::resolve(tn, &|_| "public".to_string()).name
}

/// Replays statements that the caller parsed itself, one at a time, on a
/// schema it owns: for tools that walk a migration statement by statement
/// and want the schema as it stands before each one (the linter).
///
/// ```
/// use astrola_core::frontend::postgres::StatementReplayer;
/// use astrola_core::{Dialect, Schema, Span};
///
/// let mut replayer = StatementReplayer::new(Schema::new(Dialect::Postgres));
/// let sql = "CREATE TABLE t (id int)";
/// let parsed = pg_query::parse(sql, pg_query::ParserOptions::DEFAULT).unwrap();
/// let node = parsed.protobuf.stmts[0].stmt.as_deref().unwrap();
/// replayer.apply(node, sql, Span::default()).unwrap();
/// assert!(replayer.schema().tables.keys().any(|name| name.name == "t"));
/// ```
#[derive(Debug)]
pub struct StatementReplayer {
    schema: Schema,
    default_schema: String,
    derived: Option<DerivedNames>,
}

impl StatementReplayer {
    /// A replayer starting from `schema`.
    pub fn new(schema: Schema) -> Self {
        Self { schema, default_schema: "public".to_string(), derived: None }
    }

    /// The schema after the statements replayed so far.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The schema after the statements replayed so far, by value.
    pub fn into_schema(self) -> Schema {
        self.schema
    }

    /// The schema unqualified names resolve to (`search_path`'s first entry).
    pub fn default_schema(&self) -> &str {
        &self.default_schema
    }

    /// Replays one parsed statement. `span` is where it is in `source` (the
    /// whole file): errors and unmanaged statements quote that text.
    /// Statements the model does not represent are kept as unmanaged; the
    /// error is the one [`apply`] would give.
    pub fn apply(&mut self, stmt: &Node, source: &str, span: Span) -> Result<(), Error> {
        let mut warnings = Vec::new();
        let default_schema = std::mem::take(&mut self.default_schema);
        let mut replay = Replay { schema: &mut self.schema, warnings: &mut warnings, sql: source, span, default_schema, derived: std::cell::RefCell::new(self.derived.take()) };
        let result = replay.statement(stmt);
        self.default_schema = replay.default_schema;
        self.derived = replay.derived.into_inner();
        result
    }
}

/// The byte ranges of the statements in `sql`, as PostgreSQL's own scanner
/// splits them, without leading whitespace and comments; psql meta-command
/// lines (`\restrict ...`) count as whitespace. Text the scanner cannot place
/// (after an unbalanced parenthesis, say) becomes one final range, so no
/// statement is lost. Fails only on a NUL byte or input the scanner rejects.
pub fn statement_ranges(sql: &str, file: &str) -> Result<Vec<(usize, usize)>, Error> {
    split(&blank_psql_meta_commands(sql), file)
}

/// Replaces psql meta-commands (lines starting with a backslash, such as the
/// `\restrict` lines recent `pg_dump` writes) with spaces, keeping offsets.
fn blank_psql_meta_commands(sql: &str) -> std::borrow::Cow<'_, str> {
    if !sql.lines().any(|l| l.starts_with('\\')) {
        return std::borrow::Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    for line in sql.split_inclusive('\n') {
        if line.starts_with('\\') {
            for c in line.chars() {
                if c == '\n' {
                    out.push('\n');
                } else {
                    // One space per byte keeps every later offset where it was.
                    out.extend(std::iter::repeat_n(' ', c.len_utf8()));
                }
            }
        } else {
            out.push_str(line);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The byte ranges of the statements in `sql`, without leading whitespace and
/// comments.
fn split(sql: &str, file: &str) -> Result<Vec<(usize, usize)>, Error> {
    if let Some(nul) = sql.find('\0') {
        return Err(Error::Parse {
            message: "the input contains a NUL byte".into(),
            span: Span::locate(file, sql, nul, nul + 1),
            statement: String::new(),
        });
    }
    let pieces = pg_query::split_with_scanner(sql).map_err(|e| Error::Parse {
        message: e.to_string(),
        span: Span::locate(file, sql, 0, sql.len()),
        statement: String::new(),
    })?;
    let base = sql.as_ptr() as usize;
    let mut ranges = Vec::with_capacity(pieces.len());
    let mut covered = 0;
    for piece in pieces {
        let start = piece.as_ptr() as usize - base;
        let end = start + piece.len();
        // The scanner drops text it cannot place, such as a statement with
        // an unbalanced parenthesis and everything after it. Nothing may be
        // lost: from the first such byte on, the rest of the input is one
        // range, which then parses (as several statements) or fails with
        // its location.
        if let Some(lost) = first_statement_byte(sql, covered, start) {
            ranges.push((lost, sql.len()));
            return Ok(ranges);
        }
        let skip = leading_trivia(piece);
        if start + skip < end {
            ranges.push((start + skip, end));
        }
        covered = end;
    }
    if let Some(lost) = first_statement_byte(sql, covered, sql.len()) {
        ranges.push((lost, sql.len()));
    }
    Ok(ranges)
}

/// The offset of the first byte of `sql[from..to]` that is not whitespace, a
/// comment or a semicolon: text between the scanner's statements that
/// belongs to none of them.
fn first_statement_byte(sql: &str, from: usize, to: usize) -> Option<usize> {
    let gap = sql.get(from..to)?;
    let mut i = 0;
    loop {
        i += leading_trivia(&gap[i..]);
        match gap.as_bytes().get(i) {
            Some(b';') => i += 1,
            Some(_) => return Some(from + i),
            None => return None,
        }
    }
}

/// The length of the whitespace and comments at the start of `text`.
fn leading_trivia(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes[i..].starts_with(b"--") {
            i = text[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
        } else if bytes[i..].starts_with(b"/*") {
            let mut depth = 0usize;
            while i < bytes.len() {
                if bytes[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if bytes[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else {
            return i;
        }
    }
}

/// Parses a run of consecutive statements with one call of the parser, which
/// costs much less than a call per statement. `None` when the run does not
/// parse, or does not split into exactly one statement per range; the caller
/// then parses statement by statement to find the error.
fn parse_together(cleaned: &str, chunk: &[(usize, usize)]) -> Option<Vec<Result<Vec<Node>, Error>>> {
    let (start, end) = (chunk.first()?.0, chunk.last()?.1);
    let result = pg_query::parse(cleaned.get(start..end)?, pg_query::ParserOptions::DEFAULT).ok()?;
    if result.protobuf.stmts.len() != chunk.len() {
        return None;
    }
    Some(result.protobuf.stmts.into_iter().map(|s| Ok(s.stmt.map(|b| vec![*b]).unwrap_or_default())).collect())
}

/// Parses one statement. Errors point at the token the parser names when it
/// can be found, otherwise at the statement.
fn parse_statement(cleaned: &str, original: &str, file: &str, start: usize, end: usize) -> Result<Vec<Node>, Error> {
    let text = &cleaned[start..end];
    match pg_query::parse(text, pg_query::ParserOptions::DEFAULT) {
        Ok(result) => Ok(result.protobuf.stmts.into_iter().filter_map(|s| s.stmt.map(|b| *b)).collect()),
        Err(e) => {
            let message = match e {
                pg_query::Error::Parse(m) => m,
                other => other.to_string(),
            };
            let offset = error_offset(text, &message).unwrap_or(0);
            Err(Error::Parse {
                message,
                span: Span::locate(file, original, start + offset, end),
                statement: original.get(start..end).unwrap_or_default().to_string(),
            })
        }
    }
}

/// Finds the token named in `... at or near "X"`, or the end for `at end of input`.
///
/// pg_query does not pass on the parser's cursor position, so the token is
/// located again: among the scanner's tokens spelled `X`, the first one at
/// which the statement, cut just after it, fails with the same message is
/// the one the parser stopped at (cut before it, the statement is fine or
/// ends early).
fn error_offset(text: &str, message: &str) -> Option<usize> {
    if message.contains("at end of input") {
        return Some(text.trim_end().len());
    }
    let near = message.split("at or near \"").nth(1)?;
    let token = near.strip_suffix('"').unwrap_or(near);
    if token.is_empty() {
        return None;
    }
    let substring = || text.find(token).or_else(|| text.to_lowercase().find(&token.to_lowercase()));
    let Ok(scanned) = pg_query::scan(text) else { return substring() };
    let candidates: Vec<(usize, usize)> = scanned
        .tokens
        .iter()
        .filter_map(|t| Some((usize::try_from(t.start).ok()?, usize::try_from(t.end).ok()?)))
        .filter(|&(start, end)| text.get(start..end).is_some_and(|t| t.eq_ignore_ascii_case(token)))
        .collect();
    candidates
        .iter()
        .find(|&&(_, end)| {
            text.get(..end).is_some_and(|prefix| matches!(pg_query::parse(prefix, pg_query::ParserOptions::DEFAULT), Err(pg_query::Error::Parse(m)) if m == message))
        })
        .or(candidates.first())
        .map(|&(start, _)| start)
        .or_else(substring)
}

/// The state of one replay.
pub(crate) struct Replay<'a> {
    pub(crate) schema: &'a mut Schema,
    warnings: &'a mut Vec<Warning>,
    sql: &'a str,
    /// The span of the statement being replayed.
    span: Span,
    /// Where unqualified names go (`search_path`'s first entry).
    pub(crate) default_schema: String,
    /// Lookups derived from the schema (see [`DerivedNames`]), built on
    /// first use, kept up to date by the common statements and dropped by
    /// the rest.
    pub(crate) derived: std::cell::RefCell<Option<DerivedNames>>,
}

impl Replay<'_> {
    /// The text of the statement being replayed.
    fn statement_text(&self) -> &str {
        self.sql.get(self.span.start..self.span.end).unwrap_or("")
    }

    /// An error about the statement being replayed.
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::Parse { message: message.into(), span: self.span.clone(), statement: self.statement_text().to_string() }
    }

    /// Keeps the statement being replayed as unmanaged, with a warning.
    pub(crate) fn unmanaged(&mut self, kind: impl Into<String>) {
        let kind = kind.into();
        let sql = self.statement_text().to_string();
        if self.schema.unmanaged.iter().any(|u| u.sql == sql && u.span == self.span) {
            return;
        }
        self.warnings.push(Warning {
            message: format!("{kind} is not modelled; kept as an unmanaged statement"),
            span: self.span.clone(),
        });
        self.schema.unmanaged.push(UnmanagedStatement { kind, sql, span: self.span.clone() });
    }

    /// The qualified name of a `RangeVar`.
    pub(crate) fn relation_name(&self, rv: &RangeVar) -> QualifiedName {
        let schema = if rv.schemaname.is_empty() { self.default_schema.clone() } else { rv.schemaname.clone() };
        QualifiedName::new(schema, rv.relname.clone())
    }

    /// The qualified name of a dotted name list (`schema.name` or `name`).
    pub(crate) fn list_name(&self, names: &[Node]) -> QualifiedName {
        let parts = types::name_parts(names);
        match parts.as_slice() {
            [name] => QualifiedName::new(self.default_schema.clone(), name.clone()),
            [.., schema, name] => QualifiedName::new(schema.clone(), name.clone()),
            [] => QualifiedName::new(self.default_schema.clone(), ""),
        }
    }

    /// Replays one statement.
    fn statement(&mut self, stmt: &Node) -> Result<(), Error> {
        let Some(node) = &stmt.node else { return Ok(()) };
        if invalidates_derived_names(node) {
            self.derived.replace(None);
        }
        match node {
            NodeEnum::CreateStmt(s) => self.create_table(s),
            NodeEnum::IndexStmt(s) => self.create_index(s),
            NodeEnum::AlterTableStmt(s) => self.alter_table(s),
            NodeEnum::CreateSeqStmt(s) => self.create_sequence(s),
            NodeEnum::AlterSeqStmt(s) => self.alter_sequence(s),
            NodeEnum::ViewStmt(s) => self.create_view(s),
            NodeEnum::CreateTableAsStmt(s) => self.create_table_as(s),
            NodeEnum::CreateEnumStmt(s) => self.create_enum(s),
            NodeEnum::AlterEnumStmt(s) => self.alter_enum(s),
            NodeEnum::CompositeTypeStmt(s) => self.create_composite(s),
            NodeEnum::CreateRangeStmt(s) => self.create_range(s),
            NodeEnum::CreateDomainStmt(s) => self.create_domain(s),
            NodeEnum::AlterDomainStmt(s) => self.alter_domain(s),
            NodeEnum::CreateExtensionStmt(s) => self.create_extension(s),
            NodeEnum::CreateFunctionStmt(s) => self.create_function(s),
            NodeEnum::CreateTrigStmt(s) => self.create_trigger(s),
            NodeEnum::CreatePolicyStmt(s) => self.create_policy(s),
            NodeEnum::AlterPolicyStmt(s) => self.alter_policy(s),
            NodeEnum::CreateSchemaStmt(s) => self.create_schema(s),
            NodeEnum::DropStmt(s) => self.drop(s),
            NodeEnum::RenameStmt(s) => self.rename(s),
            NodeEnum::CommentStmt(s) => self.comment(s),
            NodeEnum::GrantStmt(s) => self.grant(s),
            NodeEnum::AlterObjectSchemaStmt(s) => self.set_schema(s),
            NodeEnum::VariableSetStmt(s) => {
                self.variable_set(s);
                Ok(())
            }
            NodeEnum::TransactionStmt(_) => Ok(()),
            NodeEnum::SelectStmt(s) if is_set_config(s) => {
                self.set_config(s);
                Ok(())
            }
            other => {
                let kind = statement_kind(other);
                self.unmanaged(kind);
                Ok(())
            }
        }
    }

    /// `SET search_path = a, b`: unqualified names now go to `a`.
    fn variable_set(&mut self, s: &pg_query::protobuf::VariableSetStmt) {
        if s.name != "search_path" {
            return;
        }
        let first = s.args.first().and_then(|a| match &a.node {
            Some(NodeEnum::AConst(c)) => match &c.val {
                Some(pg_query::protobuf::a_const::Val::Sval(v)) => Some(v.sval.clone()),
                _ => None,
            },
            _ => None,
        });
        if let Some(schema) = first.filter(|s| !s.is_empty() && s != "$user") {
            self.default_schema = schema;
        }
    }

    /// `SELECT pg_catalog.set_config('search_path', 'x', false)`.
    fn set_config(&mut self, s: &pg_query::protobuf::SelectStmt) {
        let Some(NodeEnum::ResTarget(rt)) = s.target_list.first().and_then(|t| t.node.as_ref()) else { return };
        let Some(NodeEnum::FuncCall(call)) = rt.val.as_ref().and_then(|v| v.node.as_ref()) else { return };
        let strings: Vec<String> = call
            .args
            .iter()
            .filter_map(|a| match &a.node {
                Some(NodeEnum::AConst(c)) => match &c.val {
                    Some(pg_query::protobuf::a_const::Val::Sval(v)) => Some(v.sval.clone()),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        if let [name, value, ..] = strings.as_slice() {
            if name == "search_path" {
                let first = value.split(',').next().unwrap_or("").trim().trim_matches('"');
                if !first.is_empty() && first != "$user" {
                    self.default_schema = first.to_string();
                }
            }
        }
    }
}

/// Names the schema implies but does not key: the indexes behind
/// constraints and identity sequences (which take relation names), and each
/// table's partitions and inheritance children.
#[derive(Debug, Default)]
pub(crate) struct DerivedNames {
    pub(crate) relations: std::collections::HashSet<QualifiedName>,
    pub(crate) children: std::collections::HashMap<QualifiedName, Vec<QualifiedName>>,
}

impl DerivedNames {
    pub(crate) fn build(schema: &Schema) -> Self {
        let mut names = Self::default();
        for (name, table) in &schema.tables {
            names.add_table(name, table);
        }
        names
    }

    pub(crate) fn add_table(&mut self, name: &QualifiedName, table: &crate::model::Table) {
        for (cname, c) in &table.constraints {
            if c.kind.has_index() {
                self.relations.insert(QualifiedName::new(name.schema.clone(), cname.clone()));
            }
        }
        for c in &table.columns {
            if let Some(identity) = &c.identity {
                self.relations.insert(identity.sequence.clone());
            }
        }
        let parents = table.partition_of.iter().map(|p| &p.parent).chain(&table.inherits);
        for parent in parents {
            let children = self.children.entry(parent.clone()).or_default();
            if !children.contains(name) {
                children.push(name.clone());
            }
        }
    }
}

/// Whether a statement can remove or rename what [`DerivedNames`] holds in
/// a way the replay does not track incrementally.
fn invalidates_derived_names(node: &NodeEnum) -> bool {
    use pg_query::protobuf::AlterTableType as T;
    match node {
        NodeEnum::DropStmt(_) | NodeEnum::RenameStmt(_) | NodeEnum::AlterObjectSchemaStmt(_) => true,
        NodeEnum::AlterTableStmt(s) => s.cmds.iter().any(|c| {
            matches!(&c.node, Some(NodeEnum::AlterTableCmd(cmd)) if matches!(
                cmd.subtype(),
                T::AtDropConstraint | T::AtDropColumn | T::AtAddIdentity | T::AtDropIdentity | T::AtDetachPartition | T::AtAddInherit | T::AtDropInherit
            ))
        }),
        _ => false,
    }
}

/// Whether a SELECT is only `set_config(...)` calls (session noise in dumps).
fn is_set_config(s: &pg_query::protobuf::SelectStmt) -> bool {
    s.from_clause.is_empty()
        && !s.target_list.is_empty()
        && s.target_list.iter().all(|t| match &t.node {
            Some(NodeEnum::ResTarget(rt)) => match rt.val.as_ref().and_then(|v| v.node.as_ref()) {
                Some(NodeEnum::FuncCall(f)) => types::name_parts(&f.funcname).last().is_some_and(|n| n == "set_config"),
                _ => false,
            },
            _ => false,
        })
}

/// A readable kind for an unmanaged statement (`CREATE RULE`, `INSERT`).
pub(crate) fn statement_kind(node: &NodeEnum) -> String {
    // The variant's name starts its Debug text; stop printing right after it
    // (a whole INSERT of thousands of rows would otherwise be formatted).
    struct Head(String);
    impl std::fmt::Write for Head {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.push_str(s);
            if self.0.contains(['(', ' ']) { Err(std::fmt::Error) } else { Ok(()) }
        }
    }
    let mut head = Head(String::new());
    let _ = std::fmt::Write::write_fmt(&mut head, format_args!("{node:?}"));
    let name = head.0;
    let head = name.split(['(', ' ']).next().unwrap_or("Statement");
    let head = head.strip_suffix("Stmt").unwrap_or(head);
    // CamelCase to upper-case words: CreateRule -> CREATE RULE.
    let mut out = String::new();
    for (i, c) in head.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting_skips_comments_and_keeps_offsets() {
        let sql = "-- header\nCREATE TABLE a (x int);\n/* c */ CREATE TABLE b (y int);";
        let ranges = split(sql, "f.sql").expect("splits");
        assert_eq!(ranges.len(), 2);
        assert_eq!(&sql[ranges[0].0..ranges[0].1], "CREATE TABLE a (x int)");
        assert!(sql[ranges[1].0..ranges[1].1].starts_with("CREATE TABLE b"));
    }

    #[test]
    fn syntax_errors_carry_line_column_and_statement() {
        let sql = "CREATE TABLE a (x int);\nCREATE TABLE b (y intt,, z int);";
        let mut schema = Schema::new(crate::Dialect::Postgres);
        let err = apply(&mut schema, sql, "m.sql", &mut Vec::new()).expect_err("fails");
        let Error::Parse { span, statement, message } = err else { panic!("not a parse error") };
        assert_eq!((span.file.as_str(), span.line), ("m.sql", 2));
        // `y intt` is a column of an unknown type, so the parser stops at
        // the second comma.
        assert_eq!(span.column, 24, "{message}");
        assert_eq!(statement, "CREATE TABLE b (y intt,, z int)");
    }

    #[test]
    fn syntax_errors_point_at_the_token_not_at_text_inside_a_word() {
        let err = apply(&mut Schema::new(crate::Dialect::Postgres), "CREATE TABLE b (id intt int)", "", &mut Vec::new()).expect_err("fails");
        let Error::Parse { span, message, .. } = err else { panic!("not a parse error") };
        assert_eq!(span.column, 25, "{message}");
    }

    #[test]
    fn unbalanced_parentheses_are_errors_not_lost_statements() {
        for (sql, line) in [
            ("CREATE TABLE a (id int", 1),
            ("CREATE TABLE b (x int)); CREATE TABLE c (y int);", 1),
            ("CREATE TABLE a (id int);\n\nCREATE TABLE b (x int", 3),
        ] {
            let err = apply(&mut Schema::new(crate::Dialect::Postgres), sql, "f.sql", &mut Vec::new()).expect_err(sql);
            let Error::Parse { span, .. } = err else { panic!("not a parse error: {sql}") };
            assert_eq!(span.line, line, "{sql}");
        }
    }

    #[test]
    fn text_the_scanner_drops_is_still_parsed() {
        let mut schema = Schema::new(crate::Dialect::Postgres);
        apply(&mut schema, "CREATE TABLE a (x int); -- done\n;; CREATE TABLE b (y int)", "", &mut Vec::new()).expect("applies");
        assert_eq!(schema.tables.len(), 2);
    }

    #[test]
    fn unmanaged_statements_are_named_by_kind() {
        let mut schema = Schema::new(crate::Dialect::Postgres);
        let mut warnings = Vec::new();
        apply(&mut schema, "CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2); CREATE RULE r AS ON INSERT TO t DO NOTHING;", "", &mut warnings)
            .expect("applies");
        let kinds: Vec<&str> = schema.unmanaged.iter().map(|u| u.kind.as_str()).collect();
        assert_eq!(kinds, ["INSERT", "RULE"]);
        assert_eq!(warnings.len(), 2);
    }

    #[test]
    fn psql_meta_commands_are_blanked() {
        let sql = "\\restrict abc\nCREATE TABLE a (x int);\n\\unrestrict abc\n";
        let mut schema = Schema::new(crate::Dialect::Postgres);
        apply(&mut schema, sql, "", &mut Vec::new()).expect("applies");
        assert_eq!(schema.tables.len(), 1);
    }
}

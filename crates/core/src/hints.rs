//! Rename hints: `@renamed from=<old>` annotations in desired-state SQL, in
//! the form sqldef uses.
//!
//! A hint is a comment that names what an object used to be called, so a
//! change of name becomes a rename instead of a drop and a create:
//!
//! ```sql
//! CREATE TABLE new_users ( -- @renamed from=old_users
//!   id bigint,
//!   user_name text, -- @renamed from=username
//!   CONSTRAINT unique_email UNIQUE (email) -- @renamed from=old_unique_email
//! );
//! CREATE INDEX new_idx /* @renamed from=old_idx */ ON new_users (id);
//! ```
//!
//! What a hint renames follows from where its comment sits in its statement:
//!
//! - in `CREATE [UNLOGGED|TEMP] TABLE [IF NOT EXISTS] name`, after the name
//!   and before the first element of the column list: the table;
//! - in the column list, inside an element or after the comma that ends it
//!   on the same line: that element, which is a constraint when it starts
//!   with `CONSTRAINT name`, an index for MySQL's `INDEX name`, `KEY name`,
//!   `UNIQUE [KEY] name`, `FULLTEXT`/`SPATIAL [KEY] name`, and otherwise the
//!   column it defines;
//! - in `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ... ON
//!   table ...`, anywhere after the name, or after the statement's `;` on the
//!   same line: the index;
//! - in PostgreSQL's `CREATE TYPE name AS ENUM ( ... )`, between the name and
//!   `AS`, or right after the opening parenthesis (on its line or a line of
//!   its own, before the first label): the type; of two such hints the first
//!   wins, as in sqldef;
//! - in that label list, after a label or after the comma that ends it on the
//!   same line: that label (an enum value).
//!
//! ```sql
//! CREATE TYPE order_status /* @renamed from=order_state */ AS ENUM (
//!   'pending',
//!   'shipped', -- @renamed from=shipping
//!   'delivered'
//! );
//! ```
//!
//! Any other hint (before the name, after the column list, on a line of its
//! own between two columns or labels, between `AS` and the label list, in
//! another kind of statement such as a composite or range type, or without a
//! name to rename) is an ordinary comment and yields nothing. A hint inside a
//! string literal is not a hint. The old name may be quoted (`from="Old
//! Name"`, or with backquotes); unquoted names are folded as the dialect
//! folds identifiers. The old name has the new one's schema; it may repeat
//! that schema (`from=s.old_t`) for tables, indexes and types. An old enum
//! label is taken as written, up to the next space (`from=in.progress` is
//! the label `in.progress`, `from=Low` is `Low`), or quoted (`from='on
//! hold'` or `from="on hold"`, with the quote doubled inside).
//!
//! Only the first well-formed `@renamed` of a comment counts. Two hints for
//! the same table, column, index, constraint or label are both returned, in
//! source order, so that callers can report the conflict.

use serde::{Deserialize, Serialize};

use crate::span::LineIndex;
use crate::{Dialect, QualifiedName, Span};

/// What a rename hint renames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenameKind {
    /// A table (`CREATE TABLE new ( -- @renamed from=old`).
    Table,
    /// A column of a table.
    Column,
    /// An index (`CREATE INDEX`, or MySQL's `INDEX`/`KEY` inside `CREATE TABLE`).
    Index,
    /// A named table constraint (`CONSTRAINT name ...` inside `CREATE TABLE`).
    Constraint,
    /// A user-defined (enum) type (`CREATE TYPE new /* @renamed from=old */ AS ENUM (...)`).
    Type,
    /// A label of an enum type (`'new' /* @renamed from=old */` in `CREATE TYPE ... AS ENUM`).
    EnumValue,
}

/// One `@renamed from=<old>` annotation, attached to the object it renames.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenameHint {
    /// What is renamed.
    pub kind: RenameKind,
    /// The table the renamed object belongs to: the table itself (by its new
    /// name) for [`RenameKind::Table`], the table of the column, constraint
    /// or index, the type itself (by its new name) for [`RenameKind::Type`],
    /// and the type of the label (by its new name) for
    /// [`RenameKind::EnumValue`].
    pub table: QualifiedName,
    /// The old name (unqualified; same schema as the new one), or the old
    /// label.
    pub from: String,
    /// The new name (unqualified), or the new label (unescaped).
    pub to: String,
    /// Where the annotation (`@renamed from=...`) is.
    pub span: Span,
}

/// Finds the rename hints in `sql`, in source order.
///
/// It never fails: text it cannot read yields no hints.
///
/// ```
/// use astrola_core::hints::{rename_hints, RenameKind};
/// use astrola_core::{Dialect, QualifiedName};
///
/// let sql = "CREATE TABLE s.users ( -- @renamed from=accounts\n  id int,\n  login text -- @renamed from=\"User Name\"\n);";
/// let hints = rename_hints(sql, Dialect::Postgres);
/// assert_eq!(hints.len(), 2);
/// assert_eq!((hints[0].kind, hints[0].from.as_str(), hints[0].to.as_str()), (RenameKind::Table, "accounts", "users"));
/// assert_eq!(hints[1].table, QualifiedName::new("s", "users"));
/// assert_eq!((hints[1].kind, hints[1].from.as_str(), hints[1].to.as_str()), (RenameKind::Column, "User Name", "login"));
/// assert_eq!((hints[1].span.line, hints[1].span.column), (3, 17));
/// ```
pub fn rename_hints(sql: &str, dialect: Dialect) -> Vec<RenameHint> {
    if !sql.contains("@renamed") {
        return Vec::new();
    }
    let reader = Reader { sql, dialect, lines: LineIndex::new(sql) };
    let mut hints = Vec::new();
    for statement in split_statements(sql, dialect) {
        reader.statement_hints(&statement, &mut hints);
    }
    hints
}

// ---------------------------------------------------------------------------
// Lexing

/// What a token is. Positions are byte offsets into the SQL text; every token
/// starts and ends on an ASCII byte or at the end of the text, so they are
/// always character boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An unquoted word: a keyword or an identifier.
    Word,
    /// A quoted identifier, with its closing quote character.
    Quoted(u8),
    /// A string literal (also dollar-quoted) or a number.
    Literal,
    /// One of `( ) , ; .`.
    Punct(u8),
    /// A comment.
    Comment,
    /// Anything else: operators, parameters.
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
    /// The text between the quotes of a quoted identifier, or the body of a
    /// comment.
    inner: (usize, usize),
}

struct Lexer<'a> {
    sql: &'a str,
    bytes: &'a [u8],
    pos: usize,
    dialect: Dialect,
}

impl<'a> Lexer<'a> {
    fn new(sql: &'a str, dialect: Dialect) -> Self {
        Self { sql, bytes: sql.as_bytes(), pos: 0, dialect }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn token(&mut self, kind: Kind, start: usize, end: usize, inner: (usize, usize)) -> Token {
        let end = end.min(self.bytes.len());
        self.pos = end.max(start + 1).min(self.bytes.len());
        Token { kind, start, end, inner: (inner.0.min(end), inner.1.min(end)) }
    }

    fn next_token(&mut self) -> Option<Token> {
        while self.byte(self.pos).is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
        let start = self.pos;
        let b = self.byte(start)?;
        let next = self.byte(start + 1);
        let token = match b {
            b'-' if next == Some(b'-') && self.starts_line_comment(start + 2) => self.line_comment(start, start + 2),
            b'#' if self.dialect == Dialect::Mysql => self.line_comment(start, start + 1),
            b'/' if next == Some(b'*') => self.block_comment(start),
            b'\'' => {
                let (_, end) = self.quoted(start, b'\'', self.dialect == Dialect::Mysql);
                self.token(Kind::Literal, start, end, (start, start))
            }
            b'"' => {
                let (inner_end, end) = self.quoted(start, b'"', self.dialect == Dialect::Mysql);
                self.token(Kind::Quoted(b'"'), start, end, (start + 1, inner_end))
            }
            b'`' if self.dialect != Dialect::Postgres => {
                let (inner_end, end) = self.quoted(start, b'`', false);
                self.token(Kind::Quoted(b'`'), start, end, (start + 1, inner_end))
            }
            b'[' if self.dialect == Dialect::Sqlite => {
                let close = self.find_byte(start + 1, b']');
                self.token(Kind::Quoted(b']'), start, close.map_or(self.bytes.len(), |c| c + 1), (start + 1, close.unwrap_or(self.bytes.len())))
            }
            b'$' if self.dialect == Dialect::Postgres => self.dollar(start),
            b'(' | b')' | b',' | b';' | b'.' => self.token(Kind::Punct(b), start, start + 1, (start, start)),
            b'0'..=b'9' => {
                let end = self.scan_while(start, |b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
                self.token(Kind::Literal, start, end, (start, start))
            }
            _ if is_word_byte(b) => {
                let end = self.scan_while(start, |b| is_word_byte(b) || b.is_ascii_digit() || b == b'$');
                if self.dialect == Dialect::Postgres && end == start + 1 && matches!(b, b'E' | b'e') && self.byte(end) == Some(b'\'') {
                    // E'...': a string with backslash escapes.
                    let (_, end) = self.quoted(end, b'\'', true);
                    self.token(Kind::Literal, start, end, (start, start))
                } else {
                    self.token(Kind::Word, start, end, (start, start))
                }
            }
            // ASCII: every byte from 0x80 up is a word byte.
            _ => self.token(Kind::Other, start, start + 1, (start, start)),
        };
        Some(token)
    }

    /// Whether `--` followed by the byte at `after` starts a comment: always,
    /// except in MySQL, which needs a space or control character after it.
    fn starts_line_comment(&self, after: usize) -> bool {
        self.dialect != Dialect::Mysql || self.byte(after).is_none_or(|b| b <= b' ')
    }

    fn scan_while(&self, from: usize, mut keep: impl FnMut(u8) -> bool) -> usize {
        let mut i = from;
        while self.byte(i).is_some_and(&mut keep) {
            i += 1;
        }
        i
    }

    fn find_byte(&self, from: usize, wanted: u8) -> Option<usize> {
        self.bytes.get(from..)?.iter().position(|&b| b == wanted).map(|p| from + p)
    }

    fn line_comment(&mut self, start: usize, body: usize) -> Token {
        let end = self.find_byte(body, b'\n').unwrap_or(self.bytes.len());
        self.token(Kind::Comment, start, end, (body, end))
    }

    /// A block comment; nested in PostgreSQL, flat in MySQL and SQLite. An
    /// unterminated comment runs to the end of the text.
    fn block_comment(&mut self, start: usize) -> Token {
        let nests = self.dialect == Dialect::Postgres;
        let mut depth = 1usize;
        let mut i = start + 2;
        loop {
            match (self.byte(i), self.byte(i + 1)) {
                (None, _) => return self.token(Kind::Comment, start, i, (start + 2, i)),
                (Some(b'*'), Some(b'/')) => {
                    depth -= 1;
                    if depth == 0 {
                        return self.token(Kind::Comment, start, i + 2, (start + 2, i));
                    }
                    i += 2;
                }
                (Some(b'/'), Some(b'*')) if nests => {
                    depth += 1;
                    i += 2;
                }
                _ => i += 1,
            }
        }
    }

    /// Scans a quoted run opened at `open`, where a doubled quote (and, with
    /// `backslash`, a backslash) escapes. Returns where the inside ends and
    /// where the token ends.
    fn quoted(&self, open: usize, quote: u8, backslash: bool) -> (usize, usize) {
        let len = self.bytes.len();
        let mut i = open + 1;
        loop {
            match self.byte(i) {
                None => return (len, len),
                Some(b'\\') if backslash => i += 2,
                Some(b) if b == quote => {
                    if self.byte(i + 1) == Some(quote) {
                        i += 2;
                    } else {
                        return (i, i + 1);
                    }
                }
                Some(_) => i += 1,
            }
        }
    }

    /// `$tag$...$tag$` (also `$$...$$`), or a lone `$` (a parameter such as `$1`).
    fn dollar(&mut self, start: usize) -> Token {
        let tag_end = self.scan_while(start + 1, |b| is_word_byte(b) || b.is_ascii_digit());
        let tag_starts_well = self.byte(start + 1).is_some_and(|b| !b.is_ascii_digit());
        if self.byte(tag_end) == Some(b'$') && (tag_end == start + 1 || tag_starts_well) {
            let body = tag_end + 1;
            let end = match (self.sql.get(start..body), self.sql.get(body..)) {
                (Some(opener), Some(rest)) => rest.find(opener).map_or(self.bytes.len(), |p| body + p + opener.len()),
                _ => self.bytes.len(),
            };
            return self.token(Kind::Literal, start, end, (start, start));
        }
        self.token(Kind::Other, start, start + 1, (start, start))
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        self.next_token()
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

// ---------------------------------------------------------------------------
// Statements and annotations

/// An annotation parsed out of a comment. What follows `from=` is read both
/// as a name and as an enum label; the object it is attached to decides
/// which reading counts (at least one is there).
#[derive(Debug, Clone)]
struct Annotation {
    /// Where `@renamed` starts.
    start: usize,
    /// The old name's parts (`s.old` has two), folded, and where the
    /// annotation ends when read so.
    name: Option<(Vec<String>, usize)>,
    /// The old enum label, and where the annotation ends when read so.
    label: Option<(String, usize)>,
}

/// An annotated comment in a statement.
#[derive(Debug, Clone)]
struct Hinted {
    /// How many code tokens of the statement come before the comment.
    position: usize,
    /// Where the comment starts.
    comment_start: usize,
    annotation: Annotation,
}

/// One statement: its code tokens (comments left out), its annotated
/// comments, and the annotated comments after its `;` on the same line.
#[derive(Debug, Default)]
struct Statement {
    code: Vec<Token>,
    hinted: Vec<Hinted>,
    trailing: Vec<Annotation>,
}

fn split_statements(sql: &str, dialect: Dialect) -> Vec<Statement> {
    let mut statements = Vec::new();
    let mut current = Statement::default();
    // The end of the last `;`, while only comments on its line have followed it.
    let mut after_semicolon: Option<usize> = None;
    for token in Lexer::new(sql, dialect) {
        match token.kind {
            Kind::Punct(b';') => {
                statements.push(std::mem::take(&mut current));
                after_semicolon = Some(token.end);
            }
            Kind::Comment => {
                let same_line = after_semicolon.is_some_and(|end| !gap_has_newline(sql, end, token.start));
                if !same_line {
                    after_semicolon = None;
                }
                let Some(annotation) = parse_annotation(sql, token.inner, dialect) else { continue };
                match statements.last_mut() {
                    Some(previous) if same_line => previous.trailing.push(annotation),
                    _ => current.hinted.push(Hinted { position: current.code.len(), comment_start: token.start, annotation }),
                }
            }
            _ => {
                after_semicolon = None;
                current.code.push(token);
            }
        }
    }
    statements.push(current);
    statements
}

/// Whether the text between `from` and `to` holds a line break (or cannot be read).
fn gap_has_newline(sql: &str, from: usize, to: usize) -> bool {
    sql.get(from..to).is_none_or(|gap| gap.contains('\n'))
}

const MARKER: &str = "@renamed";

/// The first well-formed `@renamed from=<name>` in the comment body `inner`.
fn parse_annotation(sql: &str, inner: (usize, usize), dialect: Dialect) -> Option<Annotation> {
    let body = sql.get(inner.0..inner.1)?;
    let mut search = 0;
    while let Some(found) = body.get(search..).and_then(|rest| rest.find(MARKER)) {
        let at = search + found;
        let after = at + MARKER.len();
        let starts_word = body.get(..at).is_some_and(|before| before.chars().next_back().is_none_or(char::is_whitespace));
        let rest = body.get(after..).unwrap_or("");
        if starts_word && rest.starts_with(char::is_whitespace) {
            let start = inner.0 + at;
            let end = |used: usize| start + MARKER.len() + used;
            let name = parse_from(rest, dialect).map(|(parts, used)| (parts, end(used)));
            let label = parse_label(rest).map(|(label, used)| (label, end(used)));
            if name.is_some() || label.is_some() {
                return Some(Annotation { start, name, label });
            }
        }
        search = after;
    }
    None
}

/// Parses ` from=<name>` at the start of `text`; returns the name's folded
/// parts and how many bytes of `text` it used.
fn parse_from(text: &str, dialect: Dialect) -> Option<(Vec<String>, usize)> {
    let rest = text.trim_start();
    let keyword = rest.get(..4)?;
    if !keyword.eq_ignore_ascii_case("from") {
        return None;
    }
    let rest = rest.get(4..)?.trim_start().strip_prefix('=')?.trim_start();
    let mut parts = Vec::new();
    let mut rest = rest;
    loop {
        let (part, after) = match rest.chars().next() {
            Some(quote @ ('"' | '`')) => unquote(rest, quote)?,
            _ => {
                let len = rest.find(|c: char| c.is_whitespace() || c == '.').unwrap_or(rest.len());
                let word = rest.get(..len)?;
                if word.is_empty() {
                    return None;
                }
                (fold(word, dialect), rest.get(len..)?)
            }
        };
        if part.is_empty() {
            return None;
        }
        parts.push(part);
        rest = after;
        match rest.strip_prefix('.') {
            Some(next) => rest = next,
            None => break,
        }
    }
    Some((parts, text.len() - rest.len()))
}

/// Parses ` from=<label>` at the start of `text`, where the label is quoted
/// (`'...'` or `"..."`, the quote doubled inside) or runs to the next space;
/// returns it (never empty) and how many bytes of `text` it used.
fn parse_label(text: &str) -> Option<(String, usize)> {
    let rest = text.trim_start();
    if !rest.get(..4)?.eq_ignore_ascii_case("from") {
        return None;
    }
    let rest = rest.get(4..)?.trim_start().strip_prefix('=')?.trim_start();
    let (label, after) = match rest.chars().next() {
        Some(quote @ ('\'' | '"')) => unquote(rest, quote)?,
        _ => {
            let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (rest.get(..len)?.to_string(), rest.get(len..)?)
        }
    };
    if label.is_empty() {
        return None;
    }
    Some((label, text.len() - after.len()))
}

/// Reads a name quoted with `quote` (doubled inside) at the start of `text`.
fn unquote(text: &str, quote: char) -> Option<(String, &str)> {
    let mut name = String::new();
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            if chars.peek().is_some_and(|&(_, n)| n == quote) {
                chars.next();
            } else {
                return Some((name, text.get(i + c.len_utf8()..)?));
            }
        }
        name.push(c);
    }
    None
}

/// Folds an unquoted identifier as the dialect does: PostgreSQL lowers ASCII
/// letters; MySQL and SQLite keep the case as written.
fn fold(word: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Postgres => word.to_ascii_lowercase(),
        Dialect::Mysql | Dialect::Sqlite => word.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Attaching hints to objects

/// Words between `CREATE` and `TABLE` or `INDEX`.
const CREATE_MODIFIERS: &[&str] = &["global", "local", "temp", "temporary", "unlogged", "unique", "fulltext", "spatial", "online", "offline"];

struct Reader<'a> {
    sql: &'a str,
    dialect: Dialect,
    lines: LineIndex,
}

impl Reader<'_> {
    fn text(&self, token: &Token) -> &str {
        self.sql.get(token.start..token.end).unwrap_or("")
    }

    fn is_keyword(&self, code: &[Token], at: usize, keyword: &str) -> bool {
        code.get(at).is_some_and(|t| t.kind == Kind::Word && self.text(t).eq_ignore_ascii_case(keyword))
    }

    /// The name a word or quoted identifier stands for.
    fn name(&self, token: &Token) -> Option<String> {
        match token.kind {
            Kind::Word => Some(fold(self.text(token), self.dialect)),
            Kind::Quoted(quote) => {
                let inner = self.sql.get(token.inner.0..token.inner.1)?;
                Some(match quote {
                    b'"' => inner.replace("\"\"", "\""),
                    b'`' => inner.replace("``", "`"),
                    _ => inner.to_string(),
                })
            }
            _ => None,
        }
    }

    /// A dotted name starting at `at`: its parts and the index after it.
    fn dotted_name(&self, code: &[Token], at: usize) -> Option<(Vec<String>, usize)> {
        let mut parts = vec![self.name(code.get(at)?)?];
        let mut end = at + 1;
        while code.get(end).is_some_and(|t| t.kind == Kind::Punct(b'.')) {
            let Some(part) = code.get(end + 1).and_then(|t| self.name(t)) else { break };
            parts.push(part);
            end += 2;
        }
        Some((parts, end))
    }

    /// The table a dotted name refers to, in the dialect's namespaces.
    fn table_name(&self, mut parts: Vec<String>) -> Option<QualifiedName> {
        let name = parts.pop()?;
        let schema = match parts.pop() {
            Some(schema) if self.dialect.supports_namespaces() => schema,
            _ => self.dialect.default_namespace().to_string(),
        };
        Some(QualifiedName::new(schema, name))
    }

    fn statement_hints(&self, statement: &Statement, hints: &mut Vec<RenameHint>) {
        if statement.hinted.is_empty() && statement.trailing.is_empty() {
            return;
        }
        let code = statement.code.as_slice();
        if !self.is_keyword(code, 0, "create") {
            return;
        }
        if self.dialect == Dialect::Postgres && self.is_keyword(code, 1, "type") {
            self.type_hints(statement, 2, hints);
            return;
        }
        let mut at = 1;
        if self.is_keyword(code, at, "or") && self.is_keyword(code, at + 1, "replace") {
            at += 2;
        }
        while CREATE_MODIFIERS.iter().any(|m| self.is_keyword(code, at, m)) {
            at += 1;
        }
        if self.is_keyword(code, at, "table") {
            self.table_hints(statement, at + 1, hints);
        } else if self.is_keyword(code, at, "index") {
            self.index_hints(statement, at + 1, hints);
        }
    }

    fn skip_if_not_exists(&self, code: &[Token], at: usize) -> usize {
        if self.is_keyword(code, at, "if") && self.is_keyword(code, at + 1, "not") && self.is_keyword(code, at + 2, "exists") {
            at + 3
        } else {
            at
        }
    }

    /// `CREATE TABLE`: `at` is just after `TABLE`.
    fn table_hints(&self, statement: &Statement, at: usize, hints: &mut Vec<RenameHint>) {
        let code = statement.code.as_slice();
        let at = self.skip_if_not_exists(code, at);
        let Some((parts, name_end)) = self.dotted_name(code, at) else { return };
        let Some(table) = self.table_name(parts) else { return };
        let list = code.get(name_end).filter(|t| t.kind == Kind::Punct(b'(')).map(|_| element_list(code, name_end));
        for hinted in &statement.hinted {
            let position = hinted.position;
            let target = if position == name_end {
                Some((RenameKind::Table, table.name.clone()))
            } else if let Some(list) = list.as_ref().filter(|l| position > l.open && position <= l.close) {
                if position == list.open + 1 {
                    Some((RenameKind::Table, table.name.clone()))
                } else {
                    self.element_for(code, list, position - 1, hinted.comment_start).and_then(|(s, e)| self.element_target(code.get(s..e).unwrap_or(&[])))
                }
            } else {
                None
            };
            if let Some((kind, to)) = target {
                self.push(hints, kind, &table, to, &hinted.annotation);
            }
        }
    }

    /// The element of `list` the comment after `code[anchor]` belongs to:
    /// the one holding the anchor, or the one the anchor (a comma) ends when
    /// the comment is on the comma's line.
    fn element_for(&self, code: &[Token], list: &ElementList, anchor: usize, comment_start: usize) -> Option<(usize, usize)> {
        let (start, end) = *list.elements.iter().find(|&&(start, end)| start <= anchor && anchor <= end)?;
        if anchor == end {
            // The comma (or closing parenthesis) after the element.
            let separator = code.get(anchor)?;
            if gap_has_newline(self.sql, separator.end, comment_start) {
                return None;
            }
        }
        Some((start, end))
    }

    /// What a table element defines, as a hint target.
    fn element_target(&self, element: &[Token]) -> Option<(RenameKind, String)> {
        let first = element.first()?;
        if first.kind != Kind::Word {
            return Some((RenameKind::Column, self.name(first)?));
        }
        let word = self.text(first).to_ascii_lowercase();
        let mysql = self.dialect == Dialect::Mysql;
        let named_after = |at: usize| element.get(at).and_then(|t| self.name(t)).filter(|_| !self.is_keyword(element, at, "using"));
        match word.as_str() {
            "constraint" => Some((RenameKind::Constraint, named_after(1)?)),
            "index" | "key" if mysql => Some((RenameKind::Index, named_after(1)?)),
            "unique" | "fulltext" | "spatial" if mysql => {
                let at = if self.is_keyword(element, 1, "index") || self.is_keyword(element, 1, "key") { 2 } else { 1 };
                Some((RenameKind::Index, named_after(at)?))
            }
            "primary" | "unique" | "check" | "foreign" => None,
            "like" if self.dialect == Dialect::Postgres => None,
            "exclude"
                if self.dialect == Dialect::Postgres
                    && (self.is_keyword(element, 1, "using") || element.get(1).is_some_and(|t| t.kind == Kind::Punct(b'('))) =>
            {
                None
            }
            _ => Some((RenameKind::Column, self.name(first)?)),
        }
    }

    /// `CREATE INDEX`: `at` is just after `INDEX`.
    fn index_hints(&self, statement: &Statement, at: usize, hints: &mut Vec<RenameHint>) {
        let code = statement.code.as_slice();
        let mut at = at;
        if self.dialect == Dialect::Postgres && self.is_keyword(code, at, "concurrently") {
            at += 1;
        }
        let at = self.skip_if_not_exists(code, at);
        if self.is_keyword(code, at, "on") {
            return; // An index without a name has nothing to rename.
        }
        let Some((mut parts, name_end)) = self.dotted_name(code, at) else { return };
        let Some(index) = parts.pop() else { return };
        let Some(on) = (name_end..code.len()).find(|&i| self.is_keyword(code, i, "on")) else { return };
        let table_at = if self.is_keyword(code, on + 1, "only") { on + 2 } else { on + 1 };
        let Some(table) = self.dotted_name(code, table_at).and_then(|(parts, _)| self.table_name(parts)) else { return };
        let annotations = statement.hinted.iter().filter(|h| h.position >= name_end).map(|h| &h.annotation);
        for annotation in annotations.chain(&statement.trailing) {
            self.push(hints, RenameKind::Index, &table, index.clone(), annotation);
        }
    }

    /// `CREATE TYPE` (PostgreSQL): `at` is just after `TYPE`. Only enum
    /// types take hints.
    fn type_hints(&self, statement: &Statement, at: usize, hints: &mut Vec<RenameHint>) {
        let code = statement.code.as_slice();
        let Some((parts, name_end)) = self.dotted_name(code, at) else { return };
        let Some(ty) = self.table_name(parts) else { return };
        let name = ty.name.clone();
        let is_enum = self.is_keyword(code, name_end, "as")
            && self.is_keyword(code, name_end + 1, "enum")
            && code.get(name_end + 2).is_some_and(|t| t.kind == Kind::Punct(b'('));
        if !is_enum {
            return;
        }
        let list = element_list(code, name_end + 2);
        let mut type_hinted = false;
        for hinted in &statement.hinted {
            let position = hinted.position;
            if position == name_end || position == list.open + 1 {
                // The first hint on the type wins; any later one is a comment.
                if !type_hinted && self.push(hints, RenameKind::Type, &ty, name.clone(), &hinted.annotation) {
                    type_hinted = true;
                }
            } else if position > list.open + 1 && position <= list.close {
                let label = self
                    .element_for(code, &list, position - 1, hinted.comment_start)
                    .and_then(|(start, end)| match code.get(start..end) {
                        Some([token]) => self.label(token),
                        _ => None,
                    });
                if let Some(label) = label {
                    self.push(hints, RenameKind::EnumValue, &ty, label, &hinted.annotation);
                }
            }
        }
    }

    /// The text of an enum label: a string literal, `'...'` (with `''`
    /// inside) or dollar-quoted. Other forms, and empty labels, yield nothing.
    fn label(&self, token: &Token) -> Option<String> {
        if token.kind != Kind::Literal {
            return None;
        }
        let text = self.text(token);
        let label = if let Some(body) = text.strip_prefix('\'') {
            let mut label = String::new();
            let mut chars = body.chars();
            loop {
                match chars.next()? {
                    '\'' if chars.as_str().is_empty() => break,
                    '\'' => {
                        // Inside, a quote is always doubled.
                        if chars.next()? != '\'' {
                            return None;
                        }
                        label.push('\'');
                    }
                    c => label.push(c),
                }
            }
            label
        } else if text.starts_with('$') {
            let tag_len = text.get(1..)?.find('$')? + 2;
            let tag = text.get(..tag_len)?;
            let body = text.get(tag_len..)?.strip_suffix(tag)?;
            body.to_string()
        } else {
            return None;
        };
        Some(label).filter(|l| !l.is_empty())
    }

    /// Adds the hint `annotation` gives for `kind`, if it reads as one;
    /// returns whether it did.
    fn push(&self, hints: &mut Vec<RenameHint>, kind: RenameKind, table: &QualifiedName, to: String, annotation: &Annotation) -> bool {
        let (from, end) = if kind == RenameKind::EnumValue {
            let Some((label, end)) = &annotation.label else { return false };
            (label.clone(), *end)
        } else {
            let Some((parts, end)) = &annotation.name else { return false };
            let from = match parts.as_slice() {
                [from] => from.clone(),
                // A repeated schema on a table, index or type name must be the
                // table's (or type's) own.
                [schema, from] if matches!(kind, RenameKind::Table | RenameKind::Index | RenameKind::Type) => {
                    if self.dialect.supports_namespaces() && *schema != table.schema {
                        return false;
                    }
                    from.clone()
                }
                _ => return false,
            };
            (from, *end)
        };
        let span = self.lines.span("", self.sql, annotation.start, end);
        hints.push(RenameHint { kind, table: table.clone(), from, to, span });
        true
    }
}

/// The element list of `CREATE TABLE name ( ... )`: where it opens and
/// closes (the end of the statement when it is not closed) and the token
/// range of each element, up to (not including) the comma or parenthesis
/// that ends it.
#[derive(Debug)]
struct ElementList {
    open: usize,
    close: usize,
    elements: Vec<(usize, usize)>,
}

fn element_list(code: &[Token], open: usize) -> ElementList {
    let mut elements = Vec::new();
    let mut depth = 0usize;
    let mut start = open + 1;
    for (i, token) in code.iter().enumerate().skip(open + 1) {
        match token.kind {
            Kind::Punct(b'(') => depth += 1,
            Kind::Punct(b')') if depth == 0 => {
                elements.push((start, i));
                return ElementList { open, close: i, elements };
            }
            Kind::Punct(b')') => depth -= 1,
            Kind::Punct(b',') if depth == 0 => {
                elements.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    elements.push((start, code.len()));
    ElementList { open, close: code.len(), elements }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use RenameKind::{Column, Constraint, EnumValue, Index, Table, Type};

    fn hint(kind: RenameKind, table: (&str, &str), from: &str, to: &str) -> (RenameKind, QualifiedName, String, String) {
        (kind, QualifiedName::new(table.0, table.1), from.to_string(), to.to_string())
    }

    fn found(sql: &str, dialect: Dialect) -> Vec<(RenameKind, QualifiedName, String, String)> {
        rename_hints(sql, dialect).into_iter().map(|h| (h.kind, h.table, h.from, h.to)).collect()
    }

    #[test]
    fn tables_and_columns() {
        let sql = "CREATE TABLE new_users ( -- @renamed from=old_users\n  id bigint,\n  user_name text -- @renamed from=username\n);";
        assert_eq!(
            found(sql, Dialect::Postgres),
            vec![hint(Table, ("public", "new_users"), "old_users", "new_users"), hint(Column, ("public", "new_users"), "username", "user_name")]
        );
        let sql = "CREATE TABLE new_users /* @renamed from=old_users */ (\n  id bigint NOT NULL,\n  name text\n);";
        assert_eq!(found(sql, Dialect::Sqlite), vec![hint(Table, ("", "new_users"), "old_users", "new_users")]);
    }

    #[test]
    fn column_comment_after_the_comma_on_the_same_line() {
        let sql = "CREATE TABLE users (\n  id bigint NOT NULL,\n  user_name text NOT NULL, -- @renamed from=username\n  email varchar(100), /* @renamed from=mail */\n  age integer\n);";
        assert_eq!(
            found(sql, Dialect::Mysql),
            vec![hint(Column, ("", "users"), "username", "user_name"), hint(Column, ("", "users"), "mail", "email")]
        );
    }

    #[test]
    fn a_comment_on_its_own_line_between_columns_is_not_a_hint() {
        let sql = "CREATE TABLE users (\n  id bigint,\n  -- @renamed from=username\n  user_name text\n);";
        assert_eq!(found(sql, Dialect::Postgres), vec![]);
    }

    #[test]
    fn a_comment_anywhere_inside_a_column_definition_names_that_column() {
        let sql = "CREATE TABLE t (\n  price /* @renamed from=cost */ numeric(10, 2)\n    CHECK (price > 0),\n  qty int\n    DEFAULT 1 -- @renamed from=quantity\n);";
        assert_eq!(
            found(sql, Dialect::Postgres),
            vec![hint(Column, ("public", "t"), "cost", "price"), hint(Column, ("public", "t"), "quantity", "qty")]
        );
    }

    #[test]
    fn indexes() {
        let sql = "CREATE TABLE test (id integer);\nCREATE INDEX new_idx /* @renamed from=old_idx */ ON test (id);";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(Index, ("public", "test"), "old_idx", "new_idx")]);
        let sql = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS unique_email /* @renamed from=old_unique_email */ ON ONLY myschema.users (email);";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(Index, ("myschema", "users"), "old_unique_email", "unique_email")]);
        let sql = "CREATE INDEX active_users_idx /* @renamed from=old_active_users */ ON users (email) WHERE is_active = 1;";
        assert_eq!(found(sql, Dialect::Sqlite), vec![hint(Index, ("", "users"), "old_active_users", "active_users_idx")]);
    }

    #[test]
    fn index_hint_after_the_semicolon_on_the_same_line() {
        // The form psqldef's documentation shows.
        let sql = "CREATE INDEX email_idx ON users (email); -- @renamed from=idx_email\nCREATE INDEX b ON users (b);\n-- @renamed from=nothing\nCREATE INDEX c ON users (c);";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(Index, ("public", "users"), "idx_email", "email_idx")]);
    }

    #[test]
    fn hints_before_the_name_are_comments() {
        let sql = "CREATE /* @renamed from=a */ TABLE /* @renamed from=b */ t (id int) /* @renamed from=c */;\nCREATE INDEX /* @renamed from=d */ i ON t (id);\nCREATE INDEX /* @renamed from=e */ ON t (id);";
        assert_eq!(found(sql, Dialect::Postgres), vec![]);
    }

    #[test]
    fn constraints() {
        let sql = "CREATE TABLE t (a int, email text, CONSTRAINT unique_email UNIQUE (email) -- @renamed from=old_unique_email\n);";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(Constraint, ("public", "t"), "old_unique_email", "unique_email")]);
        // Unnamed constraints have nothing to rename.
        let sql = "CREATE TABLE t (a int,\n  UNIQUE (a), -- @renamed from=x\n  PRIMARY KEY (a) -- @renamed from=y\n);";
        assert_eq!(found(sql, Dialect::Postgres), vec![]);
    }

    #[test]
    fn mysql_inline_indexes() {
        let sql = "CREATE TABLE users (\n  id bigint NOT NULL,\n  email varchar(255),\n  INDEX email_idx (email), -- @renamed from=idx_email\n  KEY name_idx (name), -- @renamed from=idx_name\n  UNIQUE KEY unique_email (email), -- @renamed from=old_unique_email\n  FULLTEXT INDEX ft (body), -- @renamed from=old_ft\n  INDEX (x) -- @renamed from=unnamed\n);";
        assert_eq!(
            found(sql, Dialect::Mysql),
            vec![
                hint(Index, ("", "users"), "idx_email", "email_idx"),
                hint(Index, ("", "users"), "idx_name", "name_idx"),
                hint(Index, ("", "users"), "old_unique_email", "unique_email"),
                hint(Index, ("", "users"), "old_ft", "ft"),
            ]
        );
        // Elsewhere `key` is an ordinary column name.
        let sql = "CREATE TABLE kv (\n  key text -- @renamed from=k\n);";
        assert_eq!(found(sql, Dialect::Sqlite), vec![hint(Column, ("", "kv"), "k", "key")]);
    }

    #[test]
    fn quoting_and_case_folding() {
        let sql = "CREATE TABLE \"UserProfiles\" ( -- @renamed from=\"user accounts\"\n  \"NewName\" text, -- @renamed from=\"Old\"\"Name\"\n  Login text -- @renamed from=UserName\n);";
        assert_eq!(
            found(sql, Dialect::Postgres),
            vec![
                hint(Table, ("public", "UserProfiles"), "user accounts", "UserProfiles"),
                hint(Column, ("public", "UserProfiles"), "Old\"Name", "NewName"),
                hint(Column, ("public", "UserProfiles"), "username", "login"),
            ]
        );
        let sql = "CREATE TABLE `User Profiles` ( -- @renamed from=`old``one`\n  Login text -- @renamed from=UserName\n);";
        assert_eq!(
            found(sql, Dialect::Mysql),
            vec![hint(Table, ("", "User Profiles"), "old`one", "User Profiles"), hint(Column, ("", "User Profiles"), "UserName", "Login")]
        );
        let sql = "CREATE TABLE [my table] (\n  [a b] int -- @renamed from=\"c d\"\n);";
        assert_eq!(found(sql, Dialect::Sqlite), vec![hint(Column, ("", "my table"), "c d", "a b")]);
    }

    #[test]
    fn schema_qualified_tables() {
        let sql = "CREATE TABLE IF NOT EXISTS s.new_t ( -- @renamed from=old_t\n  id int\n);\nCREATE UNLOGGED TABLE \"S\".u /* @renamed from=\"S\".v */ (id int);\nCREATE TABLE \"S\".x /* @renamed from=S.v */ (id int);\nCREATE TEMP TABLE s.w /* @renamed from=other.v */ (id int);";
        assert_eq!(
            found(sql, Dialect::Postgres),
            vec![hint(Table, ("s", "new_t"), "old_t", "new_t"), hint(Table, ("S", "u"), "v", "u")]
        );
        // MySQL and SQLite have no namespaces: the database name is dropped.
        let sql = "CREATE TABLE db.new_t ( -- @renamed from=old_t\n  id int\n);";
        assert_eq!(found(sql, Dialect::Mysql), vec![hint(Table, ("", "new_t"), "old_t", "new_t")]);
    }

    #[test]
    fn string_literals_and_other_quotes_hide_annotations() {
        let sql = "CREATE TABLE t (\n  a text DEFAULT '-- @renamed from=x', b text DEFAULT 'it''s /* @renamed from=y */'\n);";
        assert_eq!(found(sql, Dialect::Postgres), vec![]);
        let sql = "CREATE TABLE t (\n  a text DEFAULT E'it\\'s -- @renamed from=x',\n  b text DEFAULT $q$ -- @renamed from=y $q$,\n  c text DEFAULT $$ /* @renamed from=z */ $$\n);";
        assert_eq!(found(sql, Dialect::Postgres), vec![]);
        let sql = "CREATE TABLE t (\n  a text DEFAULT 'it\\'s -- @renamed from=x',\n  b text COMMENT \"say \\\" -- @renamed from=y\"\n);";
        assert_eq!(found(sql, Dialect::Mysql), vec![]);
        let sql = "CREATE TABLE t (\n  \"-- @renamed from=x\" text\n);";
        assert_eq!(found(sql, Dialect::Sqlite), vec![]);
        // ... but a hint after the literal still counts.
        let sql = "CREATE TABLE t (\n  a text DEFAULT 'x -- y', -- @renamed from=b\n  c int\n);";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(Column, ("public", "t"), "b", "a")]);
    }

    #[test]
    fn comments_per_dialect() {
        // PostgreSQL block comments nest, so the first `*/` does not end the
        // comment and the hint is inside it; elsewhere it ends the comment.
        let sql = "CREATE TABLE t (\n  a int /* x /* y */ , b int -- @renamed from=c\n */\n);";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(Column, ("public", "t"), "c", "a")]);
        assert_eq!(found(sql, Dialect::Sqlite), vec![hint(Column, ("", "t"), "c", "b")]);
        // MySQL: `#` comments, and `--` needs a space after it.
        let sql = "CREATE TABLE t (\n  a int, # @renamed from=x\n  b int --@renamed from=y\n);";
        assert_eq!(found(sql, Dialect::Mysql), vec![hint(Column, ("", "t"), "x", "a")]);
    }

    #[test]
    fn malformed_annotations_are_comments() {
        for sql in [
            "CREATE TABLE t (a int -- @renamed\n);",
            "CREATE TABLE t (a int -- @renamed from=\n);",
            "CREATE TABLE t (a int -- @renamed to=b\n);",
            "CREATE TABLE t (a int -- @renamedfrom=b\n);",
            "CREATE TABLE t (a int -- x@renamed from=b\n);",
            "CREATE TABLE t (a int -- @renamed from=\"b\n);",
            "CREATE TABLE t (a int -- @renamed from=\"\"\n);",
            "CREATE TABLE t (a int -- @renamed from=s.b\n);",
            "CREATE VIEW v /* @renamed from=w */ AS SELECT 1;",
        ] {
            assert_eq!(found(sql, Dialect::Postgres), vec![], "{sql}");
        }
    }

    #[test]
    fn types_renamed_after_the_name() {
        let sql = "CREATE TYPE order_status /* @renamed from=order_state */ AS ENUM ('pending', 'shipped');";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(Type, ("public", "order_status"), "order_state", "order_status")]);
        let sql = "CREATE TYPE order_status -- @renamed from=order_state\nAS ENUM ('pending', 'shipped');";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(Type, ("public", "order_status"), "order_state", "order_status")]);
        // A keyword as the new name, a schema, quoting and case folding.
        let sql = "CREATE TYPE status /* @renamed from=Order_State */ AS ENUM ('a');\nCREATE TYPE myschema.\"Item Status\" /* @renamed from=\"item state\" */ AS ENUM ('a');";
        assert_eq!(
            found(sql, Dialect::Postgres),
            vec![hint(Type, ("public", "status"), "order_state", "status"), hint(Type, ("myschema", "Item Status"), "item state", "Item Status")]
        );
    }

    #[test]
    fn types_renamed_after_the_open_parenthesis() {
        let want = vec![hint(Type, ("public", "order_status"), "order_state", "order_status")];
        for sql in [
            "CREATE TYPE order_status AS ENUM ( /* @renamed from=order_state */ 'pending', 'shipped');",
            "CREATE TYPE order_status AS ENUM ( -- @renamed from=order_state\n  'pending',\n  'shipped'\n);",
            "CREATE TYPE order_status AS ENUM (\n  /* @renamed from=order_state */\n  'pending',\n  'shipped'\n);",
            "CREATE TYPE order_status AS ENUM (\n  -- @renamed from=order_state\n);",
        ] {
            assert_eq!(found(sql, Dialect::Postgres), want, "{sql}");
        }
    }

    #[test]
    fn type_hints_elsewhere_are_comments() {
        for sql in [
            "CREATE /* @renamed from=order_state */ TYPE order_status AS ENUM ('pending', 'shipped');",
            "CREATE TYPE /* @renamed from=order_state */ order_status AS ENUM ('pending', 'shipped');",
            "CREATE TYPE order_status AS /* @renamed from=order_state */ ENUM ('pending', 'shipped');",
            "CREATE TYPE order_status AS ENUM /* @renamed from=order_state */ ('pending', 'shipped');",
            "CREATE TYPE order_status AS ENUM ('pending', 'shipped') /* @renamed from=order_state */;",
            "CREATE TYPE order_status AS ENUM ('pending', 'shipped'); -- @renamed from=order_state",
            // A label on a line of its own between labels belongs to nothing.
            "CREATE TYPE order_status AS ENUM (\n  'pending',\n  -- @renamed from=shipping\n  'shipped'\n);",
            // Only enum types take hints.
            "CREATE TYPE point2 /* @renamed from=point */ AS (x int, y int);",
            "CREATE TYPE r /* @renamed from=s */ AS RANGE (subtype = int4);",
            "CREATE TYPE order_status /* @renamed from=order_state */;",
            // A schema repeated on the old name must be the type's own.
            "CREATE TYPE a.order_status /* @renamed from=b.order_state */ AS ENUM ('x');",
            "CREATE TYPE order_status /* @renamed from=a.b.order_state */ AS ENUM ('x');",
            // Labels that are not plain string literals.
            "CREATE TYPE t AS ENUM (E'a' /* @renamed from=b */, 'c' 'd' /* @renamed from=e */, '' /* @renamed from=f */);",
        ] {
            assert_eq!(found(sql, Dialect::Postgres), vec![], "{sql}");
        }
        // Only PostgreSQL has `CREATE TYPE`.
        let sql = "CREATE TYPE order_status /* @renamed from=order_state */ AS ENUM ('a');";
        assert_eq!(found(sql, Dialect::Mysql), vec![]);
        assert_eq!(found(sql, Dialect::Sqlite), vec![]);
        let sql = "CREATE TYPE public.order_status /* @renamed from=public.order_state */ AS ENUM ('x');";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(Type, ("public", "order_status"), "order_state", "order_status")]);
    }

    #[test]
    fn the_first_type_hint_wins() {
        let sql = "CREATE TYPE order_status /* @renamed from=order_state */ AS ENUM ( /* @renamed from=other_state */\n  'pending',\n  'shipped'\n);";
        let hints = rename_hints(sql, Dialect::Postgres);
        assert_eq!(hints.len(), 1);
        assert_eq!((hints[0].kind, hints[0].from.as_str()), (Type, "order_state"));
        assert_eq!(sql.get(hints[0].span.start..hints[0].span.end), Some("@renamed from=order_state"));
        // A first hint that does not read as a type name leaves the place to the next.
        let sql = "CREATE TYPE t /* @renamed from=x.y.z */ AS ENUM ( -- @renamed from=u\n  'a'\n);";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(Type, ("public", "t"), "u", "t")]);
    }

    #[test]
    fn enum_values() {
        let sql = "CREATE TYPE status AS ENUM (\n  'active',\n  'waiting' /* @renamed from=pending */,\n  'inactive'\n);";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(EnumValue, ("public", "status"), "pending", "waiting")]);
        let sql = "CREATE TYPE priority AS ENUM (\n  'minor', -- @renamed from=low\n  'high'\n);";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(EnumValue, ("public", "priority"), "low", "minor")]);
        let sql = "CREATE TYPE myschema.level AS ENUM (\n  'minor' /* @renamed from=low */,\n  'normal' /* @renamed from=medium */,\n  'critical' /* @renamed from=high */\n);";
        assert_eq!(
            found(sql, Dialect::Postgres),
            vec![
                hint(EnumValue, ("myschema", "level"), "low", "minor"),
                hint(EnumValue, ("myschema", "level"), "medium", "normal"),
                hint(EnumValue, ("myschema", "level"), "high", "critical"),
            ]
        );
        // On one line, and after the last label.
        let sql = "CREATE TYPE s AS ENUM ('a', 'b' /* @renamed from=c */, 'd' /* @renamed from=e */);";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(EnumValue, ("public", "s"), "c", "b"), hint(EnumValue, ("public", "s"), "e", "d")]);
    }

    #[test]
    fn enum_labels_are_taken_as_written() {
        let sql = "CREATE TYPE s AS ENUM (\n  'it''s' /* @renamed from='it''d' */,\n  'On Hold', -- @renamed from=\"On\"\"Hold\"\n  'n/a', -- @renamed from=N.A.\n  $$x y$$ -- @renamed from='a b' trailing\n);";
        assert_eq!(
            found(sql, Dialect::Postgres),
            vec![
                hint(EnumValue, ("public", "s"), "it'd", "it's"),
                hint(EnumValue, ("public", "s"), "On\"Hold", "On Hold"),
                hint(EnumValue, ("public", "s"), "N.A.", "n/a"),
                hint(EnumValue, ("public", "s"), "a b", "x y"),
            ]
        );
        let hints = rename_hints(sql, Dialect::Postgres);
        assert_eq!(sql.get(hints[3].span.start..hints[3].span.end), Some("@renamed from='a b'"));
        // Labels with an unterminated or empty old label are comments.
        let sql = "CREATE TYPE s AS ENUM ('a' /* @renamed from='b */, 'c' /* @renamed from='' */);";
        assert_eq!(found(sql, Dialect::Postgres), vec![]);
    }

    #[test]
    fn a_type_and_its_labels_renamed_together() {
        let sql = "CREATE TYPE order_status /* @renamed from=order_state */ AS ENUM (\n  'pending',\n  'shipped' /* @renamed from=shipping */,\n  'delivered'\n);";
        assert_eq!(
            found(sql, Dialect::Postgres),
            vec![
                hint(Type, ("public", "order_status"), "order_state", "order_status"),
                hint(EnumValue, ("public", "order_status"), "shipping", "shipped"),
            ]
        );
        // Two hints on one label are both returned.
        let sql = "CREATE TYPE t AS ENUM ('a' /* @renamed from=b */ /* @renamed from=c */);";
        assert_eq!(found(sql, Dialect::Postgres), vec![hint(EnumValue, ("public", "t"), "b", "a"), hint(EnumValue, ("public", "t"), "c", "a")]);
    }

    #[test]
    fn spans_point_at_the_annotation() {
        let sql = "CREATE TABLE t (\n  naïve int -- note @renamed from=\"ä b\" trailing\n);";
        let hints = rename_hints(sql, Dialect::Postgres);
        assert_eq!(hints.len(), 1);
        let span = &hints[0].span;
        assert_eq!(sql.get(span.start..span.end), Some("@renamed from=\"ä b\""));
        assert_eq!((span.line, span.column), (2, 21));
        assert_eq!(hints[0].to, "naïve");
    }

    #[test]
    fn serialises_in_snake_case() {
        let hints = rename_hints("CREATE TABLE t (a int, CONSTRAINT c UNIQUE (a) -- @renamed from=d\n);", Dialect::Postgres);
        let json = serde_json::to_value(&hints).expect("serialises");
        assert_eq!(json[0]["kind"], "constraint");
        assert_eq!(json[0]["table"], "public.t");
        let back: Vec<RenameHint> = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back, hints);
        let hints = rename_hints("CREATE TYPE t /* @renamed from=u */ AS ENUM ('a' /* @renamed from=b */);", Dialect::Postgres);
        let json = serde_json::to_value(&hints).expect("serialises");
        assert_eq!((&json[0]["kind"], &json[1]["kind"]), (&serde_json::json!("type"), &serde_json::json!("enum_value")));
        assert_eq!(json[1]["table"], "public.t");
        let back: Vec<RenameHint> = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back, hints);
    }

    fn sqlish() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "CREATE", "TABLE", "INDEX", "UNIQUE", "KEY", "CONSTRAINT", "ON", "IF NOT EXISTS", "TYPE", "AS", "ENUM", "'a'", "t", "s.t", "\"Q\"", "`b`", "[x]", "(", ")",
            ",", ";", ".", " ", "\n", "--", "-- ", "#", "/*", "*/", "'", "''", "\"", "`", "$$", "$a$", "$1", "E'", "\\", "@renamed",
            " from=", "from=\"", "@renamed from=x", "é", "ü\"", "\u{1F600}", "\r\n",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(a in ".*", b in ".*") {
            let texts = [
                a.clone(),
                format!("{a}/* @renamed from=x */{b}"),
                format!("CREATE TABLE t ({a} -- @renamed from=\"y\"\n{b}"),
                format!("CREATE INDEX i {a} ON {b}; -- @renamed from=z"),
                format!("CREATE TYPE t AS ENUM ( -- @renamed from=u\n{a} /* @renamed from={b} */"),
                format!("CREATE TYPE {a} /* @renamed from=u */ AS ENUM ('{b}' -- @renamed from='{a}'\n)"),
            ];
            for sql in &texts {
                for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
                    for hint in rename_hints(sql, dialect) {
                        prop_assert!(sql.get(hint.span.start..hint.span.end).is_some_and(|a| a.starts_with(MARKER)));
                    }
                }
            }
        }

        #[test]
        fn never_panics_on_sql_like_text(sql in sqlish()) {
            for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
                for hint in rename_hints(&sql, dialect) {
                    prop_assert!(sql.get(hint.span.start..hint.span.end).is_some_and(|a| a.starts_with(MARKER)));
                    prop_assert!(!hint.from.is_empty() && !hint.to.is_empty());
                }
            }
        }
    }
}

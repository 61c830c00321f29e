//! The machinery shared by the `sqlparser`-based frontends (MySQL/MariaDB and
//! SQLite): splitting a script into statements the way the dialect's own
//! client does, parsing each statement with `sqlparser`, and replaying the
//! parsed DDL into a [`Schema`].
//!
//! What differs between the dialects (type names, the names a server gives
//! unnamed constraints, which `ALTER TABLE` forms exist, ...) is asked of a
//! [`DialectRules`] implementation, so this module holds no dialect branches.
//!
//! Column types are not left to `sqlparser`: its type grammar rejects valid
//! spellings in both dialects (`VARCHAR(40) BINARY` in MySQL, `BLOB SUB_TYPE
//! TEXT` or `VARCHAR(10, 20)` in SQLite). Before parsing, each column type is
//! cut out of the statement by a small scanner that follows the dialect's type
//! grammar and replaced by a placeholder type name; the dialect then
//! canonicalises the original text.

use std::collections::BTreeMap;
use std::ops::Range;

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnDef, ColumnOption, ColumnOptionDef,
    CreateIndex, CreateTable, CreateTableLikeKind, CreateView, DataType, Expr,
    ForeignKeyConstraint, Ident, IndexColumn, IndexOption, IndexType, MySQLColumnPosition,
    ObjectName, ObjectType, OrderBySort, ReferentialAction, RenameTableNameKind, SqlOption,
    Statement, TableConstraint, Use,
};
use sqlparser::dialect::Dialect as SqlDialect;
use sqlparser::parser::{Parser, ParserError, ParserOptions};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use crate::model::{
    Column, Constraint, ConstraintIndex, ConstraintKind, FkAction, Index, IndexKey, IndexTarget,
    Table, UnmanagedStatement, View,
};
use crate::{Error, QualifiedName, Schema, Span, Warning};

/// The prefix of the placeholder type names put in place of column types
/// before a statement is handed to `sqlparser`.
const TYPE_PLACEHOLDER: &str = "__astrola_type_";

/// The server version executable comments are judged against: MariaDB 10.11.
const EXECUTABLE_COMMENT_VERSION: u64 = 101_199;

// ---------------------------------------------------------------------------
// Splitting a script into statements
// ---------------------------------------------------------------------------

/// How a dialect's command-line client splits a script into statements.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ScriptSyntax {
    /// `DELIMITER xx` lines change the statement delimiter (the `mysql` client).
    pub client_delimiter: bool,
    /// Backslash escapes inside quoted strings (MySQL).
    pub backslash_escapes: bool,
    /// `#` starts a comment (MySQL).
    pub hash_comments: bool,
    /// `--` starts a comment only when followed by whitespace (MySQL).
    pub dash_comment_needs_space: bool,
    /// `[name]` quotes an identifier (SQLite).
    pub bracket_identifiers: bool,
    /// `/*! ... */` and `/*M! ... */` are executable comments (MySQL/MariaDB).
    pub executable_comments: bool,
    /// `CREATE TRIGGER|PROCEDURE|FUNCTION|EVENT ... BEGIN ...; END;` is one
    /// statement when the delimiter is `;`: what `sqlite3` does for triggers,
    /// and what migration tools do for MySQL bodies written without `DELIMITER`.
    pub compound_bodies: bool,
}

/// A script split into statements.
#[derive(Debug)]
pub(crate) struct Script {
    /// The source with the markers of executable comments blanked out, so
    /// their content reads as plain SQL. Same length as the source, so byte
    /// offsets are shared.
    pub clean: String,
    /// The byte range of each statement, without its delimiter and without
    /// leading or trailing whitespace and comments.
    pub statements: Vec<Range<usize>>,
}

/// Splits `source` into statements the way the dialect's client does.
/// Fails only on a `DELIMITER` command without a delimiter.
pub(crate) fn split_script(
    source: &str,
    syntax: ScriptSyntax,
) -> Result<Script, (String, Range<usize>)> {
    Splitter::new(source, syntax).run()
}

struct Splitter<'a> {
    src: &'a [u8],
    syntax: ScriptSyntax,
    clean: Vec<u8>,
    pos: usize,
    delimiter: Vec<u8>,
    start: Option<usize>,
    last_end: usize,
    blocks: BodyBlocks,
    open_executable_comment: bool,
    statements: Vec<Range<usize>>,
}

impl<'a> Splitter<'a> {
    fn new(source: &'a str, syntax: ScriptSyntax) -> Self {
        Self {
            src: source.as_bytes(),
            syntax,
            clean: source.as_bytes().to_vec(),
            pos: 0,
            delimiter: b";".to_vec(),
            start: None,
            last_end: 0,
            blocks: BodyBlocks::default(),
            open_executable_comment: false,
            statements: Vec::new(),
        }
    }

    fn byte(&self, at: usize) -> u8 {
        self.src.get(at).copied().unwrap_or(0)
    }

    fn run(mut self) -> Result<Script, (String, Range<usize>)> {
        while self.pos < self.src.len() {
            if self.start.is_none() && self.syntax.client_delimiter && self.at_delimiter_command() {
                self.read_delimiter_command()?;
            } else {
                self.step();
            }
        }
        self.end_statement();
        let clean = String::from_utf8(self.clean)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok(Script {
            clean,
            statements: self.statements,
        })
    }

    fn at_delimiter_command(&self) -> bool {
        let word = b"delimiter";
        let end = self.pos + word.len();
        self.src
            .get(self.pos..end)
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
            && matches!(self.byte(end), b' ' | b'\t')
    }

    fn read_delimiter_command(&mut self) -> Result<(), (String, Range<usize>)> {
        let line_end = self.src[self.pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.src.len(), |i| self.pos + i);
        let rest = &self.src[self.pos + "delimiter".len()..line_end];
        let delimiter: Vec<u8> = rest
            .split(|b| b.is_ascii_whitespace())
            .find(|part| !part.is_empty())
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        if delimiter.is_empty() {
            return Err((
                "DELIMITER must be followed by a delimiter string".to_string(),
                self.pos..line_end,
            ));
        }
        self.delimiter = delimiter;
        self.pos = line_end;
        Ok(())
    }

    fn step(&mut self) {
        let b = self.byte(self.pos);
        let next = self.byte(self.pos + 1);
        if b.is_ascii_whitespace() {
            self.pos += 1;
        } else if (b == b'-' && next == b'-' && self.dash_comment_starts())
            || (b == b'#' && self.syntax.hash_comments)
        {
            self.skip_line();
        } else if b == b'/' && next == b'*' {
            self.block_comment();
        } else if b == b'*' && next == b'/' && self.open_executable_comment {
            self.blank(self.pos..self.pos + 2);
            self.mark(self.pos, self.pos + 2);
            self.open_executable_comment = false;
            self.pos += 2;
        } else if matches!(b, b'\'' | b'"' | b'`') {
            self.quoted(b);
        } else if b == b'[' && self.syntax.bracket_identifiers {
            self.quoted(b']');
        } else if self.src[self.pos..].starts_with(&self.delimiter) && !self.body_continues() {
            self.end_statement();
            self.pos += self.delimiter.len();
        } else if is_word_byte(b) {
            self.word();
        } else {
            self.mark(self.pos, self.pos + 1);
            self.blocks.other_token();
            self.pos += 1;
        }
    }

    /// Whether a `;` at this point is inside a compound body.
    fn body_continues(&mut self) -> bool {
        self.syntax.compound_bodies && self.delimiter == b";" && self.blocks.inside_body()
    }

    fn dash_comment_starts(&self) -> bool {
        !self.syntax.dash_comment_needs_space || matches!(self.byte(self.pos + 2), 0..=b' ')
    }

    fn skip_line(&mut self) {
        while self.pos < self.src.len() && self.byte(self.pos) != b'\n' {
            self.pos += 1;
        }
    }

    fn block_comment(&mut self) {
        if self.syntax.executable_comments {
            if let Some(marker_len) = self.executable_comment_marker() {
                self.blank(self.pos..self.pos + marker_len);
                self.mark(self.pos, self.pos + marker_len);
                self.open_executable_comment = true;
                self.pos += marker_len;
                return;
            }
        }
        let body = self.pos + 2;
        self.pos = self.src[body..]
            .windows(2)
            .position(|w| w == b"*/")
            .map_or(self.src.len(), |i| body + i + 2);
    }

    /// The length of `/*!NNNNN` or `/*M!NNNNNN` when the comment at `pos` is
    /// executed by MariaDB 10.11: the version is at most
    /// [`EXECUTABLE_COMMENT_VERSION`], and MySQL-only comments for versions
    /// 5.7 to 9.9 (`/*!50700` to `/*!99999`) are skipped, as MariaDB does.
    fn executable_comment_marker(&self) -> Option<usize> {
        let (prefix, mariadb) = if self.byte(self.pos + 2) == b'!' {
            (3, false)
        } else if self.byte(self.pos + 2) == b'M' && self.byte(self.pos + 3) == b'!' {
            (4, true)
        } else {
            return None;
        };
        let digits = self.src[self.pos + prefix..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let version: Option<u64> =
            std::str::from_utf8(&self.src[self.pos + prefix..self.pos + prefix + digits])
                .ok()
                .and_then(|v| v.parse().ok());
        let executed = match version {
            None => true,
            Some(v) if !mariadb && digits == 5 => !(50700..=99999).contains(&v),
            Some(v) => v <= EXECUTABLE_COMMENT_VERSION,
        };
        executed.then_some(prefix + digits)
    }

    fn quoted(&mut self, close: u8) {
        let begin = self.pos;
        let mut at = self.pos + 1;
        while at < self.src.len() {
            let b = self.byte(at);
            let escaped =
                b == b'\\' && self.syntax.backslash_escapes && close != b'`' && close != b']';
            let doubled = b == close && self.byte(at + 1) == close && close != b']';
            if escaped || doubled {
                at += 2;
            } else if b == close {
                at += 1;
                break;
            } else {
                at += 1;
            }
        }
        let end = at.min(self.src.len());
        self.mark(begin, end);
        self.blocks.other_token();
        self.pos = end;
    }

    fn word(&mut self) {
        let begin = self.pos;
        while self.pos < self.src.len() && is_word_byte(self.byte(self.pos)) {
            self.pos += 1;
            if self.src[self.pos..].starts_with(&self.delimiter) {
                break;
            }
        }
        self.mark(begin, self.pos);
        let word = String::from_utf8_lossy(&self.src[begin..self.pos]).to_ascii_uppercase();
        self.blocks.word(&word);
    }

    fn mark(&mut self, begin: usize, end: usize) {
        if self.start.is_none() {
            self.start = Some(begin);
        }
        self.last_end = end;
    }

    fn blank(&mut self, range: Range<usize>) {
        for b in self.clean.iter_mut().take(range.end).skip(range.start) {
            *b = b' ';
        }
    }

    fn end_statement(&mut self) {
        if let Some(start) = self.start.take() {
            self.statements.push(start..self.last_end.max(start));
        }
        self.blocks = BodyBlocks::default();
        self.open_executable_comment = false;
    }
}

/// The `BEGIN ... END` and `CASE ... END` nesting in the body of a trigger,
/// routine or event, as the statement is read word by word.
#[derive(Debug, Default)]
struct BodyBlocks {
    words_seen: usize,
    decided: bool,
    compound: bool,
    open: Vec<Block>,
    pending_end: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Begin,
    Case,
}

impl BodyBlocks {
    /// Reads the next (upper-cased) word of the statement.
    fn word(&mut self, word: &str) {
        if !self.decided {
            self.decide(word);
        }
        if !self.compound {
            return;
        }
        if std::mem::take(&mut self.pending_end) {
            match word {
                "IF" | "LOOP" | "WHILE" | "REPEAT" | "FOR" => return,
                "CASE" => {
                    if self.open.last() == Some(&Block::Case) {
                        self.open.pop();
                    }
                    return;
                }
                _ => {
                    self.open.pop();
                }
            }
        }
        match word {
            "BEGIN" => self.open.push(Block::Begin),
            "CASE" => self.open.push(Block::Case),
            "END" => self.pending_end = true,
            _ => {}
        }
    }

    /// Reads a token that is not a word: an `END` before it ends its block.
    fn other_token(&mut self) {
        if std::mem::take(&mut self.pending_end) {
            self.open.pop();
        }
    }

    /// At a `;`: whether a block is still open.
    fn inside_body(&mut self) -> bool {
        self.other_token();
        !self.open.is_empty()
    }

    /// Whether the statement creates a trigger, routine or event, from its
    /// leading words.
    fn decide(&mut self, word: &str) {
        self.words_seen += 1;
        match word {
            _ if self.words_seen == 1 => self.decided = word != "CREATE",
            "TRIGGER" | "PROCEDURE" | "FUNCTION" | "EVENT" => {
                self.compound = true;
                self.decided = true;
            }
            "TABLE" | "VIEW" | "INDEX" | "DATABASE" | "SCHEMA" | "USER" | "ROLE" | "SEQUENCE"
            | "SERVER" => self.decided = true,
            _ => self.decided = self.words_seen > 12,
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

// ---------------------------------------------------------------------------
// Positions and tokens
// ---------------------------------------------------------------------------

/// Maps `sqlparser`'s 1-based line and column (in characters) to byte offsets.
///
/// Lookups in increasing order (as tokens come) continue from the previous
/// one, so mapping every token of a long line stays linear.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the lines of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self {
            text,
            line_starts,
            last: std::cell::Cell::new((0, 0, 0)),
        }
    }

    /// The byte offset of `line`:`column`, clamped to the text.
    pub(crate) fn offset(&self, line: u64, column: u64) -> usize {
        let line = usize::try_from(line.max(1) - 1).unwrap_or(usize::MAX);
        let Some(&line_start) = self.line_starts.get(line) else {
            return self.text.len();
        };
        let column = usize::try_from(column.max(1) - 1).unwrap_or(usize::MAX);
        let (last_line, last_column, last_offset) = self.last.get();
        let (from_column, from_offset) = if last_line == line && last_column <= column {
            (last_column, last_offset)
        } else {
            (0, line_start)
        };
        let rest = self.text.get(from_offset..).unwrap_or("");
        let offset = rest
            .char_indices()
            .nth(column - from_column)
            .map_or(self.text.len(), |(i, _)| from_offset + i);
        self.last.set((line, column, offset));
        offset
    }
}

/// A significant token (not whitespace or a comment) and its byte range.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    /// The token, with string literals kept as written (not unescaped).
    pub token: Token,
    /// Its byte range in the tokenized text.
    pub range: Range<usize>,
}

impl Tok {
    /// The upper-cased word, when the token is an unquoted word.
    pub(crate) fn keyword(&self) -> Option<String> {
        match &self.token {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        }
    }

    /// Whether the token is the unquoted word `word` (upper case).
    pub(crate) fn is_keyword(&self, word: &str) -> bool {
        matches!(&self.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
    }
}

/// Tokenizes `text`, dropping whitespace and comments. On failure returns the
/// message and the byte offset of the problem.
pub(crate) fn significant_tokens(
    text: &str,
    dialect: &dyn SqlDialect,
) -> Result<Vec<Tok>, (String, usize)> {
    let index = LineIndex::new(text);
    let tokens = Tokenizer::new(dialect, text)
        .with_unescape(false)
        .tokenize_with_location()
        .map_err(|e| (e.message, index.offset(e.location.line, e.location.column)))?;
    Ok(tokens
        .into_iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .map(|t| {
            let start = index.offset(t.span.start.line, t.span.start.column);
            let end = index.offset(t.span.end.line, t.span.end.column).max(start);
            Tok {
                token: t.token,
                range: start..end,
            }
        })
        .collect())
}

/// The index just past the parenthesised group that opens at `open`, or
/// `open` when no group opens there.
pub(crate) fn skip_group(tokens: &[Tok], open: usize) -> usize {
    if !matches!(tokens.get(open).map(|t| &t.token), Some(Token::LParen)) {
        return open;
    }
    let mut depth = 0usize;
    for (i, tok) in tokens.iter().enumerate().skip(open) {
        match tok.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// A word near the start of a statement, read without the tokenizer (cheap
/// on huge `INSERT`s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LeadingWord {
    /// The word; the last part of a dotted name; unquoted.
    pub text: String,
    /// Whether it was written quoted.
    pub quoted: bool,
}

impl LeadingWord {
    /// Whether this is the unquoted keyword `word`.
    pub(crate) fn is(&self, word: &str) -> bool {
        !self.quoted && self.text.eq_ignore_ascii_case(word)
    }
}

/// Up to `limit` words at the start of `text`, skipping punctuation,
/// comments and string literals.
pub(crate) fn leading_words(text: &str, limit: usize) -> Vec<LeadingWord> {
    let bytes = text.as_bytes();
    let mut words: Vec<LeadingWord> = Vec::new();
    let mut at = 0;
    let mut after_dot = false;
    while at < bytes.len() && words.len() <= limit {
        let b = bytes[at];
        let next = bytes.get(at + 1).copied().unwrap_or(0);
        if (b == b'-' && next == b'-') || b == b'#' {
            at = text[at..].find('\n').map_or(bytes.len(), |i| at + i);
        } else if b == b'/' && next == b'*' {
            at = text[at + 2..]
                .find("*/")
                .map_or(bytes.len(), |i| at + 2 + i + 2);
        } else if matches!(b, b'`' | b'"' | b'[') {
            let close = if b == b'[' { ']' } else { b as char };
            let end = text[at + 1..]
                .find(close)
                .map_or(bytes.len(), |i| at + 1 + i);
            push_word(&mut words, &text[at + 1..end], true, after_dot);
            after_dot = false;
            at = end + 1;
        } else if b == b'\'' {
            at = text[at + 1..]
                .find('\'')
                .map_or(bytes.len(), |i| at + 1 + i + 1);
            after_dot = false;
        } else if is_word_byte(b) {
            let end = bytes[at..]
                .iter()
                .position(|&c| !is_word_byte(c))
                .map_or(bytes.len(), |i| at + i);
            push_word(&mut words, &text[at..end], false, after_dot);
            after_dot = false;
            at = end;
        } else {
            after_dot = b == b'.';
            at += 1;
        }
    }
    words.truncate(limit);
    words
}

fn push_word(words: &mut Vec<LeadingWord>, text: &str, quoted: bool, replaces_previous: bool) {
    let word = LeadingWord {
        text: text.to_string(),
        quoted,
    };
    match words.last_mut() {
        Some(last) if replaces_previous => *last = word,
        _ => words.push(word),
    }
}

/// The kind of an unmanaged statement: its first keyword, and for `CREATE`,
/// `ALTER` and `DROP` the kind of object (`CREATE TRIGGER`).
pub(crate) fn statement_kind(words: &[LeadingWord]) -> String {
    const OBJECTS: &[&str] = &[
        "TABLE",
        "VIEW",
        "INDEX",
        "TRIGGER",
        "PROCEDURE",
        "FUNCTION",
        "EVENT",
        "DATABASE",
        "SCHEMA",
        "USER",
        "ROLE",
        "SEQUENCE",
        "SERVER",
        "TABLESPACE",
        "PACKAGE",
        "SYNONYM",
    ];
    let Some(first) = words.first() else {
        return "UNKNOWN".to_string();
    };
    let verb = first.text.to_ascii_uppercase();
    if !matches!(verb.as_str(), "CREATE" | "ALTER" | "DROP") {
        return verb;
    }
    let object = words
        .iter()
        .skip(1)
        .take(12)
        .find(|w| !w.quoted && OBJECTS.iter().any(|o| w.is(o)));
    let is_virtual = words.iter().skip(1).take(3).any(|w| w.is("VIRTUAL"));
    let is_temporary = words
        .iter()
        .skip(1)
        .take(3)
        .any(|w| w.is("TEMPORARY") || w.is("TEMP"));
    match object {
        Some(o) if o.is("TABLE") && is_virtual => format!("{verb} VIRTUAL TABLE"),
        Some(o) if is_temporary => format!("{verb} TEMPORARY {}", o.text.to_ascii_uppercase()),
        Some(o) => format!("{verb} {}", o.text.to_ascii_uppercase()),
        None => verb,
    }
}

/// The name of the object an unmanaged `CREATE`/`DROP` statement is about,
/// with the table a trigger is `ON`.
fn unmanaged_object(words: &[LeadingWord], kind: &str) -> Option<(String, Option<String>)> {
    let object = kind.rsplit(' ').next()?;
    let at = words.iter().position(|w| w.is(object))?;
    let mut rest = words
        .iter()
        .skip(at + 1)
        .skip_while(|w| w.is("IF") || w.is("NOT") || w.is("EXISTS"));
    let name = rest.next()?.text.clone();
    let table = rest
        .skip_while(|w| !w.is("ON"))
        .nth(1)
        .map(|w| w.text.clone());
    Some((name, table))
}

// ---------------------------------------------------------------------------
// Preparing and parsing one statement
// ---------------------------------------------------------------------------

/// A statement ready for `sqlparser`: column types replaced by placeholders.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// The text handed to the parser.
    pub text: String,
    /// The original text of each replaced column type, by placeholder number.
    pub types: Vec<String>,
    /// A `PARTITION BY ...` clause cut from the end of a `CREATE TABLE`
    /// (which `sqlparser` cannot read), without the `PARTITION BY` keywords,
    /// whitespace collapsed.
    pub partition: Option<String>,
    edits: Vec<Edit>,
}

#[derive(Debug)]
struct Edit {
    new: Range<usize>,
    old: Range<usize>,
}

impl Prepared {
    /// The offset in the original statement of `offset` in [`Prepared::text`].
    pub(crate) fn original_offset(&self, offset: usize) -> usize {
        let mut shifted = offset as i128;
        for edit in &self.edits {
            if offset < edit.new.start {
                break;
            }
            if offset < edit.new.end {
                return edit.old.start;
            }
            shifted = offset as i128 + edit.old.end as i128 - edit.new.end as i128;
        }
        usize::try_from(shifted).unwrap_or(0)
    }

    /// The original column type behind a placeholder type.
    pub(crate) fn original_type(&self, data_type: &DataType) -> Option<&str> {
        let DataType::Custom(name, modifiers) = data_type else {
            return None;
        };
        if !modifiers.is_empty() {
            return None;
        }
        let [part] = name.0.as_slice() else {
            return None;
        };
        let number: usize = part
            .as_ident()?
            .value
            .strip_prefix(TYPE_PLACEHOLDER)?
            .parse()
            .ok()?;
        self.types.get(number).map(String::as_str)
    }
}

/// Replaces the column types of a `CREATE TABLE` or `ALTER TABLE` statement
/// by placeholders. Other statements are returned unchanged.
pub(crate) fn prepare(
    text: &str,
    words: &[LeadingWord],
    rules: &dyn DialectRules,
) -> Result<Prepared, (String, usize)> {
    let mut prepared = Prepared {
        text: text.to_string(),
        types: Vec::new(),
        partition: None,
        edits: Vec::new(),
    };
    let defines_columns = words
        .first()
        .is_some_and(|w| w.is("CREATE") || w.is("ALTER"))
        && words.iter().take(6).any(|w| w.is("TABLE"));
    if !defines_columns {
        return Ok(prepared);
    }
    let tokens = significant_tokens(text, rules.sql_dialect())?;
    let mut tail_end = text.len();
    if rules.reads_partition_clauses() && words.first().is_some_and(|w| w.is("CREATE")) {
        if let Some(start) = partition_clause_start(&tokens) {
            let clause = text.get(start..).unwrap_or("");
            let body = clause
                .split_whitespace()
                .skip(2)
                .collect::<Vec<_>>()
                .join(" ");
            prepared.partition = Some(body);
            tail_end = start;
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for span in column_type_spans(&tokens, rules) {
        let (Some(first), Some(last)) = (tokens.get(span.start), tokens.get(span.end - 1)) else {
            continue;
        };
        let old = first.range.start..last.range.end;
        let (Some(before), Some(original)) = (text.get(copied..old.start), text.get(old.clone()))
        else {
            continue;
        };
        out.push_str(before);
        let placeholder = format!("{TYPE_PLACEHOLDER}{}", prepared.types.len());
        let new = out.len()..out.len() + placeholder.len();
        out.push_str(&placeholder);
        prepared.types.push(original.to_string());
        prepared.edits.push(Edit {
            new,
            old: old.clone(),
        });
        copied = old.end;
    }
    out.push_str(text.get(copied..tail_end).unwrap_or(""));
    // The cut clause becomes blanks of the same length, keeping offsets.
    out.extend(
        text.get(tail_end..)
            .unwrap_or("")
            .bytes()
            .map(|b| if b == b'\n' { '\n' } else { ' ' }),
    );
    prepared.text = out;
    Ok(prepared)
}

/// Where a `PARTITION BY` clause starts after the column list of a
/// `CREATE TABLE`.
fn partition_clause_start(tokens: &[Tok]) -> Option<usize> {
    let table_at = tokens.iter().take(8).position(|t| t.is_keyword("TABLE"))?;
    let mut at = table_at + 1;
    if tokens.get(at).is_some_and(|t| t.is_keyword("IF")) {
        at += 3;
    }
    let after_columns = skip_group(tokens, skip_object_name(tokens, at));
    (after_columns..tokens.len())
        .find(|&i| {
            tokens[i].is_keyword("PARTITION")
                && tokens.get(i + 1).is_some_and(|t| t.is_keyword("BY"))
        })
        .map(|i| tokens[i].range.start)
}

/// Token ranges of the column types in a `CREATE TABLE` or `ALTER TABLE`.
fn column_type_spans(tokens: &[Tok], rules: &dyn DialectRules) -> Vec<Range<usize>> {
    let Some(table_at) = tokens.iter().take(8).position(|t| t.is_keyword("TABLE")) else {
        return Vec::new();
    };
    let mut at = table_at + 1;
    if tokens.get(at).is_some_and(|t| t.is_keyword("IF")) {
        at += if tokens.get(at + 1).is_some_and(|t| t.is_keyword("NOT")) {
            3
        } else {
            2
        };
    }
    at = skip_object_name(tokens, at);
    if tokens.first().is_some_and(|t| t.is_keyword("CREATE")) {
        create_table_type_spans(tokens, at, rules)
    } else {
        alter_table_type_spans(tokens, at, rules)
    }
}

fn skip_object_name(tokens: &[Tok], mut at: usize) -> usize {
    at += 1;
    while matches!(tokens.get(at).map(|t| &t.token), Some(Token::Period)) {
        at += 2;
    }
    at
}

fn create_table_type_spans(
    tokens: &[Tok],
    open: usize,
    rules: &dyn DialectRules,
) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    if !matches!(tokens.get(open).map(|t| &t.token), Some(Token::LParen)) {
        return spans;
    }
    let close = skip_group(tokens, open).saturating_sub(1);
    let mut element = open + 1;
    while element < close {
        let is_constraint = tokens[element]
            .keyword()
            .is_some_and(|w| rules.starts_table_constraint(&w));
        if !is_constraint && matches!(tokens[element].token, Token::Word(_)) {
            let end = rules.type_extent(tokens, element + 1).min(close);
            if end > element + 1 {
                spans.push(element + 1..end);
            }
        }
        element = next_list_item(tokens, element, close) + 1;
    }
    spans
}

/// The index of the comma (or `end`) that ends the list item starting at `at`.
fn next_list_item(tokens: &[Tok], mut at: usize, end: usize) -> usize {
    while at < end {
        match tokens[at].token {
            Token::Comma => return at,
            Token::LParen => at = skip_group(tokens, at),
            _ => at += 1,
        }
    }
    end
}

fn alter_table_type_spans(
    tokens: &[Tok],
    mut at: usize,
    rules: &dyn DialectRules,
) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let end = tokens.len();
    while at < end {
        if let Some(name_at) = altered_column_name(tokens, at, rules) {
            let type_end = rules.type_extent(tokens, name_at + 1).min(end);
            if type_end > name_at + 1 {
                spans.push(name_at + 1..type_end);
            }
        }
        at = next_list_item(tokens, at, end) + 1;
    }
    spans
}

/// Where the column name sits in an `ADD [COLUMN]`, `MODIFY [COLUMN]` or
/// `CHANGE [COLUMN] old` operation starting at `at`.
fn altered_column_name(tokens: &[Tok], at: usize, rules: &dyn DialectRules) -> Option<usize> {
    let verb = tokens.get(at)?.keyword()?;
    let mut name_at = at + 1;
    let explicit_column = tokens.get(name_at).is_some_and(|t| t.is_keyword("COLUMN"));
    if explicit_column {
        name_at += 1;
    }
    if tokens.get(name_at).is_some_and(|t| t.is_keyword("IF")) {
        name_at += if tokens.get(name_at + 1).is_some_and(|t| t.is_keyword("NOT")) {
            3
        } else {
            2
        };
    }
    let name = tokens.get(name_at)?;
    if !matches!(name.token, Token::Word(_)) {
        return None;
    }
    match verb.as_str() {
        "ADD"
            if !explicit_column
                && name
                    .keyword()
                    .is_some_and(|w| rules.starts_table_constraint(&w) || w == "PARTITION") =>
        {
            None
        }
        "ADD" | "MODIFY" => Some(name_at),
        "CHANGE" => Some(name_at + 1),
        _ => None,
    }
}

/// Why a statement did not parse.
#[derive(Debug)]
pub(crate) struct ParseFailure {
    /// `sqlparser`'s message, without its location suffix.
    pub message: String,
    /// The byte offset in the prepared text, when `sqlparser` gave one.
    pub offset: Option<usize>,
}

/// Parses a prepared statement. Parsing keeps string literals as written.
///
/// `sqlparser` limits how deeply it recurses, but a long flat chain such as
/// `1+1+...+1` nests its AST without recursing while parsing, and printing or
/// dropping that AST would then exhaust the stack. Statements that chain
/// more than [`MAX_CHAINED_OPERATORS`] operators at one level are refused.
pub(crate) fn parse_prepared(
    prepared: &Prepared,
    dialect: &dyn SqlDialect,
) -> Result<Vec<Statement>, ParseFailure> {
    let index = LineIndex::new(&prepared.text);
    let tokens = Tokenizer::new(dialect, &prepared.text)
        .with_unescape(false)
        .tokenize_with_location()
        .map_err(|e| ParseFailure {
            message: e.message,
            offset: Some(index.offset(e.location.line, e.location.column)),
        })?;
    if let Some(at) = overlong_chain(&tokens) {
        return Err(ParseFailure {
            message: format!("an expression chains more than {MAX_CHAINED_OPERATORS} operators; it is refused to keep the stack safe"),
            offset: Some(index.offset(at.line, at.column)),
        });
    }
    Parser::new(dialect)
        .with_options(ParserOptions::new().with_unescape(false))
        .with_tokens_with_locations(tokens)
        .parse_statements()
        .map_err(|e| parse_failure(e, &prepared.text))
}

/// The most operators one expression level may chain (a depth the stack
/// handles with room to spare).
pub(crate) const MAX_CHAINED_OPERATORS: usize = 5_000;

/// Where a run of operators at one parenthesis level grows past
/// [`MAX_CHAINED_OPERATORS`], if one does.
fn overlong_chain(tokens: &[TokenWithSpan]) -> Option<sqlparser::tokenizer::Location> {
    let mut counts: Vec<usize> = vec![0];
    for token in tokens {
        match &token.token {
            Token::LParen => counts.push(0),
            Token::RParen if counts.len() > 1 => {
                counts.pop();
            }
            Token::Comma | Token::SemiColon => {
                if let Some(count) = counts.last_mut() {
                    *count = 0;
                }
            }
            other if chains(other) => {
                let count = counts.last_mut()?;
                *count += 1;
                if *count > MAX_CHAINED_OPERATORS {
                    return Some(token.span.start);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether a token joins two expressions (or extends one) into a deeper one.
fn chains(token: &Token) -> bool {
    use sqlparser::keywords::Keyword as K;
    match token {
        Token::Word(w) => {
            w.quote_style.is_none()
                && matches!(
                    w.keyword,
                    K::AND
                        | K::OR
                        | K::XOR
                        | K::IS
                        | K::LIKE
                        | K::ILIKE
                        | K::COLLATE
                        | K::REGEXP
                        | K::RLIKE
                        | K::DIV
                        | K::MOD
                        | K::BETWEEN
                        | K::IN
                        | K::ESCAPE
                        | K::SIMILAR
                        | K::OVERLAPS
                )
        }
        Token::Plus
        | Token::Minus
        | Token::Mul
        | Token::Div
        | Token::Mod
        | Token::DuckIntDiv
        | Token::StringConcat
        | Token::Eq
        | Token::DoubleEq
        | Token::Neq
        | Token::Lt
        | Token::Gt
        | Token::LtEq
        | Token::GtEq
        | Token::Spaceship
        | Token::Ampersand
        | Token::Pipe
        | Token::Caret
        | Token::ShiftLeft
        | Token::ShiftRight
        | Token::Arrow
        | Token::LongArrow
        | Token::DoubleColon
        | Token::LBracket
        | Token::Period => true,
        _ => false,
    }
}

fn parse_failure(error: ParserError, text: &str) -> ParseFailure {
    let message = match error {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m,
        ParserError::RecursionLimitExceeded => {
            "the statement nests too deeply (recursion limit exceeded)".to_string()
        }
    };
    match split_location(&message) {
        Some((head, line, column)) => ParseFailure {
            message: head.to_string(),
            offset: Some(LineIndex::new(text).offset(line, column)),
        },
        None => ParseFailure {
            message,
            offset: None,
        },
    }
}

/// Splits `"... at Line: 3, Column: 7"` into the message, line and column.
fn split_location(message: &str) -> Option<(&str, u64, u64)> {
    let at = message.rfind(" at Line: ")?;
    let (head, tail) = message.split_at(at);
    let (line, column) = tail.strip_prefix(" at Line: ")?.split_once(", Column: ")?;
    Some((head, line.trim().parse().ok()?, column.trim().parse().ok()?))
}

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------

/// Renders `text` (SQL printed by `sqlparser`) in canonical form, so that
/// equivalent spellings compare equal: quotes go from identifiers that are
/// no reserved word of the dialect, `database.` qualifiers naming
/// `current_database` go, and (where the dialect asks) function names are
/// lower case.
pub(crate) fn canonical_sql(
    text: &str,
    rules: &dyn DialectRules,
    current_database: Option<&str>,
) -> String {
    let Ok(tokens) = Tokenizer::new(rules.sql_dialect(), text)
        .with_unescape(false)
        .tokenize()
    else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    let mut skip_period = false;
    for (i, token) in tokens.iter().enumerate() {
        if std::mem::take(&mut skip_period) && matches!(token, Token::Period) {
            continue;
        }
        let Token::Word(w) = token else {
            out.push_str(&token.to_string());
            continue;
        };
        let next_is = |wanted: &Token| tokens.get(i + 1) == Some(wanted);
        let after_period = matches!(
            i.checked_sub(1).and_then(|p| tokens.get(p)),
            Some(Token::Period)
        );
        if current_database.is_some_and(|db| db == w.value)
            && next_is(&Token::Period)
            && !after_period
        {
            skip_period = true;
        } else if w.quote_style.is_some()
            && is_plain_name(&w.value)
            && !rules.is_reserved(&w.value.to_ascii_uppercase())
        {
            out.push_str(&w.value);
        } else if w.quote_style.is_none()
            && next_is(&Token::LParen)
            && rules.lowercases_function_names()
            && !is_clause_keyword(w)
        {
            out.push_str(&w.value.to_ascii_lowercase());
        } else {
            out.push_str(&token.to_string());
        }
    }
    out
}

/// Whether `name` is a plain word (letters, digits, underscores).
fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Keywords that may precede `(` without naming a function.
fn is_clause_keyword(word: &sqlparser::tokenizer::Word) -> bool {
    use sqlparser::keywords::Keyword as K;
    matches!(
        word.keyword,
        K::IN
            | K::VALUES
            | K::AS
            | K::EXISTS
            | K::AND
            | K::OR
            | K::NOT
            | K::ON
            | K::USING
            | K::OVER
            | K::FROM
            | K::JOIN
            | K::SELECT
            | K::WHERE
            | K::WHEN
            | K::THEN
            | K::ELSE
            | K::BETWEEN
            | K::LIKE
            | K::IS
            | K::ANY
            | K::ALL
            | K::SOME
            | K::KEY
            | K::INDEX
            | K::TABLE
            | K::INTO
            | K::BY
            | K::WITH
            | K::CHECK
            | K::DEFAULT
            | K::PARTITION
            | K::WINDOW
            | K::FILTER
            | K::UNION
            | K::EXCEPT
            | K::INTERSECT
            | K::LATERAL
            | K::RECURSIVE
            | K::DISTINCT
            | K::HAVING
    )
}

/// The number in a numeric literal expression (`3`, `-1.5`), as written.
pub(crate) fn numeric_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::Number(n, _) => Some(n.clone()),
            _ => None,
        },
        Expr::UnaryOp {
            op: sqlparser::ast::UnaryOperator::Minus,
            expr,
        } => numeric_literal(expr).map(|n| format!("-{n}")),
        Expr::UnaryOp {
            op: sqlparser::ast::UnaryOperator::Plus,
            expr,
        } => numeric_literal(expr),
        _ => None,
    }
}

/// The raw (still escaped) text of a string literal expression.
pub(crate) fn string_literal(expr: &Expr) -> Option<&str> {
    let Expr::Value(v) = expr else {
        return None;
    };
    match &v.value {
        sqlparser::ast::Value::SingleQuotedString(s)
        | sqlparser::ast::Value::DoubleQuotedString(s)
        | sqlparser::ast::Value::NationalStringLiteral(s) => Some(s),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// What a dialect decides
// ---------------------------------------------------------------------------

/// What to do with a statement recognised before parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Disposition {
    /// Session noise: ignore it.
    Ignore,
    /// Keep it as an unmanaged statement, with a warning.
    Unmanaged,
}

/// A column type in canonical form, with what the type implies for the column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ColumnType {
    /// The canonical type.
    pub data_type: String,
    /// A collation the type implies (MySQL's `BINARY` attribute).
    pub collation: Option<String>,
    /// The type implies `NOT NULL` (MySQL's `SERIAL`).
    pub not_null: bool,
    /// Attributes the type implies (`AUTO_INCREMENT` for `SERIAL`).
    pub extra: Vec<String>,
    /// The type implies a unique key (MySQL's `SERIAL`).
    pub unique: bool,
}

/// Everything a dialect decides while its DDL is replayed.
pub(crate) trait DialectRules {
    /// The `sqlparser` dialect.
    fn sql_dialect(&self) -> &dyn SqlDialect;
    /// How the dialect's client splits scripts.
    fn script_syntax(&self) -> ScriptSyntax;
    /// The database unqualified names belong to (`main` in SQLite).
    fn default_database(&self) -> Option<&str> {
        None
    }
    /// Handles statements `sqlparser` cannot parse but that are valid (SQLite
    /// `PRAGMA x = ON`), by their leading words.
    fn classify_unparsed(&self, _words: &[LeadingWord]) -> Option<Disposition> {
        None
    }
    /// Whether an element of `CREATE TABLE (...)` starting with this unquoted
    /// upper-case word is a table constraint rather than a column.
    fn starts_table_constraint(&self, word: &str) -> bool;
    /// The index past the last token of the column type starting at `start`
    /// (`start` itself when the column has no type).
    fn type_extent(&self, tokens: &[Tok], start: usize) -> usize;
    /// The canonical form of a column type written `raw`, in `table`.
    fn column_type(&self, raw: &str, table: &Table) -> Result<ColumnType, String>;
    /// The value of a string literal written `raw` (between the quotes).
    fn unescape_literal(&self, raw: &str) -> String;
    /// The canonical `DEFAULT` of `column`; `None` for `DEFAULT NULL`.
    fn canonical_default(
        &self,
        expr: &Expr,
        column: &Column,
        current_database: Option<&str>,
    ) -> Option<String>;
    /// The canonical `ON UPDATE` expression.
    fn canonical_on_update(&self, expr: &Expr) -> String {
        expr.to_string()
    }
    /// The canonical spelling of a collation (or character set) name.
    fn canonical_collation(&self, name: &str) -> String;
    /// Whether `word` (upper case) is reserved, so a name spelled so keeps
    /// its quotes.
    fn is_reserved(&self, word: &str) -> bool;
    /// Whether function names are written in lower case (as MariaDB stores
    /// expressions).
    fn lowercases_function_names(&self) -> bool {
        false
    }
    /// Applies one table option of `CREATE TABLE`.
    fn table_option(&self, option: &SqlOption, table: &mut Table) -> Result<(), String>;
    /// Whether a `PARTITION BY` clause closing a `CREATE TABLE` is kept in
    /// `Table::options` (MySQL), since `sqlparser` cannot read it.
    fn reads_partition_clauses(&self) -> bool {
        false
    }
    /// Applies the table options of an `ALTER TABLE` `sqlparser` cannot read
    /// (`ENGINE = InnoDB, AUTO_INCREMENT = 5`), given the tokens after the
    /// table name; `false` when the tokens are not all table options.
    fn alter_table_options(&self, _tokens: &[Tok], _table: &mut Table) -> bool {
        false
    }
    /// Whether table names compare case-insensitively.
    fn table_names_ignore_case(&self) -> bool;
    /// The key of index `index` of `table` in [`Schema::indexes`].
    fn index_key(&self, table: &str, index: &str) -> QualifiedName;
    /// Whether `UNIQUE` constraints are plain unique indexes (MySQL).
    fn unique_as_index(&self) -> bool;
    /// Whether primary key columns become `NOT NULL`.
    fn primary_key_implies_not_null(&self) -> bool;
    /// Whether a foreign key creates an index on its columns when none covers them.
    fn implicit_foreign_key_index(&self) -> bool;
    /// Whether column-level `REFERENCES` creates a foreign key.
    fn column_references_create_foreign_keys(&self) -> bool {
        true
    }
    /// The action of an `ON DELETE`/`ON UPDATE` that is not written.
    fn default_fk_action(&self) -> FkAction;
    /// The method of an index with no `USING`.
    fn default_index_method(&self) -> &'static str;
    /// The name of a primary key written with `name` (or none).
    fn primary_key_name(&self, table: &str, name: Option<&str>) -> String;
    /// The name of an unnamed `CHECK` (`column` for a column-level one).
    fn unnamed_check_name(
        &self,
        table: &str,
        existing: &BTreeMap<String, Constraint>,
        column: Option<&str>,
    ) -> String;
    /// The name of an unnamed `UNIQUE` constraint.
    fn unnamed_unique_name(
        &self,
        table: &str,
        existing: &BTreeMap<String, Constraint>,
        columns: &[String],
    ) -> String;
    /// The name of an unnamed foreign key.
    fn unnamed_foreign_key_name(
        &self,
        table: &str,
        existing: &BTreeMap<String, Constraint>,
        columns: &[String],
    ) -> String;
    /// The name of an unnamed index whose keys are `keys`; `taken` tells
    /// which names the table already uses.
    fn unnamed_index_name(&self, keys: &[IndexKey], taken: &dyn Fn(&str) -> bool) -> String;
    /// The key for a key part `name(length)` (a MySQL prefix), if the
    /// dialect reads it so.
    fn prefix_key_part(&self, _name: &str, _length: &str) -> Option<IndexTarget> {
        None
    }
    /// Whether the dialect accepts this `ALTER TABLE` operation at all.
    fn alter_supported(&self, _operation: &AlterTableOperation) -> bool {
        true
    }
    /// Whether `USE db` names the database later qualifiers refer to.
    fn tracks_current_database(&self) -> bool {
        false
    }
}

/// Whether `name` is written `<prefix><number>` (`CONSTRAINT_3`).
pub(crate) fn numbered(name: &str, prefix: &str) -> Option<u64> {
    name.strip_prefix(prefix)?.parse().ok()
}

/// The first of `base`, `base<sep>2`, `base<sep>3`, ... that `taken` rejects.
pub(crate) fn first_free(base: &str, separator: &str, taken: &dyn Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2u64..)
        .map(|n| format!("{base}{separator}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| base.to_string())
}

// ---------------------------------------------------------------------------
// Replay
// ---------------------------------------------------------------------------

/// Replays the statements of `source` on `schema` with the rules of a dialect.
pub(crate) fn replay(
    rules: &dyn DialectRules,
    schema: &mut Schema,
    source: &str,
    file: &str,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let script =
        split_script(source, rules.script_syntax()).map_err(|(message, range)| Error::Parse {
            message,
            span: Span::locate(file, source, range.start, range.end),
            statement: source.get(range).unwrap_or("").to_string(),
        })?;
    let mut replay = Replay {
        rules,
        schema,
        warnings,
        file,
        source,
        current_database: rules.default_database().map(str::to_string),
    };
    for range in script.statements {
        let clean = script.clean.get(range.clone()).unwrap_or("");
        replay.statement(range, clean)?;
    }
    Ok(())
}

/// One statement being replayed: where it is, as written and as parsed.
struct Current<'s> {
    range: Range<usize>,
    original: &'s str,
    words: Vec<LeadingWord>,
}

type Fail = String;

struct Replay<'r> {
    rules: &'r dyn DialectRules,
    schema: &'r mut Schema,
    warnings: &'r mut Vec<Warning>,
    file: &'r str,
    source: &'r str,
    current_database: Option<String>,
}

/// Where a table's key constraint or index comes from, for naming.
struct KeySpec {
    name: Option<String>,
    keys: Vec<IndexKey>,
    method: Option<String>,
    comment: Option<String>,
}

/// A foreign key being added.
struct ForeignKeySpec {
    name: Option<String>,
    index_name: Option<String>,
    columns: Vec<String>,
    ref_table: String,
    ref_columns: Vec<String>,
    on_delete: Option<ReferentialAction>,
    on_update: Option<ReferentialAction>,
    deferrable: bool,
    initially_deferred: bool,
}

/// A constraint written on a column.
enum InlineConstraint {
    PrimaryKey(Option<String>),
    Unique(Option<String>),
    Check(Option<String>, Expr),
    ForeignKey(ForeignKeyConstraint),
}

impl<'r> Replay<'r> {
    fn span(&self, range: &Range<usize>) -> Span {
        Span::locate(self.file, self.source, range.start, range.end)
    }

    fn error(
        &self,
        current: &Current,
        at: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Error {
        let range = at.unwrap_or_else(|| current.range.clone());
        Error::Parse {
            message: message.into(),
            span: self.span(&range),
            statement: current.original.to_string(),
        }
    }

    fn warn(&mut self, current: &Current, message: String) {
        let span = self.span(&current.range);
        self.warnings.push(Warning { message, span });
    }

    fn keep_unmanaged(&mut self, current: &Current, kind: String, why: &str) {
        let span = self.span(&current.range);
        self.warnings.push(Warning {
            message: format!("{kind} kept as an unmanaged statement{why}"),
            span: span.clone(),
        });
        self.schema.unmanaged.push(UnmanagedStatement {
            kind,
            sql: current.original.to_string(),
            span,
        });
    }

    fn statement(&mut self, range: Range<usize>, clean: &str) -> Result<(), Error> {
        let current = Current {
            original: self.source.get(range.clone()).unwrap_or(""),
            range,
            words: leading_words(clean, 24),
        };
        if current.words.is_empty() {
            return Ok(());
        }
        match self.rules.classify_unparsed(&current.words) {
            Some(Disposition::Ignore) => return Ok(()),
            Some(Disposition::Unmanaged) => {
                self.keep_unmanaged(&current, statement_kind(&current.words), "");
                return Ok(());
            }
            None => {}
        }
        let prepared =
            prepare(clean, &current.words, self.rules).map_err(|(message, offset)| {
                let at = current.range.start + offset;
                self.error(&current, Some(at..current.range.end), message)
            })?;
        let statements = match parse_prepared(&prepared, self.rules.sql_dialect()) {
            Ok(statements) => statements,
            Err(failure) => return self.unparsed(&current, &prepared, failure),
        };
        for statement in statements {
            self.apply_atomically(&current, &prepared, statement)?;
        }
        Ok(())
    }

    /// Routines, triggers and events are kept as unmanaged even when
    /// `sqlparser` cannot read their bodies; anything else is an error.
    fn unparsed(
        &mut self,
        current: &Current,
        prepared: &Prepared,
        failure: ParseFailure,
    ) -> Result<(), Error> {
        let kind = statement_kind(&current.words);
        let routine = matches!(
            kind.split_once(' '),
            Some((
                "CREATE" | "ALTER",
                "TRIGGER" | "PROCEDURE" | "FUNCTION" | "EVENT"
            ))
        );
        if routine {
            self.keep_unmanaged(current, kind, " (sqlparser cannot read its body)");
            return Ok(());
        }
        if kind == "ALTER TABLE" && self.alter_table_options(&prepared.text) {
            return Ok(());
        }
        let at = failure.offset.map(|o| {
            let start = current.range.start + prepared.original_offset(o);
            start..self.token_end(start, current.range.end)
        });
        Err(self.error(current, at, failure.message))
    }

    /// `ALTER TABLE t ENGINE = x, RENAME INDEX a TO b, ...`: table options
    /// and index renames, which `sqlparser` does not read. Returns whether
    /// the statement was only that (and was applied).
    fn alter_table_options(&mut self, text: &str) -> bool {
        let Ok(tokens) = significant_tokens(text, self.rules.sql_dialect()) else {
            return false;
        };
        let Some(table_at) = tokens.iter().take(4).position(|t| t.is_keyword("TABLE")) else {
            return false;
        };
        let Some(Token::Word(word)) = tokens.get(table_at + 1).map(|t| &t.token) else {
            return false;
        };
        let key = self.table_key(&word_name(word));
        let Some(mut table) = self.schema.tables.get(&key).cloned() else {
            return false;
        };
        let items_at = skip_object_name(&tokens, table_at + 1);
        let (renames, options) = split_index_renames(tokens.get(items_at..).unwrap_or(&[]));
        if !options.is_empty() && !self.rules.alter_table_options(&options, &mut table) {
            return false;
        }
        let indexes = self.schema.indexes.clone();
        for (old, new) in renames {
            let Some(old_key) = self.index_key_by_name(Some(&key), &old) else {
                self.schema.indexes = indexes;
                return false;
            };
            if let Some(index) = self.schema.indexes.remove(&old_key) {
                self.schema
                    .indexes
                    .insert(self.rules.index_key(&key.name, &new), index);
            }
        }
        self.schema.tables.insert(key, table);
        true
    }

    /// The end of the token starting at `start`, for error spans.
    fn token_end(&self, start: usize, limit: usize) -> usize {
        let rest = self.source.get(start..limit).unwrap_or("");
        match significant_tokens(rest, self.rules.sql_dialect()) {
            Ok(tokens) => tokens.first().map_or(limit, |t| start + t.range.end),
            Err(_) => limit,
        }
    }

    /// Applies a statement; a DDL statement that fails half-way leaves the
    /// schema as it was.
    fn apply_atomically(
        &mut self,
        current: &Current,
        prepared: &Prepared,
        statement: Statement,
    ) -> Result<(), Error> {
        let changes_objects = matches!(
            statement,
            Statement::CreateTable(_)
                | Statement::AlterTable(_)
                | Statement::CreateIndex(_)
                | Statement::Drop { .. }
                | Statement::RenameTable(_)
                | Statement::CreateView(_)
        );
        let before = changes_objects.then(|| {
            (
                self.schema.tables.clone(),
                self.schema.indexes.clone(),
                self.schema.views.clone(),
                self.schema.unmanaged.len(),
            )
        });
        let result = self.apply(current, prepared, statement);
        if let Err(message) = result {
            if let Some((tables, indexes, views, unmanaged)) = before {
                (self.schema.tables, self.schema.indexes, self.schema.views) =
                    (tables, indexes, views);
                self.schema.unmanaged.truncate(unmanaged);
            }
            return Err(self.error(current, None, message));
        }
        Ok(())
    }

    fn apply(
        &mut self,
        current: &Current,
        prepared: &Prepared,
        statement: Statement,
    ) -> Result<(), Fail> {
        match statement {
            Statement::CreateTable(create) => self.create_table(current, prepared, create),
            Statement::AlterTable(alter) => self.alter_table(
                current,
                prepared,
                &alter.name,
                alter.if_exists,
                alter.operations,
            ),
            Statement::CreateIndex(create) => self.create_index(create),
            Statement::Drop {
                object_type,
                if_exists,
                names,
                table,
                ..
            } => self.drop(current, object_type, if_exists, &names, table.as_ref()),
            Statement::DropTrigger(drop) => {
                self.drop_unmanaged(
                    current,
                    "TRIGGER",
                    &last_name(&drop.trigger_name),
                    drop.if_exists,
                );
                Ok(())
            }
            Statement::RenameTable(renames) => renames.iter().try_for_each(|r| {
                self.rename_table(&last_name(&r.old_name), &last_name(&r.new_name))
            }),
            Statement::CreateView(create) => self.create_view(current, create),
            Statement::Use(target) => {
                self.use_database(target);
                Ok(())
            }
            Statement::CreateDatabase { .. } | Statement::CreateSchema { .. } => {
                let kind = statement_kind(&current.words);
                self.warn(
                    current,
                    format!("{kind} ignored: the schema model holds the objects of one database"),
                );
                Ok(())
            }
            Statement::Set(_)
            | Statement::StartTransaction { .. }
            | Statement::Commit { .. }
            | Statement::Rollback { .. }
            | Statement::Savepoint { .. }
            | Statement::ReleaseSavepoint { .. }
            | Statement::LockTables { .. }
            | Statement::UnlockTables
            | Statement::Lock(_) => Ok(()),
            _ => {
                self.keep_unmanaged(current, statement_kind(&current.words), "");
                Ok(())
            }
        }
    }

    fn use_database(&mut self, target: Use) {
        if !self.rules.tracks_current_database() {
            return;
        }
        if let Use::Object(name) | Use::Database(name) | Use::Schema(name) = target {
            self.current_database = Some(last_name(&name));
        }
    }

    // -- names ---------------------------------------------------------------

    /// The key of table `name`: the existing spelling when the dialect
    /// ignores case, else `name` as written.
    fn table_key(&self, name: &str) -> QualifiedName {
        self.existing_key(&self.schema.tables, name)
    }

    /// The key of view `name`, as [`Self::table_key`].
    fn view_key(&self, name: &str) -> QualifiedName {
        self.existing_key(&self.schema.views, name)
    }

    /// The key in `map` that names `name`, up to case where the dialect
    /// ignores it; `name` as written when there is none.
    fn existing_key<V>(&self, map: &BTreeMap<QualifiedName, V>, name: &str) -> QualifiedName {
        if self.rules.table_names_ignore_case() {
            if let Some(existing) = map.keys().find(|k| k.name.eq_ignore_ascii_case(name)) {
                return existing.clone();
            }
        }
        QualifiedName::new("", name)
    }

    fn table(&self, key: &QualifiedName) -> Result<&Table, Fail> {
        self.schema
            .tables
            .get(key)
            .ok_or_else(|| format!("table `{}` does not exist", key.name))
    }

    fn table_mut(&mut self, key: &QualifiedName) -> Result<&mut Table, Fail> {
        self.schema
            .tables
            .get_mut(key)
            .ok_or_else(|| format!("table `{}` does not exist", key.name))
    }

    /// The stored spelling of column `name` of `table`.
    fn column_name(&self, key: &QualifiedName, name: &str) -> Result<String, Fail> {
        let table = self.table(key)?;
        table
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .map(|c| c.name.clone())
            .ok_or_else(|| format!("column `{name}` does not exist in table `{}`", key.name))
    }

    fn column_names(&self, key: &QualifiedName, names: &[Ident]) -> Result<Vec<String>, Fail> {
        names
            .iter()
            .map(|n| self.column_name(key, &name_of(n)))
            .collect()
    }

    /// The indexes of `table`, by key.
    fn indexes_of<'a>(
        &'a self,
        table: &'a QualifiedName,
    ) -> impl Iterator<Item = (&'a QualifiedName, &'a Index)> + 'a {
        self.schema
            .indexes
            .iter()
            .filter(move |(_, i)| i.table == *table)
    }

    fn index_key_by_name(
        &self,
        table: Option<&QualifiedName>,
        name: &str,
    ) -> Option<QualifiedName> {
        self.schema
            .indexes
            .iter()
            .find(|(k, i)| k.name.eq_ignore_ascii_case(name) && table.is_none_or(|t| i.table == *t))
            .map(|(k, _)| k.clone())
    }

    /// Whether `name` is already used by an index (or the primary key) of `table`.
    fn index_name_taken(&self, table: &QualifiedName, name: &str) -> bool {
        let key = self.rules.index_key(&table.name, name);
        let by_key = self
            .schema
            .indexes
            .keys()
            .any(|k| k.schema == key.schema && k.name.eq_ignore_ascii_case(&key.name));
        let by_pk = self
            .schema
            .tables
            .get(table)
            .and_then(Table::primary_key)
            .is_some_and(|(n, _)| n.eq_ignore_ascii_case(name));
        by_key || by_pk
    }

    // -- CREATE TABLE --------------------------------------------------------

    fn create_table(
        &mut self,
        current: &Current,
        prepared: &Prepared,
        create: CreateTable,
    ) -> Result<(), Fail> {
        if create.temporary {
            self.keep_unmanaged(current, "CREATE TEMPORARY TABLE".to_string(), "");
            return Ok(());
        }
        if create.query.is_some() {
            self.keep_unmanaged(
                current,
                "CREATE TABLE ... AS SELECT".to_string(),
                " (its columns come from a query)",
            );
            return Ok(());
        }
        let name = last_name(&create.name);
        let key = self.table_key(&name);
        if self.schema.tables.contains_key(&key) {
            return if create.if_not_exists {
                Ok(())
            } else {
                Err(format!("table `{name}` already exists"))
            };
        }
        if self.schema.views.contains_key(&self.view_key(&name)) {
            return Err(format!("`{name}` already exists as a view"));
        }
        if let Some(like) = &create.like {
            let source = match like {
                CreateTableLikeKind::Parenthesized(l) | CreateTableLikeKind::Plain(l) => {
                    last_name(&l.name)
                }
            };
            return self.create_table_like(&key, &source);
        }
        let mut table = Table::default();
        self.table_options(&create, &mut table)?;
        if let Some(partition) = &prepared.partition {
            table
                .options
                .insert("PARTITION BY".to_string(), partition.clone());
        }
        self.schema.tables.insert(key.clone(), table);
        let mut inline = Vec::new();
        for def in create.columns {
            let (column, constraints) = self.column(prepared, def, &key)?;
            let table = self.table_mut(&key)?;
            if table
                .columns
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(&column.name))
            {
                return Err(format!("duplicate column `{}`", column.name));
            }
            inline.push((column.name.clone(), constraints));
            table.columns.push(column);
        }
        self.add_inline_constraints(&key, inline)?;
        let (foreign_keys, others): (Vec<_>, Vec<_>) = create
            .constraints
            .into_iter()
            .partition(|c| matches!(c, TableConstraint::ForeignKey(_)));
        for constraint in others.into_iter().chain(foreign_keys) {
            self.add_table_constraint(&key, constraint)?;
        }
        self.resolve_references_to(&key);
        self.enforce_primary_key_not_null(&key)
    }

    /// Foreign keys written before their target table existed name it (and
    /// its columns) as written; once it exists, use its own spelling, so
    /// the model does not depend on the order of the statements.
    fn resolve_references_to(&mut self, key: &QualifiedName) {
        let ignore_case = self.rules.table_names_ignore_case();
        let Some(target_columns) = self
            .schema
            .tables
            .get(key)
            .map(|t| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>())
        else {
            return;
        };
        for table in self.schema.tables.values_mut() {
            for constraint in table.constraints.values_mut() {
                let ConstraintKind::ForeignKey {
                    ref_table,
                    ref_columns,
                    ..
                } = &mut constraint.kind
                else {
                    continue;
                };
                let same = *ref_table == *key
                    || (ignore_case && ref_table.name.eq_ignore_ascii_case(&key.name));
                if !same {
                    continue;
                }
                *ref_table = key.clone();
                for column in ref_columns.iter_mut() {
                    if let Some(spelling) = target_columns
                        .iter()
                        .find(|c| c.eq_ignore_ascii_case(column))
                    {
                        column.clone_from(spelling);
                    }
                }
            }
        }
    }

    fn table_options(&self, create: &CreateTable, table: &mut Table) -> Result<(), Fail> {
        use sqlparser::ast::CreateTableOptions as O;
        if let O::Plain(options)
        | O::With(options)
        | O::Options(options)
        | O::TableProperties(options) = &create.table_options
        {
            for option in options {
                self.rules.table_option(option, table)?;
            }
        }
        if let Some(comment) = &create.comment {
            let raw = match comment {
                sqlparser::ast::CommentDef::WithEq(c)
                | sqlparser::ast::CommentDef::WithoutEq(c) => c,
            };
            table.comment = Some(self.rules.unescape_literal(raw)).filter(|c| !c.is_empty());
        }
        for option in &create.sqlite_table_options.options {
            table.options.insert(option.to_string(), String::new());
        }
        Ok(())
    }

    /// `CREATE TABLE new LIKE old`: the columns, keys and checks of `old`,
    /// without its foreign keys (as MySQL does).
    fn create_table_like(&mut self, key: &QualifiedName, source: &str) -> Result<(), Fail> {
        let source_key = self.table_key(source);
        let mut table = self.table(&source_key)?.clone();
        table
            .constraints
            .retain(|_, c| !matches!(c.kind, ConstraintKind::ForeignKey { .. }));
        table.triggers.clear();
        let copies: Vec<(QualifiedName, Index)> = self
            .indexes_of(&source_key)
            .map(|(k, index)| {
                let mut index = index.clone();
                index.table = key.clone();
                (self.rules.index_key(&key.name, &k.name), index)
            })
            .collect();
        self.schema.tables.insert(key.clone(), table);
        self.schema.indexes.extend(copies);
        self.resolve_references_to(key);
        Ok(())
    }

    /// Builds a column from its definition; returns it with the constraints
    /// written on it.
    fn column(
        &mut self,
        prepared: &Prepared,
        def: ColumnDef,
        table_key: &QualifiedName,
    ) -> Result<(Column, Vec<InlineConstraint>), Fail> {
        let table = self.table(table_key)?;
        let raw_type = match prepared.original_type(&def.data_type) {
            Some(raw) => raw.to_string(),
            None if def.data_type == DataType::Unspecified => String::new(),
            None => def.data_type.to_string(),
        };
        let column_type = self.rules.column_type(&raw_type, table)?;
        let mut column = Column::new(name_of(&def.name), column_type.data_type);
        column.collation = column_type.collation;
        column.not_null = column_type.not_null;
        column.extra = column_type.extra;
        let mut constraints = Vec::new();
        if column_type.unique {
            constraints.push(InlineConstraint::Unique(None));
        }
        let mut defaults = Vec::new();
        for ColumnOptionDef { name, option } in def.options {
            let name = name.map(|n| name_of(&n));
            if let Some(expr) = self.column_option(&mut column, name, option, &mut constraints)? {
                defaults.push(expr);
            }
        }
        for expr in defaults {
            column.default =
                self.rules
                    .canonical_default(&expr, &column, self.current_database.as_deref());
        }
        sort_extra(&mut column.extra);
        Ok((column, constraints))
    }

    /// Applies one column option; returns a `DEFAULT` expression, which is
    /// canonicalised once the whole column is known.
    fn column_option(
        &self,
        column: &mut Column,
        name: Option<String>,
        option: ColumnOption,
        constraints: &mut Vec<InlineConstraint>,
    ) -> Result<Option<Expr>, Fail> {
        match option {
            ColumnOption::Null => column.not_null = false,
            ColumnOption::NotNull => column.not_null = true,
            ColumnOption::Default(expr) => return Ok(Some(expr)),
            ColumnOption::PrimaryKey(pk) => constraints.push(InlineConstraint::PrimaryKey(
                name.or(pk.name.map(|n| name_of(&n))),
            )),
            ColumnOption::Unique(_) => constraints.push(InlineConstraint::Unique(name)),
            ColumnOption::Check(check) => constraints.push(InlineConstraint::Check(
                name.or(check.name.map(|n| name_of(&n))),
                *check.expr,
            )),
            ColumnOption::ForeignKey(fk) if self.rules.column_references_create_foreign_keys() => {
                let mut fk = fk;
                fk.name = fk.name.or(name.map(Ident::new));
                constraints.push(InlineConstraint::ForeignKey(fk));
            }
            ColumnOption::ForeignKey(_) => {}
            ColumnOption::Collation(collation) => {
                column.collation = Some(self.rules.canonical_collation(&last_name(&collation)))
            }
            ColumnOption::CharacterSet(charset) => {
                column.data_type = format!(
                    "{} character set {}",
                    column.data_type,
                    self.rules.canonical_collation(&last_name(&charset))
                );
            }
            ColumnOption::Comment(raw) => {
                column.comment = Some(self.rules.unescape_literal(&raw)).filter(|c| !c.is_empty())
            }
            ColumnOption::OnUpdate(expr) => column.extra.push(format!(
                "ON UPDATE {}",
                self.rules.canonical_on_update(&expr)
            )),
            ColumnOption::Generated {
                generation_expr: Some(expr),
                generation_expr_mode,
                ..
            } => {
                column.generated = Some(self.canonical_expr(&expr));
                let stored = matches!(
                    generation_expr_mode,
                    Some(sqlparser::ast::GeneratedExpressionMode::Stored)
                );
                column
                    .extra
                    .push(if stored { "STORED" } else { "VIRTUAL" }.to_string());
            }
            ColumnOption::DialectSpecific(tokens) => {
                let text = tokens
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" ");
                column.extra.push(text.to_ascii_uppercase());
            }
            ColumnOption::Invisible => column.extra.push("INVISIBLE".to_string()),
            ColumnOption::Srid(srid) => column.extra.push(format!("SRID {srid}")),
            other => return Err(format!("column option `{other}` is not supported")),
        }
        Ok(None)
    }

    fn canonical_expr(&self, expr: &Expr) -> String {
        canonical_sql(
            &expr.to_string(),
            self.rules,
            self.current_database.as_deref(),
        )
    }

    fn add_inline_constraints(
        &mut self,
        key: &QualifiedName,
        inline: Vec<(String, Vec<InlineConstraint>)>,
    ) -> Result<(), Fail> {
        let mut foreign_keys = Vec::new();
        for (column, constraints) in inline {
            for constraint in constraints {
                match constraint {
                    InlineConstraint::PrimaryKey(name) => {
                        self.add_primary_key(key, name, vec![column.clone()])?
                    }
                    InlineConstraint::Unique(name) => {
                        let spec = KeySpec {
                            name,
                            keys: vec![IndexKey::column(column.clone())],
                            method: None,
                            comment: None,
                        };
                        self.add_unique(key, spec)?;
                    }
                    InlineConstraint::Check(name, expr) => {
                        let expr = self.canonical_expr(&expr);
                        self.add_check(key, name, expr, Some(&column))?;
                    }
                    InlineConstraint::ForeignKey(mut fk) => {
                        fk.columns = vec![Ident::new(column.clone())];
                        foreign_keys.push(fk);
                    }
                }
            }
        }
        for fk in foreign_keys {
            let spec = self.foreign_key_spec(key, fk)?;
            self.add_foreign_key(key, spec)?;
        }
        Ok(())
    }

    fn add_table_constraint(
        &mut self,
        key: &QualifiedName,
        constraint: TableConstraint,
    ) -> Result<(), Fail> {
        match constraint {
            TableConstraint::PrimaryKey(pk) => {
                let columns = self.key_column_names(key, &pk.columns)?;
                self.add_primary_key(key, pk.name.map(|n| name_of(&n)), columns)
            }
            TableConstraint::Unique(unique) => {
                let spec = self.key_spec(
                    key,
                    unique.name.or(unique.index_name),
                    &unique.columns,
                    unique.index_type,
                    &unique.index_options,
                )?;
                self.add_unique(key, spec)
            }
            TableConstraint::Index(index) => {
                let spec = self.key_spec(
                    key,
                    index.name,
                    &index.columns,
                    index.index_type,
                    &index.index_options,
                )?;
                self.add_index(key, spec, false)
            }
            TableConstraint::FulltextOrSpatial(index) => {
                let method = if index.fulltext {
                    "fulltext"
                } else {
                    "spatial"
                };
                let mut spec =
                    self.key_spec(key, index.opt_index_name, &index.columns, None, &[])?;
                spec.method = Some(method.to_string());
                self.add_index(key, spec, false)
            }
            TableConstraint::Check(check) => {
                let expr = self.canonical_expr(&check.expr);
                self.add_check(key, check.name.map(|n| name_of(&n)), expr, None)
            }
            TableConstraint::ForeignKey(fk) => {
                let spec = self.foreign_key_spec(key, fk)?;
                self.add_foreign_key(key, spec)
            }
            other => Err(format!("constraint `{other}` is not supported")),
        }
    }

    fn key_spec(
        &self,
        table: &QualifiedName,
        name: Option<Ident>,
        columns: &[IndexColumn],
        index_type: Option<IndexType>,
        options: &[IndexOption],
    ) -> Result<KeySpec, Fail> {
        let mut spec = KeySpec {
            name: name.map(|n| name_of(&n)),
            keys: self.index_keys(table, columns)?,
            method: index_type.map(|t| t.to_string().to_ascii_lowercase()),
            comment: None,
        };
        for option in options {
            match option {
                IndexOption::Using(t) => spec.method = Some(t.to_string().to_ascii_lowercase()),
                IndexOption::Comment(raw) => {
                    spec.comment = Some(self.rules.unescape_literal(raw)).filter(|c| !c.is_empty())
                }
            }
        }
        Ok(spec)
    }

    fn index_keys(
        &self,
        table: &QualifiedName,
        columns: &[IndexColumn],
    ) -> Result<Vec<IndexKey>, Fail> {
        columns.iter().map(|c| self.index_key(table, c)).collect()
    }

    fn index_key(&self, table: &QualifiedName, column: &IndexColumn) -> Result<IndexKey, Fail> {
        let mut expr = &column.column.expr;
        let mut collation = None;
        if let Expr::Collate {
            expr: inner,
            collation: name,
        } = expr
        {
            collation = Some(self.rules.canonical_collation(&last_name(name)));
            expr = inner;
        }
        let target = match expr {
            Expr::Identifier(ident) => {
                IndexTarget::Column(self.column_name(table, &name_of(ident))?)
            }
            Expr::Function(f) => match self.prefix_key(table, f)? {
                Some(target) => target,
                None => IndexTarget::Expression(self.canonical_expr(expr)),
            },
            _ => IndexTarget::Expression(self.canonical_expr(expr)),
        };
        let descending = matches!(column.column.options.sort, Some(OrderBySort::Desc));
        let nulls_first = column
            .column
            .options
            .nulls_first
            .filter(|&first| first != descending);
        Ok(IndexKey {
            target,
            collation,
            opclass: None,
            descending,
            nulls_first,
        })
    }

    /// A MySQL key part `name(length)` on a column of `table`.
    fn prefix_key(
        &self,
        table: &QualifiedName,
        f: &sqlparser::ast::Function,
    ) -> Result<Option<IndexTarget>, Fail> {
        use sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments};
        let FunctionArguments::List(list) = &f.args else {
            return Ok(None);
        };
        let [FunctionArg::Unnamed(FunctionArgExpr::Expr(length))] = list.args.as_slice() else {
            return Ok(None);
        };
        let Some(length) = numeric_literal(length) else {
            return Ok(None);
        };
        let name = last_name(&f.name);
        let Ok(column) = self.column_name(table, &name) else {
            return Ok(None);
        };
        Ok(self.rules.prefix_key_part(&column, &length))
    }

    /// The column names of primary key parts (which must be plain columns).
    fn key_column_names(
        &self,
        table: &QualifiedName,
        columns: &[IndexColumn],
    ) -> Result<Vec<String>, Fail> {
        self.index_keys(table, columns)?
            .into_iter()
            .map(|k| match k.target {
                IndexTarget::Column(c) => Ok(c),
                IndexTarget::Expression(e) => {
                    Err(format!("key part `{e}` is not supported in a primary key"))
                }
            })
            .collect()
    }

    fn add_primary_key(
        &mut self,
        key: &QualifiedName,
        name: Option<String>,
        columns: Vec<String>,
    ) -> Result<(), Fail> {
        let pk_name = self.rules.primary_key_name(&key.name, name.as_deref());
        let table = self.table_mut(key)?;
        if table.primary_key().is_some() {
            return Err(format!(
                "table `{}` has more than one primary key",
                key.name
            ));
        }
        if table.constraints.contains_key(&pk_name) {
            return Err(format!("constraint `{pk_name}` already exists"));
        }
        let kind = ConstraintKind::PrimaryKey {
            columns,
            index: ConstraintIndex::default(),
        };
        table.constraints.insert(pk_name, Constraint::new(kind));
        self.enforce_primary_key_not_null(key)?;
        self.drop_covered_implicit_indexes(key);
        Ok(())
    }

    fn enforce_primary_key_not_null(&mut self, key: &QualifiedName) -> Result<(), Fail> {
        if !self.rules.primary_key_implies_not_null() {
            return Ok(());
        }
        let table = self.table_mut(key)?;
        let pk_columns: Vec<String> = table
            .primary_key()
            .map(|(_, c)| c.kind.columns().to_vec())
            .unwrap_or_default();
        for column in table
            .columns
            .iter_mut()
            .filter(|c| pk_columns.contains(&c.name))
        {
            column.not_null = true;
        }
        Ok(())
    }

    fn add_unique(&mut self, key: &QualifiedName, spec: KeySpec) -> Result<(), Fail> {
        if self.rules.unique_as_index() {
            return self.add_index(key, spec, true);
        }
        let columns: Vec<String> = spec
            .keys
            .into_iter()
            .map(|k| match k.target {
                IndexTarget::Column(c) => Ok(c),
                IndexTarget::Expression(e) => Err(format!("`{e}` is not a column")),
            })
            .collect::<Result<_, _>>()?;
        let table = self.table(key)?;
        let name = match spec.name {
            Some(name) => name,
            None => self
                .rules
                .unnamed_unique_name(&key.name, &table.constraints, &columns),
        };
        let table = self.table_mut(key)?;
        if table.constraints.contains_key(&name) {
            return Err(format!("constraint `{name}` already exists"));
        }
        let kind = ConstraintKind::Unique {
            columns,
            nulls_not_distinct: false,
            index: ConstraintIndex::default(),
        };
        table.constraints.insert(name, Constraint::new(kind));
        Ok(())
    }

    fn add_index(&mut self, key: &QualifiedName, spec: KeySpec, unique: bool) -> Result<(), Fail> {
        self.table(key)?;
        let name = match spec.name {
            Some(name) => name,
            None => self
                .rules
                .unnamed_index_name(&spec.keys, &|n| self.index_name_taken(key, n)),
        };
        if self.index_name_taken(key, &name) {
            return Err(format!("index `{name}` already exists"));
        }
        let index = Index {
            table: key.clone(),
            unique,
            method: spec
                .method
                .unwrap_or_else(|| self.rules.default_index_method().to_string()),
            keys: spec.keys,
            include: Vec::new(),
            predicate: None,
            nulls_not_distinct: false,
            with: BTreeMap::new(),
            tablespace: None,
            only: false,
            comment: spec.comment,
        };
        self.insert_index(&name, index);
        Ok(())
    }

    fn insert_index(&mut self, name: &str, index: Index) {
        let table = index.table.clone();
        self.schema
            .indexes
            .insert(self.rules.index_key(&table.name, name), index);
        self.drop_covered_implicit_indexes(&table);
    }

    fn add_check(
        &mut self,
        key: &QualifiedName,
        name: Option<String>,
        expr: String,
        column: Option<&str>,
    ) -> Result<(), Fail> {
        let table = self.table(key)?;
        let name = match name {
            Some(name) => name,
            None => self
                .rules
                .unnamed_check_name(&key.name, &table.constraints, column),
        };
        let table = self.table_mut(key)?;
        if table.constraints.contains_key(&name) {
            return Err(format!("constraint `{name}` already exists"));
        }
        table.constraints.insert(
            name,
            Constraint::new(ConstraintKind::Check {
                expr,
                no_inherit: false,
            }),
        );
        Ok(())
    }

    fn foreign_key_spec(
        &self,
        key: &QualifiedName,
        fk: ForeignKeyConstraint,
    ) -> Result<ForeignKeySpec, Fail> {
        let characteristics = fk.characteristics.unwrap_or_default();
        Ok(ForeignKeySpec {
            name: fk.name.map(|n| name_of(&n)),
            index_name: fk.index_name.map(|n| name_of(&n)),
            columns: self.column_names(key, &fk.columns)?,
            ref_table: last_name(&fk.foreign_table),
            ref_columns: fk
                .referred_columns
                .into_iter()
                .map(|c| name_of(&c))
                .collect(),
            on_delete: fk.on_delete,
            on_update: fk.on_update,
            deferrable: characteristics.deferrable.unwrap_or(false),
            initially_deferred: matches!(
                characteristics.initially,
                Some(sqlparser::ast::DeferrableInitial::Deferred)
            ),
        })
    }

    fn add_foreign_key(&mut self, key: &QualifiedName, spec: ForeignKeySpec) -> Result<(), Fail> {
        let ref_table = self.table_key(&spec.ref_table);
        let ref_columns = match self.schema.tables.get(&ref_table) {
            Some(target) => spec
                .ref_columns
                .iter()
                .map(|c| {
                    target
                        .columns
                        .iter()
                        .find(|t| t.name.eq_ignore_ascii_case(c))
                        .map_or_else(|| c.clone(), |t| t.name.clone())
                })
                .collect(),
            None => spec.ref_columns.clone(),
        };
        if ref_columns.len() != spec.columns.len() && !ref_columns.is_empty() {
            return Err("the foreign key's column lists differ in length".to_string());
        }
        let table = self.table(key)?;
        let name = match spec.name.clone().or_else(|| spec.index_name.clone()) {
            Some(name) => name,
            None => {
                self.rules
                    .unnamed_foreign_key_name(&key.name, &table.constraints, &spec.columns)
            }
        };
        let kind = ConstraintKind::ForeignKey {
            columns: spec.columns.clone(),
            ref_table,
            ref_columns,
            on_update: self.fk_action(spec.on_update),
            on_delete: self.fk_action(spec.on_delete),
            match_full: false,
        };
        let mut constraint = Constraint::new(kind);
        constraint.deferrable = spec.deferrable;
        constraint.initially_deferred = spec.initially_deferred;
        let table = self.table_mut(key)?;
        if table.constraints.contains_key(&name) {
            return Err(format!("constraint `{name}` already exists"));
        }
        table.constraints.insert(name.clone(), constraint);
        if self.rules.implicit_foreign_key_index() {
            self.add_implicit_foreign_key_index(key, &spec, &name);
        }
        Ok(())
    }

    fn fk_action(&self, action: Option<ReferentialAction>) -> FkAction {
        match action {
            None => self.rules.default_fk_action(),
            Some(ReferentialAction::Restrict) => FkAction::Restrict,
            Some(ReferentialAction::Cascade) => FkAction::Cascade,
            Some(ReferentialAction::SetNull) => FkAction::SetNull,
            Some(ReferentialAction::NoAction) => FkAction::NoAction,
            Some(ReferentialAction::SetDefault) => FkAction::SetDefault,
        }
    }

    /// Whether an index (or the primary key) of `table` starts with `columns`.
    fn covered(
        &self,
        table: &QualifiedName,
        columns: &[String],
        except: Option<&QualifiedName>,
    ) -> bool {
        let starts_with = |keys: &[String]| {
            keys.len() >= columns.len()
                && keys
                    .iter()
                    .zip(columns)
                    .all(|(k, c)| k.eq_ignore_ascii_case(c))
        };
        let by_pk = self
            .schema
            .tables
            .get(table)
            .and_then(Table::primary_key)
            .is_some_and(|(_, pk)| starts_with(pk.kind.columns()));
        by_pk
            || self
                .indexes_of(table)
                .filter(|(k, _)| Some(*k) != except)
                .any(|(_, index)| {
                    let keys: Vec<String> = index
                        .keys
                        .iter()
                        .map_while(|k| match &k.target {
                            IndexTarget::Column(c) => Some(c.clone()),
                            IndexTarget::Expression(_) => None,
                        })
                        .collect();
                    matches!(index.method.as_str(), "btree" | "hash") && starts_with(&keys)
                })
    }

    /// MySQL creates an index for a foreign key when no index starts with
    /// its columns, named after the constraint (or its first column).
    fn add_implicit_foreign_key_index(
        &mut self,
        key: &QualifiedName,
        spec: &ForeignKeySpec,
        constraint_name: &str,
    ) {
        if self.covered(key, &spec.columns, None) {
            return;
        }
        let keys: Vec<IndexKey> = spec.columns.iter().map(IndexKey::column).collect();
        let name = match spec.name.as_ref().or(spec.index_name.as_ref()) {
            Some(_) => constraint_name.to_string(),
            None => self
                .rules
                .unnamed_index_name(&keys, &|n| self.index_name_taken(key, n)),
        };
        let index = Index {
            table: key.clone(),
            unique: false,
            method: self.rules.default_index_method().to_string(),
            keys,
            include: Vec::new(),
            predicate: None,
            nulls_not_distinct: false,
            with: BTreeMap::new(),
            tablespace: None,
            only: false,
            comment: None,
        };
        self.schema
            .indexes
            .insert(self.rules.index_key(&key.name, &name), index);
    }

    /// MySQL drops the index it created for a foreign key once another index
    /// covers the key. An index counts as created for a foreign key when its
    /// keys are exactly the key's columns and it is named after the
    /// constraint or after the first column.
    fn drop_covered_implicit_indexes(&mut self, table: &QualifiedName) {
        if !self.rules.implicit_foreign_key_index() {
            return;
        }
        let Some(t) = self.schema.tables.get(table) else {
            return;
        };
        let foreign_keys: Vec<(String, Vec<String>)> = t
            .constraints
            .iter()
            .filter(|(_, c)| matches!(c.kind, ConstraintKind::ForeignKey { .. }))
            .map(|(n, c)| (n.clone(), c.kind.columns().to_vec()))
            .collect();
        let implicit: Vec<QualifiedName> = self
            .indexes_of(table)
            .filter(|(k, index)| {
                !index.unique
                    && foreign_keys.iter().any(|(fk_name, columns)| {
                        let same_columns = index.keys.len() == columns.len()
                            && index.keys.iter().zip(columns).all(
                                |(k, c)| matches!(&k.target, IndexTarget::Column(n) if n == c),
                            );
                        let first = columns.first().map(String::as_str).unwrap_or_default();
                        let implicit_name = k.name == *fk_name
                            || k.name.eq_ignore_ascii_case(first)
                            || numbered(&k.name, &format!("{first}_")).is_some();
                        same_columns && implicit_name
                    })
            })
            .map(|(k, _)| k.clone())
            .collect();
        for key in implicit {
            let columns: Vec<String> = self
                .schema
                .indexes
                .get(&key)
                .map(|i| {
                    i.keys
                        .iter()
                        .filter_map(|k| match &k.target {
                            IndexTarget::Column(c) => Some(c.clone()),
                            IndexTarget::Expression(_) => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            if self.covered(table, &columns, Some(&key)) {
                self.schema.indexes.remove(&key);
            }
        }
    }

    // -- ALTER TABLE ---------------------------------------------------------

    fn alter_table(
        &mut self,
        current: &Current,
        prepared: &Prepared,
        name: &ObjectName,
        if_exists: bool,
        operations: Vec<AlterTableOperation>,
    ) -> Result<(), Fail> {
        let mut key = self.table_key(&last_name(name));
        if !self.schema.tables.contains_key(&key) {
            return if if_exists {
                Ok(())
            } else {
                Err(format!("table `{}` does not exist", key.name))
            };
        }
        if let Some(op) = operations.iter().find(|op| !self.rules.alter_supported(op)) {
            return Err(format!(
                "ALTER TABLE ... {op} is not supported by this dialect"
            ));
        }
        if let Some(op) = operations.iter().find(|op| !is_modelled_alter(op)) {
            let kind = format!("ALTER TABLE ... {}", alter_kind(op));
            self.keep_unmanaged(current, kind, "");
            return Ok(());
        }
        for op in operations {
            self.alter_operation(prepared, &mut key, op)?;
        }
        Ok(())
    }

    fn alter_operation(
        &mut self,
        prepared: &Prepared,
        key: &mut QualifiedName,
        op: AlterTableOperation,
    ) -> Result<(), Fail> {
        use AlterTableOperation as Op;
        match op {
            Op::AddColumn {
                if_not_exists,
                column_def,
                column_position,
                ..
            } => self.add_column(prepared, key, column_def, column_position, if_not_exists),
            Op::DropColumn {
                column_names,
                if_exists,
                ..
            } => column_names
                .iter()
                .try_for_each(|c| self.drop_column(key, &name_of(c), if_exists)),
            Op::ModifyColumn {
                col_name,
                data_type,
                options,
                column_position,
            } => {
                let def = ColumnDef {
                    name: col_name.clone(),
                    data_type,
                    options: unnamed_options(options),
                };
                self.replace_column(prepared, key, &name_of(&col_name), def, column_position)
            }
            Op::ChangeColumn {
                old_name,
                new_name,
                data_type,
                options,
                column_position,
            } => {
                let def = ColumnDef {
                    name: new_name,
                    data_type,
                    options: unnamed_options(options),
                };
                self.replace_column(prepared, key, &name_of(&old_name), def, column_position)
            }
            Op::RenameColumn {
                old_column_name,
                new_column_name,
            } => self.rename_column(key, &name_of(&old_column_name), &name_of(&new_column_name)),
            Op::AlterColumn { column_name, op } => {
                self.alter_column(key, &name_of(&column_name), op)
            }
            Op::AddConstraint { constraint, .. } => {
                self.add_table_constraint(key, constraint)?;
                self.enforce_primary_key_not_null(key)
            }
            Op::DropConstraint {
                if_exists, name, ..
            } => self.drop_constraint(key, &name_of(&name), if_exists),
            Op::DropPrimaryKey { .. } => self.drop_primary_key(key),
            Op::DropForeignKey { name, .. } => self.drop_foreign_key(key, &name_of(&name)),
            Op::DropIndex { name } => self.drop_index_of(key, &name_of(&name)),
            Op::RenameTable { table_name } => {
                let (RenameTableNameKind::To(new) | RenameTableNameKind::As(new)) = table_name;
                let new_name = last_name(&new);
                self.rename_table(&key.name.clone(), &new_name)?;
                *key = self.table_key(&new_name);
                Ok(())
            }
            Op::Algorithm { .. } | Op::Lock { .. } => Ok(()),
            other => Err(format!("ALTER TABLE ... {other} is not supported")),
        }
    }

    fn add_column(
        &mut self,
        prepared: &Prepared,
        key: &QualifiedName,
        def: ColumnDef,
        position: Option<MySQLColumnPosition>,
        if_not_exists: bool,
    ) -> Result<(), Fail> {
        if self.column_name(key, &name_of(&def.name)).is_ok() {
            return if if_not_exists {
                Ok(())
            } else {
                Err(format!("column `{}` already exists", name_of(&def.name)))
            };
        }
        let (column, constraints) = self.column(prepared, def, key)?;
        let name = column.name.clone();
        let at = self.column_position(key, position.as_ref())?;
        let table = self.table_mut(key)?;
        let at = at.unwrap_or(table.columns.len());
        table.columns.insert(at.min(table.columns.len()), column);
        self.add_inline_constraints(key, vec![(name, constraints)])?;
        self.enforce_primary_key_not_null(key)
    }

    /// The index a column goes to for `FIRST` / `AFTER x` (after removing
    /// the column being moved, if any).
    fn column_position(
        &self,
        key: &QualifiedName,
        position: Option<&MySQLColumnPosition>,
    ) -> Result<Option<usize>, Fail> {
        match position {
            None => Ok(None),
            Some(MySQLColumnPosition::First) => Ok(Some(0)),
            Some(MySQLColumnPosition::After(after)) => {
                let name = self.column_name(key, &name_of(after))?;
                let table = self.table(key)?;
                Ok(table
                    .columns
                    .iter()
                    .position(|c| c.name == name)
                    .map(|i| i + 1))
            }
        }
    }

    /// `MODIFY` / `CHANGE`: a new definition for column `old`, keeping its
    /// keys and constraints.
    fn replace_column(
        &mut self,
        prepared: &Prepared,
        key: &QualifiedName,
        old: &str,
        def: ColumnDef,
        position: Option<MySQLColumnPosition>,
    ) -> Result<(), Fail> {
        let old = self.column_name(key, old)?;
        let new_name = name_of(&def.name);
        if !new_name.eq_ignore_ascii_case(&old) && self.column_name(key, &new_name).is_ok() {
            return Err(format!("column `{new_name}` already exists"));
        }
        let (column, constraints) = self.column(prepared, def, key)?;
        // A check written on the column belongs to its definition, which
        // the new definition replaces.
        let own_check = self
            .rules
            .unnamed_check_name(&key.name, &BTreeMap::new(), Some(&old));
        let table = self.table_mut(key)?;
        if matches!(
            table.constraints.get(&own_check).map(|c| &c.kind),
            Some(ConstraintKind::Check { .. })
        ) {
            table.constraints.remove(&own_check);
        }
        let at = table
            .columns
            .iter()
            .position(|c| c.name == old)
            .unwrap_or(table.columns.len());
        if at < table.columns.len() {
            table.columns.remove(at);
        }
        table.columns.insert(at.min(table.columns.len()), column);
        if old != new_name {
            self.rename_column_references(key, &old, &new_name);
        }
        if position.is_some() {
            self.move_column(key, &new_name, position.as_ref())?;
        }
        self.add_inline_constraints(key, vec![(new_name, constraints)])?;
        self.enforce_primary_key_not_null(key)
    }

    fn move_column(
        &mut self,
        key: &QualifiedName,
        name: &str,
        position: Option<&MySQLColumnPosition>,
    ) -> Result<(), Fail> {
        let table = self.table_mut(key)?;
        let Some(from) = table.columns.iter().position(|c| c.name == name) else {
            return Ok(());
        };
        let column = table.columns.remove(from);
        let to = self.column_position(key, position)?;
        let table = self.table_mut(key)?;
        let to = to.unwrap_or(table.columns.len()).min(table.columns.len());
        table.columns.insert(to, column);
        Ok(())
    }

    fn rename_column(&mut self, key: &QualifiedName, old: &str, new: &str) -> Result<(), Fail> {
        let old = self.column_name(key, old)?;
        if !new.eq_ignore_ascii_case(&old) && self.column_name(key, new).is_ok() {
            return Err(format!("column `{new}` already exists"));
        }
        if let Some(column) = self.table_mut(key)?.column_mut(&old) {
            column.name = new.to_string();
        }
        self.rename_column_references(key, &old, new);
        Ok(())
    }

    /// Renames a column in the keys and constraints that name it, and in the
    /// foreign keys of other tables that reference it.
    fn rename_column_references(&mut self, key: &QualifiedName, old: &str, new: &str) {
        let rename = |name: &mut String| {
            if name == old {
                *name = new.to_string();
            }
        };
        for (table_key, table) in &mut self.schema.tables {
            for constraint in table.constraints.values_mut() {
                match &mut constraint.kind {
                    ConstraintKind::PrimaryKey { columns, .. }
                    | ConstraintKind::Unique { columns, .. }
                        if table_key == key =>
                    {
                        columns.iter_mut().for_each(rename);
                    }
                    ConstraintKind::ForeignKey {
                        columns,
                        ref_table,
                        ref_columns,
                        ..
                    } => {
                        if table_key == key {
                            columns.iter_mut().for_each(rename);
                        }
                        if ref_table == key {
                            ref_columns.iter_mut().for_each(rename);
                        }
                    }
                    _ => {}
                }
            }
        }
        for index in self.schema.indexes.values_mut().filter(|i| i.table == *key) {
            for k in &mut index.keys {
                if let IndexTarget::Column(c) = &mut k.target {
                    rename(c);
                }
            }
        }
    }

    fn drop_column(
        &mut self,
        key: &QualifiedName,
        name: &str,
        if_exists: bool,
    ) -> Result<(), Fail> {
        let Ok(name) = self.column_name(key, name) else {
            return if if_exists {
                Ok(())
            } else {
                Err(format!(
                    "column `{name}` does not exist in table `{}`",
                    key.name
                ))
            };
        };
        let table = self.table_mut(key)?;
        table.columns.retain(|c| c.name != name);
        table.constraints.retain(|_, c| !matches!(&c.kind, ConstraintKind::ForeignKey { columns, .. } if columns.contains(&name)));
        for constraint in table.constraints.values_mut() {
            if let ConstraintKind::PrimaryKey { columns, .. }
            | ConstraintKind::Unique { columns, .. } = &mut constraint.kind
            {
                columns.retain(|c| *c != name);
            }
        }
        table.constraints.retain(|_, c| !matches!(&c.kind, ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } if columns.is_empty()));
        for index in self.schema.indexes.values_mut().filter(|i| i.table == *key) {
            index
                .keys
                .retain(|k| !matches!(&k.target, IndexTarget::Column(c) if *c == name));
        }
        self.schema.indexes.retain(|_, i| !i.keys.is_empty());
        Ok(())
    }

    fn alter_column(
        &mut self,
        key: &QualifiedName,
        name: &str,
        op: AlterColumnOperation,
    ) -> Result<(), Fail> {
        let name = self.column_name(key, name)?;
        let current_database = self.current_database.clone();
        let rules = self.rules;
        let table = self.table_mut(key)?;
        let Some(column) = table.column_mut(&name) else {
            return Err(format!("column `{name}` does not exist"));
        };
        match op {
            AlterColumnOperation::SetDefault { value } => {
                column.default =
                    rules.canonical_default(&value, column, current_database.as_deref());
            }
            AlterColumnOperation::DropDefault => column.default = None,
            AlterColumnOperation::SetNotNull => column.not_null = true,
            AlterColumnOperation::DropNotNull => column.not_null = false,
            other => return Err(format!("ALTER COLUMN ... {other} is not supported")),
        }
        Ok(())
    }

    fn drop_constraint(
        &mut self,
        key: &QualifiedName,
        name: &str,
        if_exists: bool,
    ) -> Result<(), Fail> {
        let table = self.table_mut(key)?;
        if let Some(existing) = table
            .constraints
            .keys()
            .find(|k| k.eq_ignore_ascii_case(name))
            .cloned()
        {
            table.constraints.remove(&existing);
            return Ok(());
        }
        if let Some(index) = self.index_key_by_name(Some(key), name) {
            self.schema.indexes.remove(&index);
            return Ok(());
        }
        if if_exists {
            Ok(())
        } else {
            Err(format!(
                "constraint `{name}` does not exist in table `{}`",
                key.name
            ))
        }
    }

    fn drop_primary_key(&mut self, key: &QualifiedName) -> Result<(), Fail> {
        let table = self.table_mut(key)?;
        let Some(name) = table.primary_key().map(|(n, _)| n.clone()) else {
            return Err(format!("table `{}` has no primary key", key.name));
        };
        table.constraints.remove(&name);
        Ok(())
    }

    fn drop_foreign_key(&mut self, key: &QualifiedName, name: &str) -> Result<(), Fail> {
        let table = self.table_mut(key)?;
        let found = table
            .constraints
            .iter()
            .find(|(n, c)| {
                n.eq_ignore_ascii_case(name) && matches!(c.kind, ConstraintKind::ForeignKey { .. })
            })
            .map(|(n, _)| n.clone());
        match found {
            Some(n) => {
                table.constraints.remove(&n);
                Ok(())
            }
            None => Err(format!(
                "foreign key `{name}` does not exist in table `{}`",
                key.name
            )),
        }
    }

    fn drop_index_of(&mut self, key: &QualifiedName, name: &str) -> Result<(), Fail> {
        let is_pk = self
            .table(key)?
            .primary_key()
            .is_some_and(|(n, _)| n.eq_ignore_ascii_case(name));
        if is_pk {
            return self.drop_primary_key(key);
        }
        match self.index_key_by_name(Some(key), name) {
            Some(index) => {
                self.schema.indexes.remove(&index);
                Ok(())
            }
            None => Err(format!(
                "index `{name}` does not exist in table `{}`",
                key.name
            )),
        }
    }

    fn rename_table(&mut self, old: &str, new: &str) -> Result<(), Fail> {
        let old_key = self.table_key(old);
        let new_key = QualifiedName::new("", new);
        let table = self
            .schema
            .tables
            .remove(&old_key)
            .ok_or_else(|| format!("table `{old}` does not exist"))?;
        if self.schema.tables.contains_key(&self.table_key(new))
            || self.schema.views.contains_key(&self.view_key(new))
        {
            self.schema.tables.insert(old_key, table);
            return Err(format!("table `{new}` already exists"));
        }
        self.schema.tables.insert(new_key.clone(), table);
        let moved: Vec<QualifiedName> = self.indexes_of(&old_key).map(|(k, _)| k.clone()).collect();
        for key in moved {
            if let Some(mut index) = self.schema.indexes.remove(&key) {
                index.table = new_key.clone();
                self.schema
                    .indexes
                    .insert(self.rules.index_key(new, &key.name), index);
            }
        }
        for table in self.schema.tables.values_mut() {
            for constraint in table.constraints.values_mut() {
                if let ConstraintKind::ForeignKey { ref_table, .. } = &mut constraint.kind {
                    if *ref_table == old_key {
                        *ref_table = new_key.clone();
                    }
                }
            }
        }
        self.resolve_references_to(&new_key);
        Ok(())
    }

    // -- CREATE INDEX, views, DROP -------------------------------------------

    fn create_index(&mut self, create: CreateIndex) -> Result<(), Fail> {
        let key = self.table_key(&last_name(&create.table_name));
        self.table(&key)?;
        let name = create.name.as_ref().map(last_name);
        if let Some(existing) = name
            .as_deref()
            .and_then(|n| self.existing_index_for_create(&key, n))
        {
            return if create.if_not_exists {
                Ok(())
            } else {
                Err(format!("index `{existing}` already exists"))
            };
        }
        let mut spec = self.key_spec(
            &key,
            name.map(Ident::new),
            &create.columns,
            create.using,
            &create.index_options,
        )?;
        if spec.name.is_none() {
            spec.name = Some(
                self.rules
                    .unnamed_index_name(&spec.keys, &|n| self.index_name_taken(&key, n)),
            );
        }
        let index_name = spec.name.clone().unwrap_or_default();
        self.add_index(&key, spec, create.unique)?;
        if let Some(predicate) = create.predicate {
            let predicate = self.canonical_expr(&predicate);
            if let Some(index) = self
                .schema
                .indexes
                .get_mut(&self.rules.index_key(&key.name, &index_name))
            {
                index.predicate = Some(predicate);
            }
        }
        Ok(())
    }

    /// An index named `name` that a new index on `table` would collide with.
    fn existing_index_for_create(&self, table: &QualifiedName, name: &str) -> Option<String> {
        let key = self.rules.index_key(&table.name, name);
        let scope = if key.schema.is_empty() {
            None
        } else {
            Some(table)
        };
        self.index_key_by_name(scope, name).map(|k| k.name)
    }

    fn create_view(&mut self, current: &Current, create: CreateView) -> Result<(), Fail> {
        if create.temporary || create.materialized {
            self.keep_unmanaged(current, statement_kind(&current.words), "");
            return Ok(());
        }
        let name = last_name(&create.name);
        let key = self.view_key(&name);
        if self.schema.tables.contains_key(&self.table_key(&name)) {
            return Err(format!("`{name}` already exists as a table"));
        }
        if self.schema.views.contains_key(&key) && !create.or_replace {
            return if create.if_not_exists {
                Ok(())
            } else {
                Err(format!("view `{name}` already exists"))
            };
        }
        let query = canonical_sql(
            &create.query.to_string(),
            self.rules,
            self.current_database.as_deref(),
        );
        let mut options = BTreeMap::new();
        if let Some(params) = &create.params {
            if let Some(algorithm) = &params.algorithm {
                options.insert("algorithm".to_string(), algorithm.to_string());
            }
            if let Some(security) = &params.security {
                options.insert("sql_security".to_string(), security.to_string());
            }
            if let Some(definer) = &params.definer {
                let definer = definer.to_string();
                if !definer
                    .trim_end_matches("()")
                    .eq_ignore_ascii_case("CURRENT_USER")
                {
                    options.insert("definer".to_string(), definer);
                }
            }
        }
        let view = View {
            materialized: false,
            columns: create
                .columns
                .into_iter()
                .map(|c| name_of(&c.name))
                .collect(),
            query,
            options,
            comment: create.comment,
            column_comments: BTreeMap::new(),
        };
        self.schema.views.remove(&key);
        self.schema.views.insert(key, view);
        Ok(())
    }

    fn drop(
        &mut self,
        current: &Current,
        object_type: ObjectType,
        if_exists: bool,
        names: &[ObjectName],
        table: Option<&ObjectName>,
    ) -> Result<(), Fail> {
        match object_type {
            ObjectType::Table => {
                // Checked first: dropping a table also drops its (unmanaged)
                // triggers, which the statement's rollback does not restore.
                let missing = names
                    .iter()
                    .map(last_name)
                    .find(|n| !self.schema.tables.contains_key(&self.table_key(n)));
                if let (Some(missing), false) = (missing, if_exists) {
                    return Err(format!("table `{missing}` does not exist"));
                }
                names
                    .iter()
                    .try_for_each(|n| self.drop_table(&last_name(n), if_exists))
            }
            ObjectType::View => names
                .iter()
                .try_for_each(|n| self.drop_view(&last_name(n), if_exists)),
            ObjectType::Index => names
                .iter()
                .try_for_each(|n| self.drop_index(&last_name(n), table, if_exists)),
            ObjectType::Schema | ObjectType::Database => {
                let kind = statement_kind(&current.words);
                self.warn(
                    current,
                    format!("{kind} ignored: the schema model holds the objects of one database"),
                );
                Ok(())
            }
            _ => {
                let kind = statement_kind(&current.words);
                match unmanaged_object(&current.words, &kind) {
                    Some((name, _)) => self.drop_unmanaged(
                        current,
                        kind.rsplit(' ').next().unwrap_or(""),
                        &name,
                        if_exists,
                    ),
                    None => self.keep_unmanaged(current, kind, ""),
                }
                Ok(())
            }
        }
    }

    fn drop_table(&mut self, name: &str, if_exists: bool) -> Result<(), Fail> {
        let key = self.table_key(name);
        if self.schema.tables.remove(&key).is_none() {
            return if if_exists {
                Ok(())
            } else {
                Err(format!("table `{name}` does not exist"))
            };
        }
        self.schema.indexes.retain(|_, i| i.table != key);
        let table_name = key.name.clone();
        self.schema.unmanaged.retain(|u| {
            let words = leading_words(&u.sql, 24);
            !(u.kind == "CREATE TRIGGER"
                && unmanaged_object(&words, &u.kind)
                    .and_then(|(_, on)| on)
                    .is_some_and(|on| on.eq_ignore_ascii_case(&table_name)))
        });
        Ok(())
    }

    fn drop_view(&mut self, name: &str, if_exists: bool) -> Result<(), Fail> {
        let key = self.view_key(name);
        if self.schema.views.remove(&key).is_none() && !if_exists {
            return Err(format!("view `{name}` does not exist"));
        }
        Ok(())
    }

    fn drop_index(
        &mut self,
        name: &str,
        table: Option<&ObjectName>,
        if_exists: bool,
    ) -> Result<(), Fail> {
        let table_key = table.map(|t| self.table_key(&last_name(t)));
        if let Some(key) = &table_key {
            self.table(key)?;
            if self
                .table(key)?
                .primary_key()
                .is_some_and(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                return self.drop_primary_key(key);
            }
        }
        match self.index_key_by_name(table_key.as_ref(), name) {
            Some(key) => {
                self.schema.indexes.remove(&key);
                Ok(())
            }
            None if if_exists => Ok(()),
            None => Err(format!("index `{name}` does not exist")),
        }
    }

    /// `DROP TRIGGER` and the like remove the matching unmanaged `CREATE`.
    fn drop_unmanaged(&mut self, current: &Current, object: &str, name: &str, if_exists: bool) {
        let create_kind = format!("CREATE {object}");
        let found = self.schema.unmanaged.iter().position(|u| {
            u.kind == create_kind
                && unmanaged_object(&leading_words(&u.sql, 24), &u.kind)
                    .is_some_and(|(n, _)| n.eq_ignore_ascii_case(name))
        });
        match found {
            Some(at) => {
                self.schema.unmanaged.remove(at);
            }
            None if if_exists => {}
            None => self.keep_unmanaged(current, format!("DROP {object}"), ""),
        }
    }
}

/// The name an identifier stands for: without quotes, with doubled quote
/// characters undoubled (statements are parsed with escapes kept).
pub(crate) fn name_of(ident: &Ident) -> String {
    match ident.quote_style {
        Some(q @ ('`' | '"')) => ident.value.replace(&format!("{q}{q}"), &q.to_string()),
        _ => ident.value.clone(),
    }
}

/// The name a word token stands for (see [`name_of`]).
fn word_name(word: &sqlparser::tokenizer::Word) -> String {
    name_of(&Ident {
        value: word.value.clone(),
        quote_style: word.quote_style,
        span: sqlparser::tokenizer::Span::empty(),
    })
}

/// Splits the items of an `ALTER TABLE` into `RENAME INDEX|KEY a TO b`
/// renames and the tokens of the other items.
fn split_index_renames(tokens: &[Tok]) -> (Vec<(String, String)>, Vec<Tok>) {
    let mut renames = Vec::new();
    let mut others = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        let end = next_list_item(tokens, at, tokens.len());
        let item = &tokens[at..end];
        match item {
            [rename, kind, old, to, new]
                if rename.is_keyword("RENAME")
                    && (kind.is_keyword("INDEX") || kind.is_keyword("KEY"))
                    && to.is_keyword("TO") =>
            {
                if let (Token::Word(old), Token::Word(new)) = (&old.token, &new.token) {
                    renames.push((word_name(old), word_name(new)));
                } else {
                    others.extend_from_slice(item);
                }
            }
            _ => {
                others.extend_from_slice(item);
                if let Some(comma) = tokens.get(end) {
                    others.push(comma.clone());
                }
            }
        }
        at = end + 1;
    }
    (renames, others)
}

/// The last part of a possibly qualified name.
pub(crate) fn last_name(name: &ObjectName) -> String {
    name.0
        .last()
        .and_then(|p| p.as_ident())
        .map_or_else(|| name.to_string(), name_of)
}

fn unnamed_options(options: Vec<ColumnOption>) -> Vec<ColumnOptionDef> {
    options
        .into_iter()
        .map(|option| ColumnOptionDef { name: None, option })
        .collect()
}

/// Canonical order of a column's extra attributes.
fn sort_extra(extra: &mut [String]) {
    let rank = |e: &String| match e.as_str() {
        "AUTO_INCREMENT" | "AUTOINCREMENT" => 0,
        _ if e.starts_with("ON UPDATE") => 1,
        "VIRTUAL" | "STORED" => 2,
        "INVISIBLE" => 3,
        _ => 4,
    };
    extra.sort_by_key(rank);
}

/// Whether the model can represent the effect of an `ALTER TABLE` operation.
fn is_modelled_alter(op: &AlterTableOperation) -> bool {
    use AlterTableOperation as Op;
    matches!(
        op,
        Op::AddColumn { .. }
            | Op::DropColumn { .. }
            | Op::ModifyColumn { .. }
            | Op::ChangeColumn { .. }
            | Op::RenameColumn { .. }
            | Op::AddConstraint { .. }
            | Op::DropConstraint { .. }
            | Op::DropPrimaryKey { .. }
            | Op::DropForeignKey { .. }
            | Op::DropIndex { .. }
            | Op::RenameTable { .. }
            | Op::Algorithm { .. }
            | Op::Lock { .. }
    ) || matches!(
        op,
        Op::AlterColumn {
            op: AlterColumnOperation::SetDefault { .. }
                | AlterColumnOperation::DropDefault
                | AlterColumnOperation::SetNotNull
                | AlterColumnOperation::DropNotNull,
            ..
        }
    )
}

/// A short name for an `ALTER TABLE` operation, for unmanaged kinds.
fn alter_kind(op: &AlterTableOperation) -> String {
    let text = op.to_string();
    text.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mysql_syntax() -> ScriptSyntax {
        ScriptSyntax {
            client_delimiter: true,
            backslash_escapes: true,
            hash_comments: true,
            dash_comment_needs_space: true,
            executable_comments: true,
            ..ScriptSyntax::default()
        }
    }

    fn pieces(source: &str, syntax: ScriptSyntax) -> Vec<String> {
        let script = split_script(source, syntax).unwrap_or_else(|e| panic!("{e:?}"));
        script
            .statements
            .iter()
            .map(|r| script.clean[r.clone()].to_string())
            .collect()
    }

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let sql = "SELECT 'a;b'; -- c;\nSELECT \"x;\" # d;\n;/* e; */ SELECT 1";
        assert_eq!(
            pieces(sql, mysql_syntax()),
            ["SELECT 'a;b'", "SELECT \"x;\"", "SELECT 1"]
        );
    }

    #[test]
    fn follows_client_delimiters() {
        let sql = "DELIMITER ;;\nCREATE TRIGGER t BEGIN SELECT 1; END;;\nDELIMITER ;\nSELECT 2;";
        assert_eq!(
            pieces(sql, mysql_syntax()),
            ["CREATE TRIGGER t BEGIN SELECT 1; END", "SELECT 2"]
        );
    }

    #[test]
    fn executes_conditional_comments() {
        let sql = "/*!40101 SET NAMES utf8 */;\n/*!50717 SELECT 1 */;\n/*M!999999\\- sandbox */\n";
        let got = pieces(sql, mysql_syntax());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].trim(), "SET NAMES utf8");
    }

    #[test]
    fn keeps_sqlite_trigger_bodies_whole() {
        let syntax = ScriptSyntax {
            compound_bodies: true,
            bracket_identifiers: true,
            ..ScriptSyntax::default()
        };
        let sql = "CREATE TRIGGER t AFTER INSERT ON [a;b] BEGIN UPDATE x SET y = CASE WHEN 1 THEN 2 END; END;\nSELECT 1;";
        assert_eq!(
            pieces(sql, syntax),
            ["CREATE TRIGGER t AFTER INSERT ON [a;b] BEGIN UPDATE x SET y = CASE WHEN 1 THEN 2 END; END", "SELECT 1"]
        );
    }

    #[test]
    fn keeps_mysql_bodies_without_delimiter_whole() {
        let syntax = ScriptSyntax {
            compound_bodies: true,
            ..mysql_syntax()
        };
        let body = "CREATE DEFINER=`a`@`%` TRIGGER t BEFORE INSERT ON x FOR EACH ROW begin\n  if NEW.a is null then set NEW.a = 1; end if;\n  \
                    lbl: LOOP leave lbl; END LOOP lbl;\n  CASE NEW.b WHEN 1 THEN set NEW.c = 2; END CASE;\nend";
        let sql = format!(
            "{body};\nCREATE TRIGGER u BEFORE DELETE ON x FOR EACH ROW DELETE FROM y;\nSELECT 1;"
        );
        assert_eq!(
            pieces(&sql, syntax),
            [
                body,
                "CREATE TRIGGER u BEFORE DELETE ON x FOR EACH ROW DELETE FROM y",
                "SELECT 1"
            ]
        );
    }

    #[test]
    fn maps_lines_and_columns_to_offsets() {
        let text = "ab\ncdé\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(1, 1), 0);
        assert_eq!(index.offset(2, 3), 5);
        assert_eq!(index.offset(3, 1), 8);
        assert_eq!(index.offset(9, 9), text.len());
    }

    #[test]
    fn reads_locations_from_messages() {
        assert_eq!(
            split_location("Expected: x, found: y at Line: 3, Column: 7"),
            Some(("Expected: x, found: y", 3, 7))
        );
        assert_eq!(split_location("no location"), None);
    }

    #[test]
    fn names_statement_kinds() {
        let kind = |sql: &str| statement_kind(&leading_words(sql, 24));
        assert_eq!(kind("INSERT INTO t VALUES (1)"), "INSERT");
        assert_eq!(
            kind("CREATE DEFINER=`root`@`%` TRIGGER x"),
            "CREATE TRIGGER"
        );
        assert_eq!(
            kind("create virtual table f using fts5(a)"),
            "CREATE VIRTUAL TABLE"
        );
        assert_eq!(
            kind("/* c */ CREATE TEMP TABLE t (a)"),
            "CREATE TEMPORARY TABLE"
        );
    }
}

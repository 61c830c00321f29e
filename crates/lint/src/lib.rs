//! # astrola-lint
//!
//! The migration linter: rules that catch PostgreSQL migrations which lock,
//! rewrite, fail on existing data or lose data, with diagnostics that point
//! into the file.
//!
//! Rules know the context: nothing about locks, rewrites or existing data is
//! reported on a table the migration itself created earlier.
//!
//! ```
//! use astrola_lint::{lint_sql, LintOptions};
//!
//! let sql = "SET lock_timeout = '2s';\nCREATE TABLE t (id bigint PRIMARY KEY, name text);\nCREATE INDEX t_name ON t (name);\nCREATE INDEX users_email ON users (email);";
//! let found = lint_sql(sql, "m.sql", &LintOptions::default());
//! let rules: Vec<_> = found.iter().map(|d| d.rule).collect();
//! assert_eq!(rules, ["create-index-non-concurrently"]);
//! assert_eq!(found[0].span.line, 4);
//! ```

pub mod config;
mod context;
mod diagnostic;
pub mod fix;
mod locks;
mod validation;
pub mod output;
pub mod rules;
mod suppression;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use astrola_core::span::LineIndex;
use astrola_core::stats::{human_bytes, human_count, Stats};
use astrola_core::Schema;
use pg_query::protobuf::Node;

pub use config::{Config, ConfigError};
pub use diagnostic::{apply_edits, Applicability, Diagnostic, Edit, Fix, Severity};
pub use rules::{rules, rules_markdown, Category, RuleInfo};

use context::Context;
use rules::{syntax_error, Checker, FileEnd};

/// How to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintOptions {
    /// The PostgreSQL major version the migration runs on (default 15).
    pub pg_version: u32,
    /// The schema before the migration (`--schema`): rules use it to tell a
    /// cheap change from an expensive one (widening a `varchar` does not
    /// rewrite), and the design rules to see existing indexes.
    pub schema: Option<Arc<Schema>>,
    /// Table sizes (`--stats`): they raise or lower the severity of
    /// locking, rewrite and existing-data findings, and are quoted in the
    /// message.
    pub stats: Option<Arc<Stats>>,
    /// The migration runner wraps each file in a transaction (as Rails,
    /// Flyway and Django do by default).
    pub transactional: bool,
    /// Which rules run, and severity overrides.
    pub rules: RuleSelection,
    /// Naming patterns for `naming-convention`.
    pub naming: NamingPolicy,
}

impl Default for LintOptions {
    fn default() -> Self {
        Self { pg_version: 15, schema: None, stats: None, transactional: false, rules: RuleSelection::default(), naming: NamingPolicy::default() }
    }
}

impl LintOptions {
    /// The rule ids the options name that the linter does not know.
    pub fn unknown_rules(&self) -> Vec<String> {
        let known: BTreeSet<&str> = rules().iter().map(|r| r.id).collect();
        self.rules.named().filter(|id| !known.contains(id.as_str())).cloned().collect()
    }

    /// Whether `rule` runs under these options.
    pub fn runs(&self, rule: &RuleInfo) -> bool {
        if self.rules.disable.contains(rule.id) {
            return false;
        }
        rule.default_enabled || self.rules.enable.contains(rule.id)
    }
}

/// Which rules run and how severe their findings are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSelection {
    /// Rules switched off.
    pub disable: BTreeSet<String>,
    /// Rules that are off by default, switched on.
    pub enable: BTreeSet<String>,
    /// A severity per rule, in place of the rule's own.
    pub severity: BTreeMap<String, Severity>,
}

impl RuleSelection {
    /// Every rule id named.
    fn named(&self) -> impl Iterator<Item = &String> {
        self.disable.iter().chain(&self.enable).chain(self.severity.keys())
    }
}

/// Regular expressions that names must match (`naming-convention`). A
/// name matches when the whole name matches the pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingPolicy {
    /// Tables, views and materialized views.
    pub table: Option<String>,
    /// Columns.
    pub column: Option<String>,
    /// Indexes.
    pub index: Option<String>,
    /// Constraints (primary keys, unique, check, foreign keys).
    pub constraint: Option<String>,
}

impl Default for NamingPolicy {
    /// Lower snake case for tables and columns: names that never need
    /// quoting.
    fn default() -> Self {
        let snake = Some(DEFAULT_NAME_PATTERN.to_string());
        Self { table: snake.clone(), column: snake, index: None, constraint: None }
    }
}

/// The default pattern for table and column names: lower snake case.
pub const DEFAULT_NAME_PATTERN: &str = "[a-z_][a-z0-9_]*";

/// Statements parsed with one call of the parser when they all parse.
const CHUNK: usize = 64;

/// Lints the PostgreSQL migration `sql` (named `file` in spans). Never
/// fails: a statement that does not parse becomes a `syntax-error`
/// diagnostic and linting goes on with the next one. Suppression comments
/// (`-- astrola-ignore rule-id`, `-- astrola-ignore-file rule-id`) drop
/// the findings they cover.
pub fn lint_sql(sql: &str, file: &str, options: &LintOptions) -> Vec<Diagnostic> {
    lint_migration(sql, file, options).diagnostics
}

/// The findings on one migration file, and the schema after it.
#[derive(Debug, Clone)]
pub struct LintResult {
    /// The findings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// `options.schema` with the file's statements applied, as far as the
    /// model follows them: what the next file of a migration directory
    /// runs against.
    pub schema_after: Schema,
}

/// Like [`lint_sql`], and also returns the schema after the migration, so
/// that the files of a migration directory can each be linted against the
/// schema the earlier ones leave.
///
/// ```
/// use std::sync::Arc;
/// use astrola_lint::{lint_migration, LintOptions};
///
/// let first = lint_migration("CREATE TABLE users (id bigint PRIMARY KEY, email text);", "1.sql", &LintOptions::default());
/// let options = LintOptions { schema: Some(Arc::new(first.schema_after)), ..LintOptions::default() };
/// // In the next file the table already exists: indexing it blocks writes.
/// let second = lint_migration("CREATE INDEX users_email ON users (email);", "2.sql", &options);
/// assert_eq!(second.diagnostics[0].rule, "create-index-non-concurrently");
/// ```
pub fn lint_migration(sql: &str, file: &str, options: &LintOptions) -> LintResult {
    let lines = LineIndex::new(sql);
    let mut diagnostics = Vec::new();
    let mut context = Context::new(options);
    let active: Vec<&RuleInfo> = rules().iter().filter(|r| options.runs(r)).collect();
    let mut statements = Vec::new();
    let mut check = |parsed: Vec<Parsed>, context: &mut Context, diagnostics: &mut Vec<Diagnostic>| {
        for parsed in parsed {
            match parsed {
                Parsed::Statement { node, range, base } => {
                    statements.push(range);
                    let Some(inner) = node.node.as_ref() else { continue };
                    if context.needs_schema(inner) {
                        context.fetch_model();
                    }
                    let mut checker = Checker { node: inner, context, options, source: sql, range, base, file, lines: &lines, diagnostics };
                    for rule in &active {
                        (rule.check)(&mut checker);
                    }
                    context.record(node, range, sql, &lines, file);
                }
                Parsed::Error { message, range } => {
                    statements.push(range);
                    syntax_error::report(&message, sql, file, range, &lines, diagnostics);
                }
            }
        }
    };
    // A large file is cut into pieces of about CHUNK statements by a fast
    // lexical pass, and the pieces are parsed in parallel. From the first
    // piece that does not parse on its own (a syntax error, or a cut the
    // fast pass got wrong) on, the rest of the file is split by
    // PostgreSQL's scanner, as a small file is.
    let pieces = fast_pieces(sql);
    let mut rest = 0;
    if pieces.len() >= 4 {
        // Pipeline: parser threads take the pieces in file order, ahead of
        // this thread, which runs the rules in order (and parses the next
        // unclaimed piece itself while the one it needs is not ready),
        // while a worker replays the statements into the schema model as
        // long as no rule needs it (in a schema dump, until the end) and
        // frees their parse trees.
        let (queue, receivers) = PieceQueue::new(sql, &pieces);
        let stop = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            // Set when this thread leaves the scope, even by unwinding.
            struct StopWorker<'a>(&'a std::sync::atomic::AtomicBool);
            impl Drop for StopWorker<'_> {
                fn drop(&mut self) {
                    self.0.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            let _stop_worker = StopWorker(&stop);
            let stop = &stop;
            let parsers = std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1));
            for _ in 0..parsers {
                let queue = &queue;
                scope.spawn(move || while !stop.load(std::sync::atomic::Ordering::Relaxed) && queue.parse_next() {});
            }
            context.with_worker(context::spawn_worker(scope, sql, &lines, file, stop));
            rest = sql.len();
            for (&piece, rx) in pieces.iter().zip(&receivers) {
                match queue.take(rx) {
                    Some(parsed) => check(parsed, &mut context, &mut diagnostics),
                    None => {
                        rest = piece.0;
                        break;
                    }
                }
            }
            if rest < sql.len() {
                // The pieces after this one are not needed.
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            context.fetch_model();
            context.end_worker();
        });
    }
    if rest < sql.len() {
        match astrola_core::frontend::postgres::statement_ranges(&sql[rest..], file) {
            Ok(ranges) => {
                let ranges: Vec<(usize, usize)> = ranges.into_iter().map(|(a, b)| (a + rest, b + rest)).collect();
                for chunk in ranges.chunks(CHUNK) {
                    check(parse_chunk(sql, chunk), &mut context, &mut diagnostics);
                }
            }
            Err(error) => {
                let error = match error {
                    astrola_core::Error::Parse { message, span, statement } => astrola_core::Error::Parse { message, span: astrola_core::Span::locate(file, sql, span.start + rest, span.end + rest), statement },
                    other => other,
                };
                syntax_error::report_core_error(&error, sql, &lines, &mut diagnostics);
            }
        }
    }
    let mut end = FileEnd { context: &context, options, source: sql, file, lines: &lines, diagnostics: &mut diagnostics };
    for rule in &active {
        if let Some(finish) = rule.finish {
            finish(&mut end);
        }
    }
    suppression::apply(sql, file, &lines, &statements, &mut diagnostics);
    adjust_severity(&mut diagnostics, options);
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    LintResult { diagnostics, schema_after: context.into_schema() }
}

/// Applies the configured severities, then `--stats`: a finding about a
/// table's locks, rewrite or existing rows on a table of a million rows or
/// a gigabyte is an error, on one under ten thousand rows and 100 MB it
/// drops a level; the size is quoted in the message.
fn adjust_severity(diagnostics: &mut [Diagnostic], options: &LintOptions) {
    for d in diagnostics {
        if let Some(severity) = options.rules.severity.get(d.rule) {
            d.severity = *severity;
        }
        let Some(stats) = &options.stats else { continue };
        let Some(table) = d.table.as_deref() else { continue };
        let Some(figures) = stats.table(table) else { continue };
        let Some(rule) = rules().iter().find(|r| r.id == d.rule) else { continue };
        let verb = match rule.category {
            Category::Rewrite => "rewrites",
            Category::Locking => "locks a table of",
            Category::FailsOnExistingData => "checks",
            _ => continue,
        };
        let rows = figures.rows;
        let bytes = figures.bytes;
        let size = match (rows, bytes) {
            (Some(r), Some(b)) => format!("{} rows ({})", human_count(r), human_bytes(b)),
            (Some(r), None) => format!("{} rows", human_count(r)),
            (None, Some(b)) => human_bytes(b),
            (None, None) => continue,
        };
        d.message = format!("{}: {verb} {size}", d.message);
        let big = rows.is_some_and(|r| r >= 1_000_000) || bytes.is_some_and(|b| b >= 1 << 30);
        let small = rows.is_none_or(|r| r < 10_000) && bytes.is_none_or(|b| b < 100 << 20);
        if big {
            d.severity = Severity::Error;
        } else if small {
            d.severity = match d.severity {
                Severity::Error => Severity::Warning,
                Severity::Warning | Severity::Info => Severity::Info,
            };
        }
    }
}

/// A statement of the file, parsed or not.
enum Parsed {
    /// A statement that parsed. Its node's locations count from `base`.
    Statement { node: Node, range: (usize, usize), base: usize },
    /// A statement that did not parse, with the parser's message.
    Error { message: String, range: (usize, usize) },
}

/// The pieces of a large file to parse in parallel (see
/// [`astrola_core::frontend::postgres::boundaries`]); none for a small one,
/// or one with a NUL byte or psql meta-commands, which only the scanner
/// path handles.
fn fast_pieces(sql: &str) -> Vec<(usize, usize)> {
    if sql.len() < 64 * 1024 || sql.contains('\0') || sql.lines().any(|l| l.starts_with('\\')) {
        return Vec::new();
    }
    let ends = astrola_core::frontend::postgres::boundaries::piece_ends(sql, CHUNK);
    std::iter::once(0).chain(ends.iter().copied()).zip(ends.iter().copied()).collect()
}

/// The pieces of a file, parsed in file order by whichever thread is free.
struct PieceQueue<'a> {
    sql: &'a str,
    pieces: &'a [(usize, usize)],
    /// The first piece no thread has claimed.
    next: std::sync::atomic::AtomicUsize,
    senders: Vec<std::sync::mpsc::SyncSender<Option<Vec<Parsed>>>>,
}

/// Where the rule thread receives piece `i`'s statements.
type PieceReceivers = Vec<std::sync::mpsc::Receiver<Option<Vec<Parsed>>>>;

impl<'a> PieceQueue<'a> {
    fn new(sql: &'a str, pieces: &'a [(usize, usize)]) -> (Self, PieceReceivers) {
        let (senders, receivers) = pieces.iter().map(|_| std::sync::mpsc::sync_channel(1)).unzip();
        (Self { sql, pieces, next: std::sync::atomic::AtomicUsize::new(0), senders }, receivers)
    }

    /// Claims the next unclaimed piece and parses it; false when none is
    /// left.
    fn parse_next(&self) -> bool {
        let k = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (Some(&piece), Some(tx)) = (self.pieces.get(k), self.senders.get(k)) else { return false };
        // Each piece is sent once, into its own channel of one slot; a
        // parse that panicked counts as one that failed (the scanner takes
        // over from there), so that no thread waits for it.
        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse_piece(self.sql, piece))).unwrap_or(None);
        let _ = tx.send(parsed);
        true
    }

    /// Piece `i`'s statements (`None` if it does not parse), parsing other
    /// pieces while it is not ready.
    fn take(&self, rx: &std::sync::mpsc::Receiver<Option<Vec<Parsed>>>) -> Option<Vec<Parsed>> {
        loop {
            match rx.try_recv() {
                Ok(parsed) => return parsed,
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    if !self.parse_next() {
                        // Claimed by a thread that is parsing it.
                        return rx.recv().ok().flatten();
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => return None,
            }
        }
    }
}

/// Parses one piece of the file with one call of the parser: its
/// statements, or `None` when it does not parse.
fn parse_piece(sql: &str, piece: (usize, usize)) -> Option<Vec<Parsed>> {
    let text = sql.get(piece.0..piece.1)?;
    let result = pg_query::parse(text, pg_query::ParserOptions::DEFAULT).ok()?;
    let mut parsed = Vec::with_capacity(result.protobuf.stmts.len());
    for raw in result.protobuf.stmts {
        let (start, end) = sub_range(sql, piece, raw.stmt_location, raw.stmt_len);
        let range = (start + astrola_core::frontend::postgres::boundaries::leading_trivia(&sql[start..end]), end);
        let node = raw.stmt?;
        parsed.push(Parsed::Statement { node: *node, range, base: piece.0 });
    }
    Some(parsed)
}

/// Parses a run of statements with one call of the parser, or statement by
/// statement when the run does not parse as one statement per range.
fn parse_chunk(sql: &str, chunk: &[(usize, usize)]) -> Vec<Parsed> {
    let (Some(&(start, _)), Some(&(_, end))) = (chunk.first(), chunk.last()) else { return Vec::new() };
    if let Ok(result) = pg_query::parse(&sql[start..end], pg_query::ParserOptions::DEFAULT) {
        if result.protobuf.stmts.len() == chunk.len() {
            return result
                .protobuf
                .stmts
                .into_iter()
                .zip(chunk)
                .filter_map(|(raw, &range)| Some(Parsed::Statement { node: *raw.stmt?, range, base: start }))
                .collect();
        }
    }
    let mut parsed = Vec::new();
    for &(start, end) in chunk {
        match pg_query::parse(&sql[start..end], pg_query::ParserOptions::DEFAULT) {
            Ok(result) => {
                for raw in result.protobuf.stmts {
                    let Some(node) = raw.stmt else { continue };
                    let range = sub_range(sql, (start, end), raw.stmt_location, raw.stmt_len);
                    parsed.push(Parsed::Statement { node: *node, range, base: start });
                }
            }
            Err(e) => {
                let message = match e {
                    pg_query::Error::Parse(m) => m,
                    other => other.to_string(),
                };
                parsed.push(Parsed::Error { message, range: (start, end) });
            }
        }
    }
    parsed
}

/// The range of one of several statements parsed from `range` (the text
/// the scanner could not split), without leading whitespace.
fn sub_range(sql: &str, range: (usize, usize), location: i32, len: i32) -> (usize, usize) {
    let start = (range.0 + usize::try_from(location).unwrap_or(0)).min(range.1);
    let end = match usize::try_from(len) {
        Ok(len) if len > 0 => (start + len).min(range.1),
        _ => range.1,
    };
    let text = sql.get(start..end).unwrap_or_default();
    (start + (text.len() - text.trim_start().len()), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_panics_on_odd_input() {
        for sql in ["", ";", "\0", "CREATE TABLE (", "'unterminated", "/* open", "CREATE INDEX ON t ((a);", "é\u{0}é", "\\restrict x\nDROP TABLE t;"] {
            let found = lint_sql(sql, "f.sql", &LintOptions::default());
            for d in &found {
                assert!(d.span.start <= d.span.end && d.span.end <= sql.len(), "{sql:?}: {d:?}");
                let _ = d.render(sql);
            }
        }
        // Rendering against a text other than the linted one (shorter, or
        // with other line breaks) shows less, but does not panic.
        let sql = "CREATE TABLE t (id int);\nCREATE INDEX i ON t2 (c);\n";
        for d in lint_sql(sql, "f.sql", &LintOptions::default()) {
            for other in ["", "abc\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r", "CREATE TABLE t (id int);\r\nCREATE INDEX i ON t2 (c);\r\n", &sql[..30], "é"] {
                let _ = d.render(other);
            }
        }
        assert!(lint_sql("", "f.sql", &LintOptions::default()).is_empty());
        assert_eq!(lint_sql("\\restrict x\nDROP TABLE t;", "f.sql", &LintOptions::default())[0].rule, "drop-table");
    }

    /// The pieces the fast pass cuts parse to exactly the statements
    /// PostgreSQL's scanner splits, in real schemas.
    #[test]
    fn parsed_pieces_give_the_scanners_statements_on_real_schemas() {
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/schemas");
        let files = ["gitlab/structure.sql", "danbooru/structure.sql", "pagila/pagila-schema.sql", "northwind/northwind.sql"];
        for name in files {
            let sql = std::fs::read_to_string(format!("{corpus}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
            let scanner = astrola_core::frontend::postgres::statement_ranges(&sql, name).unwrap_or_else(|e| panic!("{name}: {e}"));
            let pieces = fast_pieces(&sql);
            assert!(pieces.len() >= 4, "{name} is cut into pieces");
            let mut fast = Vec::new();
            for piece in pieces {
                let Some(parsed) = parse_piece(&sql, piece) else { break };
                fast.extend(parsed.into_iter().map(|p| match p {
                    Parsed::Statement { range, .. } | Parsed::Error { range, .. } => range,
                }));
            }
            assert_eq!(fast.len(), scanner.len(), "{name}");
            for (i, (a, b)) in fast.iter().zip(&scanner).enumerate() {
                assert_eq!(a, b, "{name}: statement {i}: {:?} / {:?}", &sql[a.0..a.1], &sql[b.0..b.1]);
            }
        }
    }

    /// In a file large enough to be cut into pieces, a syntax error and a
    /// body with semicolons the fast pass cannot see (`BEGIN ATOMIC`) hand
    /// the rest of the file to the scanner: nothing after them is lost.
    #[test]
    fn a_large_file_with_an_error_and_an_atomic_body_loses_nothing() {
        let mut sql = String::new();
        let mut line = 1;
        let mut expected = Vec::new();
        for i in 0..3000 {
            match i {
                1000 => {
                    sql.push_str("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n");
                }
                2000 => {
                    sql.push_str("CREATE TABLEX broken (id int);\n");
                    expected.push(("syntax-error", line));
                }
                _ if i % 500 == 7 => {
                    sql.push_str(&format!("DROP TABLE t{i};\n"));
                    expected.push(("drop-table", line));
                }
                _ => sql.push_str(&format!("CREATE TABLE t{i} (id bigint PRIMARY KEY, note text);\n")),
            }
            line += 1;
        }
        assert!(fast_pieces(&sql).len() >= 4, "the file is cut into pieces");
        let found: Vec<(&str, usize)> = lint_sql(&sql, "big.sql", &LintOptions::default()).iter().filter(|d| d.rule != "missing-lock-timeout").map(|d| (d.rule, d.span.line)).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn a_syntax_error_does_not_stop_the_statements_after_it() {
        let sql = "CREATE TABLEX t (id int8);\nSET lock_timeout = '2s';\nDROP TABLE users;\n";
        let rules: Vec<_> = lint_sql(sql, "f.sql", &LintOptions::default()).iter().map(|d| (d.rule, d.span.line)).collect();
        assert_eq!(rules, [("syntax-error", 1), ("drop-table", 3)]);
    }

    #[test]
    fn every_rule_is_documented_in_the_fixed_sections() {
        for rule in rules() {
            let doc = rule.documentation();
            for section in ["## What it does", "## Why is this bad?", "## Example", "## Use instead"] {
                assert!(doc.contains(section), "{} lacks {section}", rule.id);
            }
            assert!(rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", rule.id);
        }
    }
}

//! `astrola lint FILE...`: the findings of the migration linter.
//!
//! Inputs are migration files, migration directories (each file linted
//! against the schema the earlier ones leave), stdin, or `--from A --to B`,
//! which lints the migration `astrola diff A B` would write. Settings come
//! from `astrola.toml` (found by walking up from the current directory, or
//! `--config`), then the command line.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use astrola_core::migrations::{self, MigrationFile};
use astrola_core::stats::Stats;
use astrola_core::Dialect;
use astrola_lint::config::CONFIG_FILE;
use astrola_lint::output::Linted;
use astrola_lint::{Config, Diagnostic, LintOptions, Severity};

use crate::error::CliError;
use crate::{input, Outcome};

/// Arguments of `astrola lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// PostgreSQL migration files or directories of migrations, or `-` for
    /// stdin.
    #[arg(value_name = "FILE", required_unless_present_any = ["list_rules", "from"], conflicts_with = "from")]
    files: Vec<PathBuf>,
    /// Lint the migration that takes this schema to `--to` (a SQL file,
    /// migration directory or schema JSON), as `astrola diff` writes it.
    #[arg(long, value_name = "SCHEMA", requires = "to")]
    from: Option<PathBuf>,
    /// The schema the migration of `--from` leads to.
    #[arg(long, value_name = "SCHEMA", requires = "from")]
    to: Option<PathBuf>,
    /// The schema before the migrations (SQL files, a migration directory or
    /// a schema JSON): rules then know column types, nullability and the
    /// existing indexes.
    #[arg(long, value_name = "SCHEMA")]
    schema: Vec<PathBuf>,
    /// Table statistics (row counts and sizes) as JSON:
    /// `{"tables": {"public.users": {"rows": 48000000, "bytes": 9663676416}}}`.
    #[arg(long, value_name = "FILE")]
    stats: Option<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The PostgreSQL major version the migrations run on [default: 15, or
    /// the config's `pg_version`].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(9..=99))]
    pg_version: Option<u32>,
    /// The migration runner wraps each file in a transaction.
    #[arg(long)]
    transactional: bool,
    /// Exit 1 when a finding is at least this severe [default: error, or the
    /// config's `fail_on`].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// The configuration file [default: astrola.toml in the current directory
    /// or the nearest parent that has one].
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any astrola.toml.
    #[arg(long)]
    no_config: bool,
    /// Apply the safe fixes to the files, then report what is left.
    #[arg(long, conflicts_with = "from")]
    fix: bool,
    /// With --fix, apply the unsafe fixes too (read them first).
    #[arg(long, requires = "fix")]
    unsafe_fixes: bool,
    /// Print the rules (id, category, default severity, whether on by
    /// default) and exit.
    #[arg(long)]
    list_rules: bool,
}

/// Output formats of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// rustc-style snippets with line, column, help, fix and validation query.
    Text,
    /// The diagnostics as a JSON array.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::`), shown as
    /// annotations on the pull request.
    Github,
}

/// The least severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

impl From<FailOn> for Severity {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// One text to lint: its name in diagnostics, its text, where to write
/// fixes back (files only), and whether it starts a new migration
/// directory (whose files build on each other).
struct Source {
    name: String,
    text: String,
    path: Option<PathBuf>,
    /// The index of the directory it belongs to, if any.
    directory: Option<usize>,
}

/// Runs `lint`. Exits 1 (findings) when a finding is at or above
/// `--fail-on`. All inputs are read before any is linted, so an unreadable
/// file fails the run (exit 2) without partial output.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome, CliError> {
    if args.list_rules {
        return list_rules(out);
    }
    let config = load_config(args)?;
    let mut options = LintOptions::default();
    if let Some(config) = &config {
        config.apply(&mut options);
    }
    if let Some(version) = args.pg_version {
        options.pg_version = version;
    }
    options.transactional |= args.transactional;
    if !args.schema.is_empty() {
        let parsed = input::load_schema(&args.schema, Some(Dialect::Postgres))?;
        input::print_warnings(&parsed.warnings);
        options.schema = Some(Arc::new(parsed.schema));
    }
    if let Some(path) = &args.stats {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| CliError::Read { path: name.clone(), source })?;
        options.stats = Some(Arc::new(Stats::from_json(&text, &name).map_err(|e| CliError::Usage(e.to_string()))?));
    }
    let threshold = args.fail_on.map(Severity::from).or(config.as_ref().and_then(|c| c.fail_on)).unwrap_or(Severity::Error);

    let sources = match (&args.from, &args.to) {
        (Some(from), Some(to)) => vec![diff_source(from, to, &mut options)?],
        _ => read_sources(&args.files)?,
    };

    let mut results: Vec<(String, String, Vec<Diagnostic>)> = Vec::with_capacity(sources.len());
    // Each file of a migration directory runs against the schema the
    // earlier files leave.
    let base = options.schema.clone();
    let mut directory = None;
    for source in sources {
        if source.directory != directory {
            options.schema = base.clone();
            directory = source.directory;
        }
        let mut text = source.text;
        let mut result = astrola_lint::lint_migration(&text, &source.name, &options);
        if args.fix {
            if let Some(path) = &source.path {
                let fixed = astrola_lint::fix::apply_fixes(&text, &result.diagnostics, args.unsafe_fixes);
                if fixed.applied > 0 {
                    std::fs::write(path, &fixed.source).map_err(|source| CliError::Read { path: path.display().to_string(), source })?;
                    let _ = writeln!(std::io::stderr(), "{}: applied {} fix(es){}", source.name, fixed.applied, if fixed.skipped > 0 { format!(", {} overlapping left for another --fix", fixed.skipped) } else { String::new() });
                    text = fixed.source;
                    result = astrola_lint::lint_migration(&text, &source.name, &options);
                }
            }
        }
        if source.directory.is_some() {
            options.schema = Some(Arc::new(result.schema_after));
        }
        results.push((source.name, text, result.diagnostics));
    }

    let failing = results.iter().flat_map(|(_, _, found)| found).any(|d| d.severity >= threshold);
    write_report(args.format, &results, out)?;
    Ok(if failing { Outcome::Findings } else { Outcome::Clean })
}

/// Prints the findings in `format`.
fn write_report(format: Format, results: &[(String, String, Vec<Diagnostic>)], out: &mut dyn Write) -> Result<(), CliError> {
    match format {
        Format::Text => {
            let mut total = 0;
            for (_, sql, found) in results {
                for d in found {
                    writeln!(out, "{}", d.render(sql)).map_err(CliError::Output)?;
                }
                total += found.len();
            }
            if total > 0 {
                writeln!(out, "{total} finding(s) in {} file(s)", results.len()).map_err(CliError::Output)?;
            }
        }
        Format::Json => {
            let all: Vec<&Diagnostic> = results.iter().flat_map(|(_, _, found)| found).collect();
            let json = serde_json::to_string_pretty(&all).map_err(|e| CliError::Usage(e.to_string()))?;
            writeln!(out, "{json}").map_err(CliError::Output)?;
        }
        Format::Sarif | Format::Github => {
            let linted: Vec<Linted<'_>> = results.iter().map(|(_, sql, found)| Linted { source: sql, diagnostics: found }).collect();
            let text = if format == Format::Sarif { astrola_lint::output::sarif::to_sarif(&linted) + "\n" } else { astrola_lint::output::github::to_github(&linted) };
            out.write_all(text.as_bytes()).map_err(CliError::Output)?;
        }
    }
    Ok(())
}

/// `--list-rules`.
fn list_rules(out: &mut dyn Write) -> Result<Outcome, CliError> {
    for rule in astrola_lint::rules() {
        let state = if rule.default_enabled { "" } else { "  (off by default)" };
        writeln!(out, "{:<45} {:<24} {}{state}", rule.id, rule.category.title(), rule.severity).map_err(CliError::Output)?;
    }
    Ok(Outcome::Clean)
}

/// The configuration: `--config`, or the nearest `astrola.toml` from the
/// current directory up, unless `--no-config`.
fn load_config(args: &Args) -> Result<Option<Config>, CliError> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => std::env::current_dir().ok().and_then(|dir| find_config(&dir)),
    };
    let Some(path) = path else { return Ok(None) };
    let name = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|source| CliError::Read { path: name.clone(), source })?;
    Config::from_toml(&text, &name).map(Some).map_err(|e| CliError::Usage(e.to_string()))
}

/// The nearest `astrola.toml` in `dir` or its parents.
fn find_config(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(CONFIG_FILE)).find(|p| p.is_file())
}

/// The migration `astrola diff FROM TO` writes, destructive changes
/// included (the linter reports them), to lint against FROM.
fn diff_source(from: &Path, to: &Path, options: &mut LintOptions) -> Result<Source, CliError> {
    if from.as_os_str() == "-" && to.as_os_str() == "-" {
        return Err(CliError::Usage("`-` (stdin) can be given only once".into()));
    }
    let before = input::load_schema(std::slice::from_ref(&from.to_path_buf()), Some(Dialect::Postgres))?;
    let after = input::load_schema(std::slice::from_ref(&to.to_path_buf()), Some(Dialect::Postgres))?;
    input::print_warnings(&before.warnings);
    input::print_warnings(&after.warnings);
    let diff_options = astrola_diff::DiffOptions { allow_destructive: true, renames: after.renames.clone() };
    let changes = astrola_diff::diff(&before.schema, &after.schema, &diff_options).map_err(|e| CliError::Usage(e.to_string()))?;
    crate::diff::report(&changes);
    // The schema before the migration is FROM, unless --schema said otherwise.
    if options.schema.is_none() {
        options.schema = Some(Arc::new(before.schema));
    }
    Ok(Source { name: format!("{} -> {}", from.display(), to.display()), text: changes.sql(), path: None, directory: None })
}

/// Reads the FILE arguments: files, directories (their migrations in
/// order) and stdin.
fn read_sources(paths: &[PathBuf]) -> Result<Vec<Source>, CliError> {
    if paths.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(CliError::Usage("`-` (stdin) can be given only once".into()));
    }
    let mut sources = Vec::new();
    for (index, path) in paths.iter().enumerate() {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|source| CliError::Read { path: "<stdin>".into(), source })?;
            sources.push(Source { name: "<stdin>".into(), text: utf8(bytes, "<stdin>")?, path: None, directory: None });
            continue;
        }
        let name = path.display().to_string();
        let metadata = std::fs::metadata(path).map_err(|source| CliError::Read { path: name.clone(), source })?;
        if metadata.is_dir() {
            let mut files = Vec::new();
            let entries = std::fs::read_dir(path).map_err(|source| CliError::Read { path: name.clone(), source })?;
            for entry in entries {
                let file = entry.map_err(|source| CliError::Read { path: name.clone(), source })?.path();
                if file.extension().is_some_and(|e| e == "sql") && file.is_file() {
                    let text = read_text(&file)?;
                    files.push(MigrationFile { name: file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), sql: text });
                }
            }
            let ordered = migrations::order(files).map_err(|e| CliError::from_core(&name, e))?;
            if ordered.is_empty() {
                return Err(CliError::Usage(format!("{name}: no migration files (*.sql) in the directory")));
            }
            for file in ordered {
                let file_path = path.join(&file.name);
                sources.push(Source { name: file_path.display().to_string(), text: file.sql, path: Some(file_path), directory: Some(index) });
            }
        } else {
            sources.push(Source { name: name.clone(), text: read_text(path)?, path: Some(path.clone()), directory: None });
        }
    }
    Ok(sources)
}

/// A file's text; not UTF-8 is an input error.
fn read_text(path: &Path) -> Result<String, CliError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| CliError::Read { path: name.clone(), source })?;
    utf8(bytes, &name)
}

fn utf8(bytes: Vec<u8>, name: &str) -> Result<String, CliError> {
    String::from_utf8(bytes).map_err(|e| CliError::Read { path: name.to_string(), source: std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to())) })
}

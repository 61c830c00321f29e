//! Reading SCHEMA arguments into one schema.
//!
//! A SCHEMA argument is a `.sql` file, a directory of migrations, a schema
//! JSON written by `astrola inspect --format json`, or `-` for stdin (SQL, or
//! JSON when it starts with `{`). Several arguments are replayed, in order,
//! into one schema; a schema JSON must be the only argument.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use astrola_core::hints::{rename_hints, RenameHint};
use astrola_core::migrations::{self, MigrationFile};
use astrola_core::{apply_sql, Dialect, Parsed, Schema, Warning};

use crate::error::CliError;

/// How stdin is named in spans and messages.
const STDIN_NAME: &str = "<stdin>";

/// Parses a `--dialect` value (`postgres`, `mysql`, `sqlite` and their
/// aliases).
pub fn parse_dialect(value: &str) -> Result<Dialect, String> {
    value
        .parse()
        .map_err(|e: astrola_core::Error| e.to_string())
}

/// One SCHEMA argument, read.
enum Input {
    /// SQL text: a file or stdin.
    Sql { name: String, text: String },
    /// A schema JSON document.
    Json { name: String, text: String },
    /// A migration directory: the directory as named, and its `.sql` files.
    Directory {
        name: String,
        files: Vec<MigrationFile>,
    },
}

/// Reads `inputs` and replays them, in order, into one schema of `dialect`
/// (PostgreSQL by default). A schema JSON input carries its own dialect; if
/// `dialect` is given it must agree.
/// The `@renamed` annotations of the SQL inputs are collected in
/// [`Parsed::renames`].
pub fn load_schema(inputs: &[PathBuf], dialect: Option<Dialect>) -> Result<Parsed, CliError> {
    let mut read = Vec::with_capacity(inputs.len());
    let mut stdin_used = false;
    for path in inputs {
        if is_stdin(path) {
            if stdin_used {
                return Err(CliError::Usage("`-` (stdin) can be given only once".into()));
            }
            stdin_used = true;
        }
        read.push(read_input(path)?);
    }

    if let Some(Input::Json { name, text }) = read.iter().find(|i| matches!(i, Input::Json { .. }))
    {
        if read.len() > 1 {
            return Err(CliError::Usage(format!(
                "{name} is a schema JSON, which must be the only SCHEMA argument (got {})",
                read.len()
            )));
        }
        let schema = Schema::from_json(text).map_err(|e| CliError::from_core(name, e))?;
        if let Some(wanted) = dialect.filter(|&d| d != schema.dialect) {
            return Err(CliError::Usage(format!(
                "{name} holds a {} schema, but --dialect {wanted} was given",
                schema.dialect
            )));
        }
        return Ok(Parsed {
            schema,
            warnings: Vec::new(),
            renames: Vec::new(),
        });
    }

    let mut schema = Schema::new(dialect.unwrap_or_default());
    let mut warnings = Vec::new();
    let mut hints: Vec<RenameHint> = Vec::new();
    for input in read {
        match input {
            Input::Sql { name, text } => {
                replay(&mut schema, &name, &text, &mut warnings)?;
                hints.extend(rename_hints(&text, schema.dialect));
            }
            // Unreachable after the check above; kept total rather than panicking.
            Input::Json { name, .. } => {
                return Err(CliError::Usage(format!(
                    "{name} is a schema JSON, which must be the only SCHEMA argument"
                )))
            }
            Input::Directory { name, files } => {
                // `order` then `apply_sql` is what `migrations::replay` does,
                // but on the schema built so far, so that a directory can
                // follow or precede other inputs.
                let ordered =
                    migrations::order(files).map_err(|e| CliError::from_core(&name, e))?;
                for file in ordered {
                    let path = Path::new(&name).join(&file.name).display().to_string();
                    replay(&mut schema, &path, &file.sql, &mut warnings)?;
                    hints.extend(rename_hints(&file.sql, schema.dialect));
                }
            }
        }
    }
    Ok(Parsed { schema, warnings, renames: hints })
}

/// Writes `warnings` to stderr, one `file:line:col: warning: ...` a line.
pub fn print_warnings(warnings: &[Warning]) {
    let mut stderr = std::io::stderr().lock();
    for warning in warnings {
        // A closed stderr loses the warnings, not the result.
        let _ = writeln!(stderr, "{warning}");
    }
}

fn replay(
    schema: &mut Schema,
    name: &str,
    sql: &str,
    warnings: &mut Vec<Warning>,
) -> Result<(), CliError> {
    apply_sql(schema, sql, name, warnings).map_err(|e| CliError::from_core(name, e))
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Whether a document is a schema JSON rather than SQL: its name ends in
/// `.json`, or it starts with `{` (which no SQL statement does).
fn is_json(path: &Path, text: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{')
}

fn read_input(path: &Path) -> Result<Input, CliError> {
    if is_stdin(path) {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| CliError::Read {
                path: STDIN_NAME.into(),
                source,
            })?;
        let name = STDIN_NAME.to_string();
        return Ok(if is_json(Path::new(""), &text) {
            Input::Json { name, text }
        } else {
            Input::Sql { name, text }
        });
    }
    let name = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|source| CliError::Read {
        path: name.clone(),
        source,
    })?;
    if metadata.is_dir() {
        return Ok(Input::Directory {
            files: read_migrations(path, &name)?,
            name,
        });
    }
    let text = read_text(path, &name)?;
    Ok(if is_json(path, &text) {
        Input::Json { name, text }
    } else {
        Input::Sql { name, text }
    })
}

/// The `.sql` files directly inside the migration directory `dir`, unordered.
pub fn migration_files(dir: &Path) -> Result<Vec<MigrationFile>, CliError> {
    let name = dir.display().to_string();
    if !dir.is_dir() {
        return Err(CliError::Usage(format!("{name} is not a migration directory")));
    }
    read_migrations(dir, &name)
}

/// The `.sql` files directly inside `dir`. Other files are left unread:
/// `migrations::order` ignores them anyway, and they need not be text.
fn read_migrations(dir: &Path, name: &str) -> Result<Vec<MigrationFile>, CliError> {
    let read_error = |source| CliError::Read {
        path: name.to_string(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        let is_sql = path.extension().is_some_and(|e| e == "sql");
        if !is_sql || !path.is_file() {
            continue;
        }
        let display = path.display().to_string();
        let sql = read_text(&path, &display)?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push(MigrationFile {
            name: file_name,
            sql,
        });
    }
    Ok(files)
}

fn read_text(path: &Path, name: &str) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: name.to_string(),
        source,
    })
}

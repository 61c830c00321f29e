//! Migration directories: ordering files by version and replaying them.
//!
//! The caller reads the directory (this crate does no I/O) and passes each
//! file's name and text. Supported naming schemes:
//!
//! - Flyway: `V<version>__<description>.sql`, where the version's parts are
//!   separated by `.` or `_` (`V1_2__x.sql` is version 1.2). Undo
//!   (`U<version>__`) files are skipped; repeatable (`R__`) files run after
//!   all versioned ones, ordered by description, as Flyway does.
//! - golang-migrate: `<version>_<name>.up.sql`; `.down.sql` files are skipped.
//! - Plain numbered or timestamped files: `001_init.sql`, `0002-users.sql`,
//!   `20240101120000_add_email.sql`.
//!
//! Files that do not end in `.sql` are ignored. A `.sql` file with no
//! version, or two files with the same version, is an error.

use crate::{Dialect, Error, Parsed, Schema};

/// One migration file: its name (not its path) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFile {
    /// The file name, such as `V2__add_users.sql`.
    pub name: String,
    /// The SQL text.
    pub sql: String,
}

/// Where a file goes in the replay order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Position {
    /// A versioned migration: the numeric parts of its version.
    Versioned(Vec<u128>),
    /// A Flyway repeatable migration, run last, ordered by description.
    Repeatable(String),
}

/// Classifies a file name: `Ok(None)` for files that are not replayed
/// (non-SQL, down and undo migrations).
fn position(name: &str) -> Result<Option<Position>, Error> {
    let Some(stem) = name.strip_suffix(".sql") else { return Ok(None) };
    if stem.ends_with(".down") || (stem.starts_with('U') && stem.contains("__")) {
        return Ok(None);
    }
    let stem = stem.strip_suffix(".up").unwrap_or(stem);
    if let Some(description) = stem.strip_prefix("R__") {
        return Ok(Some(Position::Repeatable(description.to_string())));
    }
    // Flyway: V<version>__<description>
    if let Some(rest) = stem.strip_prefix('V').or_else(|| stem.strip_prefix('v')) {
        if let Some((version, _)) = rest.split_once("__") {
            let parts: Option<Vec<u128>> = version.split(['.', '_']).map(|p| p.parse().ok()).collect();
            if let Some(parts) = parts.filter(|p| !p.is_empty()) {
                return Ok(Some(Position::Versioned(parts)));
            }
        }
    }
    // golang-migrate and plain numbered files: a leading number.
    let digits: String = stem.chars().take_while(|c| c.is_ascii_digit()).collect();
    if let Ok(n) = digits.parse::<u128>() {
        return Ok(Some(Position::Versioned(vec![n])));
    }
    Err(Error::Migrations(format!(
        "cannot tell the version of `{name}`: expected `V<version>__<name>.sql` (Flyway), `<n>_<name>.up.sql` (golang-migrate) or a numbered or timestamped file name"
    )))
}

/// Puts migration files in replay order, dropping those that are not
/// replayed. Fails when a file has no version or two files share one.
pub fn order(files: Vec<MigrationFile>) -> Result<Vec<MigrationFile>, Error> {
    let mut keyed = Vec::with_capacity(files.len());
    for file in files {
        if let Some(pos) = position(&file.name)? {
            keyed.push((pos, file));
        }
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    for pair in keyed.windows(2) {
        if let (Position::Versioned(a), Position::Versioned(b)) = (&pair[0].0, &pair[1].0) {
            if trim_zeros(a) == trim_zeros(b) {
                return Err(Error::Migrations(format!(
                    "`{}` and `{}` have the same version",
                    pair[0].1.name, pair[1].1.name
                )));
            }
        }
    }
    Ok(keyed.into_iter().map(|(_, f)| f).collect())
}

/// `1.0` and `1` are the same version.
fn trim_zeros(parts: &[u128]) -> &[u128] {
    let end = parts.iter().rposition(|&p| p != 0).map_or(0, |i| i + 1);
    &parts[..end]
}

/// Orders `files` and replays them, in that order, into one schema. Spans and
/// errors name the file each statement came from.
pub fn replay(files: Vec<MigrationFile>, dialect: Dialect) -> Result<Parsed, Error> {
    let mut schema = Schema::new(dialect);
    let mut warnings = Vec::new();
    let mut renames = Vec::new();
    for file in order(files)? {
        crate::apply_sql(&mut schema, &file.sql, &file.name, &mut warnings)?;
        renames.extend(crate::hints::rename_hints(&file.sql, dialect));
    }
    Ok(Parsed { schema, warnings, renames })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Result<Vec<String>, Error> {
        // Callers compare Ok(..) directly, so a failure shows its error.
        let files = list.iter().map(|n| MigrationFile { name: n.to_string(), sql: String::new() }).collect();
        Ok(order(files)?.into_iter().map(|f| f.name).collect())
    }

    #[test]
    fn flyway_versions_sort_numerically() {
        assert_eq!(
            names(&["V10__c.sql", "V2__b.sql", "V1_1__a2.sql", "V1__a.sql", "R__views.sql", "U2__undo.sql", "README.md"]),
            Ok(["V1__a.sql", "V1_1__a2.sql", "V2__b.sql", "V10__c.sql", "R__views.sql"].map(String::from).to_vec())
        );
    }

    #[test]
    fn golang_migrate_skips_down_files() {
        assert_eq!(
            names(&["2_b.up.sql", "1_a.down.sql", "1_a.up.sql", "2_b.down.sql", "10_c.up.sql"]),
            Ok(["1_a.up.sql", "2_b.up.sql", "10_c.up.sql"].map(String::from).to_vec())
        );
    }

    #[test]
    fn timestamps_and_plain_numbers() {
        assert_eq!(
            names(&["20240301000000_b.sql", "20240101000000_a.sql", "003-x.sql"]),
            Ok(["003-x.sql", "20240101000000_a.sql", "20240301000000_b.sql"].map(String::from).to_vec())
        );
    }

    #[test]
    fn duplicate_versions_and_unversioned_files_are_errors() {
        assert!(matches!(names(&["V1__a.sql", "V1.0__b.sql"]), Err(Error::Migrations(m)) if m.contains("same version")));
        assert!(matches!(names(&["schema.sql"]), Err(Error::Migrations(m)) if m.contains("schema.sql")));
    }
}

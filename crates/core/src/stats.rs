//! Table statistics (`--stats stats.json`): row counts and sizes that the
//! linter and the planner use to judge how long a lock or a rewrite lasts.
//!
//! The file is JSON:
//!
//! ```json
//! { "tables": { "public.users": { "rows": 48000000, "bytes": 9663676416 } } }
//! ```
//!
//! Keys are `schema.table`, or a bare table name for `public`. Both figures
//! are optional; unknown fields are errors. One query that writes it:
//!
//! ```sql
//! SELECT json_build_object('tables', json_object_agg(format('%s.%s', n.nspname, c.relname),
//!        json_build_object('rows', greatest(c.reltuples, 0)::bigint, 'bytes', pg_total_relation_size(c.oid))))
//! FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
//! WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema');
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Statistics of the tables a migration touches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    /// Per table, by `schema.table` (or a bare name, meaning `public`).
    #[serde(default)]
    pub tables: BTreeMap<String, TableStats>,
}

/// The size of one table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableStats {
    /// Live rows (`pg_class.reltuples`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// Bytes on disk, indexes and TOAST included (`pg_total_relation_size`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
}

/// A stats file that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct StatsError {
    /// The file name.
    pub file: String,
    /// 1-based line of the error.
    pub line: usize,
    /// 1-based column of the error.
    pub column: usize,
    /// What is wrong, naming the field (`unknown field `row`, expected `rows` or `bytes``).
    pub message: String,
}

impl Stats {
    /// Reads a stats file. Errors name the file, the line and column, and
    /// the field.
    ///
    /// ```
    /// use astrola_core::stats::Stats;
    /// let stats = Stats::from_json(r#"{"tables": {"users": {"rows": 1200}}}"#, "stats.json").unwrap();
    /// assert_eq!(stats.table("public.users").and_then(|t| t.rows), Some(1200));
    /// let error = Stats::from_json(r#"{"tables": {"users": {"row": 1}}}"#, "stats.json").unwrap_err();
    /// assert!(error.to_string().starts_with("stats.json:1:"), "{error}");
    /// assert!(error.message.contains("row"));
    /// ```
    pub fn from_json(text: &str, file: &str) -> Result<Self, StatsError> {
        serde_json::from_str(text).map_err(|e| StatsError { file: file.to_string(), line: e.line(), column: e.column(), message: e.to_string().split(" at line ").next().unwrap_or_default().to_string() })
    }

    /// The figures for the table with key `schema.table`; a bare name in
    /// the file matches `public.name`.
    pub fn table(&self, key: &str) -> Option<&TableStats> {
        self.tables.get(key).or_else(|| key.strip_prefix("public.").and_then(|bare| self.tables.get(bare)))
    }
}

/// `48M`, `1.2k`, `950`: a count for messages.
pub fn human_count(n: u64) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=999_999 => trim(n as f64 / 1e3, "k"),
        1_000_000..=999_999_999 => trim(n as f64 / 1e6, "M"),
        _ => trim(n as f64 / 1e9, "G"),
    }
}

/// `9.0 GB`, `512 kB`: a size for messages (powers of 1024, as
/// `pg_size_pretty` prints them).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn trim(value: f64, suffix: &str) -> String {
    if value >= 100.0 || (value.fract() < 0.05) {
        format!("{value:.0}{suffix}")
    } else {
        format!("{value:.1}{suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_sizes_read_as_people_write_them() {
        assert_eq!(human_count(48_000_000), "48M");
        assert_eq!(human_count(1_250), "1.2k");
        assert_eq!(human_count(999), "999");
        assert_eq!(human_bytes(9_663_676_416), "9.0 GB");
        assert_eq!(human_bytes(10), "10 bytes");
    }

    #[test]
    fn errors_name_the_field_and_the_place() {
        let e = Stats::from_json("{\"tables\": {\"t\": {\"rows\": -1}}}", "s.json").unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (1, "s.json"));
        assert!(e.message.contains("-1") || e.message.contains("invalid value"), "{e}");
        assert!(Stats::from_json("{\"tabels\": {}}", "s.json").unwrap_err().message.contains("tabels"));
    }
}

//! `astrola.toml`: the linter's settings for a project.
//!
//! ```toml
//! # The PostgreSQL major version the migrations run on.
//! pg_version = 14
//! # The runner wraps each migration file in a transaction.
//! transactional = true
//! # The least severity that fails `astrola lint` (error, warning, info).
//! fail_on = "warning"
//!
//! [rules]
//! disable = ["prefer-text-over-varchar"]
//! enable = ["require-if-not-exists"]
//!
//! [rules.severity]
//! drop-column = "error"
//!
//! [naming]
//! table = "[a-z][a-z0-9_]*"
//! index = "(idx|index)_[a-z0-9_]+"
//! ```
//!
//! Unknown keys, unknown rule ids and patterns that are not valid regular
//! expressions are errors, with their line and column. The file is found by
//! walking up from the current directory (the CLI does that; this module
//! only reads text).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use toml::Spanned;

use crate::{rules, LintOptions, NamingPolicy, Severity};

/// The file name searched for.
pub const CONFIG_FILE: &str = "astrola.toml";

/// The contents of an `astrola.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// `pg_version`.
    pub pg_version: Option<u32>,
    /// `transactional`.
    pub transactional: Option<bool>,
    /// `fail_on`.
    pub fail_on: Option<Severity>,
    /// `[rules] disable`.
    pub disable: BTreeSet<String>,
    /// `[rules] enable`.
    pub enable: BTreeSet<String>,
    /// `[rules.severity]`.
    pub severity: BTreeMap<String, Severity>,
    /// `[naming]`.
    pub naming: Naming,
}

/// `[naming]`: a pattern per kind of object; unset kinds keep the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Naming {
    /// Tables and views.
    pub table: Option<String>,
    /// Columns.
    pub column: Option<String>,
    /// Indexes.
    pub index: Option<String>,
    /// Constraints.
    pub constraint: Option<String>,
}

/// An `astrola.toml` that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    pg_version: Option<Spanned<u32>>,
    transactional: Option<bool>,
    fail_on: Option<Severity>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    naming: RawNaming,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    enable: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Severity>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawNaming {
    table: Option<Spanned<String>>,
    column: Option<Spanned<String>>,
    index: Option<Spanned<String>>,
    constraint: Option<Spanned<String>>,
}

impl Config {
    /// Reads `astrola.toml` text; `file` names it in errors.
    ///
    /// ```
    /// use astrola_lint::Config;
    /// let config = Config::from_toml("pg_version = 12\n[rules]\ndisable = [\"drop-table\"]\n", "astrola.toml").unwrap();
    /// assert_eq!(config.pg_version, Some(12));
    /// let error = Config::from_toml("[rules]\ndisable = [\"no-such-rule\"]\n", "astrola.toml").unwrap_err();
    /// assert_eq!((error.line, error.column), (2, 12));
    /// assert!(error.message.contains("no-such-rule"));
    /// ```
    pub fn from_toml(text: &str, file: &str) -> Result<Self, ConfigError> {
        let error_at = |offset: usize, message: String| {
            let before = &text[..offset.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            ConfigError { file: file.to_string(), line, column, message }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            error_at(offset, e.message().trim().to_string())
        })?;
        if let Some(version) = &raw.pg_version {
            if !(9..=99).contains(version.get_ref()) {
                return Err(error_at(version.span().start, format!("pg_version {} is not a PostgreSQL major version", version.get_ref())));
            }
        }
        let known: BTreeSet<&str> = rules().iter().map(|r| r.id).collect();
        let ids = raw.rules.disable.iter().chain(&raw.rules.enable).chain(raw.rules.severity.keys());
        for id in ids {
            if !known.contains(id.get_ref().as_str()) {
                return Err(error_at(id.span().start, format!("unknown rule `{}` (`astrola lint --list-rules` lists them)", id.get_ref())));
            }
        }
        let mut naming = Naming::default();
        for (slot, pattern) in [(&mut naming.table, &raw.naming.table), (&mut naming.column, &raw.naming.column), (&mut naming.index, &raw.naming.index), (&mut naming.constraint, &raw.naming.constraint)] {
            if let Some(pattern) = pattern {
                if let Err(e) = regex::Regex::new(&anchored(pattern.get_ref())) {
                    return Err(error_at(pattern.span().start, format!("not a valid regular expression: {e}")));
                }
                *slot = Some(pattern.get_ref().clone());
            }
        }
        Ok(Self {
            pg_version: raw.pg_version.map(Spanned::into_inner),
            transactional: raw.transactional,
            fail_on: raw.fail_on,
            disable: raw.rules.disable.into_iter().map(Spanned::into_inner).collect(),
            enable: raw.rules.enable.into_iter().map(Spanned::into_inner).collect(),
            severity: raw.rules.severity.into_iter().map(|(k, v)| (k.into_inner(), v)).collect(),
            naming,
        })
    }

    /// Options with these settings over `options`.
    pub fn apply(&self, options: &mut LintOptions) {
        if let Some(version) = self.pg_version {
            options.pg_version = version;
        }
        if let Some(transactional) = self.transactional {
            options.transactional = transactional;
        }
        options.rules.disable.extend(self.disable.iter().cloned());
        options.rules.enable.extend(self.enable.iter().cloned());
        options.rules.severity.extend(self.severity.iter().map(|(k, v)| (k.clone(), *v)));
        let NamingPolicy { table, column, index, constraint } = &mut options.naming;
        for (slot, pattern) in [(table, &self.naming.table), (column, &self.naming.column), (index, &self.naming.index), (constraint, &self.naming.constraint)] {
            if let Some(pattern) = pattern {
                *slot = Some(pattern.clone());
            }
        }
    }
}

/// A naming pattern that must match the whole name.
pub(crate) fn anchored(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors_with_their_place() {
        let e = Config::from_toml("pg_version = 15\ntransactionl = true\n", "a.toml").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("transactionl"), "{e}");
        let e = Config::from_toml("[rules.severity]\ndrop-table = \"fatal\"\n", "a.toml").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = Config::from_toml("[naming]\ntable = \"(\"\n", "a.toml").unwrap_err();
        assert_eq!((e.line, e.column), (2, 9), "{e}");
        let e = Config::from_toml("pg_version = 7\n", "a.toml").unwrap_err();
        assert!(e.message.contains("pg_version 7"), "{e}");
    }

    #[test]
    fn settings_apply_over_the_options() {
        let config = Config::from_toml("pg_version = 11\ntransactional = true\nfail_on = \"warning\"\n[rules]\ndisable = [\"drop-table\"]\nenable = [\"drop-column\"]\n[rules.severity]\ntruncate = \"info\"\n[naming]\nindex = \"idx_.*\"\n", "a.toml").unwrap();
        let mut options = LintOptions::default();
        config.apply(&mut options);
        assert_eq!(options.pg_version, 11);
        assert!(options.transactional);
        assert_eq!(config.fail_on, Some(Severity::Warning));
        assert!(options.rules.disable.contains("drop-table"));
        assert_eq!(options.rules.severity.get("truncate"), Some(&Severity::Info));
        assert_eq!(options.naming.index.as_deref(), Some("idx_.*"));
        assert_eq!(options.naming.table.as_deref(), Some(crate::DEFAULT_NAME_PATTERN));
    }
}

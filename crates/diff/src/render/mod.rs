//! SQL for a list of ordered changes, one module per dialect.

use serde::{Deserialize, Serialize};

use astrola_core::{Dialect, Schema};

use crate::Change;

pub mod mysql;
pub mod postgres;
pub mod sqlite;

/// One SQL statement (or a short script, such as a SQLite table rebuild) of
/// a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// The SQL, ending in `;\n`.
    pub sql: String,
    /// The index of the change it implements, if any (a preamble such as
    /// `SET check_function_bodies` implements none).
    pub change: Option<usize>,
    /// Whether it may run inside a transaction block.
    pub transactional: bool,
}

/// Renders ordered `changes` from `from` to `to` in `dialect`.
pub fn render(dialect: Dialect, changes: &[Change], from: &Schema, to: &Schema) -> Vec<Statement> {
    match dialect {
        Dialect::Postgres => postgres::render(changes, from, to),
        Dialect::Mysql => mysql::render(changes, from, to),
        Dialect::Sqlite => sqlite::render(changes, from, to),
    }
}

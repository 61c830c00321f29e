//! Canonical SQL rendering, one module per dialect.

use crate::{Dialect, Schema};

pub mod mysql;
pub mod postgres;
pub mod sqlite;

/// Renders `schema` as DDL in its own dialect.
pub fn render(schema: &Schema) -> String {
    match schema.dialect {
        Dialect::Postgres => postgres::render(schema),
        Dialect::Mysql => mysql::render(schema),
        Dialect::Sqlite => sqlite::render(schema),
    }
}

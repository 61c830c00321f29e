//! DDL frontends: each replays SQL statements, in order, into a [`Schema`].

use crate::{Dialect, Error, Schema, Warning};

pub mod mysql;
pub mod postgres;
pub mod sqlite;
pub mod sqlparser_replay;

/// Replays `sql` on `schema` with the frontend of `schema.dialect`.
pub fn apply(schema: &mut Schema, sql: &str, file: &str, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    match schema.dialect {
        Dialect::Postgres => postgres::apply(schema, sql, file, warnings),
        Dialect::Mysql => mysql::apply(schema, sql, file, warnings),
        Dialect::Sqlite => sqlite::apply(schema, sql, file, warnings),
    }
}

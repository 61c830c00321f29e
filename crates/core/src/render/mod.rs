//! Canonical SQL rendering, one module per dialect.

use crate::model::IndexKey;
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

/// One key of an index as `dialect` writes it inside `CREATE INDEX ... (...)`:
/// the quoted column or the parenthesised expression, with its collation,
/// operator class, direction and NULLS order where the dialect has them.
pub fn index_key_sql(dialect: Dialect, key: &IndexKey) -> String {
    match dialect {
        Dialect::Postgres => postgres::key_sql(key),
        Dialect::Mysql => mysql::index_key(key),
        Dialect::Sqlite => sqlite::index_key(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_keys_are_quoted_and_keep_their_direction() {
        let mut key = IndexKey::column("Created At");
        key.descending = true;
        assert_eq!(index_key_sql(Dialect::Postgres, &key), "\"Created At\" DESC");
        assert_eq!(index_key_sql(Dialect::Mysql, &key), "`Created At` DESC");
        assert_eq!(index_key_sql(Dialect::Sqlite, &key), "\"Created At\" DESC");
    }
}

//! PostgreSQL rendering (being written).

use crate::Schema;

/// Renders `schema` as PostgreSQL DDL.
pub fn render(_schema: &Schema) -> String {
    String::new()
}

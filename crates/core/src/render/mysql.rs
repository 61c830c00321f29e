//! mysql rendering (to be written).

use crate::Schema;

/// Renders `schema` as mysql DDL.
pub fn render(_schema: &Schema) -> String {
    String::new()
}

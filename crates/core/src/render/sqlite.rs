//! sqlite rendering (to be written).

use crate::Schema;

/// Renders `schema` as sqlite DDL.
pub fn render(_schema: &Schema) -> String {
    String::new()
}

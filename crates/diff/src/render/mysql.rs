//! mysql SQL for each change (being written).

use astrola_core::Schema;

use super::Statement;
use crate::Change;

/// Renders `changes` (already ordered) as mysql statements.
pub fn render(changes: &[Change], _from: &Schema, _to: &Schema) -> Vec<Statement> {
    let _ = changes;
    Vec::new()
}

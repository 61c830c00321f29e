//! The PostgreSQL frontend (being written).

use crate::{Error, Schema, Warning};

/// Replays PostgreSQL DDL on `schema`.
pub fn apply(_schema: &mut Schema, _sql: &str, _file: &str, _warnings: &mut Vec<Warning>) -> Result<(), Error> {
    Err(Error::Unsupported("not yet".into()))
}

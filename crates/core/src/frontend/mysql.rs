//! The mysql frontend (to be written).

use crate::{Error, Schema, Warning};

/// Replays mysql DDL on `schema`.
pub fn apply(_schema: &mut Schema, _sql: &str, _file: &str, _warnings: &mut Vec<Warning>) -> Result<(), Error> {
    Err(Error::Unsupported("the mysql frontend is not written yet".into()))
}

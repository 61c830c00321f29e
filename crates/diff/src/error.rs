//! The error type of `astrola-diff`.

use astrola_core::Dialect;

/// Everything that can go wrong in `astrola-diff`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The two schemas are of different dialects.
    #[error("cannot diff a {from} schema against a {to} schema")]
    DialectMismatch {
        /// The dialect of the first schema.
        from: Dialect,
        /// The dialect of the second schema.
        to: Dialect,
    },
    /// Reading a schema failed.
    #[error(transparent)]
    Core(#[from] astrola_core::Error),
}

impl Error {
    /// A stable, machine-readable code for the error kind.
    pub fn code(&self) -> &'static str {
        match self {
            Self::DialectMismatch { .. } => "dialect_mismatch",
            Self::Core(e) => e.code(),
        }
    }
}

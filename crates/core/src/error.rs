//! The error type of `astrola-core`.

use crate::span::Span;

/// Everything that can go wrong in `astrola-core`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The SQL does not parse, or a statement cannot be applied to the schema
    /// built so far (for example, it alters a table that does not exist).
    #[error("{span}: {message}\n  in statement: {statement}")]
    Parse {
        /// What is wrong.
        message: String,
        /// Where: file, line, column and byte range of the offending statement
        /// (or of the exact token when the parser reports one).
        span: Span,
        /// The statement it came from, as written.
        statement: String,
    },
    /// A schema JSON document is malformed.
    #[error("invalid schema JSON at line {line}, column {column}: {message}")]
    Json {
        /// What is wrong.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A migration directory cannot be ordered (for example, two files claim
    /// the same version).
    #[error("migrations: {0}")]
    Migrations(String),
    /// The input asks for something astrola does not support.
    #[error("unsupported: {0}")]
    Unsupported(String),
}

impl Error {
    /// A stable, machine-readable code for the error kind.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Parse { .. } => "parse_error",
            Self::Json { .. } => "json_error",
            Self::Migrations(_) => "migrations_error",
            Self::Unsupported(_) => "unsupported",
        }
    }
}

/// A warning raised while building a schema: the schema was built, but a
/// statement was kept as unmanaged or something else deserves a look.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Warning {
    /// What happened.
    pub message: String,
    /// Where.
    pub span: Span,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: warning: {}", self.span, self.message)
    }
}

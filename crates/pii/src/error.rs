//! The errors of astrola-pii.

/// Everything that can go wrong in this crate. Each variant names the input
/// it is about, so a message can be shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A sample file is malformed at a given line.
    #[error("{file}:{line}: {message}")]
    Samples {
        /// The file (as the caller named it).
        file: String,
        /// The 1-based line (CSV: the line the record starts on).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A sample file is unusable as a whole (empty, no header).
    #[error("{file}: {message}")]
    SamplesFile {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The masking key is missing or too short.
    #[error("masking key: {0}")]
    Key(String),
    /// A value cannot be masked with the chosen strategy.
    #[error("value {index}: cannot apply {strategy}: {message}")]
    Mask {
        /// The position of the value in the input.
        index: usize,
        /// The strategy.
        strategy: String,
        /// Why.
        message: String,
    },
    /// An unknown masking strategy name.
    #[error("unknown masking strategy `{0}` (expected redact, partial, hash, pseudonymize, format_preserving, year_of_birth or zip3)")]
    UnknownStrategy(String),
    /// The quasi-identifier columns given to the k-anonymity check are unusable.
    #[error("k-anonymity: {0}")]
    KAnonymity(String),
}

//! The CLI's error type: everything that ends a command with exit status 2.

use std::io;

/// An error that stops a command: bad usage, unreadable or invalid input, or
/// output that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line is wrong in a way clap cannot see (for example, a
    /// schema JSON given together with other inputs).
    #[error("{0}")]
    Usage(String),
    /// An input file, directory or stdin cannot be read.
    #[error("{path}: {source}")]
    Read {
        /// The path as given on the command line (`<stdin>` for `-`).
        path: String,
        /// Why.
        source: io::Error,
    },
    /// The engine rejected an input, with a message that already names the
    /// file, line and column (parse errors).
    #[error("{0}")]
    Core(Box<astrola_core::Error>),
    /// The engine rejected an input, with a message that does not name the
    /// file by itself (bad JSON, unorderable migrations, unsupported input).
    #[error("{path}: {source}")]
    InFile {
        /// The input it came from.
        path: String,
        /// The engine's error.
        source: Box<astrola_core::Error>,
    },
    /// Writing the result to stdout failed.
    #[error("writing output: {0}")]
    Output(io::Error),
}

impl CliError {
    /// The engine's `error` about the input at `path`, naming the path unless
    /// the message already does.
    pub fn from_core(path: &str, error: astrola_core::Error) -> Self {
        match error {
            astrola_core::Error::Parse { .. } => Self::Core(Box::new(error)),
            source => Self::InFile {
                path: path.to_string(),
                source: Box::new(source),
            },
        }
    }

    /// The process exit status for this error: always 2 (usage or input
    /// error, DESIGN.md).
    pub fn exit_code(&self) -> u8 {
        2
    }
}

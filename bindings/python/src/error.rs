//! Error mapping: each error kind of `astrola-core`, `astrola-diff` and
//! `astrola-lint` becomes its own exception class, defined in pure Python in
//! `astrola/_errors.py`. All are subclasses of `astrola.AstrolaError` and
//! carry the stable `code` of `Error::code()`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

/// The exception classes of `astrola._errors`.
#[derive(Clone, Copy)]
pub enum Class {
    /// `ParseError`.
    Parse,
    /// `SchemaJsonError`.
    SchemaJson,
    /// `UnsupportedError`.
    Unsupported,
    /// `DialectMismatchError`.
    DialectMismatch,
    /// `DestructiveChangeError`.
    DestructiveChange,
    /// `UnmanagedDifferenceError`.
    UnmanagedDifference,
    /// `InvalidArgumentError`.
    InvalidArgument,
    /// `ConfigError`.
    Config,
    /// `MigrationsError`.
    Migrations,
}

/// The classes, imported on first use.
static CLASSES: [PyOnceLock<Py<PyType>>; 9] = [const { PyOnceLock::new() }; 9];

impl Class {
    fn name(self) -> &'static str {
        match self {
            Self::Parse => "ParseError",
            Self::SchemaJson => "SchemaJsonError",
            Self::Unsupported => "UnsupportedError",
            Self::DialectMismatch => "DialectMismatchError",
            Self::DestructiveChange => "DestructiveChangeError",
            Self::UnmanagedDifference => "UnmanagedDifferenceError",
            Self::InvalidArgument => "InvalidArgumentError",
            Self::Config => "ConfigError",
            Self::Migrations => "MigrationsError",
        }
    }
}

/// The exception `class(text, **fields)`, where `fill` sets the keyword
/// arguments. If it cannot be built, the reason is raised instead.
pub fn raise<'py>(py: Python<'py>, class: Class, text: String, fill: impl FnOnce(&Bound<'py, PyDict>) -> PyResult<()>) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let class = CLASSES[class as usize].import(py, "astrola._errors", class.name())?;
        let kwargs = PyDict::new(py);
        fill(&kwargs)?;
        Ok(PyErr::from_value(class.call((text,), Some(&kwargs))?))
    };
    build().unwrap_or_else(|e| e)
}

/// `InvalidArgumentError`: an argument of the wrong type or an unknown
/// option value.
pub fn invalid_argument(py: Python<'_>, text: String) -> PyErr {
    raise(py, Class::InvalidArgument, text, |_| Ok(()))
}

/// The exception for an error of `astrola-core`.
pub fn core_error(py: Python<'_>, error: astrola_core::Error) -> PyErr {
    use astrola_core::Error;
    let text = error.to_string();
    match error {
        Error::Parse { message, span, statement } => raise(py, Class::Parse, text, |kw| {
            kw.set_item("message", message)?;
            kw.set_item("line", span.line)?;
            kw.set_item("column", span.column)?;
            kw.set_item("statement", statement)?;
            kw.set_item("file", (!span.file.is_empty()).then_some(span.file))
        }),
        Error::Json { message, line, column } => raise(py, Class::SchemaJson, text, |kw| {
            kw.set_item("message", message)?;
            kw.set_item("line", line)?;
            kw.set_item("column", column)
        }),
        Error::Unsupported(message) => raise(py, Class::Unsupported, text, |kw| kw.set_item("message", message)),
        Error::Migrations(message) => raise(py, Class::Migrations, text, |kw| kw.set_item("message", message)),
    }
}

/// The exception for an error of `astrola-diff`.
pub fn diff_error(py: Python<'_>, error: astrola_diff::Error) -> PyErr {
    match error {
        astrola_diff::Error::Core(e) => core_error(py, e),
        e @ astrola_diff::Error::DialectMismatch { .. } => raise(py, Class::DialectMismatch, e.to_string(), |_| Ok(())),
    }
}

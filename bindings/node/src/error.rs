//! Error mapping: each error kind of `astrola-core`, `astrola-diff` and
//! `astrola-lint` becomes its own JavaScript class, defined in `errors.js` (all subclasses
//! of `AstrolaError`, itself an `Error`), with the stable `code` of
//! `Error::code()` and the fields of `docs/bindings-api.md`.
//!
//! `index.js` hands the classes to [`register_error_classes`] when it loads
//! the addon; they are kept per environment (main thread or worker).

use napi::bindgen_prelude::{Env, FromNapiValue, Function, JsObjectValue, JsValue, Object, ObjectRef, Result, Unknown};
use napi_derive::napi;

use crate::diff::ChangeSet;

/// Why a call failed, before it becomes a JavaScript error.
pub enum Failure {
    /// An error of `astrola-core` (parse, JSON, unsupported input).
    Core(astrola_core::Error),
    /// The two schemas of a diff are of different dialects.
    DialectMismatch(astrola_diff::Error),
    /// An argument of the wrong type or an unknown option value.
    InvalidArgument(String),
    /// `diff` refused a destructive change (Safety).
    Destructive(String, ChangeSet),
    /// `diff` cannot express a difference (Safety).
    Unmanaged(String, ChangeSet),
    /// Linter settings that do not read: `config` text (`astrola.toml`) or
    /// `stats` JSON, with the place of the problem.
    Config {
        /// The whole message, place first.
        text: String,
        /// `<config>` or `<stats>`.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A JavaScript exception raised while reading an argument (a getter of
    /// an options object that throws), passed on as it is.
    Js(napi::Error),
}

/// The result of a binding call before conversion to JavaScript.
pub type Outcome<T> = std::result::Result<T, Failure>;

impl From<astrola_core::Error> for Failure {
    fn from(error: astrola_core::Error) -> Self {
        Self::Core(error)
    }
}

impl From<napi::Error> for Failure {
    fn from(error: napi::Error) -> Self {
        Self::Js(error)
    }
}

impl From<astrola_lint::ConfigError> for Failure {
    fn from(error: astrola_lint::ConfigError) -> Self {
        Self::Config { text: error.to_string(), file: error.file, line: error.line, column: error.column }
    }
}

impl From<astrola_core::stats::StatsError> for Failure {
    fn from(error: astrola_core::stats::StatsError) -> Self {
        Self::Config { text: error.to_string(), file: error.file, line: error.line, column: error.column }
    }
}

impl From<astrola_diff::Error> for Failure {
    fn from(error: astrola_diff::Error) -> Self {
        match error {
            astrola_diff::Error::Core(e) => Self::Core(e),
            e @ astrola_diff::Error::DialectMismatch { .. } => Self::DialectMismatch(e),
        }
    }
}

/// An `InvalidArgumentError` failure.
pub fn invalid(message: impl Into<String>) -> Failure {
    Failure::InvalidArgument(message.into())
}

/// The error classes of `errors.js`, as registered for this environment.
struct ErrorClasses(ObjectRef<false>);

/// Called once by `index.js`: the object of error classes (`ParseError`, …)
/// that errors are built from in this environment.
#[napi(skip_typescript)]
pub fn register_error_classes(env: Env, classes: Object) -> Result<()> {
    let classes = ErrorClasses(classes.create_ref::<false>()?);
    env.set_instance_data(classes, (), |ctx| {
        // The environment is going away; its reference goes with it.
        let _ = ctx.value.0.unref(&ctx.env);
    })
}

impl Failure {
    fn class(&self) -> &'static str {
        match self {
            Self::Core(astrola_core::Error::Parse { .. }) => "ParseError",
            Self::Core(astrola_core::Error::Json { .. }) => "SchemaJsonError",
            Self::Core(astrola_core::Error::Unsupported(_)) => "UnsupportedError",
            Self::Core(astrola_core::Error::Migrations(_)) => "MigrationsError",
            Self::DialectMismatch(_) => "DialectMismatchError",
            Self::InvalidArgument(_) => "InvalidArgumentError",
            Self::Destructive(..) => "DestructiveChangeError",
            Self::Unmanaged(..) => "UnmanagedDifferenceError",
            Self::Config { .. } => "ConfigError",
            Self::Js(_) => "AstrolaError",
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Core(e) => e.code(),
            Self::DialectMismatch(e) => e.code(),
            Self::InvalidArgument(_) => "invalid_argument",
            Self::Destructive(..) => "destructive_change",
            Self::Unmanaged(..) => "unmanaged_difference",
            Self::Config { .. } => "config_error",
            Self::Js(_) => "invalid_argument",
        }
    }

    /// The JavaScript error to throw or reject with. If it cannot be built,
    /// the reason it cannot is thrown instead.
    pub fn into_js(self, env: &Env) -> napi::Error {
        if let Self::Js(error) = self {
            return error;
        }
        self.build(env).unwrap_or_else(|e| e)
    }

    fn build(self, env: &Env) -> Result<napi::Error> {
        let message = match &self {
            Self::Core(e) => e.to_string(),
            Self::DialectMismatch(e) => e.to_string(),
            Self::InvalidArgument(m) | Self::Destructive(m, _) | Self::Unmanaged(m, _) | Self::Config { text: m, .. } => m.clone(),
            Self::Js(e) => e.reason.clone(),
        };
        let mut error = new_error(env, self.class(), message)?;
        error.set_named_property("code", self.code())?;
        match self {
            Self::Core(astrola_core::Error::Parse { span, statement, .. }) => {
                error.set_named_property("line", span.line as f64)?;
                error.set_named_property("column", span.column as f64)?;
                error.set_named_property("statement", statement)?;
                error.set_named_property("file", (!span.file.is_empty()).then_some(span.file))?;
            }
            Self::Core(astrola_core::Error::Json { line, column, .. }) => {
                error.set_named_property("line", line as f64)?;
                error.set_named_property("column", column as f64)?;
            }
            Self::Config { file, line, column, .. } => {
                error.set_named_property("file", file)?;
                error.set_named_property("line", line as f64)?;
                error.set_named_property("column", column as f64)?;
            }
            Self::Destructive(_, changes) | Self::Unmanaged(_, changes) => {
                error.set_named_property("refused", changes.refused())?;
                error.set_named_property("changeSet", changes)?;
            }
            _ => {}
        }
        Ok(napi::Error::from(error.to_unknown()))
    }
}

/// `new Class(message)` for the registered class `class`, or a plain `Error`
/// when `index.js` registered none (the addon loaded on its own).
fn new_error<'env>(env: &'env Env, class: &str, message: String) -> Result<Object<'env>> {
    match env.get_instance_data::<ErrorClasses>()? {
        Some(classes) => {
            let constructor: Function<String, Unknown> = classes.0.get_value(env)?.get_named_property(class)?;
            Object::from_unknown(constructor.new_instance(message)?)
        }
        None => env.create_error(napi::Error::from_reason(message)),
    }
}

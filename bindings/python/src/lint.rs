//! `astrola-lint` for Python: `lint`, `rules`, `apply_fixes`, and the
//! typed results `Diagnostic`, `Span`, `Fix`, `Edit`, `Rule` and
//! `FixResult`.
//!
//! The options are layered as `astrola lint` layers them: the defaults,
//! then the `config` text (`astrola.toml`), then the explicit keyword
//! arguments, each applied with `Config::apply`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use astrola_core::stats::{Stats, StatsError};
use astrola_core::Parsed;
use astrola_lint::{Config, ConfigError, LintOptions, RuleInfo, Severity};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyMapping, PyString};

use crate::core::{Flag, Schema, Text};
use crate::error::{invalid_argument, raise, Class};
use crate::{py_repr, to_dict, to_json};

/// The name `config` text goes by in `ConfigError`s.
const CONFIG_NAME: &str = "<config>";
/// The name `stats` goes by in `ConfigError`s.
const STATS_NAME: &str = "<stats>";

/// The Python type name of `value`, for messages.
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map_or_else(|_| "object".to_string(), |n| n.to_string())
}

/// A `pg_version` argument: an `int` (not a `bool`) that fits a `u32`.
pub struct Version(u32);

impl<'a, 'py> FromPyObject<'a, 'py> for Version {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = value.py();
        if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
            return Err(invalid_argument(py, format!("pg_version must be an int, got {}", type_name(&value.to_owned()))));
        }
        value.extract::<u32>().map(Self).map_err(|_| invalid_argument(py, format!("pg_version {} is not a PostgreSQL major version", value.to_owned())))
    }
}

/// Rule ids: any iterable of `str`, except a `str` itself.
pub struct RuleIds(BTreeSet<String>);

impl<'a, 'py> FromPyObject<'a, 'py> for RuleIds {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = value.py();
        let value = value.to_owned();
        if value.is_instance_of::<PyString>() {
            return Err(invalid_argument(py, format!("expected an iterable of rule ids, got the str {}", py_repr(py, &value.to_string()))));
        }
        let items = value.try_iter().map_err(|_| invalid_argument(py, format!("expected an iterable of rule ids, got {}", type_name(&value))))?;
        let mut ids = BTreeSet::new();
        for item in items {
            let item = item.map_err(|e| invalid_argument(py, format!("the rule ids cannot be read: {e}")))?;
            ids.insert(item.extract::<Text>()?.0);
        }
        Ok(Self(ids))
    }
}

/// A severity: `"error"`, `"warning"` or `"info"`.
fn severity(py: Python<'_>, rule: &str, name: &str) -> PyResult<Severity> {
    match name {
        "error" => Ok(Severity::Error),
        "warning" => Ok(Severity::Warning),
        "info" => Ok(Severity::Info),
        _ => Err(invalid_argument(py, format!("unknown severity {} for rule {} (expected 'error', 'warning' or 'info')", py_repr(py, name), py_repr(py, rule)))),
    }
}

/// A `severity` argument: a mapping of rule id to severity name.
pub struct Severities(BTreeMap<String, Severity>);

impl<'a, 'py> FromPyObject<'a, 'py> for Severities {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = value.py();
        let value = value.to_owned();
        let mapping = value.cast::<PyMapping>().map_err(|_| invalid_argument(py, format!("severity must be a mapping of rule id to severity, got {}", type_name(&value))))?;
        let items = mapping.items().map_err(|e| invalid_argument(py, format!("severity cannot be read: {e}")))?;
        let mut severities = BTreeMap::new();
        for item in items.iter() {
            let (Text(rule), Text(name)) = item.extract().map_err(|e: PyErr| invalid_argument(py, format!("severity must map str to str: {e}")))?;
            let level = severity(py, &rule, &name)?;
            severities.insert(rule, level);
        }
        Ok(Self(severities))
    }
}

/// A `stats` argument: the stats JSON as text, or as a mapping (turned
/// into JSON text by `json.dumps`).
pub struct StatsArg(pub String);

impl<'a, 'py> FromPyObject<'a, 'py> for StatsArg {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = value.py();
        let value = value.to_owned();
        if value.is_instance_of::<PyString>() {
            return Ok(Self(value.extract::<Text>()?.0));
        }
        if value.cast::<PyMapping>().is_err() {
            return Err(invalid_argument(py, format!("stats must be a mapping or JSON text, got {}", type_name(&value))));
        }
        let dumps = py.import("json")?.getattr("dumps")?;
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("allow_nan", false)?;
        let text = dumps.call((&value,), Some(&kwargs)).map_err(|e| invalid_argument(py, format!("stats is not JSON data: {e}")))?;
        Ok(Self(text.extract::<Text>()?.0))
    }
}

/// A `schema` argument: a `Schema` from `parse_schema` or `Schema.from_json`.
pub struct SchemaOnly(Arc<Parsed>);

impl<'a, 'py> FromPyObject<'a, 'py> for SchemaOnly {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        match value.cast::<Schema>() {
            Ok(schema) => Ok(Self(schema.get().parsed.clone())),
            Err(_) => Err(invalid_argument(value.py(), format!("schema must be a Schema (astrola.parse_schema), got {}", type_name(&value.to_owned())))),
        }
    }
}

/// Why `lint` could not run, before it becomes a Python exception.
enum Failure {
    /// The `config` text does not read.
    Config(ConfigError),
    /// The `stats` do not read.
    Stats(StatsError),
    /// Rule ids the linter does not know.
    UnknownRules(Vec<String>),
}

impl Failure {
    fn into_py(self, py: Python<'_>) -> PyErr {
        let (text, file, line, column, message) = match self {
            Self::Config(e) => (e.to_string(), e.file, e.line, e.column, e.message),
            Self::Stats(e) => (e.to_string(), e.file, e.line, e.column, e.message),
            Self::UnknownRules(ids) => {
                let ids: Vec<String> = ids.iter().map(|id| py_repr(py, id)).collect();
                return invalid_argument(py, format!("unknown rule id(s) {} (astrola.rules() lists them)", ids.join(", ")));
            }
        };
        raise(py, Class::Config, text, |kw| {
            kw.set_item("message", message)?;
            kw.set_item("file", file)?;
            kw.set_item("line", line)?;
            kw.set_item("column", column)
        })
    }
}

/// Lints a PostgreSQL migration: the findings of every rule that runs, in
/// file order.
///
/// Never fails on the SQL: a statement that does not parse is a
/// `syntax-error` diagnostic. `file` names the migration in spans.
/// `pg_version` (default 15), `transactional` (the runner wraps the file in
/// a transaction), `disable`, `enable` and `severity` override the `config`
/// text (the contents of an `astrola.toml`). `schema` is the schema before
/// the migration; `stats` are table sizes (a mapping or JSON text, as
/// `astrola lint --stats` reads them). Raises `ConfigError` when `config`
/// or `stats` do not read, and `InvalidArgumentError` for an unknown rule
/// id or severity.
#[pyfunction]
#[pyo3(
    signature = (
        sql, *, file = Text(String::from("<sql>")), pg_version = None, schema = None, stats = None, transactional = None,
        config = None, disable = RuleIds(BTreeSet::new()), enable = RuleIds(BTreeSet::new()), severity = None
    ),
    text_signature = "(sql, *, file='<sql>', pg_version=None, schema=None, stats=None, transactional=None, config=None, disable=(), enable=(), severity=None)"
)]
#[allow(clippy::too_many_arguments)]
pub fn lint(
    py: Python<'_>,
    sql: Text,
    file: Text,
    pg_version: Option<Version>,
    schema: Option<SchemaOnly>,
    stats: Option<StatsArg>,
    transactional: Option<Flag>,
    config: Option<Text>,
    disable: RuleIds,
    enable: RuleIds,
    severity: Option<Severities>,
) -> PyResult<Vec<Diagnostic>> {
    let explicit = Config {
        pg_version: pg_version.map(|v| v.0),
        transactional: transactional.map(|t| t.0),
        disable: disable.0,
        enable: enable.0,
        severity: severity.map(|s| s.0).unwrap_or_default(),
        ..Config::default()
    };
    let found = py.detach(move || -> Result<Vec<astrola_lint::Diagnostic>, Failure> {
        let mut options = LintOptions::default();
        if let Some(config) = config {
            Config::from_toml(&config.0, CONFIG_NAME).map_err(Failure::Config)?.apply(&mut options);
        }
        explicit.apply(&mut options);
        let unknown = options.unknown_rules();
        if !unknown.is_empty() {
            return Err(Failure::UnknownRules(unknown));
        }
        options.schema = schema.map(|s| Arc::new(s.0.schema.clone()));
        options.stats = stats.map(|s| Stats::from_json(&s.0, STATS_NAME).map(Arc::new)).transpose().map_err(Failure::Stats)?;
        Ok(astrola_lint::lint_sql(&sql.0, &file.0, &options))
    });
    Ok(found.map_err(|f| f.into_py(py))?.into_iter().map(|inner| Diagnostic { inner }).collect())
}

/// Every rule the linter knows, in the order of `docs/rules.md`'s table.
#[pyfunction]
pub fn rules() -> Vec<Rule> {
    astrola_lint::rules().iter().map(|info| Rule { info }).collect()
}

/// Applies the fixes of `diagnostics` to `sql`, the text they were found
/// in: the safe ones, and with `unsafe=True` the unsafe ones too (never
/// the display-only ones), in file order, leaving out any that overlaps a
/// fix applied before it. What `astrola lint --fix` does.
#[pyfunction]
#[pyo3(signature = (sql, diagnostics, *, r#unsafe = Flag(false)), text_signature = "(sql, diagnostics, *, unsafe=False)")]
pub fn apply_fixes(py: Python<'_>, sql: Text, diagnostics: &Bound<'_, PyAny>, r#unsafe: Flag) -> PyResult<FixResult> {
    let wrong = || invalid_argument(py, format!("diagnostics must be an iterable of Diagnostic (from astrola.lint), got {}", type_name(diagnostics)));
    if diagnostics.is_instance_of::<PyString>() {
        return Err(wrong());
    }
    let mut found = Vec::new();
    for item in diagnostics.try_iter().map_err(|_| wrong())? {
        let item = item.map_err(|e| invalid_argument(py, format!("the diagnostics cannot be read: {e}")))?;
        let diagnostic = item.cast::<Diagnostic>().map_err(|_| invalid_argument(py, format!("diagnostics must hold Diagnostic objects, got {}", type_name(&item))))?;
        found.push(diagnostic.get().inner.clone());
    }
    let fixed = py.detach(|| astrola_lint::fix::apply_fixes(&sql.0, &found, r#unsafe.0));
    Ok(FixResult { source: fixed.source, applied: fixed.applied, skipped: fixed.skipped })
}

/// One finding of one rule on one statement.
///
/// `to_dict()` and `to_json()` give the form `astrola lint --format json`
/// prints; `render(sql)` the text `astrola lint` prints.
#[pyclass(frozen, eq, module = "astrola")]
#[derive(PartialEq)]
pub struct Diagnostic {
    inner: astrola_lint::Diagnostic,
}

#[pymethods]
impl Diagnostic {
    /// The rule's kebab-case id ("create-index-non-concurrently").
    #[getter]
    fn rule(&self) -> &'static str {
        self.inner.rule
    }

    /// "error", "warning" or "info".
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }

    /// What is wrong, naming the objects involved (and, with `stats`, the
    /// table's size).
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// Where: the statement, or the exact node when the parser locates it.
    #[getter]
    fn span(&self) -> Span {
        Span { inner: self.inner.span.clone() }
    }

    /// The statement as written.
    #[getter]
    fn statement(&self) -> &str {
        &self.inner.statement
    }

    /// What to do instead, or None.
    #[getter]
    fn help(&self) -> Option<&str> {
        self.inner.help.as_deref()
    }

    /// The table the finding is about ("public.users"), or None.
    #[getter]
    fn table(&self) -> Option<&str> {
        self.inner.table.as_deref()
    }

    /// A rewrite that removes the hazard, or None.
    #[getter]
    fn fix(&self) -> Option<Fix> {
        self.inner.fix.clone().map(|inner| Fix { inner })
    }

    /// For findings that fail on existing data: a query counting the rows
    /// the statement would fail on (it should return 0), or None.
    #[getter]
    fn validation(&self) -> Option<&str> {
        self.inner.validation.as_deref()
    }

    /// The diagnostic as `astrola lint` prints it (rustc-style, with the
    /// source line, help, fix and validation query). `sql` is the text that
    /// was linted.
    fn render(&self, sql: Text) -> String {
        self.inner.render(&sql.0)
    }

    /// The diagnostic as Python dicts and lists (its JSON form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }

    /// The diagnostic as pretty-printed JSON (an element of
    /// `astrola lint --format json`).
    fn to_json(&self) -> String {
        to_json(&self.inner)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let d = &self.inner;
        format!("<astrola.Diagnostic {} {} at {} {}>", d.severity, d.rule, py_repr(py, &d.span.to_string()), py_repr(py, &d.message))
    }
}

/// Where a diagnostic points: the file, the 1-based line and column (in
/// characters) and the byte range.
#[pyclass(frozen, eq, module = "astrola")]
#[derive(PartialEq)]
pub struct Span {
    inner: astrola_core::Span,
}

#[pymethods]
impl Span {
    /// The `file` given to `lint`.
    #[getter]
    fn file(&self) -> &str {
        &self.inner.file
    }

    /// The 1-based line of the first byte.
    #[getter]
    fn line(&self) -> usize {
        self.inner.line
    }

    /// The 1-based column (in characters) of the first byte.
    #[getter]
    fn column(&self) -> usize {
        self.inner.column
    }

    /// The byte offset of the first byte (in the UTF-8 text).
    #[getter]
    fn start(&self) -> usize {
        self.inner.start
    }

    /// The byte offset one past the last byte.
    #[getter]
    fn end(&self) -> usize {
        self.inner.end
    }

    /// The span as Python dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }

    /// The span as pretty-printed JSON.
    fn to_json(&self) -> String {
        to_json(&self.inner)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let s = &self.inner;
        format!("<astrola.Span {} bytes={}..{}>", py_repr(py, &s.to_string()), s.start, s.end)
    }
}

/// A rewrite attached to a diagnostic: byte-range edits of the file, and
/// how far they can be trusted.
#[pyclass(frozen, eq, module = "astrola")]
#[derive(PartialEq)]
pub struct Fix {
    inner: astrola_lint::Fix,
}

#[pymethods]
impl Fix {
    /// What the fix does ("build the index CONCURRENTLY").
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// "safe" (applied by `apply_fixes`), "unsafe" (applied with
    /// `unsafe=True`) or "display_only" (a sketch, never applied).
    #[getter]
    fn applicability(&self) -> &'static str {
        self.inner.applicability.as_str()
    }

    /// The edits, in file order, not overlapping.
    #[getter]
    fn edits(&self) -> Vec<Edit> {
        self.inner.edits.iter().cloned().map(|inner| Edit { inner }).collect()
    }

    /// The fix as Python dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }

    /// The fix as pretty-printed JSON.
    fn to_json(&self) -> String {
        to_json(&self.inner)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.Fix {} {} edits={}>", self.applicability(), py_repr(py, &self.inner.message), self.inner.edits.len())
    }
}

/// Replace the bytes `start..end` of the file with `replacement`.
#[pyclass(frozen, eq, module = "astrola")]
#[derive(PartialEq)]
pub struct Edit {
    inner: astrola_lint::Edit,
}

#[pymethods]
impl Edit {
    /// The first byte replaced (a byte offset in the UTF-8 text).
    #[getter]
    fn start(&self) -> usize {
        self.inner.start
    }

    /// One past the last byte replaced (`start` for an insertion).
    #[getter]
    fn end(&self) -> usize {
        self.inner.end
    }

    /// The new text.
    #[getter]
    fn replacement(&self) -> &str {
        &self.inner.replacement
    }

    /// The edit as Python dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }

    /// The edit as pretty-printed JSON.
    fn to_json(&self) -> String {
        to_json(&self.inner)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.Edit {}..{} {}>", self.inner.start, self.inner.end, py_repr(py, &self.inner.replacement))
    }
}

/// A rule of the linter: its id, category, default severity, whether it
/// runs by default, and its documentation (Markdown, as in `docs/rules.md`).
#[pyclass(frozen, module = "astrola")]
pub struct Rule {
    info: &'static RuleInfo,
}

impl Rule {
    /// The category's snake_case name, as its serde form spells it.
    fn category_name(&self) -> String {
        serde_json::to_value(self.info.category).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }
}

#[pymethods]
impl Rule {
    /// The kebab-case id ("create-index-non-concurrently").
    #[getter]
    fn id(&self) -> &'static str {
        self.info.id
    }

    /// The kind of hazard, snake_case ("locking", "data_loss", ...).
    #[getter]
    fn category(&self) -> String {
        self.category_name()
    }

    /// The severity of its findings: "error", "warning" or "info".
    #[getter]
    fn severity(&self) -> &'static str {
        self.info.severity.as_str()
    }

    /// Whether it runs unless disabled (the others run only when enabled).
    #[getter]
    fn default_enabled(&self) -> bool {
        self.info.default_enabled
    }

    /// The documentation, in Markdown: What it does, Why is this bad?,
    /// Example, Use instead, Fix safety.
    #[getter]
    fn documentation(&self) -> String {
        self.info.documentation()
    }

    /// The rule as a dict of its five fields.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let dict = pyo3::types::PyDict::new(py);
        dict.set_item("id", self.info.id)?;
        dict.set_item("category", self.category_name())?;
        dict.set_item("severity", self.info.severity.as_str())?;
        dict.set_item("default_enabled", self.info.default_enabled)?;
        dict.set_item("documentation", self.info.documentation())?;
        Ok(dict)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.Rule {} category='{}' severity='{}'>", py_repr(py, self.info.id), self.category_name(), self.info.severity)
    }
}

/// What `apply_fixes` did: the fixed source, how many fixes it applied, and
/// how many it left out because they overlap one applied before them (run
/// `lint` and `apply_fixes` again for those).
#[pyclass(frozen, eq, module = "astrola")]
#[derive(PartialEq)]
pub struct FixResult {
    source: String,
    applied: usize,
    skipped: usize,
}

#[pymethods]
impl FixResult {
    /// The SQL with the fixes applied.
    #[getter]
    fn source(&self) -> &str {
        &self.source
    }

    /// How many fixes were applied.
    #[getter]
    fn applied(&self) -> usize {
        self.applied
    }

    /// How many fixes were left out because they overlap an applied one.
    #[getter]
    fn skipped(&self) -> usize {
        self.skipped
    }

    fn __repr__(&self) -> String {
        format!("<astrola.FixResult applied={} skipped={} source=<{} bytes>>", self.applied, self.skipped, self.source.len())
    }
}

//! The native module of the `astrola` Python package, `astrola._astrola`.
//!
//! A thin layer over `astrola-core`, `astrola-diff` and `astrola-lint`:
//! conversions, error mapping and docstrings. The files mirror the crates
//! they wrap: [`core`] (schemas), [`diff`] (change sets and drift),
//! [`merge`] (three-way merges),
//! [`lint`] (diagnostics and rules), [`plan`] (online plans) and [`error`].
//! The public names are re-exported by `python/astrola/__init__.py`.

use pyo3::prelude::*;
use pyo3::types::PyString;
use serde::Serialize;

mod core;
mod diff;
mod error;
mod lint;
mod merge;
mod pii;
mod plan;

/// `value` as Python objects (dicts, lists, str, int, bool, None): the
/// serde JSON form, without going through JSON text.
fn to_dict<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    Ok(pythonize::pythonize(py, value)?)
}

/// `value` as pretty-printed JSON, the form the CLI prints.
fn to_json<T: Serialize>(value: &T) -> String {
    // Serialising plain data with string keys cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// `text` spelled as Python's `repr` spells it, for `__repr__`.
fn py_repr(py: Python<'_>, text: &str) -> String {
    PyString::new(py, text).repr().map(|r| r.to_string()).unwrap_or_else(|_| format!("{text:?}"))
}

/// `py_repr` of an optional string, `None` when absent.
fn py_repr_opt(py: Python<'_>, text: Option<&str>) -> String {
    text.map_or_else(|| "None".to_string(), |t| py_repr(py, t))
}

/// The native module. Its classes say `module = "astrola"`, where users
/// import them from.
#[pymodule]
fn _astrola(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(core::parse_schema, m)?)?;
    m.add_function(wrap_pyfunction!(diff::diff, m)?)?;
    m.add_function(wrap_pyfunction!(diff::drift, m)?)?;
    m.add_function(wrap_pyfunction!(lint::lint, m)?)?;
    m.add_function(wrap_pyfunction!(lint::rules, m)?)?;
    m.add_function(wrap_pyfunction!(lint::apply_fixes, m)?)?;
    m.add_class::<core::Schema>()?;
    m.add_class::<core::Table>()?;
    m.add_class::<core::Column>()?;
    m.add_class::<core::Index>()?;
    m.add_class::<core::Constraint>()?;
    m.add_class::<core::View>()?;
    m.add_class::<core::Sequence>()?;
    m.add_class::<core::TypeDef>()?;
    m.add_class::<core::Function>()?;
    m.add_class::<core::Extension>()?;
    m.add_class::<core::Warning>()?;
    m.add_class::<diff::ChangeSet>()?;
    m.add_class::<diff::Change>()?;
    m.add_class::<diff::Statement>()?;
    m.add_class::<diff::Suggestion>()?;
    m.add_class::<diff::UnmanagedDifference>()?;
    m.add_class::<diff::DriftReport>()?;
    m.add_class::<diff::Drift>()?;
    m.add_class::<lint::Diagnostic>()?;
    m.add_class::<lint::Span>()?;
    m.add_class::<lint::Fix>()?;
    m.add_class::<lint::Edit>()?;
    m.add_class::<lint::Rule>()?;
    m.add_class::<lint::FixResult>()?;
    m.add_function(wrap_pyfunction!(pii::classify, m)?)?;
    m.add_function(wrap_pyfunction!(pii::mask, m)?)?;
    m.add_function(wrap_pyfunction!(pii::k_anonymity, m)?)?;
    m.add_class::<pii::PiiReport>()?;
    m.add_class::<pii::ColumnReport>()?;
    m.add_class::<pii::Finding>()?;
    m.add_class::<pii::SampleStats>()?;
    m.add_class::<pii::KAnonymity>()?;
    m.add_class::<pii::EquivalenceClass>()?;
    m.add_function(wrap_pyfunction!(merge::merge, m)?)?;
    m.add_function(wrap_pyfunction!(merge::merge_histories, m)?)?;
    m.add_class::<merge::Merge>()?;
    m.add_class::<merge::Conflict>()?;
    m.add_class::<merge::HistoryMerge>()?;
    m.add_class::<merge::Renumbered>()?;
    m.add_function(wrap_pyfunction!(plan::plan, m)?)?;
    m.add_class::<plan::Plan>()?;
    m.add_class::<plan::Phase>()?;
    m.add_class::<plan::Gate>()?;
    m.add_class::<plan::Step>()?;
    m.add_class::<plan::Lock>()?;
    m.add_class::<plan::RetryPolicy>()?;
    m.add_class::<plan::Check>()?;
    m.add_class::<plan::Backfill>()?;
    m.add_class::<plan::BatchPolicy>()?;
    m.add_class::<plan::Throttle>()?;
    m.add_class::<plan::TimeWindow>()?;
    m.add_class::<plan::Verification>()?;
    m.add_class::<plan::Script>()?;
    m.add_class::<plan::Estimate>()?;
    m.add_class::<plan::Approval>()?;
    m.add_class::<plan::Blocking>()?;
    Ok(())
}

//! `astrola-pii` for Python: `classify`, `mask`, `k_anonymity`, and the
//! typed results `PiiReport`, `ColumnReport`, `Finding`, `SampleStats`,
//! `KAnonymity` and `EquivalenceClass`.
//!
//! Sampled values can be any iterable (a list, a tuple, a generator, a
//! pandas or polars Series, a numpy array of objects): it is read with
//! `iter()`, one item at a time. A `str` is taken as it is; `None`, a float
//! NaN, pandas' `NA` and `NaT` are missing values; `bytes` are refused
//! (decode them first); any other object becomes `str(item)`.

use std::sync::Arc;

use astrola_pii::{ClassifyOptions, SampleColumn, SampleSet, SampleTable, Strategy};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyFloat, PyMemoryView, PyString};
use serde::Serialize;

use crate::core::{DialectArg, SchemaArg, Text};
use crate::error::{core_error, invalid_argument};
use crate::{py_repr, to_json};

/// The name sample tables given from Python go by (in `unmatched_samples`).
const SAMPLES_SOURCE: &str = "<samples>";

/// The Python type name of `value`, for messages.
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map_or_else(|_| "object".to_string(), |n| n.to_string())
}

/// `value` as Python dicts and lists: `json.loads` of its JSON text, so that
/// confidences read as the JSON prints them (0.85, not the f32's
/// 0.8500000238) and keys keep the JSON's order.
fn json_dict<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.getattr("loads")?.call1((to_json(value),))
}

/// An `f32` as the float its shortest decimal form (the JSON's) denotes.
fn decimal(value: f32) -> f64 {
    value.to_string().parse().unwrap_or(f64::from(value))
}

/// One sampled value: `str` as it is; `None`, NaN, pandas `NA`/`NaT` as
/// missing; `bytes`-like refused; anything else `str(item)`.
fn sample_value(item: &Bound<'_, PyAny>, what: &dyn Fn() -> String) -> PyResult<Option<String>> {
    let py = item.py();
    let text = |s: &Bound<'_, PyString>| match s.to_cow() {
        Ok(s) => Ok(Some(s.into_owned())),
        Err(e) => Err(invalid_argument(py, format!("{} is not valid Unicode: {e}", what()))),
    };
    if item.is_none() {
        return Ok(None);
    }
    if let Ok(s) = item.cast::<PyString>() {
        return text(s);
    }
    if item.is_instance_of::<PyBytes>() || item.is_instance_of::<PyByteArray>() || item.is_instance_of::<PyMemoryView>() {
        return Err(invalid_argument(py, format!("{} is {}; decode it to str first", what(), type_name(item))));
    }
    if let Ok(f) = item.cast::<PyFloat>() {
        if f.value().is_nan() {
            return Ok(None);
        }
    }
    // pandas' missing-value markers, without importing pandas.
    if matches!(type_name(item).as_str(), "NAType" | "NaTType") {
        return Ok(None);
    }
    let s = item.str().map_err(|e| invalid_argument(py, format!("{} cannot be turned into str: {e}", what())))?;
    text(&s)
}

/// Values: any iterable except a `str` or `bytes` (which would be read
/// character by character), each item read by [`sample_value`].
fn read_values(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<Option<String>>> {
    let py = value.py();
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() || value.is_instance_of::<PyByteArray>() {
        return Err(invalid_argument(py, format!("{what} must be an iterable of values, got a {}", type_name(value))));
    }
    let items = value.try_iter().map_err(|_| invalid_argument(py, format!("{what} must be an iterable of values, got {}", type_name(value))))?;
    let mut values = Vec::with_capacity(value.len().unwrap_or(0));
    for (index, item) in items.enumerate() {
        // An exception raised by the iterable itself (a generator) passes through.
        values.push(sample_value(&item?, &|| format!("{what}[{index}]"))?);
    }
    Ok(values)
}

/// The `(key, value)` pairs of a mapping: a `dict`, or any object with
/// `.items()` (a pandas DataFrame).
fn read_items<'py>(value: &Bound<'py, PyAny>, what: &str) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
    let py = value.py();
    let not_mapping = || invalid_argument(py, format!("{what} must be a mapping (a dict, or an object with .items()), got {}", type_name(value)));
    if value.is_instance_of::<PyString>() {
        return Err(not_mapping());
    }
    let items = match value.cast::<PyDict>() {
        Ok(dict) => dict.items().into_any(),
        Err(_) => value.getattr("items").map_err(|_| not_mapping())?.call0()?,
    };
    let mut pairs = Vec::new();
    for pair in items.try_iter().map_err(|_| not_mapping())? {
        let pair = pair?;
        let (key, item): (Bound<'py, PyAny>, Bound<'py, PyAny>) = pair.extract().map_err(|_| not_mapping())?;
        let key = key.extract::<Text>().map_err(|_| invalid_argument(py, format!("the keys of {what} must be str, got {}", type_name(&key))))?.0;
        pairs.push((key, item));
    }
    Ok(pairs)
}

/// A `samples` argument: table name to column name to values.
pub struct Samples(SampleSet);

impl<'a, 'py> FromPyObject<'a, 'py> for Samples {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let mut tables = Vec::new();
        for (table, columns) in read_items(&value.to_owned(), "samples")? {
            let mut sample_columns = Vec::new();
            for (column, values) in read_items(&columns, &format!("samples[{}]", py_repr(value.py(), &table)))? {
                let what = format!("samples[{}][{}]", py_repr(value.py(), &table), py_repr(value.py(), &column));
                sample_columns.push(SampleColumn { values: read_values(&values, &what)?, name: column });
            }
            tables.push(SampleTable { name: table, source: SAMPLES_SOURCE.to_string(), columns: sample_columns });
        }
        Ok(Self(SampleSet { tables }))
    }
}

/// A `min_confidence` argument: a number from 0 to 1.
pub struct Confidence(f32);

impl<'a, 'py> FromPyObject<'a, 'py> for Confidence {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = value.py();
        let number = if value.is_instance_of::<pyo3::types::PyBool>() { None } else { value.extract::<f64>().ok() };
        match number {
            Some(x) if (0.0..=1.0).contains(&x) => Ok(Self(x as f32)),
            Some(x) => Err(invalid_argument(py, format!("min_confidence {x} is not between 0 and 1"))),
            None => Err(invalid_argument(py, format!("min_confidence must be a number, got {}", type_name(&value.to_owned())))),
        }
    }
}

/// A masking key: `bytes` (or `bytearray`), or `str` (its UTF-8 bytes).
pub struct Key(Vec<u8>);

impl<'a, 'py> FromPyObject<'a, 'py> for Key {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(bytes) = value.cast::<PyBytes>() {
            return Ok(Self(bytes.as_bytes().to_vec()));
        }
        if let Ok(bytes) = value.cast::<PyByteArray>() {
            return Ok(Self(bytes.to_vec()));
        }
        match value.extract::<Text>() {
            Ok(Text(key)) => Ok(Self(key.into_bytes())),
            Err(_) => Err(invalid_argument(value.py(), format!("key must be bytes or str, got {}", type_name(&value.to_owned())))),
        }
    }
}

/// A `strategy` argument, by name.
pub struct StrategyArg(Strategy);

impl<'a, 'py> FromPyObject<'a, 'py> for StrategyArg {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = value.py();
        let Text(name) = value.extract().map_err(|_| invalid_argument(py, format!("strategy must be a str, got {}", type_name(&value.to_owned()))))?;
        name.parse().map(Self).map_err(|e: astrola_pii::Error| invalid_argument(py, e.to_string()))
    }
}

/// A whole number argument (not a `bool`).
pub struct Count(usize);

impl<'a, 'py> FromPyObject<'a, 'py> for Count {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = value.py();
        if value.is_instance_of::<pyo3::types::PyBool>() {
            return Err(invalid_argument(py, "expected an int, got bool".to_string()));
        }
        value.extract::<usize>().map(Self).map_err(|_| invalid_argument(py, format!("expected a non-negative int, got {}", py_repr(py, &value.to_owned().to_string()))))
    }
}

/// Classifies every column of `schema` as personal or sensitive data, or
/// not, as `astrola pii` does.
///
/// `schema` is SQL text (parsed in `dialect`) or a `Schema`. `samples`
/// maps a table name (bare or qualified, any case) to a mapping of column
/// name to sampled values: any iterable (a list, a tuple, a generator, a
/// pandas or polars Series). Items that are `str` are taken as they are;
/// `None`, NaN, pandas `NA` and `NaT` are missing; `bytes` raise
/// `InvalidArgumentError`; anything else is read as `str(item)`. Columns
/// without samples are classified by name, type and comment alone, and
/// the report says so. Findings below `min_confidence` (0 to 1, 0.5 by
/// default) are left out. Raises `ParseError` for SQL that does not parse.
/// The GIL is released while the schema is parsed and classified.
#[pyfunction]
#[pyo3(
    signature = (schema, samples = None, *, min_confidence = Confidence(0.5), dialect = DialectArg::default()),
    text_signature = "(schema, samples=None, *, min_confidence=0.5, dialect='postgres')"
)]
pub fn classify(py: Python<'_>, schema: SchemaArg, samples: Option<Samples>, min_confidence: Confidence, dialect: DialectArg) -> PyResult<PiiReport> {
    let samples = samples.map(|s| s.0).unwrap_or_default();
    let options = ClassifyOptions { min_confidence: min_confidence.0, ..ClassifyOptions::default() };
    let report = py.detach(|| -> Result<_, astrola_core::Error> {
        let parsed = schema.resolve(dialect.0)?;
        Ok(astrola_pii::classify_schema(&parsed.schema, &samples, &options))
    });
    Ok(PiiReport { report: Arc::new(report.map_err(|e| core_error(py, e))?) })
}

/// Masks `values` with `strategy`: "redact", "partial", "hash",
/// "pseudonymize", "format_preserving", "year_of_birth" or "zip3".
///
/// `values` is any iterable, read as `classify` reads samples; missing
/// values stay `None`. "pseudonymize" and "format_preserving" need a `key`
/// (`bytes`, or a `str` taken as UTF-8) of at least 16 bytes: the same key
/// and value give the same output in every call. Raises
/// `InvalidArgumentError` for an unknown strategy, a missing or short key,
/// or a value the strategy cannot apply to (a non-date for
/// "year_of_birth").
#[pyfunction]
#[pyo3(signature = (values, strategy, *, key = None), text_signature = "(values, strategy, *, key=None)")]
pub fn mask(py: Python<'_>, values: &Bound<'_, PyAny>, strategy: StrategyArg, key: Option<Key>) -> PyResult<Vec<Option<String>>> {
    let values = read_values(values, "values")?;
    let masked = py.detach(|| {
        let values: Vec<Option<&str>> = values.iter().map(|v| v.as_deref()).collect();
        astrola_pii::mask_nullable(&values, strategy.0, key.as_ref().map(|k| k.0.as_slice()))
    });
    masked.map_err(|e| invalid_argument(py, e.to_string()))
}

/// The k-anonymity of the quasi-identifier `columns` (an iterable of
/// columns, each an iterable of values read as `classify` reads samples,
/// all of the same length): the size of the smallest group of rows that
/// share their values. `target_k` counts the rows in smaller groups;
/// `report` is how many of the smallest groups to list. Raises
/// `InvalidArgumentError` when no column is given or the lengths differ.
#[pyfunction]
#[pyo3(signature = (columns, *, target_k = Count(2), report = Count(5)), text_signature = "(columns, *, target_k=2, report=5)")]
pub fn k_anonymity(py: Python<'_>, columns: &Bound<'_, PyAny>, target_k: Count, report: Count) -> PyResult<KAnonymity> {
    if columns.is_instance_of::<PyString>() {
        return Err(invalid_argument(py, "columns must be an iterable of columns, got a str".to_string()));
    }
    let items = columns.try_iter().map_err(|_| invalid_argument(py, format!("columns must be an iterable of columns, got {}", type_name(columns))))?;
    let mut owned = Vec::new();
    for (index, column) in items.enumerate() {
        owned.push(read_values(&column?, &format!("columns[{index}]"))?);
    }
    let result = py.detach(|| {
        let views: Vec<Vec<Option<&str>>> = owned.iter().map(|c| c.iter().map(|v| v.as_deref()).collect()).collect();
        let slices: Vec<&[Option<&str>]> = views.iter().map(Vec::as_slice).collect();
        astrola_pii::k_anonymity(&slices, target_k.0, report.0)
    });
    Ok(KAnonymity { inner: Arc::new(result.map_err(|e| invalid_argument(py, e.to_string()))?) })
}

/// Which columns hold personal or sensitive data: the result of `classify`.
///
/// `to_json()` is what `astrola pii --format json` prints, `to_text()`
/// what `astrola pii` prints.
#[pyclass(frozen, eq, module = "astrola")]
pub struct PiiReport {
    report: Arc<astrola_pii::Report>,
}

impl PartialEq for PiiReport {
    fn eq(&self, other: &Self) -> bool {
        self.report == other.report
    }
}

#[pymethods]
impl PiiReport {
    /// How many columns were looked at (sample columns not in the schema included).
    #[getter]
    fn columns(&self) -> usize {
        self.report.columns
    }

    /// How many of them had samples.
    #[getter]
    fn sampled_columns(&self) -> usize {
        self.report.sampled_columns
    }

    /// How many were classified by name, type and comment alone.
    #[getter]
    fn name_only_columns(&self) -> usize {
        self.report.name_only_columns
    }

    /// Sample columns that match no column of the schema ("users.x
    /// (<samples>)"); they are classified by their values alone.
    #[getter]
    fn unmatched_samples(&self) -> Vec<String> {
        self.report.unmatched_samples.clone()
    }

    /// The columns with findings or notes, and every sampled column, in
    /// schema order.
    #[getter]
    fn reports(&self) -> Vec<ColumnReport> {
        (0..self.report.reports.len()).map(|index| ColumnReport { report: self.report.clone(), index }).collect()
    }

    /// True when any column has a finding (`astrola pii` then exits 1).
    #[getter]
    fn has_findings(&self) -> bool {
        self.report.has_findings()
    }

    /// The report as `astrola pii` prints it.
    fn to_text(&self) -> String {
        self.report.to_text()
    }

    /// The report as Python dicts and lists (its JSON form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_dict(py, &*self.report)
    }

    /// The report as pretty-printed JSON (`astrola pii --format json`).
    fn to_json(&self) -> String {
        self.report.to_json()
    }

    fn __repr__(&self) -> String {
        let r = &self.report;
        let with = r.reports.iter().filter(|c| !c.findings.is_empty()).count();
        format!("<astrola.PiiReport columns={} with_findings={} sampled={}>", r.columns, with, r.sampled_columns)
    }
}

/// The verdict on one column.
#[pyclass(frozen, eq, module = "astrola")]
pub struct ColumnReport {
    report: Arc<astrola_pii::Report>,
    index: usize,
}

impl ColumnReport {
    fn model(&self) -> &astrola_pii::ColumnReport {
        &self.report.reports[self.index]
    }
}

impl PartialEq for ColumnReport {
    fn eq(&self, other: &Self) -> bool {
        self.model() == other.model()
    }
}

#[pymethods]
impl ColumnReport {
    /// The table ("public.users").
    #[getter]
    fn table(&self) -> &str {
        &self.model().table
    }

    /// The column name.
    #[getter]
    fn column(&self) -> &str {
        &self.model().column
    }

    /// The column's type as the schema spells it ("" for a sample column
    /// that is not in the schema).
    #[getter]
    fn data_type(&self) -> &str {
        &self.model().data_type
    }

    /// What the verdict rests on: "name_only" (no samples) or
    /// "name_and_samples".
    #[getter]
    fn basis(&self) -> &'static str {
        match self.model().basis {
            astrola_pii::Basis::NameOnly => "name_only",
            astrola_pii::Basis::NameAndSamples => "name_and_samples",
        }
    }

    /// How the samples matched, or None when there were none.
    #[getter]
    fn samples(&self) -> Option<SampleStats> {
        self.model().samples.as_ref().map(|_| SampleStats { report: self.report.clone(), index: self.index })
    }

    /// What was found, most confident first (empty when nothing was).
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        (0..self.model().findings.len()).map(|finding| Finding { report: self.report.clone(), column: self.index, finding }).collect()
    }

    /// Remarks: evidence the samples refuted, samples that were all null.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.model().notes.clone()
    }

    /// The highest level among the findings, or None.
    #[getter]
    fn level(&self) -> Option<&'static str> {
        self.model().level().map(level_name)
    }

    /// The column report as Python dicts and lists (its JSON form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_dict(py, self.model())
    }

    /// The column report as pretty-printed JSON.
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let c = self.model();
        let found: Vec<&str> = c.findings.iter().map(|f| f.pii_type.as_str()).collect();
        format!("<astrola.ColumnReport {} findings=[{}] basis='{}'>", py_repr(py, &format!("{}.{}", c.table, c.column)), found.join(", "), self.basis())
    }
}

/// The name of a level ("restricted").
fn level_name(level: astrola_pii::Level) -> &'static str {
    match level {
        astrola_pii::Level::Public => "public",
        astrola_pii::Level::Internal => "internal",
        astrola_pii::Level::Confidential => "confidential",
        astrola_pii::Level::Restricted => "restricted",
    }
}

/// One kind of personal data found in a column.
#[pyclass(frozen, eq, module = "astrola")]
pub struct Finding {
    report: Arc<astrola_pii::Report>,
    column: usize,
    finding: usize,
}

impl Finding {
    fn model(&self) -> &astrola_pii::Finding {
        &self.report.reports[self.column].findings[self.finding]
    }
}

impl PartialEq for Finding {
    fn eq(&self, other: &Self) -> bool {
        self.model() == other.model()
    }
}

#[pymethods]
impl Finding {
    /// What it is ("email", "person_name", "us_ssn", ...).
    #[getter]
    fn pii_type(&self) -> &'static str {
        self.model().pii_type.as_str()
    }

    /// How sure, from 0 to 1 (two decimals).
    #[getter]
    fn confidence(&self) -> f64 {
        decimal(self.model().confidence)
    }

    /// How carefully it must be handled: "public", "internal",
    /// "confidential" or "restricted".
    #[getter]
    fn level(&self) -> &'static str {
        level_name(self.model().level)
    }

    /// The regulations it matters for: "GDPR", "CCPA", "HIPAA", "PCI-DSS".
    #[getter]
    fn regulations(&self) -> Vec<&'static str> {
        self.model().regulations.iter().map(|r| r.as_str()).collect()
    }

    /// Why: the name, type, comment, table and sample evidence.
    #[getter]
    fn evidence(&self) -> Vec<String> {
        self.model().evidence.clone()
    }

    /// The finding as Python dicts and lists (its JSON form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_dict(py, self.model())
    }

    /// The finding as pretty-printed JSON.
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self) -> String {
        let f = self.model();
        format!("<astrola.Finding {} confidence={} level='{}'>", f.pii_type, f.confidence, level_name(f.level))
    }
}

/// How the sampled values of a column matched.
#[pyclass(frozen, eq, module = "astrola")]
pub struct SampleStats {
    report: Arc<astrola_pii::Report>,
    index: usize,
}

impl SampleStats {
    fn model(&self) -> &astrola_pii::SampleStats {
        // Made only for columns that have samples.
        static NONE: astrola_pii::SampleStats = astrola_pii::SampleStats { total: 0, non_null: 0, matched: std::collections::BTreeMap::new() };
        self.report.reports[self.index].samples.as_ref().unwrap_or(&NONE)
    }
}

impl PartialEq for SampleStats {
    fn eq(&self, other: &Self) -> bool {
        self.model() == other.model()
    }
}

#[pymethods]
impl SampleStats {
    /// Sampled values, missing ones included.
    #[getter]
    fn total(&self) -> usize {
        self.model().total
    }

    /// Values that are neither missing nor empty.
    #[getter]
    fn non_null(&self) -> usize {
        self.model().non_null
    }

    /// How many values matched each type ("email" -> 30).
    #[getter]
    fn matched(&self) -> std::collections::BTreeMap<&'static str, usize> {
        self.model().matched.iter().map(|(t, n)| (t.as_str(), *n)).collect()
    }

    /// The stats as Python dicts and lists (their JSON form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_dict(py, self.model())
    }

    /// The stats as pretty-printed JSON.
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self) -> String {
        let s = self.model();
        let matched: Vec<String> = s.matched.iter().map(|(t, n)| format!("'{t}': {n}")).collect();
        format!("<astrola.SampleStats total={} non_null={} matched={{{}}}>", s.total, s.non_null, matched.join(", "))
    }
}

/// The k-anonymity of a set of quasi-identifier columns: the result of
/// `k_anonymity`.
#[pyclass(frozen, eq, module = "astrola")]
pub struct KAnonymity {
    inner: Arc<astrola_pii::KAnonymity>,
}

impl PartialEq for KAnonymity {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

#[pymethods]
impl KAnonymity {
    /// The size of the smallest group of rows sharing their values (0 when
    /// there are no rows).
    #[getter]
    fn k(&self) -> usize {
        self.inner.k
    }

    /// Rows checked.
    #[getter]
    fn rows(&self) -> usize {
        self.inner.rows
    }

    /// Distinct combinations of values.
    #[getter]
    fn classes(&self) -> usize {
        self.inner.classes
    }

    /// Rows in groups smaller than `target_k`.
    #[getter]
    fn rows_below_target(&self) -> usize {
        self.inner.rows_below_target
    }

    /// The smallest groups, smallest first.
    #[getter]
    fn smallest(&self) -> Vec<EquivalenceClass> {
        (0..self.inner.smallest.len()).map(|index| EquivalenceClass { inner: self.inner.clone(), index }).collect()
    }

    /// The result as Python dicts and lists (its JSON form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_dict(py, &*self.inner)
    }

    /// The result as pretty-printed JSON.
    fn to_json(&self) -> String {
        to_json(&*self.inner)
    }

    fn __repr__(&self) -> String {
        let k = &self.inner;
        format!("<astrola.KAnonymity k={} rows={} classes={} rows_below_target={}>", k.k, k.rows, k.classes, k.rows_below_target)
    }
}

/// A combination of quasi-identifier values and how many rows share it.
#[pyclass(frozen, eq, module = "astrola")]
pub struct EquivalenceClass {
    inner: Arc<astrola_pii::KAnonymity>,
    index: usize,
}

impl EquivalenceClass {
    fn model(&self) -> &astrola_pii::EquivalenceClass {
        &self.inner.smallest[self.index]
    }
}

impl PartialEq for EquivalenceClass {
    fn eq(&self, other: &Self) -> bool {
        self.model() == other.model()
    }
}

#[pymethods]
impl EquivalenceClass {
    /// The values, one per column (None for a missing value).
    #[getter]
    fn values(&self) -> Vec<Option<String>> {
        self.model().values.clone()
    }

    /// How many rows have exactly these values.
    #[getter]
    fn size(&self) -> usize {
        self.model().size
    }

    /// The class as Python dicts and lists (its JSON form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_dict(py, self.model())
    }

    /// The class as pretty-printed JSON.
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let values: Vec<String> = self.model().values.iter().map(|v| crate::py_repr_opt(py, v.as_deref())).collect();
        format!("<astrola.EquivalenceClass values=[{}] size={}>", values.join(", "), self.model().size)
    }
}

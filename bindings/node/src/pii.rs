//! `astrola-pii` for Node: `classify` (and `classifyAsync`), `mask`,
//! `kAnonymity`, the `PiiReport`, `ColumnReport` and `Finding` classes and
//! the `SampleStats`, `KAnonymity` and `EquivalenceClass` records.
//!
//! Sampled values are arrays. A string is taken as it is; `null` and
//! `undefined` are missing values; numbers, booleans and bigints become
//! their string form (`String(x)`); anything else is an
//! `InvalidArgumentError`.

use std::sync::Arc;

use astrola_pii::{ClassifyOptions, SampleColumn, SampleSet, SampleTable, Strategy};
use napi::bindgen_prelude::{AsyncTask, Env, FromNapiValue, JsObjectValue, JsValue, Object, Result, Uint8Array, Unknown, ValueType};
use napi_derive::napi;
use serde::Serialize;

use crate::core::{call_global, describe, pretty_json, text, Options, SchemaInput};
use crate::error::{invalid, Outcome};
use crate::Job;

/// The name sample tables given from JavaScript go by (in `unmatchedSamples`).
const SAMPLES_SOURCE: &str = "<samples>";

/// `value` as plain JavaScript values: `JSON.parse` of its JSON text, so
/// that confidences read as the JSON prints them (0.85, not the f32's
/// 0.8500000238) and keys keep the JSON's order.
fn json_object<'env, T: Serialize>(env: &'env Env, value: &T) -> Result<Unknown<'env>> {
    let text = env.create_string(pretty_json(value))?.to_unknown();
    call_global(text, "JSON", "parse", "the JSON form").map_err(|f| f.into_js(env))
}

/// An `f32` as the number its shortest decimal form (the JSON's) denotes.
fn decimal(value: f32) -> f64 {
    value.to_string().parse().unwrap_or(f64::from(value))
}

/// `[key, value]` pairs of a plain object (`Object.entries`, so that
/// reading them runs no getter).
fn entries<'env>(value: Unknown<'env>, what: &str) -> Outcome<Vec<(String, Unknown<'env>)>> {
    if value.get_type()? != ValueType::Object || value.is_array()? {
        return Err(invalid(format!("{what} must be an object, got {}", describe(&value)?)));
    }
    let list = Object::from_unknown(call_global(value, "Object", "entries", what)?)?;
    let mut pairs = Vec::new();
    for index in 0..list.get_array_length()? {
        let entry: Object = list.get_element(index)?;
        pairs.push((text(entry.get_element::<Unknown>(0)?, &format!("a key of {what}"))?, entry.get_element::<Unknown>(1)?));
    }
    Ok(pairs)
}

/// An array of values: strings as they are, `null`/`undefined` missing,
/// numbers, booleans and bigints as `String(x)`.
fn values(value: Unknown, what: &str) -> Outcome<Vec<Option<String>>> {
    if value.get_type()? != ValueType::Object || !value.is_array()? {
        return Err(invalid(format!("{what} must be an array of strings, got {}", describe(&value)?)));
    }
    // A plain copy, so that reading the elements runs no getter.
    let copy = Object::from_unknown(call_global(value, "Array", "from", what)?)?;
    let length = copy.get_array_length()?;
    let mut values = Vec::with_capacity(length as usize);
    for index in 0..length {
        let item: Unknown = copy.get_element(index)?;
        values.push(match item.get_type()? {
            ValueType::Undefined | ValueType::Null => None,
            ValueType::String | ValueType::Number | ValueType::Boolean | ValueType::BigInt => Some(item.coerce_to_string()?.into_utf8()?.into_owned()?),
            _ => return Err(invalid(format!("{what}[{index}] must be a string or null, got {}", describe(&item)?))),
        });
    }
    Ok(values)
}

/// The `samples` argument: an object of table name to an object of column
/// name to an array of values; `undefined` and `null` for none.
fn samples(value: Option<Unknown>) -> Outcome<SampleSet> {
    let Some(value) = value else { return Ok(SampleSet::default()) };
    if matches!(value.get_type()?, ValueType::Undefined | ValueType::Null) {
        return Ok(SampleSet::default());
    }
    let mut tables = Vec::new();
    for (table, columns) in entries(value, "samples")? {
        let mut sample_columns = Vec::new();
        for (column, list) in entries(columns, &format!("samples[{table:?}]"))? {
            let values = values(list, &format!("samples[{table:?}][{column:?}]"))?;
            sample_columns.push(SampleColumn { name: column, values });
        }
        tables.push(SampleTable { name: table, source: SAMPLES_SOURCE.to_string(), columns: sample_columns });
    }
    Ok(SampleSet { tables })
}

/// The arguments of `classify`, checked.
struct ClassifyCall {
    schema: SchemaInput,
    samples: SampleSet,
    dialect: astrola_core::Dialect,
    options: ClassifyOptions,
}

fn classify_arguments(env: &Env, schema: Unknown, samples: Option<Unknown>, options: Option<Unknown>) -> Outcome<ClassifyCall> {
    let schema = SchemaInput::read(env, schema, "schema")?;
    let samples = self::samples(samples)?;
    let options = Options::read(options)?;
    let min_confidence = match options.value("minConfidence")? {
        None => 0.5,
        Some(value) if value.get_type()? == ValueType::Number => match f64::from_unknown(value)? {
            x if (0.0..=1.0).contains(&x) => x as f32,
            x => return Err(invalid(format!("option `minConfidence` {x} is not between 0 and 1"))),
        },
        Some(value) => return Err(invalid(format!("option `minConfidence` must be a number, got {}", describe(&value)?))),
    };
    Ok(ClassifyCall { schema, samples, dialect: options.dialect()?, options: ClassifyOptions { min_confidence, ..ClassifyOptions::default() } })
}

fn run_classify(call: ClassifyCall) -> Outcome<PiiReport> {
    let parsed = call.schema.resolve(call.dialect)?;
    Ok(PiiReport { report: Arc::new(astrola_pii::classify_schema(&parsed.schema, &call.samples, &call.options)) })
}

/// Classifies every column of `schema` as personal or sensitive data, or
/// not, as `astrola pii` does.
///
/// `schema` is SQL text (parsed in `dialect`, `"postgres"` by default) or
/// a `Schema`. `samples` maps a table name (bare or qualified, any case)
/// to an object of column name to an array of sampled values (strings;
/// `null` for missing; numbers and booleans are read as `String(x)`).
/// Columns without samples are classified by name, type and comment
/// alone, and the report says so. Findings below `minConfidence` (0 to 1,
/// 0.5 by default) are left out. Throws `ParseError` for SQL that does not
/// parse and `InvalidArgumentError` for arguments of the wrong shape.
#[napi(ts_args_type = "schema: string | Schema, samples?: PiiSamples | null, options?: ClassifyOptions")]
pub fn classify(env: Env, schema: Unknown, samples: Option<Unknown>, options: Option<Unknown>) -> Result<PiiReport> {
    classify_arguments(&env, schema, samples, options).and_then(run_classify).map_err(|f| f.into_js(&env))
}

/// `classify` on the thread pool: a Promise of the `PiiReport`, rejected
/// with the errors `classify` throws. The samples are read before it
/// returns.
#[napi(ts_args_type = "schema: string | Schema, samples?: PiiSamples | null, options?: ClassifyOptions", ts_return_type = "Promise<PiiReport>")]
pub fn classify_async(env: Env, schema: Unknown, samples: Option<Unknown>, options: Option<Unknown>) -> AsyncTask<Job<PiiReport>> {
    let call = classify_arguments(&env, schema, samples, options);
    AsyncTask::new(Job::new(move || run_classify(call?)))
}

/// The `key` option: a string (its UTF-8 bytes) or a `Uint8Array`/`Buffer`.
fn key(value: Unknown) -> Outcome<Vec<u8>> {
    match value.get_type()? {
        ValueType::String => Ok(text(value, "option `key`")?.into_bytes()),
        ValueType::Object if value.is_typedarray()? => {
            let bytes = Uint8Array::from_unknown(value).map_err(|_| invalid("option `key` must be a string, a Buffer or a Uint8Array"))?;
            Ok(bytes.to_vec())
        }
        _ => Err(invalid(format!("option `key` must be a string, a Buffer or a Uint8Array, got {}", describe(&value)?))),
    }
}

/// Masks `values` with `strategy`: `"redact"`, `"partial"`, `"hash"`,
/// `"pseudonymize"`, `"format_preserving"`, `"year_of_birth"` or `"zip3"`.
///
/// `null` (and `undefined`) values stay `null`. `"pseudonymize"` and
/// `"format_preserving"` need a `key` (a string, taken as UTF-8, or a
/// `Buffer`/`Uint8Array`) of at least 16 bytes: the same key and value give
/// the same output in every call. Throws `InvalidArgumentError` for an
/// unknown strategy, a missing or short key, or a value the strategy cannot
/// apply to (a non-date for `"year_of_birth"`).
#[napi(ts_args_type = "values: Array<string | null>, strategy: MaskStrategy, options?: MaskOptions", ts_return_type = "Array<string | null>")]
pub fn mask(env: Env, values: Unknown, strategy: Unknown, options: Option<Unknown>) -> Result<Vec<Option<String>>> {
    let run = || -> Outcome<Vec<Option<String>>> {
        let values = self::values(values, "values")?;
        let strategy: Strategy = text(strategy, "strategy")?.parse().map_err(|e: astrola_pii::Error| invalid(e.to_string()))?;
        let key = Options::read(options)?.value("key")?.map(key).transpose()?;
        let views: Vec<Option<&str>> = values.iter().map(|v| v.as_deref()).collect();
        astrola_pii::mask_nullable(&views, strategy, key.as_deref()).map_err(|e| invalid(e.to_string()))
    };
    run().map_err(|f| f.into_js(&env))
}

/// The k-anonymity of the quasi-identifier `columns` (arrays of values, all
/// of the same length): the size of the smallest group of rows that share
/// their values. `targetK` (2 by default) counts the rows in smaller
/// groups; `report` (5 by default) is how many of the smallest groups to
/// list. Throws `InvalidArgumentError` when no column is given or the
/// lengths differ.
#[napi(ts_args_type = "columns: Array<Array<string | null>>, options?: KAnonymityOptions")]
pub fn k_anonymity(env: Env, columns: Unknown, options: Option<Unknown>) -> Result<KAnonymity> {
    let run = || -> Outcome<astrola_pii::KAnonymity> {
        if columns.get_type()? != ValueType::Object || !columns.is_array()? {
            return Err(invalid(format!("columns must be an array of arrays, got {}", describe(&columns)?)));
        }
        let list = Object::from_unknown(call_global(columns, "Array", "from", "columns")?)?;
        let mut owned = Vec::new();
        for index in 0..list.get_array_length()? {
            owned.push(values(list.get_element::<Unknown>(index)?, &format!("columns[{index}]"))?);
        }
        let options = Options::read(options)?;
        let target_k = options.integer("targetK")?.unwrap_or(2) as usize;
        let report = options.integer("report")?.unwrap_or(5) as usize;
        let views: Vec<Vec<Option<&str>>> = owned.iter().map(|c| c.iter().map(|v| v.as_deref()).collect()).collect();
        let slices: Vec<&[Option<&str>]> = views.iter().map(Vec::as_slice).collect();
        astrola_pii::k_anonymity(&slices, target_k, report).map_err(|e| invalid(e.to_string()))
    };
    let result = run().map_err(|f| f.into_js(&env))?;
    let smallest = result.smallest.into_iter().map(|c| EquivalenceClass { values: c.values, size: c.size as u32 }).collect();
    Ok(KAnonymity { k: result.k as u32, rows: result.rows as u32, classes: result.classes as u32, rows_below_target: result.rows_below_target as u32, smallest })
}

/// The k-anonymity of a set of quasi-identifier columns.
#[napi(object)]
pub struct KAnonymity {
    /// The size of the smallest group of rows sharing their values (0 with no rows).
    pub k: u32,
    /// Rows checked.
    pub rows: u32,
    /// Distinct combinations of values.
    pub classes: u32,
    /// Rows in groups smaller than `targetK`.
    pub rows_below_target: u32,
    /// The smallest groups, smallest first.
    pub smallest: Vec<EquivalenceClass>,
}

/// A combination of quasi-identifier values and how many rows share it.
#[napi(object)]
pub struct EquivalenceClass {
    /// The values, one per column (`null` for missing).
    #[napi(ts_type = "Array<string | null>")]
    pub values: Vec<Option<String>>,
    /// How many rows have exactly these values.
    pub size: u32,
}

/// How the sampled values of a column matched.
#[napi(object)]
pub struct SampleStats {
    /// Sampled values, missing ones included.
    pub total: u32,
    /// Values that are neither missing nor empty.
    pub non_null: u32,
    /// How many values matched each type.
    #[napi(ts_type = "Partial<Record<PiiType, number>>")]
    pub matched: std::collections::HashMap<String, u32>,
}

/// Which columns hold personal or sensitive data: the result of
/// `classify`. `toJson()` is what `astrola pii --format json` prints,
/// `toText()` what `astrola pii` prints.
#[napi]
pub struct PiiReport {
    report: Arc<astrola_pii::Report>,
}

#[napi]
impl PiiReport {
    /// How many columns were looked at (sample columns not in the schema included).
    #[napi(getter)]
    pub fn columns(&self) -> u32 {
        self.report.columns as u32
    }

    /// How many of them had samples.
    #[napi(getter)]
    pub fn sampled_columns(&self) -> u32 {
        self.report.sampled_columns as u32
    }

    /// How many were classified by name, type and comment alone.
    #[napi(getter)]
    pub fn name_only_columns(&self) -> u32 {
        self.report.name_only_columns as u32
    }

    /// Sample columns that match no column of the schema
    /// (`"users.x (<samples>)"`); they are classified by their values alone.
    #[napi(getter)]
    pub fn unmatched_samples(&self) -> Vec<String> {
        self.report.unmatched_samples.clone()
    }

    /// The columns with findings or notes, and every sampled column, in
    /// schema order.
    #[napi(getter)]
    pub fn reports(&self) -> Vec<ColumnReport> {
        (0..self.report.reports.len()).map(|index| ColumnReport { report: self.report.clone(), index }).collect()
    }

    /// True when any column has a finding (`astrola pii` then exits 1).
    #[napi(getter)]
    pub fn has_findings(&self) -> bool {
        self.report.has_findings()
    }

    /// The report as `astrola pii` prints it.
    #[napi]
    pub fn to_text(&self) -> String {
        self.report.to_text()
    }

    /// The report as plain JavaScript values: its JSON form.
    #[napi(ts_return_type = "Record<string, any>")]
    pub fn to_object<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        json_object(env, &*self.report)
    }

    /// The same as `toObject()`, so that `JSON.stringify` works.
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, any>")]
    pub fn to_json_value<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        json_object(env, &*self.report)
    }

    /// The report as pretty-printed JSON (`astrola pii --format json`).
    #[napi]
    pub fn to_json(&self) -> String {
        self.report.to_json()
    }

    /// A one-line summary.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        let r = &self.report;
        let with = r.reports.iter().filter(|c| !c.findings.is_empty()).count();
        format!("PiiReport {{ columns: {}, withFindings: {with}, sampled: {} }}", r.columns, r.sampled_columns)
    }
}

/// The name of a level (`"restricted"`).
fn level_name(level: astrola_pii::Level) -> &'static str {
    match level {
        astrola_pii::Level::Public => "public",
        astrola_pii::Level::Internal => "internal",
        astrola_pii::Level::Confidential => "confidential",
        astrola_pii::Level::Restricted => "restricted",
    }
}

/// The verdict on one column.
#[napi]
pub struct ColumnReport {
    report: Arc<astrola_pii::Report>,
    index: usize,
}

impl ColumnReport {
    fn model(&self) -> &astrola_pii::ColumnReport {
        &self.report.reports[self.index]
    }
}

#[napi]
impl ColumnReport {
    /// The table (`"public.users"`).
    #[napi(getter)]
    pub fn table(&self) -> String {
        self.model().table.clone()
    }

    /// The column name.
    #[napi(getter)]
    pub fn column(&self) -> String {
        self.model().column.clone()
    }

    /// The column's type as the schema spells it (`""` for a sample column
    /// that is not in the schema).
    #[napi(getter)]
    pub fn data_type(&self) -> String {
        self.model().data_type.clone()
    }

    /// What the verdict rests on: the name alone (no samples), or the name
    /// and the samples.
    #[napi(getter, ts_return_type = "PiiBasis")]
    pub fn basis(&self) -> &'static str {
        match self.model().basis {
            astrola_pii::Basis::NameOnly => "name_only",
            astrola_pii::Basis::NameAndSamples => "name_and_samples",
        }
    }

    /// How the samples matched, or `null` when there were none.
    #[napi(getter)]
    pub fn samples(&self) -> Option<SampleStats> {
        self.model().samples.as_ref().map(|s| SampleStats {
            total: s.total as u32,
            non_null: s.non_null as u32,
            matched: s.matched.iter().map(|(t, n)| (t.as_str().to_string(), *n as u32)).collect(),
        })
    }

    /// What was found, most confident first (empty when nothing was).
    #[napi(getter)]
    pub fn findings(&self) -> Vec<Finding> {
        (0..self.model().findings.len()).map(|finding| Finding { report: self.report.clone(), column: self.index, finding }).collect()
    }

    /// Remarks: evidence the samples refuted, samples that were all null.
    #[napi(getter)]
    pub fn notes(&self) -> Vec<String> {
        self.model().notes.clone()
    }

    /// The highest level among the findings, or `null`.
    #[napi(getter, ts_return_type = "PiiLevel | null")]
    pub fn level(&self) -> Option<&'static str> {
        self.model().level().map(level_name)
    }

    /// The column report as plain JavaScript values: its JSON form.
    #[napi(ts_return_type = "Record<string, any>")]
    pub fn to_object<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        json_object(env, self.model())
    }

    /// The same as `toObject()`, so that `JSON.stringify` works.
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, any>")]
    pub fn to_json_value<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        json_object(env, self.model())
    }

    /// The column report as pretty-printed JSON.
    #[napi]
    pub fn to_json(&self) -> String {
        pretty_json(self.model())
    }

    /// A one-line summary.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        let c = self.model();
        let found: Vec<&str> = c.findings.iter().map(|f| f.pii_type.as_str()).collect();
        format!("ColumnReport {{ {}.{}: [{}], basis: {} }}", c.table, c.column, found.join(", "), self.basis())
    }
}

/// One kind of personal data found in a column.
#[napi]
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

#[napi]
impl Finding {
    /// What it is (`"email"`, `"person_name"`, `"us_ssn"`, …).
    #[napi(getter, ts_return_type = "PiiType")]
    pub fn pii_type(&self) -> &'static str {
        self.model().pii_type.as_str()
    }

    /// How sure, from 0 to 1 (two decimals).
    #[napi(getter)]
    pub fn confidence(&self) -> f64 {
        decimal(self.model().confidence)
    }

    /// How carefully it must be handled.
    #[napi(getter, ts_return_type = "PiiLevel")]
    pub fn level(&self) -> &'static str {
        level_name(self.model().level)
    }

    /// The regulations it matters for.
    #[napi(getter, ts_return_type = "Array<Regulation>")]
    pub fn regulations(&self) -> Vec<&'static str> {
        self.model().regulations.iter().map(|r| r.as_str()).collect()
    }

    /// Why: the name, type, comment, table and sample evidence.
    #[napi(getter)]
    pub fn evidence(&self) -> Vec<String> {
        self.model().evidence.clone()
    }

    /// The finding as plain JavaScript values: its JSON form.
    #[napi(ts_return_type = "Record<string, any>")]
    pub fn to_object<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        json_object(env, self.model())
    }

    /// The same as `toObject()`, so that `JSON.stringify` works.
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, any>")]
    pub fn to_json_value<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        json_object(env, self.model())
    }

    /// The finding as pretty-printed JSON.
    #[napi]
    pub fn to_json(&self) -> String {
        pretty_json(self.model())
    }

    /// A one-line summary.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        let f = self.model();
        format!("Finding {{ {}: {}, level: {} }}", f.pii_type, f.confidence, level_name(f.level))
    }
}

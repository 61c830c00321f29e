//! `astrola-lint` for Node: `lint` (and `lintAsync`), `rules`,
//! `applyFixes`, the `Diagnostic` class and the `Rule` and `FixResult`
//! records.
//!
//! The options are layered as `astrola lint` layers them: the defaults,
//! then the `config` text (`astrola.toml`), then the explicit options, each
//! applied with `Config::apply`.

use std::collections::BTreeMap;
use std::sync::Arc;

use astrola_core::stats::Stats;
use astrola_core::Parsed;
use astrola_lint::{Config, LintOptions, Severity};
use napi::bindgen_prelude::{AsyncTask, ClassInstance, Env, FromNapiValue, JavaScriptClassExt, JsObjectValue, JsValue, Object, Result, Unknown, ValueType};
use napi_derive::napi;

use crate::core::{call_global, describe, serde_forms, text, Options, Schema};
use crate::error::{invalid, Outcome};
use crate::Job;

/// The name `config` text goes by in `ConfigError`s.
const CONFIG_NAME: &str = "<config>";
/// The name `stats` go by in `ConfigError`s.
const STATS_NAME: &str = "<stats>";
/// The `file` of spans when the options name none.
const DEFAULT_FILE: &str = "<sql>";

/// The arguments of `lint`, checked.
struct LintCall {
    sql: String,
    file: String,
    /// `config`: the text of an `astrola.toml`.
    config: Option<String>,
    /// The explicit options, as a layer over `config`.
    explicit: Config,
    schema: Option<Arc<Parsed>>,
    /// The stats JSON, as text.
    stats: Option<String>,
}

fn lint_arguments(env: &Env, sql: Unknown, options: Option<Unknown>) -> Outcome<LintCall> {
    let sql = text(sql, "sql")?;
    let options = Options::read(options)?;
    let explicit = Config {
        pg_version: options.integer("pgVersion")?,
        transactional: options.flag("transactional")?,
        disable: options.strings("disable")?.unwrap_or_default().into_iter().collect(),
        enable: options.strings("enable")?.unwrap_or_default().into_iter().collect(),
        severity: options.value("severity")?.map(severities).transpose()?.unwrap_or_default(),
        ..Config::default()
    };
    Ok(LintCall {
        sql,
        file: options.string("file")?.unwrap_or_else(|| DEFAULT_FILE.to_string()),
        config: options.string("config")?,
        explicit,
        schema: options.value("schema")?.map(|v| schema(env, v)).transpose()?,
        stats: options.value("stats")?.map(stats_json).transpose()?,
    })
}

/// A severity name: `"error"`, `"warning"` or `"info"`.
fn severity(rule: &str, name: &str) -> Outcome<Severity> {
    match name {
        "error" => Ok(Severity::Error),
        "warning" => Ok(Severity::Warning),
        "info" => Ok(Severity::Info),
        _ => Err(invalid(format!("unknown severity {name:?} for rule {rule:?} (expected \"error\", \"warning\" or \"info\")"))),
    }
}

/// The `severity` option: an object of rule id to severity name.
fn severities(value: Unknown) -> Outcome<BTreeMap<String, Severity>> {
    if value.get_type()? != ValueType::Object || value.is_array()? {
        return Err(invalid(format!("option `severity` must be an object of rule id to severity, got {}", describe(&value)?)));
    }
    // `Object.entries` makes plain [id, severity] pairs, so that reading
    // them runs no getter.
    let entries = Object::from_unknown(call_global(value, "Object", "entries", "option `severity`")?)?;
    let mut severities = BTreeMap::new();
    for index in 0..entries.get_array_length()? {
        let entry: Object = entries.get_element(index)?;
        let rule = text(entry.get_element::<Unknown>(0)?, "a rule id of option `severity`")?;
        let name = text(entry.get_element::<Unknown>(1)?, &format!("option `severity`[{rule:?}]"))?;
        let level = severity(&rule, &name)?;
        severities.insert(rule, level);
    }
    Ok(severities)
}

/// The `schema` option: a `Schema` made by `parseSchema` or `Schema.fromJson`.
fn schema(env: &Env, value: Unknown) -> Outcome<Arc<Parsed>> {
    if value.get_type()? == ValueType::Object && Schema::instance_of(env, &value)? {
        // A spoofed prototype passes `instanceof` but holds no schema.
        let schema = ClassInstance::<Schema>::from_unknown(value).map_err(|_| invalid("option `schema` is not a Schema made by astrola"))?;
        return Ok(schema.parsed.clone());
    }
    Err(invalid(format!("option `schema` must be a Schema (parseSchema), got {}", describe(&value)?)))
}

/// The `stats` option as JSON text: the text itself, or an object made
/// into JSON by `JSON.stringify`.
pub(crate) fn stats_json(value: Unknown) -> Outcome<String> {
    match value.get_type()? {
        ValueType::String => text(value, "option `stats`"),
        ValueType::Object if !value.is_array()? => {
            let json = call_global(value, "JSON", "stringify", "option `stats`")?;
            text(json, "option `stats` as JSON")
        }
        _ => Err(invalid(format!("option `stats` must be an object or JSON text, got {}", describe(&value)?))),
    }
}

fn run_lint(call: LintCall) -> Outcome<Vec<Diagnostic>> {
    let mut options = LintOptions::default();
    if let Some(config) = &call.config {
        Config::from_toml(config, CONFIG_NAME)?.apply(&mut options);
    }
    call.explicit.apply(&mut options);
    let unknown = options.unknown_rules();
    if !unknown.is_empty() {
        let ids: Vec<String> = unknown.iter().map(|id| format!("{id:?}")).collect();
        return Err(invalid(format!("unknown rule id(s) {} (rules() lists them)", ids.join(", "))));
    }
    options.schema = call.schema.map(|parsed| Arc::new(parsed.schema.clone()));
    options.stats = call.stats.map(|json| Stats::from_json(&json, STATS_NAME).map(Arc::new)).transpose()?;
    let found = astrola_lint::lint_sql(&call.sql, &call.file, &options);
    Ok(found.into_iter().map(|d| Diagnostic { inner: Arc::new(d) }).collect())
}

/// Lints a PostgreSQL migration: the findings of every rule that runs, in
/// file order.
///
/// Never throws on the SQL: a statement that does not parse is a
/// `syntax-error` diagnostic. `file` names the migration in spans
/// (`"<sql>"` by default). `pgVersion` (15 by default), `transactional`
/// (the runner wraps the file in a transaction), `disable`, `enable` and
/// `severity` override the `config` text (the contents of an
/// `astrola.toml`). `schema` is the schema before the migration; `stats`
/// are table sizes (an object or JSON text, as `astrola lint --stats`
/// reads them). Throws `ConfigError` when `config` or `stats` do not read,
/// and `InvalidArgumentError` for an unknown rule id or severity.
#[napi(ts_args_type = "sql: string, options?: LintOptions")]
pub fn lint(env: Env, sql: Unknown, options: Option<Unknown>) -> Result<Vec<Diagnostic>> {
    lint_arguments(&env, sql, options).and_then(run_lint).map_err(|f| f.into_js(&env))
}

/// `lint` on the thread pool: a Promise of the diagnostics, rejected with
/// the errors `lint` throws.
#[napi(ts_args_type = "sql: string, options?: LintOptions", ts_return_type = "Promise<Array<Diagnostic>>")]
pub fn lint_async(env: Env, sql: Unknown, options: Option<Unknown>) -> AsyncTask<Job<Vec<Diagnostic>>> {
    let call = lint_arguments(&env, sql, options);
    AsyncTask::new(Job::new(move || run_lint(call?)))
}

/// A rule of the linter.
#[napi(object)]
pub struct Rule {
    /// The kebab-case id (`create-index-non-concurrently`).
    pub id: String,
    /// The kind of hazard it catches.
    #[napi(ts_type = "RuleCategory")]
    pub category: String,
    /// The severity of its findings.
    #[napi(ts_type = "DiagnosticSeverity")]
    pub severity: String,
    /// Whether it runs unless disabled (the others run only when enabled).
    pub default_enabled: bool,
    /// Its documentation, in Markdown (What it does, Why is this bad?,
    /// Example, Use instead, Fix safety), as in `docs/rules.md`.
    pub documentation: String,
}

/// Every rule the linter knows.
#[napi]
pub fn rules() -> Vec<Rule> {
    let rules = astrola_lint::rules().iter();
    rules
        .map(|info| Rule {
            id: info.id.to_string(),
            // The serde name of the category (`locking`, `data_loss`, …).
            category: serde_json::to_value(info.category).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            severity: info.severity.as_str().to_string(),
            default_enabled: info.default_enabled,
            documentation: info.documentation(),
        })
        .collect()
}

/// What `applyFixes` did.
#[napi(object)]
pub struct FixResult {
    /// The SQL with the fixes applied.
    pub source: String,
    /// How many fixes were applied.
    pub applied: u32,
    /// How many were left out because they overlap a fix applied before
    /// them (lint and apply again for those).
    pub skipped: u32,
}

fn fix_arguments(env: &Env, sql: Unknown, diagnostics: Unknown, options: Option<Unknown>) -> Outcome<(String, Vec<astrola_lint::Diagnostic>, bool)> {
    let sql = text(sql, "sql")?;
    if diagnostics.get_type()? != ValueType::Object || !diagnostics.is_array()? {
        return Err(invalid(format!("diagnostics must be an array of Diagnostic (from lint), got {}", describe(&diagnostics)?)));
    }
    let copy = Object::from_unknown(call_global(diagnostics, "Array", "from", "diagnostics")?)?;
    let mut found = Vec::new();
    for index in 0..copy.get_array_length()? {
        let item: Unknown = copy.get_element(index)?;
        let wrong = || invalid(format!("diagnostics[{index}] must be a Diagnostic (from lint)"));
        if item.get_type()? != ValueType::Object || !Diagnostic::instance_of(env, &item)? {
            return Err(wrong());
        }
        let diagnostic = ClassInstance::<Diagnostic>::from_unknown(item).map_err(|_| wrong())?;
        found.push((*diagnostic.inner).clone());
    }
    let include_unsafe = Options::read(options)?.flag("unsafe")?.unwrap_or(false);
    Ok((sql, found, include_unsafe))
}

/// Applies the fixes of `diagnostics` to `sql`, the text they were found
/// in: the safe ones, and with `unsafe: true` the unsafe ones too (never
/// the display-only ones), in file order, leaving out any that overlaps a
/// fix applied before it. What `astrola lint --fix` does.
#[napi(ts_args_type = "sql: string, diagnostics: Array<Diagnostic>, options?: ApplyFixesOptions")]
pub fn apply_fixes(env: Env, sql: Unknown, diagnostics: Unknown, options: Option<Unknown>) -> Result<FixResult> {
    let (sql, found, include_unsafe) = fix_arguments(&env, sql, diagnostics, options).map_err(|f| f.into_js(&env))?;
    let fixed = astrola_lint::fix::apply_fixes(&sql, &found, include_unsafe);
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(FixResult { source: fixed.source, applied: count(fixed.applied), skipped: count(fixed.skipped) })
}

/// One finding of one rule on one statement.
///
/// `toObject()`, `toJSON()` and `toJson()` give the form `astrola lint
/// --format json` prints; `render(sql)` the text `astrola lint` prints.
#[napi]
pub struct Diagnostic {
    inner: Arc<astrola_lint::Diagnostic>,
}

impl Diagnostic {
    fn model(&self) -> &astrola_lint::Diagnostic {
        &self.inner
    }
}

#[napi]
impl Diagnostic {
    /// The rule's kebab-case id (`create-index-non-concurrently`).
    #[napi(getter)]
    pub fn rule(&self) -> &'static str {
        self.inner.rule
    }

    /// How serious it is.
    #[napi(getter, ts_return_type = "DiagnosticSeverity")]
    pub fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }

    /// What is wrong, naming the objects involved (and, with `stats`, the
    /// table's size).
    #[napi(getter)]
    pub fn message(&self) -> String {
        self.inner.message.clone()
    }

    /// Where: the statement, or the exact node when the parser locates it.
    #[napi(getter, ts_return_type = "Span")]
    pub fn span<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        env.to_js_value(&self.inner.span)
    }

    /// The statement as written.
    #[napi(getter)]
    pub fn statement(&self) -> String {
        self.inner.statement.clone()
    }

    /// What to do instead, or `null`.
    #[napi(getter)]
    pub fn help(&self) -> Option<String> {
        self.inner.help.clone()
    }

    /// The table the finding is about (`public.users`), or `null`.
    #[napi(getter)]
    pub fn table(&self) -> Option<String> {
        self.inner.table.clone()
    }

    /// A rewrite that removes the hazard, or `null`.
    #[napi(getter, ts_return_type = "Fix | null")]
    pub fn fix<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        env.to_js_value(&self.inner.fix)
    }

    /// For findings that fail on existing data: a query counting the rows
    /// the statement would fail on (it should return 0), or `null`.
    #[napi(getter)]
    pub fn validation(&self) -> Option<String> {
        self.inner.validation.clone()
    }

    /// The diagnostic as `astrola lint` prints it (rustc-style, with the
    /// source line, help, fix and validation query). `sql` is the text
    /// that was linted.
    #[napi(ts_args_type = "sql: string")]
    pub fn render(&self, env: Env, sql: Unknown) -> Result<String> {
        let sql = text(sql, "sql").map_err(|f| f.into_js(&env))?;
        Ok(self.inner.render(&sql))
    }

    /// A one-line summary: `severity[rule] file:line:column: message`.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        let d = &self.inner;
        format!("{}[{}] {}: {}", d.severity, d.rule, d.span, d.message)
    }
}

serde_forms!(Diagnostic);

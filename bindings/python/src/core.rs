//! `astrola-core` for Python: `parse_schema`, `Schema` and the objects a
//! schema holds.
//!
//! A `Schema` holds the parsed model behind an `Arc`; its tables, columns,
//! indexes... are handles (the `Arc` and a key) built when they are asked
//! for, so a schema of thousands of tables costs nothing until it is read.

use std::sync::Arc;

use astrola_core::model::{self, ConstraintKind, TypeKind};
use astrola_core::{Dialect, Parsed, QualifiedName};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyString};

use crate::error::{core_error, invalid_argument};
use crate::{py_repr, py_repr_opt, to_dict, to_json};

/// The Python type name of `value`, for messages.
fn type_name(value: &Borrowed<'_, '_, PyAny>) -> String {
    value.get_type().name().map_or_else(|_| "object".to_string(), |n| n.to_string())
}

/// A `str` argument. Anything else, and strings that are not valid Unicode
/// (lone surrogates), raise `InvalidArgumentError`.
pub struct Text(pub String);

impl<'a, 'py> FromPyObject<'a, 'py> for Text {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = value.py();
        let text = value.cast::<PyString>().map_err(|_| invalid_argument(py, format!("expected str, got {}", type_name(&value))))?;
        match text.to_cow() {
            Ok(s) => Ok(Self(s.into_owned())),
            Err(e) => Err(invalid_argument(py, format!("expected valid Unicode text: {e}"))),
        }
    }
}

/// A `bool` argument (`True` or `False`, nothing else).
pub struct Flag(pub bool);

impl<'a, 'py> FromPyObject<'a, 'py> for Flag {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        match value.cast::<PyBool>() {
            Ok(b) => Ok(Self(b.is_true())),
            Err(_) => Err(invalid_argument(value.py(), format!("expected bool, got {}", type_name(&value)))),
        }
    }
}

/// A `dialect` argument: `"postgres"`, `"mysql"` or `"sqlite"` (or an alias
/// the CLI accepts, such as `"mariadb"`).
#[derive(Clone, Copy, Default)]
pub struct DialectArg(pub Dialect);

impl<'a, 'py> FromPyObject<'a, 'py> for DialectArg {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let Text(name) = value.extract()?;
        name.parse()
            .map(Self)
            .map_err(|_| invalid_argument(value.py(), format!("unknown dialect {} (expected 'postgres', 'mysql' or 'sqlite')", py_repr(value.py(), &name))))
    }
}

/// A schema argument: SQL text, or a `Schema` already parsed.
pub enum SchemaArg {
    /// SQL text, parsed in the call's dialect.
    Sql(String),
    /// A parsed schema (with the renames and warnings of its SQL).
    Schema(Arc<Parsed>),
}

impl<'a, 'py> FromPyObject<'a, 'py> for SchemaArg {
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(schema) = value.cast::<Schema>() {
            return Ok(Self::Schema(schema.get().parsed.clone()));
        }
        match value.extract::<Text>() {
            Ok(Text(sql)) => Ok(Self::Sql(sql)),
            Err(_) => Err(invalid_argument(value.py(), format!("expected str (SQL) or Schema, got {}", type_name(&value)))),
        }
    }
}

impl SchemaArg {
    /// The parsed schema: parses SQL text in `dialect`. Call it without the
    /// GIL.
    pub fn resolve(self, dialect: Dialect) -> Result<Arc<Parsed>, astrola_core::Error> {
        match self {
            Self::Sql(sql) => astrola_core::parse_sql(&sql, dialect).map(Arc::new),
            Self::Schema(parsed) => Ok(parsed),
        }
    }
}

/// Parses SQL DDL into a `Schema` by replaying its statements in order.
///
/// `dialect` is "postgres" (the default), "mysql" or "sqlite". `file` names
/// the source in warnings and errors. Raises `ParseError` (with `line`,
/// `column`, `statement` and `file`) when a statement does not parse or
/// cannot apply.
#[pyfunction]
#[pyo3(signature = (sql, dialect = DialectArg::default(), *, file = None), text_signature = "(sql, dialect='postgres', *, file=None)")]
pub fn parse_schema(py: Python<'_>, sql: Text, dialect: DialectArg, file: Option<Text>) -> PyResult<Schema> {
    let file = file.map(|f| f.0).unwrap_or_default();
    let parsed = py.detach(|| astrola_core::parse_sql_named(&sql.0, dialect.0, &file)).map_err(|e| core_error(py, e))?;
    Ok(Schema { parsed: Arc::new(parsed) })
}

/// The namespace of `name`, `None` for dialects without namespaces.
fn namespace(name: &QualifiedName) -> Option<&str> {
    (!name.schema.is_empty()).then_some(name.schema.as_str())
}

/// A database schema: tables, views, indexes, sequences, types, functions
/// and extensions, as `parse_schema` or `Schema.from_json` built it.
///
/// Two schemas are equal when their models are equal.
#[pyclass(frozen, eq, module = "astrola")]
pub struct Schema {
    pub(crate) parsed: Arc<Parsed>,
}

impl PartialEq for Schema {
    fn eq(&self, other: &Self) -> bool {
        self.parsed.schema == other.parsed.schema
    }
}

impl Schema {
    fn model(&self) -> &model::Schema {
        &self.parsed.schema
    }

    fn handles<K: Clone, T>(&self, keys: impl Iterator<Item = K>, make: impl Fn(Arc<Parsed>, K) -> T) -> Vec<T> {
        keys.map(|k| make(self.parsed.clone(), k)).collect()
    }
}

#[pymethods]
impl Schema {
    /// Reads a schema from the JSON written by `Schema.to_json()` or
    /// `astrola inspect --format json`. Raises `SchemaJsonError` when the
    /// document is malformed.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: Text) -> PyResult<Schema> {
        let schema = py.detach(|| model::Schema::from_json(&text.0)).map_err(|e| core_error(py, e))?;
        Ok(Schema { parsed: Arc::new(Parsed { schema, warnings: Vec::new(), renames: Vec::new() }) })
    }

    /// The SQL dialect: "postgres", "mysql" or "sqlite".
    #[getter]
    fn dialect(&self) -> &'static str {
        self.model().dialect.name()
    }

    /// The tables (partitions included), ordered by qualified name.
    #[getter]
    fn tables(&self) -> Vec<Table> {
        self.handles(self.model().tables.keys().cloned(), |parsed, name| Table { parsed, name })
    }

    /// The views and materialized views, ordered by qualified name.
    #[getter]
    fn views(&self) -> Vec<View> {
        self.handles(self.model().views.keys().cloned(), |parsed, name| View { parsed, name })
    }

    /// The indexes that do not back a constraint, ordered by qualified name.
    #[getter]
    fn indexes(&self) -> Vec<Index> {
        self.handles(self.model().indexes.keys().cloned(), |parsed, name| Index { parsed, name })
    }

    /// The free-standing sequences, ordered by qualified name.
    #[getter]
    fn sequences(&self) -> Vec<Sequence> {
        self.handles(self.model().sequences.keys().cloned(), |parsed, name| Sequence { parsed, name })
    }

    /// The enum, composite and range types, ordered by qualified name.
    #[getter]
    fn types(&self) -> Vec<TypeDef> {
        self.handles(self.model().types.keys().cloned(), |parsed, name| TypeDef { parsed, name })
    }

    /// The functions and procedures, ordered by signature.
    #[getter]
    fn functions(&self) -> Vec<Function> {
        self.handles(self.model().functions.keys().cloned(), |parsed, signature| Function { parsed, signature })
    }

    /// The installed extensions, ordered by name.
    #[getter]
    fn extensions(&self) -> Vec<Extension> {
        self.handles(self.model().extensions.keys().cloned(), |parsed, name| Extension { parsed, name })
    }

    /// The warnings raised while parsing, one per statement kept as
    /// unmanaged (empty for a schema read from JSON).
    #[getter]
    fn warnings(&self) -> Vec<Warning> {
        self.handles(0..self.parsed.warnings.len(), |parsed, index| Warning { parsed, index })
    }

    /// The table called `name` ("users", "public.users", "\"My Table\""),
    /// or None. An unqualified name is looked up in the dialect's default
    /// namespace ("public" for PostgreSQL).
    fn table(&self, name: Text) -> Option<Table> {
        let mut key = QualifiedName::parse(&name.0)?;
        if key.schema.is_empty() {
            key.schema = self.model().dialect.default_namespace().to_string();
        }
        self.model().tables.contains_key(&key).then(|| Table { parsed: self.parsed.clone(), name: key })
    }

    /// The canonical DDL of the schema, in its dialect.
    fn to_sql(&self, py: Python<'_>) -> String {
        py.detach(|| astrola_core::render_sql(self.model()))
    }

    /// The schema as pretty-printed JSON (`astrola inspect --format json`).
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| self.model().to_json())
    }

    /// The schema as Python dicts and lists (the JSON form).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    fn __repr__(&self) -> String {
        let m = self.model();
        format!(
            "<astrola.Schema dialect='{}' tables={} views={} indexes={} warnings={}>",
            m.dialect,
            m.tables.len(),
            m.views.len(),
            m.indexes.len(),
            self.parsed.warnings.len()
        )
    }
}

/// A table.
#[pyclass(frozen, module = "astrola")]
pub struct Table {
    parsed: Arc<Parsed>,
    name: QualifiedName,
}

impl Table {
    fn model(&self) -> &model::Table {
        &self.parsed.schema.tables[&self.name]
    }
}

#[pymethods]
impl Table {
    /// The namespace (PostgreSQL schema), or None for MySQL and SQLite.
    #[getter]
    fn schema(&self) -> Option<&str> {
        namespace(&self.name)
    }

    /// The table's own name.
    #[getter]
    fn name(&self) -> &str {
        &self.name.name
    }

    /// The qualified name in SQL spelling ("public.users").
    #[getter]
    fn qualified_name(&self) -> String {
        self.name.to_string()
    }

    /// The columns, in order.
    #[getter]
    fn columns(&self) -> Vec<Column> {
        (0..self.model().columns.len()).map(|position| Column { parsed: self.parsed.clone(), table: self.name.clone(), position }).collect()
    }

    /// The indexes on this table that do not back a constraint.
    #[getter]
    fn indexes(&self) -> Vec<Index> {
        let indexes = &self.parsed.schema.indexes;
        indexes.iter().filter(|(_, i)| i.table == self.name).map(|(name, _)| Index { parsed: self.parsed.clone(), name: name.clone() }).collect()
    }

    /// The constraints (primary key, unique, foreign key, check,
    /// exclusion), ordered by name.
    #[getter]
    fn constraints(&self) -> Vec<Constraint> {
        let names = self.model().constraints.keys();
        names.map(|name| Constraint { parsed: self.parsed.clone(), table: self.name.clone(), name: name.clone() }).collect()
    }

    /// The primary key's column names, or None.
    #[getter]
    fn primary_key(&self) -> Option<Vec<String>> {
        self.model().primary_key().map(|(_, c)| c.kind.columns().to_vec())
    }

    /// `COMMENT ON TABLE`, or None.
    #[getter]
    fn comment(&self) -> Option<&str> {
        self.model().comment.as_deref()
    }

    /// The table as Python dicts and lists (its JSON form in the schema).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The table as pretty-printed JSON (its form in the schema JSON).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.Table {} columns={}>", py_repr(py, &self.name.to_string()), self.model().columns.len())
    }
}

/// A column of a table.
#[pyclass(frozen, module = "astrola")]
pub struct Column {
    parsed: Arc<Parsed>,
    table: QualifiedName,
    position: usize,
}

impl Column {
    fn model(&self) -> &model::Column {
        &self.parsed.schema.tables[&self.table].columns[self.position]
    }
}

#[pymethods]
impl Column {
    /// The column name.
    #[getter]
    fn name(&self) -> &str {
        &self.model().name
    }

    /// The canonical type ("integer", "character varying(255)").
    #[getter]
    fn data_type(&self) -> &str {
        &self.model().data_type
    }

    /// False when the column is NOT NULL.
    #[getter]
    fn nullable(&self) -> bool {
        !self.model().not_null
    }

    /// The DEFAULT expression, or None.
    #[getter]
    fn default(&self) -> Option<&str> {
        self.model().default.as_deref()
    }

    /// "always" or "by_default" for an identity column, else None.
    #[getter]
    fn identity(&self) -> Option<&'static str> {
        self.model().identity.as_ref().map(|i| if i.always { "always" } else { "by_default" })
    }

    /// The expression of a generated column, or None.
    #[getter]
    fn generated(&self) -> Option<&str> {
        self.model().generated.as_deref()
    }

    /// `COMMENT ON COLUMN`, or None.
    #[getter]
    fn comment(&self) -> Option<&str> {
        self.model().comment.as_deref()
    }

    /// The column as Python dicts and lists (its JSON form in the schema).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The column as pretty-printed JSON (its form in the schema JSON).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let c = self.model();
        format!("<astrola.Column {} {} nullable={}>", py_repr(py, &c.name), py_repr(py, &c.data_type), if c.not_null { "False" } else { "True" })
    }
}

/// An index that does not back a constraint.
#[pyclass(frozen, module = "astrola")]
pub struct Index {
    parsed: Arc<Parsed>,
    name: QualifiedName,
}

impl Index {
    fn model(&self) -> &model::Index {
        &self.parsed.schema.indexes[&self.name]
    }
}

#[pymethods]
impl Index {
    /// The namespace, or None for MySQL and SQLite.
    #[getter]
    fn schema(&self) -> Option<&str> {
        namespace(&self.name)
    }

    /// The index's own name.
    #[getter]
    fn name(&self) -> &str {
        &self.name.name
    }

    /// The indexed table, in SQL spelling ("public.users").
    #[getter]
    fn table(&self) -> String {
        self.model().table.to_string()
    }

    /// UNIQUE.
    #[getter]
    fn unique(&self) -> bool {
        self.model().unique
    }

    /// The access method ("btree", "gin", ...).
    #[getter]
    fn method(&self) -> &str {
        &self.model().method
    }

    /// The keys, in order, as SQL: the quoted column or the parenthesised
    /// expression, with its collation, operator class and direction.
    #[getter]
    fn columns(&self) -> Vec<String> {
        let dialect = self.parsed.schema.dialect;
        self.model().keys.iter().map(|k| astrola_core::render::index_key_sql(dialect, k)).collect()
    }

    /// The partial index predicate (WHERE), or None.
    #[getter]
    fn r#where(&self) -> Option<&str> {
        self.model().predicate.as_deref()
    }

    /// The index as Python dicts and lists (its JSON form in the schema).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The index as pretty-printed JSON (its form in the schema JSON).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let i = self.model();
        format!(
            "<astrola.Index {} on {} unique={}>",
            py_repr(py, &self.name.to_string()),
            py_repr(py, &i.table.to_string()),
            if i.unique { "True" } else { "False" }
        )
    }
}

/// A named table constraint.
#[pyclass(frozen, module = "astrola")]
pub struct Constraint {
    parsed: Arc<Parsed>,
    table: QualifiedName,
    name: String,
}

impl Constraint {
    fn model(&self) -> &model::Constraint {
        &self.parsed.schema.tables[&self.table].constraints[&self.name]
    }
}

#[pymethods]
impl Constraint {
    /// The constraint name.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// "primary_key", "unique", "foreign_key", "check" or "exclusion".
    #[getter]
    fn kind(&self) -> &'static str {
        match self.model().kind {
            ConstraintKind::PrimaryKey { .. } => "primary_key",
            ConstraintKind::Unique { .. } => "unique",
            ConstraintKind::ForeignKey { .. } => "foreign_key",
            ConstraintKind::Check { .. } => "check",
            ConstraintKind::Exclusion { .. } => "exclusion",
        }
    }

    /// The constrained columns (empty for check and exclusion constraints).
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.model().kind.columns().to_vec()
    }

    /// The referenced table of a foreign key, in SQL spelling, else None.
    #[getter]
    fn references(&self) -> Option<String> {
        match &self.model().kind {
            ConstraintKind::ForeignKey { ref_table, .. } => Some(ref_table.to_string()),
            _ => None,
        }
    }

    /// The constraint as Python dicts and lists (its JSON form in the schema).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The constraint as pretty-printed JSON (its form in the schema JSON).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let columns: Vec<String> = self.model().kind.columns().iter().map(|c| py_repr(py, c)).collect();
        format!("<astrola.Constraint {} kind='{}' columns=[{}]>", py_repr(py, &self.name), self.kind(), columns.join(", "))
    }
}

/// A view or materialized view.
#[pyclass(frozen, module = "astrola")]
pub struct View {
    parsed: Arc<Parsed>,
    name: QualifiedName,
}

impl View {
    fn model(&self) -> &model::View {
        &self.parsed.schema.views[&self.name]
    }
}

#[pymethods]
impl View {
    /// The namespace, or None for MySQL and SQLite.
    #[getter]
    fn schema(&self) -> Option<&str> {
        namespace(&self.name)
    }

    /// The view's own name.
    #[getter]
    fn name(&self) -> &str {
        &self.name.name
    }

    /// MATERIALIZED.
    #[getter]
    fn materialized(&self) -> bool {
        self.model().materialized
    }

    /// The explicit column names (`CREATE VIEW v (a, b)`), empty when not given.
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.model().columns.clone()
    }

    /// The query, in canonical form.
    #[getter]
    fn query(&self) -> &str {
        &self.model().query
    }

    /// `COMMENT ON VIEW`, or None.
    #[getter]
    fn comment(&self) -> Option<&str> {
        self.model().comment.as_deref()
    }

    /// The view as Python dicts and lists (its JSON form in the schema).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The view as pretty-printed JSON (its form in the schema JSON).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.View {} materialized={}>", py_repr(py, &self.name.to_string()), if self.materialized() { "True" } else { "False" })
    }
}

/// A free-standing sequence (identity sequences live on their column).
#[pyclass(frozen, module = "astrola")]
pub struct Sequence {
    parsed: Arc<Parsed>,
    name: QualifiedName,
}

impl Sequence {
    fn model(&self) -> &model::Sequence {
        &self.parsed.schema.sequences[&self.name]
    }
}

#[pymethods]
impl Sequence {
    /// The namespace, or None for MySQL and SQLite.
    #[getter]
    fn schema(&self) -> Option<&str> {
        namespace(&self.name)
    }

    /// The sequence's own name.
    #[getter]
    fn name(&self) -> &str {
        &self.name.name
    }

    /// "smallint", "integer" or "bigint".
    #[getter]
    fn data_type(&self) -> &str {
        &self.model().options.data_type
    }

    /// START WITH.
    #[getter]
    fn start(&self) -> i64 {
        self.model().options.start
    }

    /// INCREMENT BY.
    #[getter]
    fn increment(&self) -> i64 {
        self.model().options.increment
    }

    /// `OWNED BY`, as "table.column" in SQL spelling, or None.
    #[getter]
    fn owned_by(&self) -> Option<String> {
        self.model().owned_by.as_ref().map(|o| format!("{}.{}", o.table, astrola_core::ident::quote_ident(&o.column)))
    }

    /// The sequence as Python dicts and lists (its JSON form in the schema).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The sequence as pretty-printed JSON (its form in the schema JSON).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.Sequence {} {}>", py_repr(py, &self.name.to_string()), py_repr(py, self.data_type()))
    }
}

/// A user-defined type: an enum, composite or range type.
#[pyclass(frozen, module = "astrola")]
pub struct TypeDef {
    parsed: Arc<Parsed>,
    name: QualifiedName,
}

impl TypeDef {
    fn model(&self) -> &model::TypeDef {
        &self.parsed.schema.types[&self.name]
    }
}

#[pymethods]
impl TypeDef {
    /// The namespace, or None for MySQL and SQLite.
    #[getter]
    fn schema(&self) -> Option<&str> {
        namespace(&self.name)
    }

    /// The type's own name.
    #[getter]
    fn name(&self) -> &str {
        &self.name.name
    }

    /// "enum", "composite" or "range".
    #[getter]
    fn kind(&self) -> &'static str {
        match self.model().kind {
            TypeKind::Enum { .. } => "enum",
            TypeKind::Composite { .. } => "composite",
            TypeKind::Range { .. } => "range",
        }
    }

    /// The labels of an enum, in sort order (empty for other kinds).
    #[getter]
    fn labels(&self) -> Vec<String> {
        match &self.model().kind {
            TypeKind::Enum { labels } => labels.clone(),
            _ => Vec::new(),
        }
    }

    /// The type as Python dicts and lists (its JSON form in the schema).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The type as pretty-printed JSON (its form in the schema JSON).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.TypeDef {} kind='{}'>", py_repr(py, &self.name.to_string()), self.kind())
    }
}

/// A function or procedure.
#[pyclass(frozen, module = "astrola")]
pub struct Function {
    parsed: Arc<Parsed>,
    signature: String,
}

impl Function {
    fn model(&self) -> &model::Function {
        &self.parsed.schema.functions[&self.signature]
    }
}

#[pymethods]
impl Function {
    /// The signature that identifies it ("public.f(integer)").
    #[getter]
    fn signature(&self) -> &str {
        &self.signature
    }

    /// The namespace, or None.
    #[getter]
    fn schema(&self) -> Option<&str> {
        namespace(&self.model().name)
    }

    /// The function's own name.
    #[getter]
    fn name(&self) -> &str {
        &self.model().name.name
    }

    /// True for a procedure (`CREATE PROCEDURE`).
    #[getter]
    fn procedure(&self) -> bool {
        self.model().procedure
    }

    /// The result type (`RETURNS ...`), None for procedures.
    #[getter]
    fn returns(&self) -> Option<&str> {
        self.model().returns.as_deref()
    }

    /// LANGUAGE.
    #[getter]
    fn language(&self) -> &str {
        &self.model().language
    }

    /// The function as Python dicts and lists (its JSON form in the schema).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The function as pretty-printed JSON (its form in the schema JSON).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.Function {}>", py_repr(py, &self.signature))
    }
}

/// An installed extension.
#[pyclass(frozen, module = "astrola")]
pub struct Extension {
    parsed: Arc<Parsed>,
    name: String,
}

impl Extension {
    fn model(&self) -> &model::Extension {
        &self.parsed.schema.extensions[&self.name]
    }
}

#[pymethods]
impl Extension {
    /// The extension name.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// The namespace its objects live in.
    #[getter]
    fn schema(&self) -> &str {
        &self.model().schema
    }

    /// The version asked for, or None.
    #[getter]
    fn version(&self) -> Option<&str> {
        self.model().version.as_deref()
    }

    /// The extension as Python dicts and lists (its JSON form in the schema).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The extension as pretty-printed JSON (its form in the schema JSON).
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.Extension {} version={}>", py_repr(py, &self.name), py_repr_opt(py, self.version()))
    }
}

/// A warning raised while parsing: the schema was built, but a statement
/// was kept as unmanaged or something else deserves a look.
// Named `SchemaWarning` in Python, so that `from astrola import *` does not
// shadow the built-in `Warning`.
#[pyclass(frozen, name = "SchemaWarning", module = "astrola")]
pub struct Warning {
    parsed: Arc<Parsed>,
    index: usize,
}

impl Warning {
    fn model(&self) -> &astrola_core::Warning {
        &self.parsed.warnings[self.index]
    }
}

#[pymethods]
impl Warning {
    /// What happened.
    #[getter]
    fn message(&self) -> &str {
        &self.model().message
    }

    /// The file given to `parse_schema`, or None.
    #[getter]
    fn file(&self) -> Option<&str> {
        let file = &self.model().span.file;
        (!file.is_empty()).then_some(file.as_str())
    }

    /// The 1-based line of the statement.
    #[getter]
    fn line(&self) -> usize {
        self.model().span.line
    }

    /// The 1-based column of the statement.
    #[getter]
    fn column(&self) -> usize {
        self.model().span.column
    }

    /// The warning as Python dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.model())
    }

    /// The warning as pretty-printed JSON.
    fn to_json(&self) -> String {
        to_json(self.model())
    }

    fn __str__(&self) -> String {
        self.model().to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<astrola.SchemaWarning {}>", py_repr(py, &self.model().to_string()))
    }
}

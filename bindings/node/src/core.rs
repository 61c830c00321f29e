//! `astrola-core` for Node: `parseSchema`, `Schema.fromJson`, the `Schema`
//! class and the objects it holds, and the reading of JavaScript arguments
//! (SQL text or a `Schema`, and the options objects).
//!
//! A `Schema` holds an `Arc` of the parsed Rust value. Its objects (`Table`,
//! `Column`, …) are handles made when asked for: the same `Arc` and a key,
//! so a schema of thousands of tables is never converted eagerly.

use std::sync::Arc;

use astrola_core::model::{self, ConstraintKind, TypeKind};
use astrola_core::{Dialect, Parsed, QualifiedName};
use napi::bindgen_prelude::{AsyncTask, ClassInstance, Env, FnArgs, FromNapiValue, Function, JavaScriptClassExt, JsObjectValue, JsValue, Object, Result, Unknown, ValueType};
use napi_derive::napi;

use crate::error::{invalid, Outcome};
use crate::Job;

/// What a JavaScript value is, for error messages.
pub fn describe(value: &Unknown) -> Outcome<&'static str> {
    Ok(match value.get_type()? {
        ValueType::Object if value.is_array()? => "an array",
        ValueType::Object if value.is_buffer()? => "a Buffer",
        ValueType::Object => "an object",
        ValueType::Undefined => "undefined",
        ValueType::Null => "null",
        ValueType::Boolean => "a boolean",
        ValueType::Number => "a number",
        ValueType::String => "a string",
        ValueType::Symbol => "a symbol",
        ValueType::Function => "a function",
        ValueType::BigInt => "a bigint",
        _ => "a value of another type",
    })
}

/// `value` as a string, or `InvalidArgumentError` naming `what`.
pub fn text(value: Unknown, what: &str) -> Outcome<String> {
    if value.get_type()? != ValueType::String {
        return Err(invalid(format!("{what} must be a string, got {}", describe(&value)?)));
    }
    Ok(value.coerce_to_string()?.into_utf8()?.into_owned()?)
}

/// `globalThis[object][method](value)`: `Array.from`, `Object.entries`,
/// `JSON.stringify`. An exception it throws (a getter of `value`, a cycle)
/// becomes an `InvalidArgumentError` about `what`.
pub fn call_global<'env>(value: Unknown<'env>, object: &str, method: &str, what: &str) -> Outcome<Unknown<'env>> {
    let env = Env::from_raw(value.value().env);
    // `Array` and `Object` are functions, `JSON` a plain object.
    let holder: Object = env.get_global()?.get_named_property_unchecked(object)?;
    let function: Function<Unknown<'env>, Unknown<'env>> = holder.get_named_property(method)?;
    function.call(value).map_err(|e| invalid(format!("{what} cannot be read: {}", e.reason)))
}

/// The options object of a call (`{dialect, file, allowDestructive}`);
/// `undefined` and `null` stand for no options.
pub struct Options<'env>(Option<Object<'env>>);

impl<'env> Options<'env> {
    /// Reads the options argument.
    pub fn read(value: Option<Unknown<'env>>) -> Outcome<Self> {
        let Some(value) = value else { return Ok(Self(None)) };
        match value.get_type()? {
            ValueType::Undefined | ValueType::Null => Ok(Self(None)),
            ValueType::Object if !value.is_array()? => Ok(Self(Some(Object::from_unknown(value)?))),
            _ => Err(invalid(format!("options must be an object, got {}", describe(&value)?))),
        }
    }

    /// The option `name`, unless it is absent, `undefined` or `null`.
    fn get(&self, name: &str) -> Outcome<Option<Unknown<'env>>> {
        let Some(object) = self.0 else { return Ok(None) };
        // Through `Reflect.get`, so that a getter that throws becomes an
        // InvalidArgumentError instead of an exception left pending.
        let reflect: Object = Env::from_raw(object.value().env).get_global()?.get_named_property("Reflect")?;
        let get: Function<FnArgs<(Object, String)>, Unknown<'env>> = reflect.get_named_property("get")?;
        let value = get.call(FnArgs { data: (object, name.to_string()) }).map_err(|e| invalid(format!("option `{name}` cannot be read: {}", e.reason)))?;
        Ok(match value.get_type()? {
            ValueType::Undefined | ValueType::Null => None,
            _ => Some(value),
        })
    }

    /// The option `name` as it is, unless it is absent, `undefined` or
    /// `null`.
    pub fn value(&self, name: &str) -> Outcome<Option<Unknown<'env>>> {
        self.get(name)
    }

    /// An option that is a whole number from 0 to 2³²−1.
    pub fn integer(&self, name: &str) -> Outcome<Option<u32>> {
        let Some(value) = self.get(name)? else { return Ok(None) };
        if value.get_type()? != ValueType::Number {
            return Err(invalid(format!("option `{name}` must be a number, got {}", describe(&value)?)));
        }
        let number = f64::from_unknown(value)?;
        if number.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&number) {
            return Err(invalid(format!("option `{name}` must be a whole number, got {number}")));
        }
        // A whole number in range converts exactly.
        Ok(Some(number as u32))
    }

    /// An option that is an array of strings.
    pub fn strings(&self, name: &str) -> Outcome<Option<Vec<String>>> {
        let Some(value) = self.get(name)? else { return Ok(None) };
        if value.get_type()? != ValueType::Object || !value.is_array()? {
            return Err(invalid(format!("option `{name}` must be an array of strings, got {}", describe(&value)?)));
        }
        // A plain copy, so that reading the elements runs no getter.
        let copy = Object::from_unknown(call_global(value, "Array", "from", &format!("option `{name}`"))?)?;
        let mut strings = Vec::new();
        for index in 0..copy.get_array_length()? {
            strings.push(text(copy.get_element::<Unknown>(index)?, &format!("option `{name}`[{index}]"))?);
        }
        Ok(Some(strings))
    }

    /// A string option.
    pub fn string(&self, name: &str) -> Outcome<Option<String>> {
        self.get(name)?.map(|v| text(v, &format!("option `{name}`"))).transpose()
    }

    /// A boolean option, false when absent.
    pub fn flag(&self, name: &str) -> Outcome<Option<bool>> {
        let Some(value) = self.get(name)? else { return Ok(None) };
        if value.get_type()? != ValueType::Boolean {
            return Err(invalid(format!("option `{name}` must be a boolean, got {}", describe(&value)?)));
        }
        Ok(Some(bool::from_unknown(value)?))
    }

    /// The `dialect` option: `postgres` (the default), `mysql` or `sqlite`,
    /// or an alias the CLI accepts (`mariadb`, `pg`, …).
    pub fn dialect(&self) -> Outcome<Dialect> {
        match self.string("dialect")? {
            None => Ok(Dialect::default()),
            Some(name) => name.parse().map_err(|_| invalid(format!("unknown dialect {name:?} (expected \"postgres\", \"mysql\" or \"sqlite\")"))),
        }
    }
}

/// A schema argument: SQL text, or a `Schema` already parsed.
pub enum SchemaInput {
    /// SQL text, parsed in the call's dialect.
    Sql(String),
    /// A parsed schema, with the warnings and renames of its SQL.
    Parsed(Arc<Parsed>),
}

impl SchemaInput {
    /// Reads a `from`/`to`/`expected`/`actual` argument.
    pub fn read(env: &Env, value: Unknown, what: &str) -> Outcome<Self> {
        match value.get_type()? {
            ValueType::String => Ok(Self::Sql(text(value, what)?)),
            ValueType::Object if Schema::instance_of(env, &value)? => {
                // A spoofed prototype passes `instanceof` but holds no schema.
                let schema = ClassInstance::<Schema>::from_unknown(value)
                    .map_err(|_| invalid(format!("{what} is not a Schema made by astrola")))?;
                Ok(Self::Parsed(schema.parsed.clone()))
            }
            _ => Err(invalid(format!("{what} must be SQL text or a Schema, got {}", describe(&value)?))),
        }
    }

    /// The parsed schema: SQL text is parsed in `dialect`; a `Schema` keeps
    /// its own.
    pub fn resolve(self, dialect: Dialect) -> Outcome<Arc<Parsed>> {
        match self {
            Self::Sql(sql) => Ok(Arc::new(astrola_core::parse_sql(&sql, dialect)?)),
            Self::Parsed(parsed) => Ok(parsed),
        }
    }
}

/// The arguments of `parseSchema`, checked: SQL, dialect and file name.
fn parse_arguments(sql: Unknown, options: Option<Unknown>) -> Outcome<(String, Dialect, String)> {
    let sql = text(sql, "sql")?;
    let options = Options::read(options)?;
    Ok((sql, options.dialect()?, options.string("file")?.unwrap_or_default()))
}

fn parse((sql, dialect, file): (String, Dialect, String)) -> Outcome<Schema> {
    let parsed = astrola_core::parse_sql_named(&sql, dialect, &file)?;
    Ok(Schema { parsed: Arc::new(parsed) })
}

/// Parses SQL DDL into a `Schema` by replaying its statements in order.
///
/// `dialect` is `"postgres"` (the default), `"mysql"` or `"sqlite"`; `file`
/// names the source in warnings and errors. Throws `ParseError` (with
/// `line`, `column`, `statement` and `file`) when a statement does not
/// parse or cannot apply.
#[napi(ts_args_type = "sql: string, options?: ParseOptions")]
pub fn parse_schema(env: Env, sql: Unknown, options: Option<Unknown>) -> Result<Schema> {
    parse_arguments(sql, options).and_then(parse).map_err(|f| f.into_js(&env))
}

/// `parseSchema` on the thread pool: a Promise of the `Schema`, rejected
/// with the errors `parseSchema` throws.
#[napi(ts_args_type = "sql: string, options?: ParseOptions", ts_return_type = "Promise<Schema>")]
pub fn parse_schema_async(sql: Unknown, options: Option<Unknown>) -> AsyncTask<Job<Schema>> {
    let arguments = parse_arguments(sql, options);
    AsyncTask::new(Job::new(move || parse(arguments?)))
}

/// The namespace of `name`, `null` for dialects without namespaces.
fn namespace(name: &QualifiedName) -> Option<String> {
    (!name.schema.is_empty()).then(|| name.schema.clone())
}

/// Adds `toObject()`, `toJSON()` and `toJson()` to a class whose `model()`
/// is serialisable: the object's JSON form in the schema JSON.
macro_rules! serde_forms {
    ($class:ident) => {
        #[napi]
        impl $class {
            /// The object as plain JavaScript values: its JSON form.
            #[napi(ts_return_type = "Record<string, any>")]
            pub fn to_object<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
                env.to_js_value(self.model())
            }

            /// The same as `toObject()`, so that `JSON.stringify` works.
            #[napi(js_name = "toJSON", ts_return_type = "Record<string, any>")]
            pub fn to_json_value<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
                env.to_js_value(self.model())
            }

            /// The object as pretty-printed JSON.
            #[napi]
            pub fn to_json(&self) -> String {
                $crate::core::pretty_json(self.model())
            }
        }
    };
}
pub(crate) use serde_forms;

/// `value` as pretty-printed JSON. Plain data with string keys always
/// serialises.
pub fn pretty_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// A database schema: tables, views, indexes, sequences, types, functions
/// and extensions, as `parseSchema` or `Schema.fromJson` built it.
#[napi]
pub struct Schema {
    pub(crate) parsed: Arc<Parsed>,
}

impl Schema {
    fn model(&self) -> &model::Schema {
        &self.parsed.schema
    }

    fn handles<K: Clone, T>(&self, keys: impl Iterator<Item = K>, make: impl Fn(Arc<Parsed>, K) -> T) -> Vec<T> {
        keys.map(|k| make(self.parsed.clone(), k)).collect()
    }
}

#[napi]
impl Schema {
    /// Reads a schema from the JSON written by `toJson()` or `astrola inspect
    /// --format json`. Throws `SchemaJsonError` when the document is
    /// malformed.
    #[napi(factory, ts_args_type = "text: string")]
    pub fn from_json(env: Env, text: Unknown) -> Result<Schema> {
        let read = || -> Outcome<Schema> {
            let schema = model::Schema::from_json(&self::text(text, "text")?)?;
            Ok(Schema { parsed: Arc::new(Parsed { schema, warnings: Vec::new(), renames: Vec::new() }) })
        };
        read().map_err(|f| f.into_js(&env))
    }

    /// The SQL dialect.
    #[napi(getter, ts_return_type = "SchemaDialect")]
    pub fn dialect(&self) -> &'static str {
        self.model().dialect.name()
    }

    /// The tables, in name order.
    #[napi(getter)]
    pub fn tables(&self) -> Vec<Table> {
        self.handles(self.model().tables.keys().cloned(), |parsed, key| Table { parsed, key })
    }

    /// The views and materialized views, in name order.
    #[napi(getter)]
    pub fn views(&self) -> Vec<View> {
        self.handles(self.model().views.keys().cloned(), |parsed, key| View { parsed, key })
    }

    /// The indexes that do not back a constraint, in name order.
    #[napi(getter)]
    pub fn indexes(&self) -> Vec<Index> {
        self.handles(self.model().indexes.keys().cloned(), |parsed, key| Index { parsed, key })
    }

    /// The free-standing sequences, in name order.
    #[napi(getter)]
    pub fn sequences(&self) -> Vec<Sequence> {
        self.handles(self.model().sequences.keys().cloned(), |parsed, key| Sequence { parsed, key })
    }

    /// The enum, composite and range types, in name order.
    #[napi(getter)]
    pub fn types(&self) -> Vec<TypeDef> {
        self.handles(self.model().types.keys().cloned(), |parsed, key| TypeDef { parsed, key })
    }

    /// The functions and procedures, in signature order.
    #[napi(getter)]
    pub fn functions(&self) -> Vec<FunctionDef> {
        self.handles(self.model().functions.keys().cloned(), |parsed, key| FunctionDef { parsed, key })
    }

    /// The installed extensions, in name order.
    #[napi(getter)]
    pub fn extensions(&self) -> Vec<Extension> {
        self.handles(self.model().extensions.keys().cloned(), |parsed, key| Extension { parsed, key })
    }

    /// The warnings raised while parsing, one per statement kept as
    /// unmanaged (empty for a schema read from JSON).
    #[napi(getter, ts_return_type = "Array<Warning>")]
    pub fn warnings<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        env.to_js_value(&self.parsed.warnings)
    }

    /// The table called `name` (`"users"` or `"public.users"`), or `null`.
    /// An unqualified name is looked up in the dialect's default namespace.
    #[napi(ts_args_type = "name: string")]
    pub fn table(&self, env: Env, name: Unknown) -> Result<Option<Table>> {
        let name = text(name, "name").map_err(|f| f.into_js(&env))?;
        let Some(mut key) = QualifiedName::parse(&name) else { return Ok(None) };
        if key.schema.is_empty() {
            key.schema = self.model().dialect.default_namespace().to_string();
        }
        Ok(self.model().tables.contains_key(&key).then(|| Table { parsed: self.parsed.clone(), key }))
    }

    /// Whether `other` is a `Schema` with an equal model.
    #[napi(ts_args_type = "other: Schema")]
    pub fn equals(&self, env: Env, other: Unknown) -> Result<bool> {
        if other.get_type()? != ValueType::Object || !Schema::instance_of(&env, &other)? {
            return Ok(false);
        }
        Ok(ClassInstance::<Schema>::from_unknown(other).is_ok_and(|o| o.model() == self.model()))
    }

    /// The canonical DDL of the schema, in its dialect.
    #[napi]
    pub fn to_sql(&self) -> String {
        astrola_core::render_sql(self.model())
    }

    /// A one-line summary.
    #[napi(js_name = "toString")]
    pub fn summary(&self) -> String {
        let m = self.model();
        format!(
            "Schema {{ dialect: {}, tables: {}, views: {}, indexes: {}, warnings: {} }}",
            m.dialect,
            m.tables.len(),
            m.views.len(),
            m.indexes.len(),
            self.parsed.warnings.len()
        )
    }
}

serde_forms!(Schema);

/// A table.
#[napi]
pub struct Table {
    parsed: Arc<Parsed>,
    key: QualifiedName,
}

impl Table {
    fn model(&self) -> &model::Table {
        &self.parsed.schema.tables[&self.key]
    }
}

#[napi]
impl Table {
    /// The namespace, or `null` for MySQL and SQLite.
    #[napi(getter)]
    pub fn schema(&self) -> Option<String> {
        namespace(&self.key)
    }

    /// The table's own name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.key.name.clone()
    }

    /// The qualified name in SQL spelling (`public.users`).
    #[napi(getter)]
    pub fn qualified_name(&self) -> String {
        self.key.to_string()
    }

    /// The columns, in order.
    #[napi(getter)]
    pub fn columns(&self) -> Vec<Column> {
        (0..self.model().columns.len()).map(|index| Column { parsed: self.parsed.clone(), table: self.key.clone(), index }).collect()
    }

    /// The indexes on this table that do not back a constraint.
    #[napi(getter)]
    pub fn indexes(&self) -> Vec<Index> {
        let on_table = self.parsed.schema.indexes.iter().filter(|(_, i)| i.table == self.key);
        on_table.map(|(key, _)| Index { parsed: self.parsed.clone(), key: key.clone() }).collect()
    }

    /// The constraints (primary key, unique, check, foreign key, exclusion),
    /// in name order.
    #[napi(getter)]
    pub fn constraints(&self) -> Vec<Constraint> {
        let names = self.model().constraints.keys();
        names.map(|name| Constraint { parsed: self.parsed.clone(), table: self.key.clone(), name: name.clone() }).collect()
    }

    /// The primary key's column names, or `null`.
    #[napi(getter)]
    pub fn primary_key(&self) -> Option<Vec<String>> {
        self.model().primary_key().map(|(_, c)| c.kind.columns().to_vec())
    }

    /// `COMMENT ON TABLE`, or `null`.
    #[napi(getter)]
    pub fn comment(&self) -> Option<String> {
        self.model().comment.clone()
    }
}

serde_forms!(Table);

/// A table column.
#[napi]
pub struct Column {
    parsed: Arc<Parsed>,
    table: QualifiedName,
    index: usize,
}

impl Column {
    fn model(&self) -> &model::Column {
        &self.parsed.schema.tables[&self.table].columns[self.index]
    }
}

#[napi]
impl Column {
    /// The column name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.model().name.clone()
    }

    /// The canonical type (`integer`, `character varying(255)`).
    #[napi(getter)]
    pub fn data_type(&self) -> String {
        self.model().data_type.clone()
    }

    /// False for `NOT NULL` columns.
    #[napi(getter)]
    pub fn nullable(&self) -> bool {
        !self.model().not_null
    }

    /// The `DEFAULT` expression, or `null`.
    #[napi(getter)]
    pub fn default(&self) -> Option<String> {
        self.model().default.clone()
    }

    /// `"always"` or `"by_default"` for identity columns, else `null`.
    #[napi(getter, ts_return_type = "'always' | 'by_default' | null")]
    pub fn identity(&self) -> Option<&'static str> {
        self.model().identity.as_ref().map(|i| if i.always { "always" } else { "by_default" })
    }

    /// The expression of a generated column, or `null`.
    #[napi(getter)]
    pub fn generated(&self) -> Option<String> {
        self.model().generated.clone()
    }

    /// `COMMENT ON COLUMN`, or `null`.
    #[napi(getter)]
    pub fn comment(&self) -> Option<String> {
        self.model().comment.clone()
    }
}

serde_forms!(Column);

/// An index that does not back a constraint.
#[napi]
pub struct Index {
    parsed: Arc<Parsed>,
    key: QualifiedName,
}

impl Index {
    fn model(&self) -> &model::Index {
        &self.parsed.schema.indexes[&self.key]
    }
}

#[napi]
impl Index {
    /// The namespace, or `null` for MySQL and SQLite.
    #[napi(getter)]
    pub fn schema(&self) -> Option<String> {
        namespace(&self.key)
    }

    /// The index's own name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.key.name.clone()
    }

    /// The indexed table, in SQL spelling.
    #[napi(getter)]
    pub fn table(&self) -> String {
        self.model().table.to_string()
    }

    /// `UNIQUE`.
    #[napi(getter)]
    pub fn unique(&self) -> bool {
        self.model().unique
    }

    /// The access method (`btree`, `gin`, …).
    #[napi(getter)]
    pub fn method(&self) -> String {
        self.model().method.clone()
    }

    /// The keys, in order, as SQL: the quoted column or the parenthesised
    /// expression, with its collation, operator class and direction.
    #[napi(getter)]
    pub fn columns(&self) -> Vec<String> {
        let dialect = self.parsed.schema.dialect;
        self.model().keys.iter().map(|k| astrola_core::render::index_key_sql(dialect, k)).collect()
    }

    /// The partial index predicate (`WHERE`), or `null`.
    #[napi(getter, js_name = "where")]
    pub fn predicate(&self) -> Option<String> {
        self.model().predicate.clone()
    }
}

serde_forms!(Index);

/// A named table constraint.
#[napi]
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

#[napi]
impl Constraint {
    /// The constraint name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// What it enforces.
    #[napi(getter, ts_return_type = "'primary_key' | 'unique' | 'foreign_key' | 'check' | 'exclusion'")]
    pub fn kind(&self) -> &'static str {
        match self.model().kind {
            ConstraintKind::PrimaryKey { .. } => "primary_key",
            ConstraintKind::Unique { .. } => "unique",
            ConstraintKind::ForeignKey { .. } => "foreign_key",
            ConstraintKind::Check { .. } => "check",
            ConstraintKind::Exclusion { .. } => "exclusion",
        }
    }

    /// The constrained columns (empty for check and exclusion constraints).
    #[napi(getter)]
    pub fn columns(&self) -> Vec<String> {
        self.model().kind.columns().to_vec()
    }

    /// The referenced table of a foreign key, in SQL spelling, else `null`.
    #[napi(getter)]
    pub fn references(&self) -> Option<String> {
        match &self.model().kind {
            ConstraintKind::ForeignKey { ref_table, .. } => Some(ref_table.to_string()),
            _ => None,
        }
    }
}

serde_forms!(Constraint);

/// A view or materialized view.
#[napi]
pub struct View {
    parsed: Arc<Parsed>,
    key: QualifiedName,
}

impl View {
    fn model(&self) -> &model::View {
        &self.parsed.schema.views[&self.key]
    }
}

#[napi]
impl View {
    /// The namespace, or `null` for MySQL and SQLite.
    #[napi(getter)]
    pub fn schema(&self) -> Option<String> {
        namespace(&self.key)
    }

    /// The view's own name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.key.name.clone()
    }

    /// `MATERIALIZED`.
    #[napi(getter)]
    pub fn materialized(&self) -> bool {
        self.model().materialized
    }

    /// The explicit column names (`CREATE VIEW v (a, b)`), empty when not given.
    #[napi(getter)]
    pub fn columns(&self) -> Vec<String> {
        self.model().columns.clone()
    }

    /// The query, in canonical form.
    #[napi(getter)]
    pub fn query(&self) -> String {
        self.model().query.clone()
    }

    /// `COMMENT ON VIEW`, or `null`.
    #[napi(getter)]
    pub fn comment(&self) -> Option<String> {
        self.model().comment.clone()
    }
}

serde_forms!(View);

/// A free-standing sequence (identity sequences live on their column).
#[napi]
pub struct Sequence {
    parsed: Arc<Parsed>,
    key: QualifiedName,
}

impl Sequence {
    fn model(&self) -> &model::Sequence {
        &self.parsed.schema.sequences[&self.key]
    }
}

#[napi]
impl Sequence {
    /// The namespace, or `null` for MySQL and SQLite.
    #[napi(getter)]
    pub fn schema(&self) -> Option<String> {
        namespace(&self.key)
    }

    /// The sequence's own name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.key.name.clone()
    }

    /// `smallint`, `integer` or `bigint`.
    #[napi(getter)]
    pub fn data_type(&self) -> String {
        self.model().options.data_type.clone()
    }

    /// `START WITH` (a number: exact up to 2^53, as in the JSON form).
    #[napi(getter)]
    pub fn start(&self) -> i64 {
        self.model().options.start
    }

    /// `INCREMENT BY`.
    #[napi(getter)]
    pub fn increment(&self) -> i64 {
        self.model().options.increment
    }

    /// `OWNED BY`, as `table.column` in SQL spelling, or `null`.
    #[napi(getter)]
    pub fn owned_by(&self) -> Option<String> {
        self.model().owned_by.as_ref().map(|o| format!("{}.{}", o.table, astrola_core::ident::quote_ident(&o.column)))
    }
}

serde_forms!(Sequence);

/// A user-defined type: an enum, composite or range type.
#[napi]
pub struct TypeDef {
    parsed: Arc<Parsed>,
    key: QualifiedName,
}

impl TypeDef {
    fn model(&self) -> &model::TypeDef {
        &self.parsed.schema.types[&self.key]
    }
}

#[napi]
impl TypeDef {
    /// The namespace, or `null`.
    #[napi(getter)]
    pub fn schema(&self) -> Option<String> {
        namespace(&self.key)
    }

    /// The type's own name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.key.name.clone()
    }

    /// What kind of type it is.
    #[napi(getter, ts_return_type = "'enum' | 'composite' | 'range'")]
    pub fn kind(&self) -> &'static str {
        match self.model().kind {
            TypeKind::Enum { .. } => "enum",
            TypeKind::Composite { .. } => "composite",
            TypeKind::Range { .. } => "range",
        }
    }

    /// The labels of an enum, in sort order (empty for other kinds).
    #[napi(getter)]
    pub fn labels(&self) -> Vec<String> {
        match &self.model().kind {
            TypeKind::Enum { labels } => labels.clone(),
            _ => Vec::new(),
        }
    }
}

serde_forms!(TypeDef);

/// A function or procedure.
#[napi]
pub struct FunctionDef {
    parsed: Arc<Parsed>,
    key: String,
}

impl FunctionDef {
    fn model(&self) -> &model::Function {
        &self.parsed.schema.functions[&self.key]
    }
}

#[napi]
impl FunctionDef {
    /// The signature that identifies it (`public.f(integer)`).
    #[napi(getter)]
    pub fn signature(&self) -> String {
        self.key.clone()
    }

    /// The namespace, or `null`.
    #[napi(getter)]
    pub fn schema(&self) -> Option<String> {
        namespace(&self.model().name)
    }

    /// The function's own name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.model().name.name.clone()
    }

    /// True for a procedure (`CREATE PROCEDURE`).
    #[napi(getter)]
    pub fn procedure(&self) -> bool {
        self.model().procedure
    }

    /// The result type (`RETURNS …`), `null` for procedures.
    #[napi(getter)]
    pub fn returns(&self) -> Option<String> {
        self.model().returns.clone()
    }

    /// `LANGUAGE`.
    #[napi(getter)]
    pub fn language(&self) -> String {
        self.model().language.clone()
    }
}

serde_forms!(FunctionDef);

/// An installed extension.
#[napi]
pub struct Extension {
    parsed: Arc<Parsed>,
    key: String,
}

impl Extension {
    fn model(&self) -> &model::Extension {
        &self.parsed.schema.extensions[&self.key]
    }
}

#[napi]
impl Extension {
    /// The extension name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.key.clone()
    }

    /// The namespace its objects live in.
    #[napi(getter)]
    pub fn schema(&self) -> String {
        self.model().schema.clone()
    }

    /// The version asked for, or `null`.
    #[napi(getter)]
    pub fn version(&self) -> Option<String> {
        self.model().version.clone()
    }
}

serde_forms!(Extension);

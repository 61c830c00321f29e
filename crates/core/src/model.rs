//! The schema model: a deterministic, serde-serialisable catalog.
//!
//! Objects are keyed by qualified name in ordered maps, so iteration, JSON and
//! rendered SQL are deterministic. Expressions are stored in canonical text
//! form (see [`Expr`]), so two inputs that the server stores identically
//! compare equal.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::dialect::Dialect;
use crate::ident::QualifiedName;
use crate::span::Span;

/// The version of the JSON format written by [`Schema`]'s serialisation.
pub const FORMAT_VERSION: u32 = 1;

/// A SQL expression in canonical text form (for PostgreSQL: normalised
/// through the server's own parser and deparser).
pub type Expr = String;

/// A whole database schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// The JSON format version, always [`FORMAT_VERSION`].
    pub format: u32,
    /// The SQL dialect the schema belongs to.
    pub dialect: Dialect,
    /// Namespaces (PostgreSQL schemas) created explicitly. `public` is implied.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub namespaces: BTreeMap<String, Namespace>,
    /// Installed extensions, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, Extension>,
    /// Enum, composite and range types.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<QualifiedName, TypeDef>,
    /// Domains.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub domains: BTreeMap<QualifiedName, Domain>,
    /// Free-standing sequences (identity sequences live on their column).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sequences: BTreeMap<QualifiedName, Sequence>,
    /// Tables, including partitioned tables and partitions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<QualifiedName, Table>,
    /// Indexes that do not back a constraint.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<QualifiedName, Index>,
    /// Views and materialized views.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub views: BTreeMap<QualifiedName, View>,
    /// Functions and procedures, keyed by their signature
    /// (`schema.name(argtype, ...)`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub functions: BTreeMap<String, Function>,
    /// Privileges granted on objects.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub grants: BTreeSet<Grant>,
    /// Statements the model cannot represent, kept in input order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmanaged: Vec<UnmanagedStatement>,
}

impl Schema {
    /// An empty schema of the given dialect.
    pub fn new(dialect: Dialect) -> Self {
        Self {
            format: FORMAT_VERSION,
            dialect,
            namespaces: BTreeMap::new(),
            extensions: BTreeMap::new(),
            types: BTreeMap::new(),
            domains: BTreeMap::new(),
            sequences: BTreeMap::new(),
            tables: BTreeMap::new(),
            indexes: BTreeMap::new(),
            views: BTreeMap::new(),
            functions: BTreeMap::new(),
            grants: BTreeSet::new(),
            unmanaged: Vec::new(),
        }
    }

    /// Whether the schema holds no objects and no unmanaged statements.
    pub fn is_empty(&self) -> bool {
        *self == Self::new(self.dialect)
    }

    /// Serialises the schema to pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a schema from the JSON written by [`Schema::to_json`].
    pub fn from_json(json: &str) -> Result<Self, crate::Error> {
        let schema: Schema =
            serde_json::from_str(json).map_err(|e| crate::Error::Json { message: e.to_string(), line: e.line(), column: e.column() })?;
        if schema.format != FORMAT_VERSION {
            return Err(crate::Error::Unsupported(format!(
                "schema JSON format {} (this build reads format {FORMAT_VERSION})",
                schema.format
            )));
        }
        Ok(schema)
    }

    /// A copy without the source spans of unmanaged statements, for comparing
    /// models built from different files.
    pub fn without_spans(&self) -> Self {
        let mut copy = self.clone();
        for u in &mut copy.unmanaged {
            u.span = Span::default();
        }
        copy
    }

    /// Number of indexes, counting those that back primary key, unique and
    /// exclusion constraints.
    pub fn index_count(&self) -> usize {
        self.indexes.len()
            + self
                .tables
                .values()
                .flat_map(|t| t.constraints.values())
                .filter(|c| c.kind.has_index())
                .count()
    }
}

/// A namespace (PostgreSQL schema).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Namespace {
    /// `COMMENT ON SCHEMA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An installed extension.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// The namespace its objects live in.
    pub schema: String,
    /// The version asked for, if one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `COMMENT ON EXTENSION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A user-defined type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// What kind of type it is.
    pub kind: TypeKind,
    /// `COMMENT ON TYPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// The definition of a user-defined type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TypeKind {
    /// `CREATE TYPE ... AS ENUM`.
    Enum {
        /// The labels in sort order.
        labels: Vec<String>,
    },
    /// `CREATE TYPE ... AS (...)`.
    Composite {
        /// The attributes in order.
        attributes: Vec<CompositeAttribute>,
    },
    /// `CREATE TYPE ... AS RANGE`.
    Range {
        /// The range's options (`subtype`, `subtype_opclass`, ...), in canonical order.
        options: BTreeMap<String, String>,
    },
}

/// One attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompositeAttribute {
    /// The attribute name.
    pub name: String,
    /// Its canonical type.
    pub data_type: String,
    /// Its collation, if one is set explicitly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}

/// A domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// The underlying type.
    pub data_type: String,
    /// `COLLATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `DEFAULT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Expr>,
    /// `NOT NULL`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    /// Named CHECK constraints.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<String, DomainCheck>,
    /// `COMMENT ON DOMAIN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A CHECK constraint of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainCheck {
    /// The condition, over `VALUE`.
    pub expr: Expr,
    /// Added `NOT VALID`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
}

/// A sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    /// Its options, with PostgreSQL's defaults filled in.
    #[serde(flatten)]
    pub options: SequenceOptions,
    /// `OWNED BY table.column`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<ColumnRef>,
    /// `COMMENT ON SEQUENCE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A reference to a column of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnRef {
    /// The table.
    pub table: QualifiedName,
    /// The column.
    pub column: String,
}

/// The numeric options of a sequence, with defaults resolved as PostgreSQL does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequenceOptions {
    /// `AS type`: smallint, integer or bigint.
    pub data_type: String,
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`.
    pub min_value: i64,
    /// `MAXVALUE`.
    pub max_value: i64,
    /// `CACHE`.
    pub cache: i64,
    /// `CYCLE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cycle: bool,
}

impl SequenceOptions {
    /// PostgreSQL's defaults for a sequence of `data_type` counting by `increment`.
    pub fn defaults(data_type: &str, increment: i64) -> Self {
        let type_max = match data_type {
            "smallint" => i16::MAX as i64,
            "integer" => i32::MAX as i64,
            _ => i64::MAX,
        };
        let type_min = match data_type {
            "smallint" => i16::MIN as i64,
            "integer" => i32::MIN as i64,
            _ => i64::MIN,
        };
        let (min_value, max_value) = if increment > 0 { (1, type_max) } else { (type_min, -1) };
        Self {
            data_type: data_type.to_string(),
            start: if increment > 0 { min_value } else { max_value },
            increment,
            min_value,
            max_value,
            cache: 1,
            cycle: false,
        }
    }
}

/// A table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Columns in order.
    pub columns: Vec<Column>,
    /// Constraints by name (primary key, unique, check, foreign key, exclusion).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub constraints: BTreeMap<String, Constraint>,
    /// `PARTITION BY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<PartitionBy>,
    /// Set when the table is a partition of another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// `INHERITS (...)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherits: Vec<QualifiedName>,
    /// `UNLOGGED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unlogged: bool,
    /// `ENABLE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub row_security: bool,
    /// `FORCE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force_row_security: bool,
    /// Storage parameters (`WITH (fillfactor = 70)`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// Triggers by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub triggers: BTreeMap<String, Trigger>,
    /// Row-level security policies by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policies: BTreeMap<String, Policy>,
    /// `COMMENT ON TABLE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Table {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column called `name`, mutably.
    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// The primary key constraint, if there is one.
    pub fn primary_key(&self) -> Option<(&String, &Constraint)> {
        self.constraints.iter().find(|(_, c)| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
    }
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The column name.
    pub name: String,
    /// The canonical type (`integer`, `character varying(255)`, `public.mood[]`).
    pub data_type: String,
    /// `NOT NULL`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    /// `DEFAULT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Expr>,
    /// `GENERATED ... AS IDENTITY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Expr>,
    /// `COLLATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `COMMENT ON COLUMN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Dialect-specific column attributes kept verbatim (for example MySQL's
    /// `AUTO_INCREMENT` or `ON UPDATE CURRENT_TIMESTAMP`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<String>,
}

impl Column {
    /// A nullable column with no default.
    pub fn new(name: impl Into<String>, data_type: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            data_type: data_type.into(),
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            comment: None,
            extra: Vec::new(),
        }
    }
}

/// An identity column's generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// `ALWAYS` (true) or `BY DEFAULT` (false).
    pub always: bool,
    /// The implicit sequence's name.
    pub sequence: QualifiedName,
    /// The implicit sequence's options.
    pub options: SequenceOptions,
}

/// A named table constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    /// What the constraint enforces.
    #[serde(flatten)]
    pub kind: ConstraintKind,
    /// `DEFERRABLE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub initially_deferred: bool,
    /// Added `NOT VALID` and not validated since.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
    /// `COMMENT ON CONSTRAINT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Constraint {
    /// A constraint of `kind` with every flag off.
    pub fn new(kind: ConstraintKind) -> Self {
        Self { kind, deferrable: false, initially_deferred: false, not_valid: false, comment: None }
    }
}

/// What a constraint enforces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ConstraintKind {
    /// `PRIMARY KEY`.
    PrimaryKey {
        /// Key columns.
        columns: Vec<String>,
        /// The backing index's options.
        #[serde(flatten)]
        index: ConstraintIndex,
    },
    /// `UNIQUE`.
    Unique {
        /// Key columns.
        columns: Vec<String>,
        /// `NULLS NOT DISTINCT`.
        #[serde(default, skip_serializing_if = "is_false")]
        nulls_not_distinct: bool,
        /// The backing index's options.
        #[serde(flatten)]
        index: ConstraintIndex,
    },
    /// `CHECK`.
    Check {
        /// The condition.
        expr: Expr,
        /// `NO INHERIT`.
        #[serde(default, skip_serializing_if = "is_false")]
        no_inherit: bool,
    },
    /// `FOREIGN KEY`.
    ForeignKey {
        /// Referencing columns.
        columns: Vec<String>,
        /// The referenced table.
        ref_table: QualifiedName,
        /// The referenced columns.
        ref_columns: Vec<String>,
        /// `ON UPDATE`.
        #[serde(default, skip_serializing_if = "FkAction::is_default")]
        on_update: FkAction,
        /// `ON DELETE`.
        #[serde(default, skip_serializing_if = "FkAction::is_default")]
        on_delete: FkAction,
        /// `MATCH FULL`.
        #[serde(default, skip_serializing_if = "is_false")]
        match_full: bool,
    },
    /// `EXCLUDE`.
    Exclusion {
        /// The index method (`gist`).
        method: String,
        /// Each element and its operator.
        elements: Vec<ExclusionElement>,
        /// `WHERE (predicate)`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        predicate: Option<Expr>,
        /// The backing index's options.
        #[serde(flatten)]
        index: ConstraintIndex,
    },
}

impl ConstraintKind {
    /// Whether the constraint is backed by an index.
    pub fn has_index(&self) -> bool {
        matches!(self, Self::PrimaryKey { .. } | Self::Unique { .. } | Self::Exclusion { .. })
    }

    /// The constrained columns, where the kind has a column list.
    pub fn columns(&self) -> &[String] {
        match self {
            Self::PrimaryKey { columns, .. } | Self::Unique { columns, .. } | Self::ForeignKey { columns, .. } => columns,
            Self::Check { .. } | Self::Exclusion { .. } => &[],
        }
    }
}

/// Options of the index behind a PRIMARY KEY, UNIQUE or EXCLUDE constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstraintIndex {
    /// `INCLUDE (...)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// `WITH (...)` storage parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub with: BTreeMap<String, String>,
    /// `USING INDEX TABLESPACE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tablespace: Option<String>,
}

/// One element of an exclusion constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionElement {
    /// The column or expression.
    #[serde(flatten)]
    pub key: IndexKey,
    /// The operator (`&&`, `=`).
    pub operator: String,
}

/// A foreign key's referential action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    /// `NO ACTION` (the default).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl FkAction {
    /// Whether this is the default action.
    pub fn is_default(&self) -> bool {
        *self == Self::NoAction
    }

    /// The SQL keywords.
    pub fn sql(&self) -> &'static str {
        match self {
            Self::NoAction => "NO ACTION",
            Self::Restrict => "RESTRICT",
            Self::Cascade => "CASCADE",
            Self::SetNull => "SET NULL",
            Self::SetDefault => "SET DEFAULT",
        }
    }
}

/// `PARTITION BY`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartitionBy {
    /// `range`, `list` or `hash`.
    pub strategy: PartitionStrategy,
    /// The partition key.
    pub keys: Vec<IndexKey>,
}

/// A partitioning strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionStrategy {
    /// `RANGE`.
    Range,
    /// `LIST`.
    List,
    /// `HASH`.
    Hash,
}

/// The parent and bound of a partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartitionOf {
    /// The partitioned table.
    pub parent: QualifiedName,
    /// The bound in canonical form: `FOR VALUES ...` or `DEFAULT`.
    pub bound: String,
}

/// An index that does not back a constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// The indexed table.
    pub table: QualifiedName,
    /// `UNIQUE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    /// The access method (`btree`, `gin`, ...).
    pub method: String,
    /// Key columns and expressions.
    pub keys: Vec<IndexKey>,
    /// `INCLUDE (...)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// `WHERE (...)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<Expr>,
    /// `NULLS NOT DISTINCT`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// `WITH (...)` storage parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub with: BTreeMap<String, String>,
    /// `TABLESPACE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tablespace: Option<String>,
    /// Created `ON ONLY` a partitioned table (not propagated to partitions).
    #[serde(default, skip_serializing_if = "is_false")]
    pub only: bool,
    /// `COMMENT ON INDEX`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One key of an index (or of a partition key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    /// A plain column name, or an expression.
    #[serde(flatten)]
    pub target: IndexTarget,
    /// `COLLATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// The operator class, when not the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    /// `DESC`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub descending: bool,
    /// `NULLS FIRST` / `NULLS LAST` when it differs from the default for the
    /// direction (`NULLS LAST` for ASC, `NULLS FIRST` for DESC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls_first: Option<bool>,
}

impl IndexKey {
    /// A plain ascending key on `column`.
    pub fn column(column: impl Into<String>) -> Self {
        Self { target: IndexTarget::Column(column.into()), collation: None, opclass: None, descending: false, nulls_first: None }
    }
}

/// What an index key indexes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexTarget {
    /// A column.
    Column(String),
    /// An expression.
    Expression(Expr),
}

/// A view or materialized view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct View {
    /// `MATERIALIZED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub materialized: bool,
    /// Explicit column names (`CREATE VIEW v (a, b)`); empty when not given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// The query, in canonical form.
    pub query: String,
    /// `WITH (...)` options (`security_barrier`, `check_option`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// `COMMENT ON VIEW`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// `COMMENT ON COLUMN` for the view's columns.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub column_comments: BTreeMap<String, String>,
}

/// A function or procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// The qualified name.
    pub name: QualifiedName,
    /// A procedure (`CREATE PROCEDURE`) rather than a function.
    #[serde(default, skip_serializing_if = "is_false")]
    pub procedure: bool,
    /// The arguments in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<FunctionArg>,
    /// `RETURNS ...`; absent for procedures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// `LANGUAGE`.
    pub language: String,
    /// The body: the string after `AS`, or a canonical SQL-standard body.
    pub body: String,
    /// The body is SQL-standard (`RETURN ...` or `BEGIN ATOMIC ... END`)
    /// rather than a string.
    #[serde(default, skip_serializing_if = "is_false")]
    pub standard_body: bool,
    /// Options other than the language, in canonical order and form
    /// (`IMMUTABLE`, `STRICT`, `SECURITY DEFINER`, `SET search_path TO ...`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// `COMMENT ON FUNCTION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One argument of a function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionArg {
    /// `IN`, `OUT`, `INOUT`, `VARIADIC` or `TABLE` (for `RETURNS TABLE`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mode: String,
    /// The name, if given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its canonical type.
    pub data_type: String,
    /// `DEFAULT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Expr>,
}

/// A trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// `BEFORE`, `AFTER` or `INSTEAD OF`.
    pub timing: String,
    /// Events in canonical order (`INSERT`, `UPDATE`, `UPDATE OF a, b`, `DELETE`, `TRUNCATE`).
    pub events: Vec<String>,
    /// `FOR EACH ROW` (true) or `FOR EACH STATEMENT`.
    pub for_each_row: bool,
    /// `WHEN (...)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Expr>,
    /// The function it executes.
    pub function: QualifiedName,
    /// The function's arguments as string literals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// `CONSTRAINT` trigger.
    #[serde(default, skip_serializing_if = "is_false")]
    pub constraint: bool,
    /// `DEFERRABLE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub initially_deferred: bool,
    /// `REFERENCING` transition tables, in canonical form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referencing: Vec<String>,
    /// When it fires, if not the default: `ALWAYS`, `REPLICA` or `DISABLED`
    /// (`ALTER TABLE ... ENABLE ALWAYS | ENABLE REPLICA | DISABLE TRIGGER`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firing: Option<String>,
    /// `COMMENT ON TRIGGER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A row-level security policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// `AS PERMISSIVE` (true) or `AS RESTRICTIVE`.
    pub permissive: bool,
    /// `FOR ALL | SELECT | INSERT | UPDATE | DELETE`.
    pub command: String,
    /// `TO` roles, sorted (`public` when none given).
    pub roles: Vec<String>,
    /// `USING (...)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<Expr>,
    /// `WITH CHECK (...)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<Expr>,
    /// `COMMENT ON POLICY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One privilege granted on one object to one grantee.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// `TABLE`, `SEQUENCE`, `FUNCTION`, `PROCEDURE`, `SCHEMA`, `TYPE`, `DOMAIN`.
    pub object_kind: String,
    /// The object, in SQL spelling (functions with their argument types).
    pub object: String,
    /// The privilege (`SELECT`, `USAGE`, ...).
    pub privilege: String,
    /// Columns, for column privileges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// The role, or `PUBLIC`.
    pub grantee: String,
    /// `WITH GRANT OPTION`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub with_grant_option: bool,
}

/// A statement the model cannot represent, kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnmanagedStatement {
    /// The statement's kind (`CREATE RULE`, `INSERT`, `ALTER TABLE ... CLUSTER ON`).
    pub kind: String,
    /// The statement text as written.
    pub sql: String,
    /// Where it was written.
    #[serde(default)]
    pub span: Span,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trips_every_object_kind() {
        let sql = "CREATE TYPE mood AS ENUM ('a', 'b');
            CREATE DOMAIN pos AS integer CHECK (VALUE > 0);
            CREATE SEQUENCE s;
            CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, m mood, p pos, r int REFERENCES t ON DELETE CASCADE,
                u text UNIQUE, CHECK (p < 10), EXCLUDE USING btree (u WITH =));
            CREATE INDEX ON t (lower(u) DESC NULLS LAST) WHERE p > 1;
            CREATE VIEW v AS SELECT id FROM t;
            COMMENT ON TABLE t IS 'x';";
        let schema = crate::parse_sql(sql, crate::Dialect::Postgres).expect("parses").schema;
        let json = schema.to_json();
        assert_eq!(Schema::from_json(&json).expect("reads back"), schema);
        assert!(json.starts_with("{\n  \"format\": 1,"));
    }

    #[test]
    fn unknown_fields_and_formats_are_rejected() {
        assert!(Schema::from_json(r#"{"format": 1, "dialect": "postgres", "bogus": 1}"#).is_err());
        let err = Schema::from_json(r#"{"format": 2, "dialect": "postgres"}"#).expect_err("future format");
        assert!(err.to_string().contains("format 2"));
    }
}

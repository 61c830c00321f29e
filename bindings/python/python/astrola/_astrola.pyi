"""Type stub of the native module ``astrola._astrola`` (import from ``astrola``)."""

from typing import Any, ClassVar, Literal, Optional, Union, final

__all__ = [
    "Change",
    "ChangeSet",
    "Column",
    "Constraint",
    "Drift",
    "DriftReport",
    "Extension",
    "Function",
    "Index",
    "Schema",
    "SchemaWarning",
    "Sequence",
    "Statement",
    "Suggestion",
    "Table",
    "TypeDef",
    "UnmanagedDifference",
    "View",
    "diff",
    "drift",
    "parse_schema",
]

_Dialect = Literal["postgres", "mysql", "sqlite"]
_DialectName = Literal["postgres", "postgresql", "pg", "mysql", "mariadb", "sqlite", "sqlite3"]
_ConstraintKind = Literal["primary_key", "unique", "foreign_key", "check", "exclusion"]
_Identity = Literal["always", "by_default"]
_ChangeKind = Literal[
    "create_schema",
    "drop_schema",
    "create_extension",
    "drop_extension",
    "alter_extension",
    "create_type",
    "drop_type",
    "rename_type",
    "add_enum_value",
    "rename_enum_value",
    "replace_type",
    "create_domain",
    "drop_domain",
    "alter_domain",
    "create_sequence",
    "drop_sequence",
    "alter_sequence",
    "create_table",
    "drop_table",
    "rename_table",
    "add_column",
    "drop_column",
    "rename_column",
    "alter_column_type",
    "set_not_null",
    "drop_not_null",
    "set_default",
    "drop_default",
    "add_identity",
    "drop_identity",
    "alter_identity",
    "drop_expression",
    "replace_column",
    "alter_column_extra",
    "add_constraint",
    "drop_constraint",
    "validate_constraint",
    "rename_constraint",
    "create_index",
    "drop_index",
    "rename_index",
    "create_view",
    "drop_view",
    "create_function",
    "drop_function",
    "replace_function",
    "create_trigger",
    "drop_trigger",
    "set_trigger_firing",
    "create_trigger_statement",
    "drop_trigger_statement",
    "create_policy",
    "drop_policy",
    "set_row_security",
    "set_logged",
    "set_table_options",
    "attach_partition",
    "detach_partition",
    "set_comment",
    "grant",
    "revoke",
]
_Destruction = Literal["data", "narrowing", "object"]
_DriftKind = Literal["missing", "unexpected", "changed"]
_Severity = Literal["breaking", "warning", "info"]
_TypeKind = Literal["enum", "composite", "range"]
_RenameKind = Literal["table", "column", "index", "constraint", "type", "enum_value"]
_Side = Literal["from", "to"]
_SchemaLike = Union[str, "Schema"]

def parse_schema(sql: str, dialect: _DialectName = "postgres", *, file: Optional[str] = None) -> Schema:
    """Parses SQL DDL into a Schema by replaying its statements in order."""

def diff(
    from_: _SchemaLike,
    to: _SchemaLike,
    *,
    allow_destructive: bool = False,
    dialect: _DialectName = "postgres",
) -> ChangeSet:
    """Computes the migration from ``from_`` to ``to``."""

def drift(expected: _SchemaLike, actual: _SchemaLike, *, dialect: _DialectName = "postgres") -> DriftReport:
    """Compares ``actual`` with ``expected``."""

@final
class Schema:
    """A database schema. Two schemas are equal when their models are equal."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @staticmethod
    def from_json(text: str) -> Schema:
        """Reads a schema from the JSON written by ``Schema.to_json()``."""
    @property
    def dialect(self) -> _Dialect:
        """The SQL dialect."""
    @property
    def tables(self) -> list[Table]:
        """The tables, ordered by qualified name."""
    @property
    def views(self) -> list[View]:
        """The views and materialized views."""
    @property
    def indexes(self) -> list[Index]:
        """The indexes that do not back a constraint."""
    @property
    def sequences(self) -> list[Sequence]:
        """The free-standing sequences."""
    @property
    def types(self) -> list[TypeDef]:
        """The enum, composite and range types."""
    @property
    def functions(self) -> list[Function]:
        """The functions and procedures."""
    @property
    def extensions(self) -> list[Extension]:
        """The installed extensions."""
    @property
    def warnings(self) -> list[SchemaWarning]:
        """The warnings raised while parsing."""
    def table(self, name: str) -> Optional[Table]:
        """The table called ``name`` (qualified or not), or None."""
    def to_sql(self) -> str:
        """The canonical DDL of the schema."""
    def to_json(self) -> str:
        """The schema as pretty-printed JSON."""
    def to_dict(self) -> dict[str, Any]:
        """The schema as Python dicts and lists."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Table:
    """A table."""

    @property
    def schema(self) -> Optional[str]:
        """The namespace, or None for MySQL and SQLite."""
    @property
    def name(self) -> str:
        """The table's own name."""
    @property
    def qualified_name(self) -> str:
        """The qualified name in SQL spelling."""
    @property
    def columns(self) -> list[Column]:
        """The columns, in order."""
    @property
    def indexes(self) -> list[Index]:
        """The indexes on this table that do not back a constraint."""
    @property
    def constraints(self) -> list[Constraint]:
        """The constraints, ordered by name."""
    @property
    def primary_key(self) -> Optional[list[str]]:
        """The primary key's column names, or None."""
    @property
    def comment(self) -> Optional[str]:
        """COMMENT ON TABLE, or None."""
    def to_dict(self) -> dict[str, Any]:
        """The table as Python dicts and lists."""
    def to_json(self) -> str:
        """The table as pretty-printed JSON."""

@final
class Column:
    """A column of a table."""

    @property
    def name(self) -> str:
        """The column name."""
    @property
    def data_type(self) -> str:
        """The canonical type."""
    @property
    def nullable(self) -> bool:
        """False when the column is NOT NULL."""
    @property
    def default(self) -> Optional[str]:
        """The DEFAULT expression, or None."""
    @property
    def identity(self) -> Optional[_Identity]:
        """"always" or "by_default" for an identity column, else None."""
    @property
    def generated(self) -> Optional[str]:
        """The expression of a generated column, or None."""
    @property
    def comment(self) -> Optional[str]:
        """COMMENT ON COLUMN, or None."""
    def to_dict(self) -> dict[str, Any]:
        """The column as Python dicts and lists."""
    def to_json(self) -> str:
        """The column as pretty-printed JSON."""

@final
class Index:
    """An index that does not back a constraint."""

    @property
    def schema(self) -> Optional[str]:
        """The namespace, or None for MySQL and SQLite."""
    @property
    def name(self) -> str:
        """The index's own name."""
    @property
    def table(self) -> str:
        """The indexed table, in SQL spelling."""
    @property
    def unique(self) -> bool:
        """UNIQUE."""
    @property
    def method(self) -> str:
        """The access method."""
    @property
    def columns(self) -> list[str]:
        """The keys, in order, as SQL: the quoted column or the parenthesised
        expression, with its collation, operator class and direction."""
    @property
    def where(self) -> Optional[str]:
        """The partial index predicate, or None."""
    def to_dict(self) -> dict[str, Any]:
        """The index as Python dicts and lists."""
    def to_json(self) -> str:
        """The index as pretty-printed JSON."""

@final
class Constraint:
    """A named table constraint."""

    @property
    def name(self) -> str:
        """The constraint name."""
    @property
    def kind(self) -> _ConstraintKind:
        """What the constraint enforces."""
    @property
    def columns(self) -> list[str]:
        """The constrained columns."""
    @property
    def references(self) -> Optional[str]:
        """The referenced table of a foreign key, else None."""
    def to_dict(self) -> dict[str, Any]:
        """The constraint as Python dicts and lists."""
    def to_json(self) -> str:
        """The constraint as pretty-printed JSON."""

@final
class View:
    """A view or materialized view."""

    @property
    def schema(self) -> Optional[str]:
        """The namespace, or None for MySQL and SQLite."""
    @property
    def name(self) -> str:
        """The view's own name."""
    @property
    def materialized(self) -> bool:
        """MATERIALIZED."""
    @property
    def columns(self) -> list[str]:
        """The explicit column names, empty when not given."""
    @property
    def query(self) -> str:
        """The query, in canonical form."""
    @property
    def comment(self) -> Optional[str]:
        """COMMENT ON VIEW, or None."""
    def to_dict(self) -> dict[str, Any]:
        """The view as Python dicts and lists."""
    def to_json(self) -> str:
        """The view as pretty-printed JSON."""

@final
class Sequence:
    """A free-standing sequence."""

    @property
    def schema(self) -> Optional[str]:
        """The namespace, or None for MySQL and SQLite."""
    @property
    def name(self) -> str:
        """The sequence's own name."""
    @property
    def data_type(self) -> str:
        """"smallint", "integer" or "bigint"."""
    @property
    def start(self) -> int:
        """START WITH."""
    @property
    def increment(self) -> int:
        """INCREMENT BY."""
    @property
    def owned_by(self) -> Optional[str]:
        """OWNED BY, as "table.column", or None."""
    def to_dict(self) -> dict[str, Any]:
        """The sequence as Python dicts and lists."""
    def to_json(self) -> str:
        """The sequence as pretty-printed JSON."""

@final
class TypeDef:
    """A user-defined type: an enum, composite or range type."""

    @property
    def schema(self) -> Optional[str]:
        """The namespace, or None for MySQL and SQLite."""
    @property
    def name(self) -> str:
        """The type's own name."""
    @property
    def kind(self) -> _TypeKind:
        """"enum", "composite" or "range"."""
    @property
    def labels(self) -> list[str]:
        """The labels of an enum (empty for other kinds)."""
    def to_dict(self) -> dict[str, Any]:
        """The type as Python dicts and lists."""
    def to_json(self) -> str:
        """The type as pretty-printed JSON."""

@final
class Function:
    """A function or procedure."""

    @property
    def signature(self) -> str:
        """The signature that identifies it."""
    @property
    def schema(self) -> Optional[str]:
        """The namespace, or None."""
    @property
    def name(self) -> str:
        """The function's own name."""
    @property
    def procedure(self) -> bool:
        """True for a procedure."""
    @property
    def returns(self) -> Optional[str]:
        """The result type, None for procedures."""
    @property
    def language(self) -> str:
        """LANGUAGE."""
    def to_dict(self) -> dict[str, Any]:
        """The function as Python dicts and lists."""
    def to_json(self) -> str:
        """The function as pretty-printed JSON."""

@final
class Extension:
    """An installed extension."""

    @property
    def name(self) -> str:
        """The extension name."""
    @property
    def schema(self) -> str:
        """The namespace its objects live in."""
    @property
    def version(self) -> Optional[str]:
        """The version asked for, or None."""
    def to_dict(self) -> dict[str, Any]:
        """The extension as Python dicts and lists."""
    def to_json(self) -> str:
        """The extension as pretty-printed JSON."""

@final
class SchemaWarning:
    """A warning raised while parsing."""

    @property
    def message(self) -> str:
        """What happened."""
    @property
    def file(self) -> Optional[str]:
        """The file given to parse_schema, or None."""
    @property
    def line(self) -> int:
        """The 1-based line of the statement."""
    @property
    def column(self) -> int:
        """The 1-based column of the statement."""
    def to_dict(self) -> dict[str, Any]:
        """The warning as Python dicts and lists."""
    def to_json(self) -> str:
        """The warning as pretty-printed JSON."""

@final
class ChangeSet:
    """The ordered changes that take one schema to another, and their SQL."""

    @property
    def dialect(self) -> _Dialect:
        """The dialect of both schemas."""
    @property
    def changes(self) -> list[Change]:
        """Every change, in the order it must run."""
    @property
    def statements(self) -> list[Statement]:
        """The SQL statements of the changes that are not refused."""
    @property
    def refused(self) -> list[Change]:
        """The destructive changes left out."""
    @property
    def suggestions(self) -> list[Suggestion]:
        """Likely renames, never applied."""
    @property
    def unmanaged(self) -> list[UnmanagedDifference]:
        """Unmanaged statements that differ between the sides."""
    @property
    def unsupported(self) -> list[str]:
        """Differences no change can express."""
    @property
    def notes(self) -> list[str]:
        """Rename hints that did not apply, and similar remarks."""
    @property
    def is_empty(self) -> bool:
        """True when there is nothing to do and nothing unseen."""
    @property
    def is_complete(self) -> bool:
        """True when nothing is refused, unmanaged or unsupported."""
    def sql(self) -> str:
        """The migration SQL exactly as ``astrola diff`` prints it."""
    def down(self, *, allow_destructive: Optional[bool] = None) -> ChangeSet:
        """The reverse migration."""
    def down_sql(self, *, allow_destructive: Optional[bool] = None) -> str:
        """``down().sql()``."""
    def to_dict(self) -> dict[str, Any]:
        """The change set as Python dicts and lists."""
    def to_json(self) -> str:
        """The change set as pretty-printed JSON."""

@final
class Change:
    """One change of a ChangeSet, with its safety verdict."""

    @property
    def kind(self) -> _ChangeKind:
        """The snake_case change kind ("add_column", ...)."""
    @property
    def object(self) -> str:
        """The object it is about, in SQL spelling."""
    @property
    def destructive(self) -> bool:
        """True when the change destroys data or removes an object."""
    @property
    def destruction(self) -> Optional[_Destruction]:
        """Why it is destructive, or None."""
    @property
    def refused(self) -> bool:
        """Left out of the SQL: destructive and not allowed."""
    @property
    def irreversible(self) -> bool:
        """In a down migration: restores the object, not its data."""
    def to_dict(self) -> dict[str, Any]:
        """The change as Python dicts and lists."""
    def to_json(self) -> str:
        """The change as pretty-printed JSON."""

@final
class Statement:
    """One SQL statement of a migration."""

    @property
    def sql(self) -> str:
        """The SQL, ending in ";\\n"."""
    @property
    def change(self) -> Optional[Change]:
        """The change it implements, or None."""
    @property
    def transactional(self) -> bool:
        """Whether it may run inside a transaction block."""
    def to_dict(self) -> dict[str, Any]:
        """The statement as Python dicts and lists."""
    def to_json(self) -> str:
        """The statement as pretty-printed JSON."""

@final
class Suggestion:
    """A likely rename, never applied."""

    @property
    def kind(self) -> _RenameKind:
        """What would be renamed."""
    @property
    def table(self) -> str:
        """The table (for columns), or the object itself."""
    @property
    def from_(self) -> str:
        """The name that disappears."""
    @property
    def to(self) -> str:
        """The name that appears."""
    @property
    def hint(self) -> str:
        """The annotation that declares the rename in the target SQL."""
    def to_dict(self) -> dict[str, Any]:
        """The suggestion as Python dicts and lists."""
    def to_json(self) -> str:
        """The suggestion as pretty-printed JSON."""

@final
class UnmanagedDifference:
    """An unmanaged statement present on one side only."""

    @property
    def side(self) -> _Side:
        """The side the statement is on."""
    @property
    def kind(self) -> str:
        """The statement's kind."""
    @property
    def sql(self) -> str:
        """The statement as written."""
    @property
    def line(self) -> int:
        """The 1-based line where it was written."""
    def to_dict(self) -> dict[str, Any]:
        """The difference as Python dicts and lists."""
    def to_json(self) -> str:
        """The difference as pretty-printed JSON."""

@final
class DriftReport:
    """How an actual schema drifted from the expected one."""

    @property
    def drifts(self) -> list[Drift]:
        """Each drifted object, most severe first."""
    @property
    def is_clean(self) -> bool:
        """True when the actual schema matches the expected one."""
    def remediation_sql(self) -> str:
        """The SQL that brings the actual schema back to the expected one."""
    def to_text(self) -> str:
        """The report as ``astrola drift`` prints it."""
    def to_dict(self) -> dict[str, Any]:
        """The report as Python dicts and lists."""
    def to_json(self) -> str:
        """The report as pretty-printed JSON."""

@final
class Drift:
    """One drifted object."""

    @property
    def object(self) -> str:
        """The object, in SQL spelling."""
    @property
    def kind(self) -> _DriftKind:
        """Missing, unexpected or changed."""
    @property
    def severity(self) -> _Severity:
        """How much it matters."""
    @property
    def changes(self) -> list[_ChangeKind]:
        """The change kinds that fix it."""
    @property
    def expected(self) -> Optional[str]:
        """The definition the expected schema has, or None."""
    @property
    def actual(self) -> Optional[str]:
        """The definition the actual schema has, or None."""
    @property
    def remediation(self) -> str:
        """The SQL that fixes this object."""
    def to_dict(self) -> dict[str, Any]:
        """The drift as Python dicts and lists."""
    def to_json(self) -> str:
        """The drift as pretty-printed JSON."""

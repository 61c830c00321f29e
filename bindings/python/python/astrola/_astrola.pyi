"""Type stub of the native module ``astrola._astrola`` (import from ``astrola``)."""

import builtins
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal, Optional, Union, final

__all__ = [
    "Change",
    "ChangeSet",
    "Column",
    "Constraint",
    "Diagnostic",
    "Drift",
    "DriftReport",
    "Edit",
    "Extension",
    "Fix",
    "FixResult",
    "Function",
    "Index",
    "Rule",
    "Schema",
    "SchemaWarning",
    "Sequence",
    "Span",
    "Statement",
    "Suggestion",
    "Table",
    "TypeDef",
    "UnmanagedDifference",
    "View",
    "apply_fixes",
    "diff",
    "drift",
    "lint",
    "parse_schema",
    "rules",
    "ColumnReport",
    "EquivalenceClass",
    "Finding",
    "KAnonymity",
    "PiiReport",
    "SampleStats",
    "classify",
    "k_anonymity",
    "mask",
    "Approval",
    "Backfill",
    "BatchPolicy",
    "Blocking",
    "Check",
    "Estimate",
    "Gate",
    "Lock",
    "Phase",
    "Plan",
    "RetryPolicy",
    "Script",
    "Step",
    "Throttle",
    "TimeWindow",
    "Verification",
    "plan",
    "Conflict",
    "HistoryMerge",
    "Merge",
    "Renumbered",
    "merge",
    "merge_histories",
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
_DiagnosticSeverity = Literal["info", "warning", "error"]
_Applicability = Literal["safe", "unsafe", "display_only"]
_RuleCategory = Literal[
    "data_loss",
    "backward_incompatible",
    "fails_on_existing_data",
    "locking",
    "rewrite",
    "transaction",
    "idempotency",
    "schema_design",
    "syntax",
    "configuration",
]

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

def lint(
    sql: str,
    *,
    file: str = "<sql>",
    pg_version: Optional[int] = None,
    schema: Optional[Schema] = None,
    stats: Union[Mapping[str, Any], str, None] = None,
    transactional: Optional[bool] = None,
    config: Optional[str] = None,
    disable: Iterable[str] = (),
    enable: Iterable[str] = (),
    severity: Optional[Mapping[str, _DiagnosticSeverity]] = None,
) -> list[Diagnostic]:
    """Lints a PostgreSQL migration: the findings of every rule that runs,
    in file order. Explicit arguments override the ``config`` text (an
    ``astrola.toml``); ``pg_version`` defaults to 15 and ``transactional``
    to False unless ``config`` sets them."""

def rules() -> list[Rule]:
    """Every rule the linter knows."""

def apply_fixes(sql: str, diagnostics: Iterable[Diagnostic], *, unsafe: bool = False) -> FixResult:
    """Applies the safe fixes of ``diagnostics`` (and the unsafe ones with
    ``unsafe=True``) to ``sql``, as ``astrola lint --fix`` does."""

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

@final
class Diagnostic:
    """One finding of one rule on one statement."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def rule(self) -> str:
        """The rule's kebab-case id."""
    @property
    def severity(self) -> _DiagnosticSeverity:
        """How serious it is."""
    @property
    def message(self) -> str:
        """What is wrong (with ``stats``, the table's size too)."""
    @property
    def span(self) -> Span:
        """Where: the statement, or the exact node."""
    @property
    def statement(self) -> str:
        """The statement as written."""
    @property
    def help(self) -> Optional[str]:
        """What to do instead, or None."""
    @property
    def table(self) -> Optional[str]:
        """The table the finding is about ("public.users"), or None."""
    @property
    def fix(self) -> Optional[Fix]:
        """A rewrite that removes the hazard, or None."""
    @property
    def validation(self) -> Optional[str]:
        """A query counting the rows the statement would fail on, or None."""
    def render(self, sql: str) -> str:
        """The diagnostic as ``astrola lint`` prints it; ``sql`` is the linted text."""
    def to_dict(self) -> dict[str, Any]:
        """The diagnostic as Python dicts and lists (its JSON form)."""
    def to_json(self) -> str:
        """The diagnostic as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Span:
    """Where a diagnostic points."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def file(self) -> str:
        """The ``file`` given to ``lint``."""
    @property
    def line(self) -> int:
        """The 1-based line of the first byte."""
    @property
    def column(self) -> int:
        """The 1-based column (in characters) of the first byte."""
    @property
    def start(self) -> int:
        """The byte offset of the first byte."""
    @property
    def end(self) -> int:
        """The byte offset one past the last byte."""
    def to_dict(self) -> dict[str, Any]:
        """The span as Python dicts and lists."""
    def to_json(self) -> str:
        """The span as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Fix:
    """A rewrite attached to a diagnostic."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def message(self) -> str:
        """What the fix does."""
    @property
    def applicability(self) -> _Applicability:
        """How far it can be trusted."""
    @property
    def edits(self) -> list[Edit]:
        """The edits, in file order."""
    def to_dict(self) -> dict[str, Any]:
        """The fix as Python dicts and lists."""
    def to_json(self) -> str:
        """The fix as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Edit:
    """Replace the bytes ``start..end`` with ``replacement``."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def start(self) -> int:
        """The first byte replaced."""
    @property
    def end(self) -> int:
        """One past the last byte replaced."""
    @property
    def replacement(self) -> str:
        """The new text."""
    def to_dict(self) -> dict[str, Any]:
        """The edit as Python dicts and lists."""
    def to_json(self) -> str:
        """The edit as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Rule:
    """A rule of the linter."""

    @property
    def id(self) -> str:
        """The kebab-case id."""
    @property
    def category(self) -> _RuleCategory:
        """The kind of hazard it catches."""
    @property
    def severity(self) -> _DiagnosticSeverity:
        """The severity of its findings."""
    @property
    def default_enabled(self) -> bool:
        """Whether it runs unless disabled."""
    @property
    def documentation(self) -> str:
        """Its documentation, in Markdown."""
    def to_dict(self) -> dict[str, Any]:
        """The rule as a dict of its fields."""

@final
class FixResult:
    """What ``apply_fixes`` did."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def source(self) -> str:
        """The SQL with the fixes applied."""
    @property
    def applied(self) -> int:
        """How many fixes were applied."""
    @property
    def skipped(self) -> int:
        """How many were left out because they overlap an applied one."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

# --- PII (astrola-pii): classify, mask, k_anonymity ---------------------------

_PiiType = Literal[
    "email",
    "phone",
    "person_name",
    "username",
    "street_address",
    "postal_code",
    "city",
    "geo_location",
    "date_of_birth",
    "age",
    "gender",
    "us_ssn",
    "uk_nhs",
    "es_dni",
    "es_nie",
    "br_cpf",
    "in_aadhaar",
    "fr_nir",
    "de_tax_id",
    "national_id",
    "tax_id",
    "passport",
    "driver_license",
    "credit_card",
    "iban",
    "bank_account",
    "swift_bic",
    "ip_address",
    "mac_address",
    "url",
    "password",
    "secret",
    "vin",
    "license_plate",
    "health_data",
    "biometric",
    "special_category",
]
_PiiLevel = Literal["public", "internal", "confidential", "restricted"]
_Regulation = Literal["GDPR", "CCPA", "HIPAA", "PCI-DSS"]
_PiiBasis = Literal["name_only", "name_and_samples"]
_MaskStrategy = Literal["redact", "partial", "hash", "pseudonymize", "format_preserving", "year_of_birth", "zip3"]
_SampleValues = Iterable[Optional[str]]

def classify(
    schema: _SchemaLike,
    samples: Optional[Mapping[str, Mapping[str, _SampleValues]]] = None,
    *,
    min_confidence: float = 0.5,
    dialect: _DialectName = "postgres",
) -> PiiReport:
    """Classifies every column of ``schema`` as personal or sensitive data,
    as ``astrola pii`` does. ``samples`` maps table -> column -> values (any
    iterable: a list, a generator, a pandas or polars Series); ``None``, NaN,
    pandas ``NA``/``NaT`` are missing, ``bytes`` are refused, other non-str
    items are read as ``str(item)``."""

def mask(values: _SampleValues, strategy: _MaskStrategy, *, key: Union[bytes, bytearray, str, None] = None) -> list[Optional[str]]:
    """Masks ``values`` with ``strategy``; missing values stay ``None``.
    "pseudonymize" and "format_preserving" need a ``key`` of 16 bytes or more."""

def k_anonymity(columns: Iterable[_SampleValues], *, target_k: int = 2, report: int = 5) -> KAnonymity:
    """The k-anonymity of the quasi-identifier ``columns`` (all of one length)."""

@final
class PiiReport:
    """Which columns hold personal or sensitive data (``astrola pii``)."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def columns(self) -> int:
        """How many columns were looked at."""
    @property
    def sampled_columns(self) -> int:
        """How many of them had samples."""
    @property
    def name_only_columns(self) -> int:
        """How many were classified by name, type and comment alone."""
    @property
    def unmatched_samples(self) -> list[str]:
        """Sample columns that match no column of the schema."""
    @property
    def reports(self) -> list[ColumnReport]:
        """The columns with findings or notes, and every sampled column."""
    @property
    def has_findings(self) -> bool:
        """True when any column has a finding."""
    def to_text(self) -> str:
        """The report as ``astrola pii`` prints it."""
    def to_dict(self) -> dict[str, Any]:
        """The report as Python dicts and lists (its JSON form)."""
    def to_json(self) -> str:
        """The report as ``astrola pii --format json`` prints it."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class ColumnReport:
    """The verdict on one column."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def table(self) -> str:
        """The table ("public.users")."""
    @property
    def column(self) -> str:
        """The column name."""
    @property
    def data_type(self) -> str:
        """The column's type ("" for a sample column not in the schema)."""
    @property
    def basis(self) -> _PiiBasis:
        """What the verdict rests on."""
    @property
    def samples(self) -> Optional[SampleStats]:
        """How the samples matched, or None when there were none."""
    @property
    def findings(self) -> list[Finding]:
        """What was found, most confident first."""
    @property
    def notes(self) -> list[str]:
        """Remarks: refuted evidence, samples that were all missing."""
    @property
    def level(self) -> Optional[_PiiLevel]:
        """The highest level among the findings, or None."""
    def to_dict(self) -> dict[str, Any]:
        """The column report as Python dicts and lists."""
    def to_json(self) -> str:
        """The column report as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Finding:
    """One kind of personal data found in a column."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def pii_type(self) -> _PiiType:
        """What it is."""
    @property
    def confidence(self) -> float:
        """How sure, from 0 to 1."""
    @property
    def level(self) -> _PiiLevel:
        """How carefully it must be handled."""
    @property
    def regulations(self) -> list[_Regulation]:
        """The regulations it matters for."""
    @property
    def evidence(self) -> list[str]:
        """Why: name, type, comment, table and sample evidence."""
    def to_dict(self) -> dict[str, Any]:
        """The finding as Python dicts and lists."""
    def to_json(self) -> str:
        """The finding as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class SampleStats:
    """How the sampled values of a column matched."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def total(self) -> int:
        """Sampled values, missing ones included."""
    @property
    def non_null(self) -> int:
        """Values that are neither missing nor empty."""
    @property
    def matched(self) -> dict[_PiiType, int]:
        """How many values matched each type."""
    def to_dict(self) -> dict[str, Any]:
        """The stats as Python dicts and lists."""
    def to_json(self) -> str:
        """The stats as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class KAnonymity:
    """The k-anonymity of a set of quasi-identifier columns."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def k(self) -> int:
        """The size of the smallest group of rows sharing their values."""
    @property
    def rows(self) -> int:
        """Rows checked."""
    @property
    def classes(self) -> int:
        """Distinct combinations of values."""
    @property
    def rows_below_target(self) -> int:
        """Rows in groups smaller than ``target_k``."""
    @property
    def smallest(self) -> list[EquivalenceClass]:
        """The smallest groups, smallest first."""
    def to_dict(self) -> dict[str, Any]:
        """The result as Python dicts and lists."""
    def to_json(self) -> str:
        """The result as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class EquivalenceClass:
    """A combination of quasi-identifier values and how many rows share it."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def values(self) -> list[Optional[str]]:
        """The values, one per column."""
    @property
    def size(self) -> int:
        """How many rows have exactly these values."""
    def to_dict(self) -> dict[str, Any]:
        """The class as Python dicts and lists."""
    def to_json(self) -> str:
        """The class as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

_PhaseKind = Literal["expand", "backfill", "validate", "contract"]
_StepKind = Literal["ddl", "backfill"]
_BatchStrategy = Literal["keyset", "ctid"]
_LockMode = Literal[
    "access_share",
    "row_share",
    "row_exclusive",
    "share_update_exclusive",
    "share",
    "share_row_exclusive",
    "exclusive",
    "access_exclusive",
]

def plan(
    from_: _SchemaLike,
    to: _SchemaLike,
    stats: Union[Mapping[str, Any], str, None] = None,
    *,
    pg_version: Optional[int] = None,
    lock_timeout_ms: Optional[int] = None,
    statement_timeout_ms: Optional[int] = None,
    max_attempts: Optional[int] = None,
    batch_size: Optional[int] = None,
    target_batch_ms: Optional[int] = None,
    pause_ms: Optional[int] = None,
    lag_query: Optional[str] = None,
    max_lag_ms: Optional[int] = None,
    windows: Optional[Iterable[str]] = None,
    allow_destructive: bool = False,
) -> Plan:
    """Plans the migration from ``from_`` to ``to`` (PostgreSQL) so that it
    runs online, as ``astrola plan`` does. ``stats`` are table sizes (a
    mapping or JSON text); ``None`` options keep the planner's defaults;
    ``windows`` are daily UTC windows ``"HH:MM-HH:MM"``."""

@final
class Plan:
    """An online-safe migration plan: phases of steps, with gates between them."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def format(self) -> int:
        """The version of the plan JSON format."""
    @property
    def dialect(self) -> _Dialect:
        """The dialect the SQL is written for."""
    @property
    def phases(self) -> list[Phase]:
        """The four phases, in order: expand, backfill, validate, contract."""
    @property
    def steps(self) -> list[Step]:
        """Every step of every phase, in the order they run."""
    @property
    def notes(self) -> list[str]:
        """What the plan could not see or make online, one line each."""
    @property
    def is_empty(self) -> bool:
        """True when the plan has no step."""
    def to_text(self) -> str:
        """The plan as a runbook, as ``astrola plan`` prints it."""
    def scripts(self) -> list[Script]:
        """The runnable scripts, one per step, in order."""
    def to_sql(self) -> str:
        """Every script in order: what ``astrola plan --format sql`` prints."""
    def to_dict(self) -> dict[str, Any]:
        """The plan as Python dicts and lists (docs/plan-json.md)."""
    def to_json(self) -> str:
        """The plan as ``astrola plan --format json`` prints it."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Phase:
    """One phase of a plan: its steps, and the gate after it."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def kind(self) -> _PhaseKind:
        """Which phase."""
    @property
    def steps(self) -> list[Step]:
        """The steps, in the order they run."""
    @property
    def gate(self) -> Optional[Gate]:
        """The gate after this phase, or None."""
    def to_dict(self) -> dict[str, Any]:
        """The phase as Python dicts and lists."""
    def to_json(self) -> str:
        """The phase as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Gate:
    """A named stop between two phases."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def id(self) -> str:
        """A stable id ("deploy-dual-write")."""
    @property
    def description(self) -> str:
        """What must be true before the plan goes on."""
    def to_dict(self) -> dict[str, Any]:
        """The gate as Python dicts and lists."""
    def to_json(self) -> str:
        """The gate as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Step:
    """One step: SQL run as one unit, with its lock and how to run it safely."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def id(self) -> str:
        """Unique within the plan and stable ("expand-1")."""
    @property
    def kind(self) -> _StepKind:
        """DDL, or a batched backfill."""
    @property
    def description(self) -> str:
        """What the step does."""
    @property
    def object(self) -> str:
        """The object the step is about ("public.users")."""
    @property
    def sql(self) -> list[str]:
        """The statements, in order (empty for a backfill step)."""
    @property
    def transactional(self) -> bool:
        """Whether the statements may run in one transaction."""
    @property
    def lock(self) -> Optional[Lock]:
        """The strongest table lock the step takes, or None."""
    @property
    def lock_timeout_ms(self) -> Optional[int]:
        """``lock_timeout`` in milliseconds, or None."""
    @property
    def statement_timeout_ms(self) -> Optional[int]:
        """``statement_timeout`` in milliseconds, or None."""
    @property
    def retry(self) -> RetryPolicy:
        """When and how to retry a failed attempt."""
    @property
    def reversible(self) -> bool:
        """Whether ``rollback`` undoes the step without losing data."""
    @property
    def rollback(self) -> list[str]:
        """The SQL that undoes the step."""
    @property
    def preflight(self) -> list[Check]:
        """Queries that must return 0 before the step runs."""
    @property
    def backfill(self) -> Optional[Backfill]:
        """For a backfill step, how to run it."""
    @property
    def estimate(self) -> Optional[Estimate]:
        """Rows, bytes and duration, when stats were given."""
    @property
    def approval(self) -> Optional[Approval]:
        """Why a person must approve the step first, or None."""
    @property
    def blocking(self) -> Optional[Blocking]:
        """Why the step cannot be made online, or None."""
    @property
    def change(self) -> Optional[int]:
        """The index of the diff change the step comes from, or None."""
    def to_dict(self) -> dict[str, Any]:
        """The step as Python dicts and lists."""
    def to_json(self) -> str:
        """The step as pretty-printed JSON."""
    def __eq__(self, other: builtins.object, /) -> bool: ...
    def __ne__(self, other: builtins.object, /) -> bool: ...

@final
class Lock:
    """A table lock a step takes."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def mode(self) -> _LockMode:
        """The mode."""
    @property
    def table(self) -> str:
        """The table."""
    def to_dict(self) -> dict[str, Any]:
        """The lock as Python dicts and lists."""
    def to_json(self) -> str:
        """The lock as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class RetryPolicy:
    """When and how to retry a step."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def max_attempts(self) -> int:
        """Attempts in all (1: no retry)."""
    @property
    def backoff_ms(self) -> int:
        """The wait before the second attempt, in ms; it doubles after."""
    @property
    def max_backoff_ms(self) -> int:
        """The longest wait between attempts, in ms."""
    @property
    def retry_on(self) -> list[str]:
        """The SQLSTATEs worth retrying."""
    def to_dict(self) -> dict[str, Any]:
        """The policy as Python dicts and lists."""
    def to_json(self) -> str:
        """The policy as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Check:
    """A query that must return a single 0 before a step runs."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def description(self) -> str:
        """What a non-zero count means."""
    @property
    def sql(self) -> str:
        """The query."""
    def to_dict(self) -> dict[str, Any]:
        """The check as Python dicts and lists."""
    def to_json(self) -> str:
        """The check as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Backfill:
    """A batched, resumable, verifiable backfill."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def table(self) -> str:
        """The table."""
    @property
    def strategy(self) -> _BatchStrategy:
        """How batches are cut."""
    @property
    def key(self) -> list[str]:
        """The key columns batches are cut on."""
    @property
    def description(self) -> str:
        """What the backfill writes."""
    @property
    def first_batch_sql(self) -> str:
        """The first batch (``$1`` = the batch size)."""
    @property
    def next_batch_sql(self) -> str:
        """Every later batch (the checkpoint, then the batch size)."""
    @property
    def batch(self) -> BatchPolicy:
        """The batch size and how it adapts."""
    @property
    def throttle(self) -> Throttle:
        """Pauses, replication lag and time windows."""
    @property
    def verify(self) -> Verification:
        """The queries that check the result."""
    @property
    def caveat(self) -> Optional[str]:
        """Limits of the strategy the operator must know, or None."""
    def to_dict(self) -> dict[str, Any]:
        """The backfill as Python dicts and lists."""
    def to_json(self) -> str:
        """The backfill as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class BatchPolicy:
    """The batch size of a backfill."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def size(self) -> int:
        """Rows (or heap pages) per batch to start with."""
    @property
    def target_duration_ms(self) -> Optional[int]:
        """The duration batches are resized towards, or None (fixed)."""
    @property
    def min_size(self) -> int:
        """The smallest batch."""
    @property
    def max_size(self) -> int:
        """The largest batch."""
    def to_dict(self) -> dict[str, Any]:
        """The policy as Python dicts and lists."""
    def to_json(self) -> str:
        """The policy as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Throttle:
    """How a backfill yields to production traffic."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def pause_ms(self) -> int:
        """The pause after each batch, in ms."""
    @property
    def lag_query(self) -> Optional[str]:
        """The query giving the replication lag in ms, or None."""
    @property
    def max_lag_ms(self) -> Optional[int]:
        """The largest replication lag tolerated, or None."""
    @property
    def windows(self) -> list[TimeWindow]:
        """When batches may run (UTC); empty means always."""
    def to_dict(self) -> dict[str, Any]:
        """The throttle as Python dicts and lists."""
    def to_json(self) -> str:
        """The throttle as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class TimeWindow:
    """A daily time window, in UTC."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def start(self) -> str:
        """Start, "HH:MM"."""
    @property
    def end(self) -> str:
        """End, "HH:MM"."""
    def to_dict(self) -> dict[str, Any]:
        """The window as Python dicts and lists."""
    def to_json(self) -> str:
        """The window as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Verification:
    """The queries that check a backfill."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def row_count_sql(self) -> str:
        """The number of rows in the table."""
    @property
    def remaining_sql(self) -> str:
        """The number of rows still to backfill: 0 when done."""
    @property
    def checksum_sql(self) -> str:
        """Checksums of one key range, old and new."""
    def to_dict(self) -> dict[str, Any]:
        """The queries as Python dicts and lists."""
    def to_json(self) -> str:
        """The queries as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Script:
    """One step's runnable script."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def name(self) -> str:
        """A file name that sorts in run order ("001-expand-1.sql")."""
    @property
    def step(self) -> str:
        """The step's id."""
    @property
    def sql(self) -> str:
        """The script."""
    def to_dict(self) -> dict[str, Any]:
        """The script as Python dicts and lists."""
    def to_json(self) -> str:
        """The script as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Estimate:
    """What a step touches and how long it should take, from stats."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def rows(self) -> Optional[int]:
        """Rows the step reads or writes, or None."""
    @property
    def bytes(self) -> Optional[int]:
        """Bytes the step reads or writes, or None."""
    @property
    def seconds(self) -> Optional[float]:
        """Expected duration in seconds, or None."""
    @property
    def basis(self) -> str:
        """How the figure was reached."""
    def to_dict(self) -> dict[str, Any]:
        """The estimate as Python dicts and lists."""
    def to_json(self) -> str:
        """The estimate as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Approval:
    """Why a step needs a person's approval before it runs."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def reason(self) -> str:
        """In plain words."""
    @property
    def rows(self) -> Optional[int]:
        """The rows whose data is lost, when stats were given."""
    def to_dict(self) -> dict[str, Any]:
        """The approval as Python dicts and lists."""
    def to_json(self) -> str:
        """The approval as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Blocking:
    """A step that cannot be made online: it blocks writes while it runs."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def reason(self) -> str:
        """Why it cannot."""
    @property
    def lock(self) -> _LockMode:
        """The lock held while it runs."""
    @property
    def estimated_seconds(self) -> Optional[float]:
        """How long writers wait, in seconds, when stats were given."""
    def to_dict(self) -> dict[str, Any]:
        """The step's blocking as Python dicts and lists."""
    def to_json(self) -> str:
        """The step's blocking as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

_ConflictKind = Literal["incompatible", "order_dependent", "semantic"]
_ConflictObjectType = Literal[
    "table",
    "column",
    "constraint",
    "index",
    "view",
    "function",
    "type",
    "domain",
    "sequence",
    "trigger",
    "policy",
    "extension",
    "schema",
]
_MigrationFiles = Union[Mapping[str, str], Iterable[Union[tuple[str, str], Mapping[str, str]]]]

def merge(
    base: _SchemaLike,
    ours: _SchemaLike,
    theirs: _SchemaLike,
    *,
    allow_destructive: bool = False,
    dialect: _DialectName = "postgres",
) -> Merge:
    """Merges ``ours`` and ``theirs``, two branches of ``base``, as
    ``astrola merge`` does. The ``-- @renamed`` annotations of ``ours`` and
    ``theirs`` declare each branch's renames."""

def merge_histories(
    ours: _MigrationFiles,
    theirs: _MigrationFiles,
    *,
    allow_destructive: bool = False,
    dialect: _DialectName = "postgres",
) -> HistoryMerge:
    """Compares two diverged migration histories (each a mapping of file
    name to SQL, or an iterable of ``(name, sql)`` pairs or
    ``{"name", "sql"}`` dicts) and merges the schemas they produce, as
    ``astrola merge --history`` does."""

@final
class Merge:
    """The result of a three-way merge: the merged schema, the migration
    that takes ours to it, and the conflicts."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def format(self) -> int:
        """The version of the Merge JSON format."""
    @property
    def schema(self) -> Schema:
        """The merged schema (ours' version of the objects in conflict)."""
    @property
    def changes(self) -> ChangeSet:
        """The migration that takes ours to the merged schema."""
    @property
    def conflicts(self) -> list[Conflict]:
        """Why the branches do not combine; empty when they do."""
    @property
    def notes(self) -> list[str]:
        """Rename hints that rename nothing of the base, and similar remarks."""
    @property
    def is_clean(self) -> bool:
        """True when the branches combine: no conflict."""
    def sql(self) -> str:
        """The merged migration SQL, as ``astrola merge --format sql`` prints it."""
    def sql_with_markers(self) -> str:
        """``sql()`` and each conflict's statements between git-style markers."""
    def to_text(self) -> str:
        """The report ``astrola merge`` prints."""
    def to_dict(self) -> dict[str, Any]:
        """The merge as Python dicts and lists (docs/merge-json.md)."""
    def to_json(self) -> str:
        """The merge as ``astrola merge --format json`` prints it."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Conflict:
    """One conflict of a merge: what each branch did to one object, and why
    the two do not combine."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def kind(self) -> _ConflictKind:
        """Why the changes do not combine."""
    @property
    def object_type(self) -> _ConflictObjectType:
        """What the object is."""
    @property
    def object(self) -> str:
        """The object, in SQL spelling, as named in the merged schema."""
    @property
    def base(self) -> Optional[str]:
        """Its definition in the base (the SQL that creates it), or None."""
    @property
    def ours(self) -> Optional[str]:
        """Its definition in ours, or None."""
    @property
    def theirs(self) -> Optional[str]:
        """Its definition in theirs, or None."""
    @property
    def ours_change(self) -> str:
        """What ours did, in words."""
    @property
    def theirs_change(self) -> str:
        """What theirs did, in words."""
    @property
    def explanation(self) -> str:
        """Why the two changes conflict, in plain language."""
    @property
    def resolution(self) -> str:
        """A suggested way to resolve it."""
    @property
    def ours_sql(self) -> str:
        """The statements of ours' own migration about the conflict ("" if none)."""
    @property
    def theirs_sql(self) -> str:
        """The statements of theirs' own migration about the conflict."""
    def to_dict(self) -> dict[str, Any]:
        """The conflict as Python dicts and lists."""
    def to_json(self) -> str:
        """The conflict as pretty-printed JSON."""
    def __eq__(self, other: builtins.object, /) -> bool: ...
    def __ne__(self, other: builtins.object, /) -> bool: ...

@final
class HistoryMerge:
    """How two diverged migration histories relate, and how to make them one."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def common(self) -> list[str]:
        """The files both histories share, in order."""
    @property
    def ours_tail(self) -> list[str]:
        """The files only ours has after the shared prefix."""
    @property
    def theirs_tail(self) -> list[str]:
        """The files only theirs has after the shared prefix."""
    @property
    def diverged(self) -> bool:
        """True when both histories added files after the shared prefix."""
    @property
    def commute(self) -> bool:
        """True when the tails commute."""
    @property
    def order(self) -> list[str]:
        """The proposed linear order of file names; empty when the tails do not commute."""
    @property
    def renumbered(self) -> list[Renumbered]:
        """The files of theirs the proposed order renames."""
    @property
    def merge(self) -> Merge:
        """The three-way merge of the schemas the histories produce."""
    @property
    def notes(self) -> list[str]:
        """Why the tails do not commute beyond the merge's conflicts."""
    def to_dict(self) -> dict[str, Any]:
        """The history merge as Python dicts and lists."""
    def to_json(self) -> str:
        """The history merge as ``astrola merge --history --format json`` prints it."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Renumbered:
    """A file of theirs that the proposed linear order renames."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @property
    def from_(self) -> str:
        """The file's name on theirs."""
    @property
    def to(self) -> str:
        """Its name in the proposed order."""
    def to_dict(self) -> dict[str, Any]:
        """The renaming as Python dicts and lists."""
    def to_json(self) -> str:
        """The renaming as pretty-printed JSON."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

"""astrola: database schema change management.

Parse SQL schemas (PostgreSQL, MySQL/MariaDB, SQLite), compute the
migration between two of them, and check a live schema for drift::

    import astrola

    changes = astrola.diff(old_sql, new_sql)
    print(changes.sql())  # exactly what `astrola diff` prints

A thin layer over the Rust crates astrola-core and astrola-diff.
"""

from astrola._errors import (
    AstrolaError,
    DestructiveChangeError,
    DialectMismatchError,
    InvalidArgumentError,
    ParseError,
    SchemaJsonError,
    UnmanagedDifferenceError,
    UnsupportedError,
)
from astrola._astrola import (
    Change,
    ChangeSet,
    Column,
    Constraint,
    Drift,
    DriftReport,
    Extension,
    Function,
    Index,
    Schema,
    Sequence,
    Statement,
    Suggestion,
    Table,
    TypeDef,
    UnmanagedDifference,
    View,
    SchemaWarning,
    diff,
    drift,
    parse_schema,
)

__all__ = [
    "AstrolaError",
    "Change",
    "ChangeSet",
    "Column",
    "Constraint",
    "DestructiveChangeError",
    "DialectMismatchError",
    "Drift",
    "DriftReport",
    "Extension",
    "Function",
    "Index",
    "InvalidArgumentError",
    "ParseError",
    "Schema",
    "SchemaJsonError",
    "SchemaWarning",
    "Sequence",
    "Statement",
    "Suggestion",
    "Table",
    "TypeDef",
    "UnmanagedDifference",
    "UnmanagedDifferenceError",
    "UnsupportedError",
    "View",
    "diff",
    "drift",
    "parse_schema",
]

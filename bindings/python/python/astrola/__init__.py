"""astrola: database schema change management.

Parse SQL schemas (PostgreSQL, MySQL/MariaDB, SQLite), compute the
migration between two of them, check a live schema for drift, and lint
PostgreSQL migrations::

    import astrola

    changes = astrola.diff(old_sql, new_sql)
    print(changes.sql())  # exactly what `astrola diff` prints
    for d in astrola.lint(migration_sql, file="V2__index.sql"):
        print(d.render(migration_sql))  # what `astrola lint` prints

A thin layer over the Rust crates astrola-core, astrola-diff and
astrola-lint.
"""

from astrola._errors import (
    AstrolaError,
    ConfigError,
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
    Diagnostic,
    Drift,
    DriftReport,
    Edit,
    Extension,
    Fix,
    FixResult,
    Function,
    Index,
    Rule,
    Schema,
    Sequence,
    Span,
    Statement,
    Suggestion,
    Table,
    TypeDef,
    UnmanagedDifference,
    View,
    SchemaWarning,
    apply_fixes,
    diff,
    drift,
    lint,
    parse_schema,
    rules,
    ColumnReport,
    EquivalenceClass,
    Finding,
    KAnonymity,
    PiiReport,
    SampleStats,
    classify,
    k_anonymity,
    mask,
)

__all__ = [
    "AstrolaError",
    "Change",
    "ChangeSet",
    "Column",
    "ConfigError",
    "Constraint",
    "DestructiveChangeError",
    "Diagnostic",
    "DialectMismatchError",
    "Drift",
    "DriftReport",
    "Edit",
    "Extension",
    "Fix",
    "FixResult",
    "Function",
    "Index",
    "InvalidArgumentError",
    "ParseError",
    "Rule",
    "Schema",
    "SchemaJsonError",
    "SchemaWarning",
    "Sequence",
    "Span",
    "Statement",
    "Suggestion",
    "Table",
    "TypeDef",
    "UnmanagedDifference",
    "UnmanagedDifferenceError",
    "UnsupportedError",
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
]

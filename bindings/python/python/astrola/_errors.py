"""The exceptions of astrola: one class per error kind, each with the
stable ``code`` that Rust (``Error::code()``) and Node use too.

They are plain Python classes; the native module raises them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from astrola._astrola import Change, ChangeSet

__all__ = [
    "AstrolaError",
    "ConfigError",
    "DestructiveChangeError",
    "DialectMismatchError",
    "InvalidArgumentError",
    "MigrationsError",
    "ParseError",
    "SchemaJsonError",
    "UnmanagedDifferenceError",
    "UnsupportedError",
]


class AstrolaError(Exception):
    """The base class of every astrola error.

    ``code`` is the stable, machine-readable kind (``"parse_error"``, ...);
    ``message`` says what is wrong; ``str(error)`` adds where.
    """

    code: str = "astrola_error"
    message: str

    def __init__(self, text: str, *, message: Optional[str] = None, code: Optional[str] = None) -> None:
        super().__init__(text)
        self.message = text if message is None else message
        if code is not None:
            self.code = code


class ParseError(AstrolaError, ValueError):
    """SQL that does not parse, or a statement that cannot apply (for
    example, one that alters a table that does not exist).

    ``line`` and ``column`` are 1-based; ``statement`` is the offending
    statement as written; ``file`` is the name given to ``parse_schema``.
    """

    code = "parse_error"

    def __init__(
        self,
        text: str,
        *,
        message: Optional[str] = None,
        line: int,
        column: int,
        statement: str,
        file: Optional[str] = None,
    ) -> None:
        super().__init__(text, message=message)
        self.line = line
        self.column = column
        self.statement = statement
        self.file = file


class SchemaJsonError(AstrolaError, ValueError):
    """A malformed schema JSON document (``Schema.from_json``), with the
    1-based ``line`` and ``column`` of the problem."""

    code = "json_error"

    def __init__(self, text: str, *, message: Optional[str] = None, line: int, column: int) -> None:
        super().__init__(text, message=message)
        self.line = line
        self.column = column


class UnsupportedError(AstrolaError):
    """Input astrola does not support (for example, a future JSON format)."""

    code = "unsupported"


class DialectMismatchError(AstrolaError, ValueError):
    """A diff or drift between schemas of different dialects."""

    code = "dialect_mismatch"


class DestructiveChangeError(AstrolaError):
    """``diff`` refused destructive changes (drops, narrowing type changes).

    ``changeset`` is the ChangeSet without them (its ``sql()`` lists them as
    comments, as ``astrola diff`` does); ``refused`` lists them. Pass
    ``allow_destructive=True`` to include them.
    """

    code = "destructive_change"

    def __init__(self, text: str, *, message: Optional[str] = None, changeset: ChangeSet) -> None:
        super().__init__(text, message=message)
        self.changeset = changeset

    @property
    def refused(self) -> list[Change]:
        """The refused changes."""
        return self.changeset.refused


class UnmanagedDifferenceError(AstrolaError):
    """The schemas differ in statements astrola cannot model, or in
    something no change can express: the SQL alone would not reach the
    target. ``changeset`` has the details (``unmanaged``, ``unsupported``).
    """

    code = "unmanaged_difference"

    def __init__(self, text: str, *, message: Optional[str] = None, changeset: ChangeSet) -> None:
        super().__init__(text, message=message)
        self.changeset = changeset


class MigrationsError(AstrolaError, ValueError):
    """Migration files that cannot be put in order (``merge_histories``): a
    ``.sql`` file name with no version, or two files with the same version.
    """

    code = "migrations_error"


class InvalidArgumentError(AstrolaError, TypeError):
    """An argument of the wrong type (None, a number or bytes where text is
    expected) or an unknown option value (such as an unknown dialect)."""

    code = "invalid_argument"


class ConfigError(AstrolaError, ValueError):
    """Linter settings that do not read: ``config`` text (an
    ``astrola.toml``) with an unknown key, an unknown rule id or a bad
    pattern, or ``stats`` that are not the stats JSON.

    ``file`` is ``"<config>"`` or ``"<stats>"``; ``line`` and ``column``
    (1-based) point at the problem in that text.
    """

    code = "config_error"

    def __init__(self, text: str, *, message: Optional[str] = None, file: str, line: int, column: int) -> None:
        super().__init__(text, message=message)
        self.file = file
        self.line = line
        self.column = column

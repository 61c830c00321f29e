"""Errors: one class per kind, each with its stable code and fields."""

from __future__ import annotations

from typing import Callable

import pytest

import astrola


def test_a_syntax_error_on_line_3_reports_line_3() -> None:
    sql = "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE TABLE c (id int, name text NOT NULLL);\n"
    with pytest.raises(astrola.ParseError) as caught:
        astrola.parse_schema(sql, file="schema.sql")
    error = caught.value
    assert isinstance(error, astrola.AstrolaError) and isinstance(error, ValueError)
    assert error.code == "parse_error"
    assert error.line == 3
    assert error.column == sql.splitlines()[2].index("NULLL") + 1
    assert error.statement == "CREATE TABLE c (id int, name text NOT NULLL)"
    assert error.file == "schema.sql"
    assert 'syntax error at or near "NULLL"' in error.message
    assert str(error).startswith(f"schema.sql:3:{error.column}: ")


def test_a_statement_that_cannot_apply_is_a_parse_error() -> None:
    with pytest.raises(astrola.ParseError) as caught:
        astrola.parse_schema("CREATE TABLE a (id int);\n\nALTER TABLE missing ADD COLUMN x int;")
    assert caught.value.line == 3
    assert caught.value.column == 1
    assert caught.value.file is None
    assert "missing" in caught.value.statement


def test_parse_errors_in_diff_and_drift() -> None:
    with pytest.raises(astrola.ParseError):
        astrola.diff("CREATE TABLE a (id int,, b int);", "CREATE TABLE a (id int);")
    with pytest.raises(astrola.ParseError):
        astrola.diff("CREATE TABLE a (id int);", "CREATE TABLE a (id intt int);")
    with pytest.raises(astrola.ParseError):
        astrola.drift("CREATE TABLE a (id int);", "ALTER TABLE b ADD COLUMN c int;")
    with pytest.raises(astrola.ParseError):
        astrola.parse_schema("CREATE TABLE a (id INT", "mysql")
    with pytest.raises(astrola.ParseError):
        astrola.parse_schema("CREATE TABLE a (id INTEGER", "sqlite")


def test_malformed_json() -> None:
    with pytest.raises(astrola.SchemaJsonError) as caught:
        astrola.Schema.from_json('{\n  "format": 1,\n  "dialect": "postgres",\n  "bogus": 1\n}')
    error = caught.value
    assert error.code == "json_error" and isinstance(error, ValueError)
    assert (error.line, error.column) == (4, 9)
    assert "bogus" in error.message


def test_unsupported_json_format() -> None:
    with pytest.raises(astrola.UnsupportedError) as caught:
        astrola.Schema.from_json('{"format": 99, "dialect": "postgres"}')
    assert caught.value.code == "unsupported"
    assert "format 99" in caught.value.message


@pytest.mark.parametrize("bad", [None, 1, 2.5, b"CREATE TABLE a (id int);", ["CREATE"], {"sql": 1}, object()])
def test_wrong_types_raise_invalid_argument(bad: object) -> None:
    calls: list[Callable[[], object]] = [
        lambda: astrola.parse_schema(bad),  # type: ignore[arg-type]
        lambda: astrola.parse_schema("", dialect=bad),  # type: ignore[arg-type]
        lambda: astrola.parse_schema("", file=1 if bad is None else bad),  # type: ignore[arg-type]
        lambda: astrola.Schema.from_json(bad),  # type: ignore[arg-type]
        lambda: astrola.diff(bad, ""),  # type: ignore[arg-type]
        lambda: astrola.diff("", bad),  # type: ignore[arg-type]
        lambda: astrola.diff("", "", allow_destructive=bad),  # type: ignore[arg-type]
        lambda: astrola.drift(bad, ""),  # type: ignore[arg-type]
        lambda: astrola.drift("", "", dialect=bad),  # type: ignore[arg-type]
        lambda: astrola.parse_schema("").table(bad),  # type: ignore[arg-type]
        lambda: astrola.diff("", "").down(allow_destructive=1 if bad is None else bad),  # type: ignore[arg-type]
        lambda: astrola.lint(bad),  # type: ignore[arg-type]
        lambda: astrola.lint("", file=bad),  # type: ignore[arg-type]
        lambda: astrola.lint("", pg_version=[bad]),  # type: ignore[arg-type]
        lambda: astrola.lint("", schema=True if bad is None else bad),  # type: ignore[arg-type]
        lambda: astrola.lint("", stats=1 if bad is None or isinstance(bad, dict) else bad),  # type: ignore[arg-type]
        lambda: astrola.lint("", transactional=1 if bad is None else bad),  # type: ignore[arg-type]
        lambda: astrola.lint("", config=1 if bad is None else bad),  # type: ignore[arg-type]
        lambda: astrola.lint("", disable=[bad]),  # type: ignore[list-item]
        lambda: astrola.lint("", severity=[bad]),  # type: ignore[arg-type]
        lambda: astrola.apply_fixes(bad, []),  # type: ignore[arg-type]
        lambda: astrola.apply_fixes("", [bad]),  # type: ignore[list-item]
        lambda: astrola.apply_fixes("", [], unsafe=1 if bad is None else bad),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(astrola.InvalidArgumentError) as caught:
            call()
        assert isinstance(caught.value, TypeError)
        assert caught.value.code == "invalid_argument"


def test_unknown_dialect_and_invalid_text() -> None:
    with pytest.raises(astrola.InvalidArgumentError, match="unknown dialect 'oracle'"):
        astrola.parse_schema("", "oracle")  # type: ignore[arg-type]
    with pytest.raises(astrola.InvalidArgumentError, match="valid Unicode"):
        astrola.parse_schema("CREATE TABLE \udc80 (id int);")


def test_every_class_has_its_code() -> None:
    expected = {
        astrola.ParseError: "parse_error",
        astrola.SchemaJsonError: "json_error",
        astrola.UnsupportedError: "unsupported",
        astrola.DialectMismatchError: "dialect_mismatch",
        astrola.DestructiveChangeError: "destructive_change",
        astrola.UnmanagedDifferenceError: "unmanaged_difference",
        astrola.InvalidArgumentError: "invalid_argument",
        astrola.ConfigError: "config_error",
        astrola.MigrationsError: "migrations_error",
    }
    for cls, code in expected.items():
        assert issubclass(cls, astrola.AstrolaError)
        assert cls.code == code


def test_config_errors_carry_file_line_and_column() -> None:
    with pytest.raises(astrola.ConfigError) as caught:
        astrola.lint("", config="pg_version = 7\n")
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.code, error.file, error.line, error.column) == ("config_error", "<config>", 1, 14)
    assert "pg_version 7" in error.message
    with pytest.raises(astrola.ConfigError) as caught:
        astrola.lint("", stats="{")
    assert (caught.value.file, caught.value.line) == ("<stats>", 1)

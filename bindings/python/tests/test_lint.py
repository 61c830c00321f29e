"""`lint`, `rules` and `apply_fixes`: the linter of astrola-lint, with
typed diagnostics, its options and their errors."""

from __future__ import annotations

import json
from typing import Any, Literal

import pytest

import astrola

#: A migration whose third line builds an index on an existing table.
MIGRATION = """\
CREATE TABLE audit (id bigint PRIMARY KEY);
CREATE INDEX audit_id ON audit (id);
CREATE INDEX users_email ON users (email);
"""

FOREIGN_KEY = "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers;\n"
BEFORE = "CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n"
INDEX = "CREATE INDEX users_email ON users (email);\n"


def rules_of(found: list[astrola.Diagnostic]) -> list[str]:
    return [d.rule for d in found]


def only(found: list[astrola.Diagnostic], rule: str) -> list[astrola.Diagnostic]:
    """The findings of `rule` (other rules, such as missing-lock-timeout,
    report on the same statements)."""
    return [d for d in found if d.rule == rule]


def test_create_index_on_an_existing_table_is_found_on_its_line_with_a_safe_fix() -> None:
    found = only(astrola.lint(MIGRATION, file="V2__users.sql"), "create-index-non-concurrently")
    # The index on `audit`, created two lines before, is not a finding.
    assert len(found) == 1
    d = found[0]
    assert isinstance(d, astrola.Diagnostic)
    assert d.severity == "error"
    assert d.span.line == 3 and d.span.column == 1
    assert d.span.file == "V2__users.sql"
    assert MIGRATION.encode()[d.span.start : d.span.end].decode() == "CREATE INDEX users_email ON users (email)"
    assert d.statement == "CREATE INDEX users_email ON users (email)"
    assert d.table == "public.users"
    assert d.help is not None and "CONCURRENTLY" in d.help
    assert d.validation is None
    fix = d.fix
    assert fix is not None
    assert fix.applicability == "safe"
    after_index = MIGRATION.index("CREATE INDEX users_email") + len("CREATE INDEX")
    assert [(e.start, e.end, e.replacement) for e in fix.edits] == [(after_index, after_index, " CONCURRENTLY")]
    assert "V2__users.sql:3:1" in repr(d) and "create-index-non-concurrently" in repr(d)
    rendered = d.render(MIGRATION)
    assert rendered.startswith("error[create-index-non-concurrently]: CREATE INDEX without CONCURRENTLY")
    assert "--> V2__users.sql:3:1" in rendered
    assert "fix (safe)" in rendered


def test_apply_fixes_builds_the_index_concurrently() -> None:
    found = only(astrola.lint(MIGRATION), "create-index-non-concurrently")
    fixed = astrola.apply_fixes(MIGRATION, found)
    assert isinstance(fixed, astrola.FixResult)
    assert (fixed.applied, fixed.skipped) == (1, 0)
    assert fixed.source == MIGRATION.replace("CREATE INDEX users_email", "CREATE INDEX CONCURRENTLY users_email")
    assert only(astrola.lint(fixed.source), "create-index-non-concurrently") == []
    # With every finding's fix, the safe ones only.
    everything = astrola.apply_fixes(MIGRATION, astrola.lint(MIGRATION))
    assert everything.applied >= 1 and "CREATE INDEX CONCURRENTLY users_email" in everything.source
    # Any iterable of diagnostics; none, nothing to do.
    assert astrola.apply_fixes(MIGRATION, iter(found)).source == fixed.source
    assert astrola.apply_fixes(MIGRATION, []).source == MIGRATION


def test_unsafe_fixes_only_when_asked() -> None:
    sql = "BEGIN;\nCREATE INDEX users_email ON users (email);\nCOMMIT;\n"
    found = only(astrola.lint(sql), "create-index-non-concurrently")
    assert found and found[0].fix is not None and found[0].fix.applicability == "unsafe"
    assert astrola.apply_fixes(sql, found).applied == 0
    assert "CONCURRENTLY" in astrola.apply_fixes(sql, found, unsafe=True).source


def test_the_schema_before_the_migration_gives_the_foreign_key_its_validation_query() -> None:
    without = only(astrola.lint(FOREIGN_KEY), "add-foreign-key-without-not-valid")
    assert len(without) == 1
    assert without[0].validation is None
    # With the schema, the linter knows the referenced primary key.
    found = only(astrola.lint(FOREIGN_KEY, schema=astrola.parse_schema(BEFORE)), "add-foreign-key-without-not-valid")
    assert len(found) == 1
    validation = found[0].validation
    assert validation is not None
    assert "p.id = c.customer_id" in validation


def test_stats_raise_the_severity_and_are_quoted_in_the_message() -> None:
    big = {"tables": {"public.users": {"rows": 48_000_000, "bytes": 9_663_676_416}}}
    quiet: dict[str, Literal["info", "warning", "error"]] = {"create-index-non-concurrently": "info"}
    rule = "create-index-non-concurrently"
    assert [d.severity for d in only(astrola.lint(INDEX, severity=quiet), rule)] == ["info"]
    found = only(astrola.lint(INDEX, severity=quiet, stats=big), rule)
    assert [d.severity for d in found] == ["error"]
    assert found[0].message.endswith("locks a table of 48M rows (9.0 GB)")
    # JSON text works as well, and a small table lowers the severity.
    small = only(astrola.lint(INDEX, stats='{"tables": {"users": {"rows": 12}}}'), rule)
    assert [d.severity for d in small] == ["warning"]
    assert small[0].message.endswith("locks a table of 12 rows")


def test_config_text_disables_a_rule_and_explicit_arguments_override_it() -> None:
    config = '[rules]\ndisable = ["create-index-non-concurrently"]\n[rules.severity]\ndrop-table = "error"\n'
    rule = "create-index-non-concurrently"
    assert only(astrola.lint(INDEX), rule) != []
    assert only(astrola.lint(INDEX, config=config), rule) == []
    assert [d.severity for d in only(astrola.lint("DROP TABLE t;", config=config), "drop-table")] == ["error"]
    assert [d.severity for d in only(astrola.lint("DROP TABLE t;", config=config, severity={"drop-table": "info"}), "drop-table")] == ["info"]
    assert only(astrola.lint(INDEX, disable=[rule]), rule) == []
    # `transactional` from the config, and overridden.
    fix = only(astrola.lint(INDEX, config="transactional = true\n"), rule)[0].fix
    assert fix is not None and fix.applicability == "unsafe"
    fix = only(astrola.lint(INDEX, config="transactional = true\n", transactional=False), rule)[0].fix
    assert fix is not None and fix.applicability == "safe"


def test_unknown_rule_ids_raise_invalid_argument() -> None:
    for options in [{"disable": ["no-such-rule"]}, {"enable": ("create-index-non-concurrently", "nope")}, {"severity": {"nope": "error"}}]:
        with pytest.raises(astrola.InvalidArgumentError, match="unknown rule id"):
            astrola.lint(INDEX, **options)  # type: ignore[arg-type]
    with pytest.raises(astrola.InvalidArgumentError, match="unknown severity 'fatal'"):
        astrola.lint(INDEX, severity={"drop-table": "fatal"})  # type: ignore[dict-item]
    with pytest.raises(astrola.InvalidArgumentError, match="got the str"):
        astrola.lint(INDEX, disable="drop-table")


def test_bad_config_toml_raises_config_error_with_its_line() -> None:
    with pytest.raises(astrola.ConfigError) as caught:
        astrola.lint(INDEX, config='pg_version = 14\n[rules]\ndisable = ["no-such-rule"]\n')
    error = caught.value
    assert isinstance(error, astrola.AstrolaError) and isinstance(error, ValueError)
    assert error.code == "config_error"
    assert (error.file, error.line, error.column) == ("<config>", 3, 12)
    assert "no-such-rule" in error.message
    assert str(error).startswith("<config>:3:12: ")
    with pytest.raises(astrola.ConfigError) as caught:
        astrola.lint(INDEX, config="pg_version = 15\ntransactionl = true\n")
    assert caught.value.line == 2 and "transactionl" in caught.value.message
    with pytest.raises(astrola.ConfigError) as caught:
        astrola.lint(INDEX, config="[rules\n")
    assert caught.value.line == 1


def test_bad_stats_raise_config_error_with_their_line() -> None:
    with pytest.raises(astrola.ConfigError) as caught:
        astrola.lint(INDEX, stats='{\n  "tables": {\n    "users": {"row": 1}\n  }\n}')
    assert (caught.value.file, caught.value.line) == ("<stats>", 3)
    assert "row" in caught.value.message
    with pytest.raises(astrola.ConfigError):
        astrola.lint(INDEX, stats={"tables": {"users": {"rows": -1}}})
    with pytest.raises(astrola.InvalidArgumentError):
        astrola.lint(INDEX, stats={"tables": {"users": {"rows": float("nan")}}})


def test_rules_lists_every_rule_with_its_documentation() -> None:
    rules = astrola.rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids)) >= 20
    for rule in rules:
        assert isinstance(rule, astrola.Rule)
        assert "## What it does" in rule.documentation and "## Why is this bad?" in rule.documentation, rule.id
        assert rule.severity in ("info", "warning", "error")
        assert rule.category in ("data_loss", "backward_incompatible", "fails_on_existing_data", "locking", "rewrite", "transaction", "idempotency", "schema_design", "syntax", "configuration")
        assert isinstance(rule.default_enabled, bool)
        assert rule.to_dict()["id"] == rule.id
    index = {r.id: r for r in rules}["create-index-non-concurrently"]
    assert (index.category, index.severity, index.default_enabled) == ("locking", "error", True)
    # Every id lint can report is listed, and every listed id is accepted.
    assert set(ids) >= {d.rule for d in astrola.lint(MIGRATION + "DROP TABLE x;\nCREATE TABLEX y;\n")}
    astrola.lint(INDEX, disable=ids)


def test_syntax_errors_are_diagnostics_and_linting_goes_on() -> None:
    found = astrola.lint("CREATE TABLEX t (id int8);\nDROP TABLE users;\n")
    assert [(d.rule, d.span.line) for d in found if d.rule in ("syntax-error", "drop-table")] == [("syntax-error", 1), ("drop-table", 2)]


def test_a_diagnostic_is_frozen_comparable_and_converts_to_json() -> None:
    d = only(astrola.lint(INDEX, file="m.sql"), "create-index-non-concurrently")[0]
    assert d == only(astrola.lint(INDEX, file="m.sql"), "create-index-non-concurrently")[0]
    assert d != only(astrola.lint(INDEX, file="n.sql"), "create-index-non-concurrently")[0]
    with pytest.raises(AttributeError):
        d.rule = "x"  # type: ignore[misc]
    data: dict[str, Any] = d.to_dict()
    assert data == json.loads(d.to_json())
    assert data["rule"] == "create-index-non-concurrently"
    assert data["span"] == d.span.to_dict() == {"file": "m.sql", "line": 1, "column": 1, "start": 0, "end": len(INDEX) - 2}
    assert data["fix"] == (d.fix.to_dict() if d.fix else None)
    assert set(data) == {"rule", "severity", "message", "span", "statement", "help", "table", "fix"}
    assert str(d.span) == "m.sql:1:1"


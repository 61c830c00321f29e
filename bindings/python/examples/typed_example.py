"""A small typed program using astrola; `mypy --strict` checks it in CI.

Run: python examples/typed_example.py
"""

from __future__ import annotations

from typing import Literal, Optional

import astrola

BEFORE = "CREATE TABLE users (id bigint PRIMARY KEY, name text);"
AFTER = """
CREATE TABLE users (
    id bigint PRIMARY KEY,
    full_name text, -- @renamed from=name
    email text NOT NULL DEFAULT ''
);
CREATE INDEX users_email_idx ON users (email);
"""


def describe(table: astrola.Table) -> str:
    columns = ", ".join(f"{c.name} {c.data_type}{'' if c.nullable else ' NOT NULL'}" for c in table.columns)
    key: Optional[list[str]] = table.primary_key
    return f"{table.qualified_name} ({columns}) key={key}"


def migrate(before: str, after: str) -> str:
    try:
        changes: astrola.ChangeSet = astrola.diff(before, after)
    except astrola.DestructiveChangeError as e:
        refused = [f"{c.kind} {c.object}" for c in e.refused]
        raise SystemExit(f"refused: {refused}") from e
    for change in changes.changes:
        destruction: Optional[Literal["data", "narrowing", "object"]] = change.destruction
        assert destruction is None
    return changes.sql()


MIGRATION = """\
CREATE INDEX users_email_idx ON users (email);
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
"""


def lint(sql: str, schema: astrola.Schema) -> str:
    found: list[astrola.Diagnostic] = astrola.lint(
        sql,
        file="V3__email.sql",
        pg_version=15,
        schema=schema,
        stats={"tables": {"public.users": {"rows": 2_000_000}}},
        config='[rules.severity]\nprefer-text-over-varchar = "warning"\n',
        disable=["drop-table"],
        severity={"set-not-null": "error"},
    )
    for d in found:
        severity: Literal["info", "warning", "error"] = d.severity
        span: astrola.Span = d.span
        fix: Optional[astrola.Fix] = d.fix
        applicability: Optional[Literal["safe", "unsafe", "display_only"]] = fix.applicability if fix else None
        edits: list[astrola.Edit] = fix.edits if fix else []
        validation: Optional[str] = d.validation
        print(f"{span.file}:{span.line}:{span.column} {severity} {d.rule} fix={applicability} edits={len(edits)} check={validation is not None}")
    fixed: astrola.FixResult = astrola.apply_fixes(sql, found, unsafe=False)
    documented: dict[str, str] = {rule.id: rule.documentation for rule in astrola.rules()}
    assert all(d.rule in documented for d in found)
    try:
        astrola.lint(sql, config="[rules]\ndisable = [\"nope\"]\n")
    except astrola.ConfigError as e:
        where: tuple[str, int, int] = (e.file, e.line, e.column)
        print(f"config error at {where}: {e.message}")
    return fixed.source


def main() -> None:
    schema = astrola.parse_schema(AFTER, "postgres", file="after.sql")
    for table in schema.tables:
        print(describe(table))
    dialect: Literal["postgres", "mysql", "sqlite"] = schema.dialect
    assert dialect == "postgres"
    print(migrate(BEFORE, AFTER), end="")
    report = astrola.drift(AFTER, BEFORE)
    severities = [d.severity for d in report.drifts]
    print(f"drift: {len(report.drifts)} objects, {severities.count('breaking')} breaking")
    try:
        astrola.parse_schema("CREATE TABLE broken (id int,, x int);")
    except astrola.ParseError as e:
        line: int = e.line
        print(f"parse error on line {line}: {e.message}")
    print(lint(MIGRATION, schema), end="")


def pii() -> None:
    """Which columns hold personal data, and their values masked."""
    schema = astrola.parse_schema("CREATE TABLE users (id bigint PRIMARY KEY, name text, notes text);")
    emails = ["ana@example.org", "bo@example.com", None]
    report: astrola.PiiReport = astrola.classify(schema, {"users": {"notes": emails}}, min_confidence=0.5)
    for column in report.reports:
        basis: Literal["name_only", "name_and_samples"] = column.basis
        level: Optional[Literal["public", "internal", "confidential", "restricted"]] = column.level
        stats: Optional[astrola.SampleStats] = column.samples
        for f in column.findings:
            kind: str = f.pii_type
            regulations: list[Literal["GDPR", "CCPA", "HIPAA", "PCI-DSS"]] = f.regulations
            confidence: float = f.confidence
            print(f"{column.table}.{column.column}: {kind} {confidence:.2f} {level} {basis} {regulations} {stats.non_null if stats else '-'}")
    masked: list[Optional[str]] = astrola.mask(emails, "format_preserving", key=b"a secret key of 16+ bytes")
    print(masked)
    k: astrola.KAnonymity = astrola.k_anonymity([["941", "941"], ["1980", "1980"]], target_k=2)
    print(k.k, [c.values for c in k.smallest])


if __name__ == "__main__":
    main()
    pii()

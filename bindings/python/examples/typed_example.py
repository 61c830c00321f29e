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


if __name__ == "__main__":
    main()

"""diff, ChangeSet, down migrations and drift."""

from __future__ import annotations

import json

import pytest

import astrola
from conftest import SHOP_V1, SHOP_V2


def test_diff_applies_renames_from_the_target() -> None:
    changes = astrola.diff(SHOP_V1, SHOP_V2)
    assert changes.is_complete and not changes.is_empty
    assert changes.dialect == "postgres"
    kinds = [c.kind for c in changes.changes]
    assert "rename_column" in kinds
    assert "drop_column" not in kinds
    sql = changes.sql()
    assert 'ALTER TABLE public.customers RENAME COLUMN name TO full_name;' in sql
    assert "CREATE TABLE public.order_items" in sql
    assert sql == "".join(s.sql for s in changes.statements)
    rename = next(c for c in changes.changes if c.kind == "rename_column")
    assert rename.object == "public.customers.full_name"
    assert (rename.destructive, rename.destruction, rename.refused, rename.irreversible) == (False, None, False, False)
    statement = changes.statements[0]
    assert statement.sql.endswith(";\n")
    assert statement.transactional is True
    assert statement.change is not None and statement.change.kind == changes.changes[0].kind
    assert changes.refused == [] and changes.unmanaged == [] and changes.unsupported == []
    assert changes.notes == [] and changes.suggestions == []


def test_diff_of_a_schema_with_itself_is_empty() -> None:
    changes = astrola.diff(SHOP_V2, SHOP_V2)
    assert changes.is_empty and changes.is_complete
    assert changes.sql() == ""
    assert changes.changes == [] and changes.statements == []


def test_schema_objects_can_replace_sql_and_keep_their_renames() -> None:
    v1, v2 = astrola.parse_schema(SHOP_V1), astrola.parse_schema(SHOP_V2)
    assert astrola.diff(v1, v2).sql() == astrola.diff(SHOP_V1, SHOP_V2).sql()
    assert astrola.diff(SHOP_V1, v2).sql() == astrola.diff(v1, SHOP_V2).sql()
    # A schema read back from JSON has no @renamed annotations: the rename
    # becomes a (refused) drop and an add, with a suggestion.
    with pytest.raises(astrola.DestructiveChangeError) as caught:
        astrola.diff(v1, astrola.Schema.from_json(v2.to_json()))
    [suggestion] = caught.value.changeset.suggestions
    assert (suggestion.kind, suggestion.table, suggestion.from_, suggestion.to) == ("column", "public.customers", "name", "full_name")
    assert "@renamed from=name" in suggestion.hint
    assert suggestion.to_dict()["from"] == "name"
    assert repr(suggestion) == "<astrola.Suggestion column 'name' -> 'full_name'>"


def test_destructive_changes_are_refused_unless_allowed() -> None:
    before = "CREATE TABLE a (id int PRIMARY KEY, old text); CREATE TABLE gone (id int);"
    after = "CREATE TABLE a (id int PRIMARY KEY);"
    with pytest.raises(astrola.DestructiveChangeError) as caught:
        astrola.diff(before, after)
    error = caught.value
    assert isinstance(error, astrola.AstrolaError)
    assert error.code == "destructive_change"
    assert sorted(c.kind for c in error.refused) == ["drop_column", "drop_table"]
    assert all(c.refused and c.destructive and c.destruction == "data" for c in error.refused)
    assert "allow_destructive=True" in str(error)
    assert error.changeset.is_complete is False
    assert "-- refused (destructive: deletes data, use --allow-destructive): drop_table public.gone" in error.changeset.sql()
    assert error.changeset.statements == []

    allowed = astrola.diff(before, after, allow_destructive=True)
    assert allowed.is_complete
    assert "DROP TABLE public.gone;" in allowed.sql()
    assert allowed.refused == []


def test_unmanaged_differences_raise() -> None:
    base = "CREATE TABLE t (id int);"
    with pytest.raises(astrola.UnmanagedDifferenceError) as caught:
        astrola.diff(base, base + " CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING;")
    error = caught.value
    assert error.code == "unmanaged_difference"
    [unmanaged] = error.changeset.unmanaged
    assert unmanaged.side == "to"
    assert unmanaged.kind and "CREATE RULE" in unmanaged.sql
    assert unmanaged.line == 1
    assert unmanaged.to_dict()["side"] == "to"
    assert repr(unmanaged).startswith("<astrola.UnmanagedDifference side='to'")


def test_down_reverses_the_diff() -> None:
    up = astrola.diff(SHOP_V1, SHOP_V2)
    down = up.down(allow_destructive=True)
    assert down.is_complete
    sql = down.sql()
    assert "DROP TABLE public.order_items;" in sql
    assert "RENAME COLUMN full_name TO name" in sql
    assert up.down_sql(allow_destructive=True) == sql
    # Without allow_destructive (the diff's own default), the drops are refused.
    with pytest.raises(astrola.DestructiveChangeError):
        up.down_sql()
    # The down of the down is the up again.
    assert down.down().sql() == up.sql()


def test_down_marks_changes_that_cannot_restore_data() -> None:
    up = astrola.diff("CREATE TABLE t (id int, x text);", "CREATE TABLE t (id int);", allow_destructive=True)
    down = up.down()
    [add] = down.changes
    assert add.kind == "add_column" and add.irreversible is True
    assert down.sql().startswith("-- irreversible: add_column public.t.x")


def test_mysql_and_sqlite_diffs() -> None:
    mysql = astrola.diff(
        "CREATE TABLE users (id INT PRIMARY KEY);",
        "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(255) NOT NULL);",
        dialect="mysql",
    )
    assert mysql.dialect == "mysql"
    assert mysql.sql() == "ALTER TABLE `users` ADD COLUMN `email` varchar(255) NOT NULL;\n"
    sqlite = astrola.diff(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY);",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);",
        dialect="sqlite",
    )
    assert sqlite.dialect == "sqlite"
    assert "ADD COLUMN" in sqlite.sql() and "body" in sqlite.sql()


def test_dialects_cannot_mix() -> None:
    mysql = astrola.parse_schema("CREATE TABLE a (id INT);", "mysql")
    with pytest.raises(astrola.DialectMismatchError) as caught:
        astrola.diff(mysql, "CREATE TABLE a (id int);")
    assert caught.value.code == "dialect_mismatch"
    assert isinstance(caught.value, ValueError)
    with pytest.raises(astrola.DialectMismatchError):
        astrola.drift(mysql, astrola.parse_schema("CREATE TABLE a (id int);", "sqlite"))


def test_changeset_dicts_and_json() -> None:
    changes = astrola.diff(SHOP_V1, SHOP_V2)
    as_dict = changes.to_dict()
    assert as_dict == json.loads(changes.to_json())
    assert as_dict["format"] == 1 and as_dict["dialect"] == "postgres"
    assert [c["kind"] for c in as_dict["changes"]] == [c.kind for c in changes.changes]
    assert changes.changes[0].to_dict() == as_dict["changes"][0]
    assert json.loads(changes.changes[0].to_json()) == as_dict["changes"][0]
    assert changes.statements[0].to_dict() == as_dict["statements"][0]
    assert json.loads(changes.statements[0].to_json()) == as_dict["statements"][0]


def test_changeset_reprs() -> None:
    changes = astrola.diff("CREATE TABLE a (id int);", "CREATE TABLE a (id int, b text);")
    assert repr(changes) == "<astrola.ChangeSet dialect='postgres' changes=1 statements=1 refused=0 complete=True>"
    assert repr(changes.changes[0]) == "<astrola.Change add_column 'public.a.b' refused=False>"
    assert repr(changes.statements[0]) == "<astrola.Statement 'ALTER TABLE public.a ADD COLUMN b text;\\n'>"


def test_drift_reports_what_changed() -> None:
    expected = "CREATE TABLE t (id bigint PRIMARY KEY, email text NOT NULL);"
    actual = "CREATE TABLE t (id integer PRIMARY KEY, email text NOT NULL, extra text); CREATE TABLE stray (id int);"
    report = astrola.drift(expected, actual)
    assert report.is_clean is False
    by_object = {d.object: d for d in report.drifts}
    changed = by_object["public.t.id"]
    assert (changed.kind, changed.severity) == ("changed", "breaking")
    assert changed.changes == ["alter_column_type"]
    assert changed.expected is not None and "bigint" in changed.expected
    assert changed.actual is not None and "integer" in changed.actual
    assert "ALTER TABLE public.t ALTER COLUMN id TYPE bigint" in changed.remediation
    stray = by_object["public.stray"]
    assert (stray.kind, stray.severity) == ("unexpected", "warning")
    assert "DROP TABLE public.stray;" in report.remediation_sql()
    text = report.to_text()
    assert text.startswith("breaking: changed public.t.id\n")
    assert text.endswith("3 drifted objects: 1 breaking, 2 warning, 0 info\n")
    assert report.to_dict() == json.loads(report.to_json())
    assert changed.to_dict() == json.loads(changed.to_json())
    assert repr(report) == "<astrola.DriftReport drifts=3 clean=False>"
    assert repr(changed) == "<astrola.Drift breaking changed 'public.t.id'>"

    clean = astrola.drift(astrola.parse_schema(expected), expected)
    assert clean.is_clean and clean.drifts == [] and clean.to_text() == "no drift\n"
    assert clean.remediation_sql() == ""

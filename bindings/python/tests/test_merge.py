"""`merge` and `merge_histories`: typed results, rename hints, errors, and
parity with `astrola merge` (`ASTROLA_CLI` must name the CLI binary, as
for test_cli_parity.py)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import threading
from pathlib import Path
from typing import Callable, Union

import pytest

import astrola
from conftest import CORPUS, SHOP_V1, SHOP_V2
from test_malformed_input import SEED, WRONG_TYPES, Feeder, exercise, malformed_sql

BASE = """\
CREATE TABLE users (id bigint PRIMARY KEY, name text, email varchar(100));
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint, body text);
"""
#: Ours widens email to text and indexes posts.
OURS = """\
CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint, body text);
CREATE INDEX posts_user_idx ON posts (user_id);
"""
#: Theirs widens email differently (a conflict) and adds a table.
THEIRS = """\
CREATE TABLE users (id bigint PRIMARY KEY, name text, email varchar(320));
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint, body text);
CREATE TABLE teams (id bigint PRIMARY KEY);
"""
#: Theirs, with no conflict with OURS: a table added.
THEIRS_CLEAN = """\
CREATE TABLE users (id bigint PRIMARY KEY, name text, email varchar(100));
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint, body text);
CREATE TABLE teams (id bigint PRIMARY KEY);
"""
#: Theirs renames users.name, declared with a hint.
THEIRS_RENAMED = """\
CREATE TABLE users (
    id bigint PRIMARY KEY,
    full_name text, -- @renamed from=name
    email varchar(100)
);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint, body text);
"""


def test_a_clean_merge_gives_the_migration_for_the_second_branch() -> None:
    merged = astrola.merge(BASE, OURS, THEIRS_CLEAN)
    assert isinstance(merged, astrola.Merge)
    assert merged.is_clean and merged.conflicts == [] and merged.notes == []
    assert merged.format == 1
    assert merged.sql() == "CREATE TABLE public.teams (\n    id bigint NOT NULL\n);\nALTER TABLE public.teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id);\n"
    changes = merged.changes
    assert isinstance(changes, astrola.ChangeSet)
    assert changes.is_complete and [c.kind for c in changes.changes] == ["create_table", "add_constraint"]
    assert changes.sql() == merged.sql()
    # The merged schema has both branches' changes, and is what the
    # migration reaches from ours.
    schema = merged.schema
    users = schema.table("users")
    assert users is not None and [(c.name, c.data_type) for c in users.columns][2] == ("email", "text")
    assert schema.table("teams") is not None
    assert [i.name for i in schema.indexes] == ["posts_user_idx"]
    assert astrola.diff(OURS, schema).sql() == merged.sql()
    assert "merge cleanly" in merged.to_text()
    assert repr(merged) == "<astrola.Merge conflicts=0 changes=2 clean=True>"
    assert merged == astrola.merge(BASE, OURS, THEIRS_CLEAN)
    assert merged != astrola.merge(BASE, OURS, THEIRS)


def test_conflicts_are_typed_and_explained() -> None:
    merged = astrola.merge(BASE, OURS, THEIRS)
    assert not merged.is_clean
    [conflict] = merged.conflicts
    assert isinstance(conflict, astrola.Conflict)
    assert (conflict.kind, conflict.object_type, conflict.object) == ("incompatible", "column", "public.users.email")
    assert conflict.base is not None and "character varying(100)" in conflict.base
    assert conflict.ours is not None and "email text" in conflict.ours
    assert conflict.theirs is not None and "character varying(320)" in conflict.theirs
    assert conflict.ours_change == "changes column public.users.email: type character varying(100) -> text"
    assert "type character varying(100) -> character varying(320)" in conflict.theirs_change
    assert conflict.explanation and conflict.resolution
    assert conflict.ours_sql == "ALTER TABLE public.users ALTER COLUMN email TYPE text;\n"
    assert conflict.theirs_sql == "ALTER TABLE public.users ALTER COLUMN email TYPE character varying(320);\n"
    assert repr(conflict) == "<astrola.Conflict incompatible column 'public.users.email'>"
    assert conflict.to_dict() == json.loads(conflict.to_json()) == merged.to_dict()["conflicts"][0]
    assert conflict == astrola.merge(BASE, OURS, THEIRS).conflicts[0]
    # The rest still merges: theirs' table is in the migration, ours'
    # version of the column is kept.
    assert merged.sql().startswith("CREATE TABLE public.teams")
    users = merged.schema.table("users")
    assert users is not None and users.columns[2].data_type == "text"
    markers = merged.sql_with_markers()
    assert markers.startswith(merged.sql())
    assert "<<<<<<< ours: column public.users.email (incompatible)\nALTER TABLE public.users ALTER COLUMN email TYPE text;\n=======\n" in markers
    assert markers.endswith(">>>>>>> theirs\n")
    text = merged.to_text()
    assert text.startswith("1 conflict(s):") and conflict.explanation in text


def test_order_dependent_and_semantic_kinds() -> None:
    base = "CREATE TABLE t (id int PRIMARY KEY, a int); CREATE TABLE u (id int PRIMARY KEY);"
    both_add = astrola.merge(base, base + "ALTER TABLE t ADD COLUMN x int;", base + "ALTER TABLE t ADD COLUMN y int;")
    assert [(c.kind, c.object_type, c.object) for c in both_add.conflicts] == [("order_dependent", "table", "public.t")]
    fk_to_dropped = astrola.merge(
        base,
        "CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE u (id int PRIMARY KEY);",
        base + "ALTER TABLE u ADD COLUMN a int; CREATE INDEX t_a_idx ON t (a);",
    )
    assert "semantic" in [c.kind for c in fk_to_dropped.conflicts]
    assert all(c.explanation for c in fk_to_dropped.conflicts)


def test_identical_changes_merge_as_one() -> None:
    merged = astrola.merge(BASE, OURS, OURS)
    assert merged.is_clean
    assert merged.changes.is_empty and merged.sql() == ""
    assert merged.schema == astrola.parse_schema(OURS)


def test_rename_hints_of_either_branch_are_honoured() -> None:
    # Theirs renames name; ours changes the column: both apply, on the
    # renamed column.
    ours = BASE.replace("name text", "name varchar(50)")
    merged = astrola.merge(BASE, ours, THEIRS_RENAMED)
    assert merged.is_clean, [c.explanation for c in merged.conflicts]
    assert merged.sql() == "ALTER TABLE public.users RENAME COLUMN name TO full_name;\n"
    users = merged.schema.table("users")
    assert users is not None and [(c.name, c.data_type) for c in users.columns][1] == ("full_name", "character varying(50)")
    # The merged schema carries the rename, as parse_schema's do: a diff
    # to it renames, and so does the down migration back.
    assert astrola.diff(ours, merged.schema).sql() == merged.sql()
    assert merged.changes.down_sql() == "ALTER TABLE public.users RENAME COLUMN full_name TO name;\n"
    # Parsed schemas keep their hints too.
    parsed = astrola.merge(astrola.parse_schema(BASE), astrola.parse_schema(ours), astrola.parse_schema(THEIRS_RENAMED))
    assert parsed == merged
    # Without the hint, the rename is a drop and an add: the drop is
    # refused, and the merge says so instead of raising.
    unhinted = astrola.merge(BASE, BASE, THEIRS_RENAMED.replace(" -- @renamed from=name", ""))
    assert unhinted.is_clean and not unhinted.changes.is_complete
    assert [c.kind for c in unhinted.changes.refused] == ["drop_column"]
    assert "-- refused" in unhinted.sql()


def test_a_rename_on_one_side_and_a_use_of_the_old_name_on_the_other_conflict() -> None:
    ours = BASE + "CREATE INDEX users_name_idx ON users (name);"
    merged = astrola.merge(BASE, ours, THEIRS_RENAMED)
    assert not merged.is_clean
    assert any(c.kind == "semantic" for c in merged.conflicts), [(c.kind, c.object) for c in merged.conflicts]


def test_allow_destructive_renders_theirs_drops() -> None:
    theirs = "CREATE TABLE users (id bigint PRIMARY KEY, name text, email varchar(100));"
    refused = astrola.merge(BASE, BASE, theirs)
    assert refused.is_clean and not refused.changes.is_complete
    allowed = astrola.merge(BASE, BASE, theirs, allow_destructive=True)
    assert allowed.changes.is_complete and allowed.sql() == "DROP TABLE public.posts;\n"


def test_json_and_dict_forms() -> None:
    merged = astrola.merge(BASE, OURS, THEIRS)
    document = json.loads(merged.to_json())
    assert document == merged.to_dict()
    assert set(document) == {"format", "schema", "changes", "conflicts", "notes"}
    assert document["changes"] == json.loads(merged.changes.to_json())
    assert document["schema"] == json.loads(merged.schema.to_json())


def test_errors() -> None:
    with pytest.raises(astrola.ParseError) as caught:
        astrola.merge(BASE, OURS, "CREATE TABLE teams (id bigint);\nCREATE TABLE (;")
    error = caught.value
    assert (error.code, error.line) == ("parse_error", 2)
    assert error.column >= 1 and "CREATE TABLE (" in error.statement
    mysql = astrola.parse_schema("CREATE TABLE users (id INT PRIMARY KEY);", "mysql")
    with pytest.raises(astrola.DialectMismatchError) as mismatch:
        astrola.merge(BASE, OURS, mysql)
    assert mismatch.value.code == "dialect_mismatch"
    # SQL text is parsed in `dialect`; a Schema keeps its own.
    other = astrola.merge(mysql, mysql, "CREATE TABLE users (id INT PRIMARY KEY, n INT);", dialect="mysql")
    assert other.is_clean and other.changes.dialect == "mysql"
    bad: list[Callable[[], object]] = [
        lambda: astrola.merge(BASE, OURS, 42),  # type: ignore[arg-type]
        lambda: astrola.merge(BASE, OURS, THEIRS, dialect="oracle"),  # type: ignore[arg-type]
        lambda: astrola.merge(BASE, OURS, THEIRS, allow_destructive=1),  # type: ignore[arg-type]
        lambda: astrola.merge_histories("V1__a.sql", {}),  # type: ignore[arg-type]
        lambda: astrola.merge_histories([("V1__a.sql", 1)], {}),  # type: ignore[list-item]
        lambda: astrola.merge_histories([{"name": "V1__a.sql"}], {}),
        lambda: astrola.merge_histories(["V1__a.sql"], {}),  # type: ignore[list-item]
        lambda: astrola.merge_histories(42, {}),  # type: ignore[arg-type]
    ]
    for call in bad:
        with pytest.raises(astrola.InvalidArgumentError):
            call()


V1 = "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(10));"


def test_merge_histories_proposes_a_linear_order() -> None:
    ours = {"V1__init.sql": V1, "V2__name.sql": "ALTER TABLE users ADD COLUMN name text;"}
    # Pairs and {"name", "sql"} dicts work as well as a mapping.
    theirs: list[Union[tuple[str, str], dict[str, str]]] = [("V1__init.sql", V1), {"name": "V2__teams.sql", "sql": "CREATE TABLE teams (id bigint);"}]
    history = astrola.merge_histories(ours, theirs)
    assert isinstance(history, astrola.HistoryMerge)
    assert (history.common, history.ours_tail, history.theirs_tail) == (["V1__init.sql"], ["V2__name.sql"], ["V2__teams.sql"])
    assert history.diverged and history.commute and history.notes == []
    assert history.order == ["V1__init.sql", "V2__name.sql", "V3__teams.sql"]
    [renumbered] = history.renumbered
    assert (renumbered.from_, renumbered.to) == ("V2__teams.sql", "V3__teams.sql")
    assert renumbered.to_dict() == {"from": "V2__teams.sql", "to": "V3__teams.sql"}
    assert repr(renumbered) == "<astrola.Renumbered 'V2__teams.sql' -> 'V3__teams.sql'>"
    assert history.merge.is_clean and history.merge.sql() == "CREATE TABLE public.teams (\n    id bigint\n);\n"
    assert history.merge.changes.down_sql(allow_destructive=True) == "DROP TABLE public.teams;\n"
    assert history.to_dict() == json.loads(history.to_json())
    assert history == astrola.merge_histories(ours, theirs)


def test_merge_histories_that_do_not_commute_and_bad_files() -> None:
    ours = {"0001_init.up.sql": V1, "0002_a.up.sql": "ALTER TABLE users ALTER email TYPE text;"}
    theirs = {"0001_init.up.sql": V1, "0002_b.up.sql": "ALTER TABLE users ALTER email TYPE varchar(200);"}
    history = astrola.merge_histories(ours, theirs)
    assert not history.commute and history.order == []
    assert [c.kind for c in history.merge.conflicts] == ["incompatible"]
    with pytest.raises(astrola.MigrationsError) as caught:
        astrola.merge_histories({"init.sql": V1}, {})
    assert caught.value.code == "migrations_error" and "init.sql" in str(caught.value)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(astrola.ParseError) as parse:
        astrola.merge_histories({"V1__init.sql": V1, "V2__bad.sql": "ALTER TABLE nope ADD COLUMN x int;"}, {"V1__init.sql": V1})
    assert parse.value.file == "V2__bad.sql"


def cli() -> str:
    path = os.environ.get("ASTROLA_CLI")
    assert path, "ASTROLA_CLI is not set: point it at the astrola CLI binary (cargo build -p astrola-cli)"
    return path


def run_merge(tmp_path: Path, base: str, ours: str, theirs: str, *flags: str) -> subprocess.CompletedProcess[str]:
    paths = []
    for name, sql in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.sql"
        path.write_text(sql, encoding="utf-8")
        paths.append(str(path))
    return subprocess.run([cli(), "merge", *paths, *flags], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("theirs", [THEIRS_CLEAN, THEIRS, THEIRS_RENAMED])
def test_the_json_text_and_sql_are_the_cli_s(tmp_path: Path, theirs: str) -> None:
    merged = astrola.merge(BASE, OURS, theirs)
    out = run_merge(tmp_path, BASE, OURS, theirs, "--format", "json")
    assert out.returncode == (0 if merged.is_clean else 1), out.stderr
    assert merged.to_json() + "\n" == out.stdout
    assert run_merge(tmp_path, BASE, OURS, theirs).stdout == merged.to_text()
    assert run_merge(tmp_path, BASE, OURS, theirs, "--format", "sql").stdout == merged.sql()
    assert run_merge(tmp_path, BASE, OURS, theirs, "--format", "sql", "--markers").stdout == merged.sql_with_markers()


def test_the_history_json_is_the_cli_s(tmp_path: Path) -> None:
    ours = {"V1__init.sql": V1, "V2__name.sql": "ALTER TABLE users ADD COLUMN name text;"}
    theirs = {"V1__init.sql": V1, "V2__teams.sql": "CREATE TABLE teams (id bigint);", "V3__more.sql": "CREATE TABLE more (id bigint);"}
    for side, files in (("ours", ours), ("theirs", theirs)):
        (tmp_path / side).mkdir()
        for name, sql in files.items():
            (tmp_path / side / name).write_text(sql, encoding="utf-8")
    cmd = [cli(), "merge", "--history", str(tmp_path / "ours"), str(tmp_path / "theirs"), "--format", "json"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert astrola.merge_histories(ours, theirs).to_json() + "\n" == out.stdout


def test_merge_releases_the_gil() -> None:
    gitlab = (CORPUS / "schemas" / "gitlab" / "structure.sql").read_text(encoding="utf-8")
    ours = gitlab.replace("CREATE TABLE abuse_reports (", "CREATE TABLE abuse_reports (\n    ours_probe text,", 1)
    theirs = gitlab.replace("CREATE TABLE abuse_reports (", "CREATE TABLE abuse_reports (\n    theirs_probe text,", 1)
    started = threading.Event()

    def work() -> None:
        started.set()
        astrola.merge(gitlab, ours, theirs)

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    rounds = 0
    while worker.is_alive():
        rounds += 1
    worker.join()
    assert rounds > 100_000


def test_malformed_inputs_never_escape_as_anything_but_astrola_errors() -> None:
    rng = random.Random(SEED)
    feed = Feeder()
    inputs = malformed_sql(rng)
    # Every fourth input, and the huge and deeply nested ones at the end.
    chosen = inputs[::4] + inputs[-54:]
    for i, (sql, dialect) in enumerate(chosen):
        other = SHOP_V2 if dialect == "postgres" else ""
        merged = feed("merge", astrola.merge, SHOP_V1 if dialect == "postgres" else "", sql, other, dialect=dialect)
        feed("merge", astrola.merge, sql, other, sql, dialect=dialect, allow_destructive=bool(i % 2))
        if i % 8 == 0 and merged is not None:
            exercise(feed, merged)
            exercise(feed, merged.changes)
            for conflict in merged.conflicts:
                exercise(feed, conflict)
        files = {"V1__init.sql": other, "V2__x.sql": sql}
        history = feed("merge_histories", astrola.merge_histories, files, {"V1__init.sql": other, "V2__y.sql": sql[::-1]}, dialect=dialect)
        if i % 8 == 0 and history is not None:
            exercise(feed, history)
            exercise(feed, history.merge)
        feed("merge_histories", astrola.merge_histories, {sql[:100] + ".sql": other}, [(sql[:50], sql)], dialect=dialect)
    for bad in WRONG_TYPES + ["oracle", "", "\udc80"]:
        feed("merge", astrola.merge, bad, SHOP_V1, SHOP_V2)
        feed("merge", astrola.merge, SHOP_V1, bad, SHOP_V2)
        feed("merge", astrola.merge, SHOP_V1, SHOP_V2, bad)
        feed("merge", astrola.merge, SHOP_V1, SHOP_V2, SHOP_V2, allow_destructive=bad)
        feed("merge", astrola.merge, SHOP_V1, SHOP_V2, SHOP_V2, dialect=bad)
        feed("merge_histories", astrola.merge_histories, bad, {})
        feed("merge_histories", astrola.merge_histories, {}, [bad])
        feed("merge_histories", astrola.merge_histories, {"V1__a.sql": bad}, {})
        feed("merge_histories", astrola.merge_histories, [("V1__a.sql", bad)], {})
        feed("merge_histories", astrola.merge_histories, [{"name": bad, "sql": ""}], {})
        feed("merge_histories", astrola.merge_histories, {}, {}, dialect=bad)
    assert feed.failures == [], f"{len(feed.failures)} calls raised something else than an AstrolaError:\n" + "\n".join(feed.failures[:30])
    assert feed.calls >= 5_000, feed.calls

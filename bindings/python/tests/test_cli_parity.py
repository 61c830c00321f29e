"""`ChangeSet.sql()` is exactly what `astrola diff` prints, and the
diagnostics of `lint` are what `astrola lint` prints.

`ASTROLA_CLI` must name the CLI binary (test.sh builds it); without it
these tests fail rather than skip.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import astrola
from conftest import CORPUS, SHOP_V1, SHOP_V2


def cli() -> str:
    path = os.environ.get("ASTROLA_CLI")
    assert path, "ASTROLA_CLI is not set: point it at the astrola CLI binary (cargo build -p astrola-cli)"
    assert Path(path).is_file(), f"ASTROLA_CLI={path} is not a file"
    return path


def run_cli(tmp_path: Path, before: str, after: str, *flags: str) -> subprocess.CompletedProcess[str]:
    a, b = tmp_path / "from.sql", tmp_path / "to.sql"
    a.write_text(before, encoding="utf-8")
    b.write_text(after, encoding="utf-8")
    return subprocess.run([cli(), "diff", str(a), str(b), *flags], capture_output=True, text=True, check=False)


def test_postgres_multi_table_change(tmp_path: Path) -> None:
    out = run_cli(tmp_path, SHOP_V1, SHOP_V2)
    assert out.returncode == 0, out.stderr
    assert out.stdout
    assert astrola.diff(SHOP_V1, SHOP_V2).sql() == out.stdout


def test_postgres_real_schema_with_destructive_changes(tmp_path: Path) -> None:
    sakila = (CORPUS / "schemas/sakila/postgres-sakila-schema.sql").read_text(encoding="utf-8")
    pagila = (CORPUS / "schemas/pagila/pagila-schema.2024-10.sql").read_text(encoding="utf-8")
    out = run_cli(tmp_path, sakila, pagila, "--allow-destructive")
    assert out.returncode in (0, 1), out.stderr
    assert out.stdout
    try:
        changes = astrola.diff(sakila, pagila, allow_destructive=True)
    except astrola.UnmanagedDifferenceError as e:
        assert out.returncode == 1
        changes = e.changeset
    assert changes.sql() == out.stdout


def test_refused_changes_match_the_cli(tmp_path: Path) -> None:
    before, after = SHOP_V2, SHOP_V1
    out = run_cli(tmp_path, before, after)
    assert out.returncode == 1
    with pytest.raises(astrola.DestructiveChangeError) as caught:
        astrola.diff(before, after)
    assert caught.value.changeset.sql() == out.stdout
    assert "-- refused" in out.stdout


def test_down_matches_the_cli(tmp_path: Path) -> None:
    out = run_cli(tmp_path, SHOP_V1, SHOP_V2, "--down", "--allow-destructive")
    assert out.returncode == 0, out.stderr
    assert astrola.diff(SHOP_V1, SHOP_V2, allow_destructive=True).down_sql() == out.stdout


def test_mysql(tmp_path: Path) -> None:
    before = "CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NOT NULL) ENGINE=InnoDB;"
    after = """CREATE TABLE users (
        id INT AUTO_INCREMENT PRIMARY KEY,
        email VARCHAR(255) NOT NULL,
        display_name VARCHAR(100) NULL,
        UNIQUE KEY users_email (email)
    ) ENGINE=InnoDB;
    CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id INT NOT NULL, body TEXT, CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id));"""
    out = run_cli(tmp_path, before, after, "--dialect", "mysql")
    assert out.returncode == 0, out.stderr
    assert out.stdout
    assert astrola.diff(before, after, dialect="mysql").sql() == out.stdout


def test_sqlite(tmp_path: Path) -> None:
    before = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
    after = """CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT '', created_at TEXT);
    CREATE TABLE tags (note_id INTEGER NOT NULL REFERENCES notes (id), tag TEXT NOT NULL, PRIMARY KEY (note_id, tag));
    CREATE INDEX tags_tag ON tags (tag);"""
    out = run_cli(tmp_path, before, after, "--dialect", "sqlite")
    assert out.returncode == 0, out.stderr
    assert out.stdout
    assert astrola.diff(before, after, dialect="sqlite").sql() == out.stdout


def test_drift_text_matches_the_cli(tmp_path: Path) -> None:
    expected, actual = tmp_path / "expected.sql", tmp_path / "actual.sql"
    expected.write_text(SHOP_V2, encoding="utf-8")
    actual.write_text(SHOP_V1, encoding="utf-8")
    out = subprocess.run([cli(), "drift", str(expected), str(actual)], capture_output=True, text=True, check=False)
    assert out.returncode == 1, out.stderr
    assert astrola.drift(SHOP_V2, SHOP_V1).to_text() == out.stdout


#: A migration with findings of several rules: fixes, validation queries,
#: a syntax error, a suppression, and non-ASCII text before the spans.
LINT_MIGRATION = """\
-- Ajoute l'index « email » (é, 😀).
CREATE INDEX users_email ON users (email);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users ADD COLUMN tier int NOT NULL;
CREATE TABLEX broken (id int);
-- astrola-ignore drop-table
DROP TABLE legacy;
ALTER TABLE users DROP COLUMN nickname;
CREATE TABLE events (id serial PRIMARY KEY, at timestamp, label varchar(20));
"""


def run_lint_cli(path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([cli(), "lint", str(path), *flags], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("pg_version", [15, 10])
def test_lint_json_matches_the_cli(tmp_path: Path, pg_version: int) -> None:
    path = tmp_path / "V3__users.sql"
    path.write_text(LINT_MIGRATION, encoding="utf-8")
    out = run_lint_cli(path, "--format", "json", "--pg-version", str(pg_version))
    assert out.returncode == 1, out.stderr
    found = astrola.lint(LINT_MIGRATION, file=str(path), pg_version=pg_version)
    assert len(found) >= 8
    assert [d.to_dict() for d in found] == json.loads(out.stdout)
    # Each diagnostic's JSON is the CLI's, element by element.
    assert "[\n" + ",\n".join(indent(d.to_json()) for d in found) + "\n]\n" == out.stdout


def test_lint_text_matches_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "V3__users.sql"
    path.write_text(LINT_MIGRATION, encoding="utf-8")
    out = run_lint_cli(path)
    assert out.returncode == 1, out.stderr
    found = astrola.lint(LINT_MIGRATION, file=str(path))
    assert "".join(d.render(LINT_MIGRATION) + "\n" for d in found) + f"{len(found)} finding(s) in 1 file(s)\n" == out.stdout


def test_lint_of_a_real_file_matches_the_cli() -> None:
    path = CORPUS / "schemas" / "postgres-regress" / "alter_table.sql"
    out = run_lint_cli(path, "--format", "json")
    assert out.returncode in (0, 1), out.stderr
    found = astrola.lint(path.read_text(encoding="utf-8"), file=str(path))
    assert len(found) > 100
    assert [d.to_dict() for d in found] == json.loads(out.stdout)


def indent(text: str) -> str:
    """`text` indented by two spaces, as an element of a pretty JSON array."""
    return "\n".join("  " + line for line in text.split("\n"))

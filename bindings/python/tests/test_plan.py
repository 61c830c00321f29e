"""`plan`: typed phases, steps and backfills, its errors, and parity with
`astrola plan` (`ASTROLA_CLI` must name the CLI binary, as for
test_cli_parity.py)."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path
from typing import Callable

import pytest

import astrola
from conftest import CORPUS

FROM = """\
CREATE TABLE users (id bigint PRIMARY KEY, email text, n integer);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
"""
#: An index (built concurrently) and a foreign key (added NOT VALID, then
#: validated).
TO = """\
CREATE TABLE users (id bigint PRIMARY KEY, email text, n integer);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE INDEX users_email_idx ON users (email);
"""
#: A type change: expand, backfill, contract, with a gate and an approval.
RETYPED = """\
CREATE TABLE users (id bigint PRIMARY KEY, email text, n bigint);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
"""
STATS = {"tables": {"users": {"rows": 48_000_000, "bytes": 9_663_676_416}, "public.orders": {"rows": 1000}}}


def test_phases_and_steps_are_typed() -> None:
    plan = astrola.plan(FROM, TO)
    assert isinstance(plan, astrola.Plan)
    assert (plan.format, plan.dialect, plan.notes, plan.is_empty) == (1, "postgres", [], False)
    assert [p.kind for p in plan.phases] == ["expand", "backfill", "validate", "contract"]
    assert plan.steps == [s for p in plan.phases for s in p.steps]

    index = next(s for s in plan.steps if any("CONCURRENTLY" in q for q in s.sql))
    assert isinstance(index, astrola.Step)
    assert (index.kind, index.transactional, index.statement_timeout_ms) == ("ddl", False, None)
    assert index.lock is not None and index.lock.mode == "share_update_exclusive"
    assert index.lock.table == "public.users"
    assert index.reversible and index.rollback
    assert index.id.startswith("expand-")
    assert isinstance(index.retry, astrola.RetryPolicy) and index.retry.max_attempts == 5

    fk = next(s for s in plan.steps if any("NOT VALID" in q and "FOREIGN KEY" in q for q in s.sql))
    assert fk.lock is not None and fk.lock_timeout_ms == 2000
    validate = next(p for p in plan.phases if p.kind == "validate")
    check = next(s for s in validate.steps if any("VALIDATE CONSTRAINT" in q for q in s.sql))
    assert check.preflight and isinstance(check.preflight[0], astrola.Check)
    assert check.preflight[0].sql.startswith("SELECT count(*)")
    assert all(s.approval is None and s.blocking is None and s.backfill is None and s.estimate is None for s in plan.steps)


def test_backfills_gates_and_approvals_are_typed() -> None:
    plan = astrola.plan(FROM, RETYPED, batch_size=250, pause_ms=20, windows=["22:00-06:00"], lag_query="SELECT 0", max_lag_ms=500)
    backfill_phase = plan.phases[1]
    assert backfill_phase.kind == "backfill"
    step = backfill_phase.steps[0]
    assert (step.kind, step.sql) == ("backfill", [])
    backfill = step.backfill
    assert isinstance(backfill, astrola.Backfill)
    assert (backfill.table, backfill.strategy, backfill.key) == ("public.users", "keyset", ["id"])
    assert backfill.first_batch_sql and backfill.next_batch_sql
    assert isinstance(backfill.batch, astrola.BatchPolicy) and backfill.batch.size == 250
    throttle = backfill.throttle
    assert (throttle.pause_ms, throttle.lag_query, throttle.max_lag_ms) == (20, "SELECT 0", 500)
    assert [(w.start, w.end) for w in throttle.windows] == [("22:00", "06:00")]
    assert isinstance(throttle.windows[0], astrola.TimeWindow)
    verify = backfill.verify
    assert isinstance(verify, astrola.Verification) and verify.remaining_sql and verify.checksum_sql

    gates = [p.gate for p in plan.phases if p.gate is not None]
    assert gates and all(isinstance(g, astrola.Gate) and g.id and g.description for g in gates)
    approvals = [s.approval for s in plan.steps if s.approval is not None]
    assert approvals and isinstance(approvals[0], astrola.Approval) and approvals[0].reason


def test_stats_give_estimates_as_a_mapping_or_json_text() -> None:
    plan = astrola.plan(FROM, TO, STATS)
    estimates = [s.estimate for s in plan.steps if s.estimate is not None]
    assert estimates and isinstance(estimates[0], astrola.Estimate) and estimates[0].basis
    assert astrola.plan(FROM, TO, json.dumps(STATS)) == plan
    assert astrola.plan(FROM, TO, stats=STATS) == plan


def test_scripts_text_and_json() -> None:
    plan = astrola.plan(FROM, TO)
    scripts = plan.scripts()
    assert len(scripts) == len(plan.steps)
    assert [s.step for s in scripts] == [s.id for s in plan.steps]
    assert all(isinstance(s, astrola.Script) and s.name.endswith(".sql") and s.sql for s in scripts)
    assert sorted(s.name for s in scripts) == [s.name for s in scripts]
    assert all(s.name in plan.to_sql() for s in scripts)
    assert "CONCURRENTLY" in plan.to_text()
    as_dict = plan.to_dict()
    assert as_dict == json.loads(plan.to_json())
    assert [p["kind"] for p in as_dict["phases"]] == ["expand", "backfill", "validate", "contract"]
    assert plan.steps[0].to_dict() == as_dict["phases"][0]["steps"][0]
    assert "astrola.Plan" in repr(plan) and "astrola.Step" in repr(plan.steps[0])


def test_schemas_and_renames() -> None:
    same = astrola.plan(astrola.parse_schema(FROM), astrola.parse_schema(TO))
    assert same == astrola.plan(FROM, TO)
    assert astrola.plan(FROM, FROM).is_empty
    renamed = FROM.replace("email text,", "mail text, -- @renamed from=email\n")
    with_hint = astrola.plan(FROM, renamed, allow_destructive=True)
    assert with_hint == astrola.plan(FROM, astrola.parse_schema(renamed), allow_destructive=True)
    # As `astrola plan`: the annotations of `to` declare renames.
    assert with_hint != astrola.plan(FROM, renamed.replace(" -- @renamed from=email", ""), allow_destructive=True)


def test_destructive_changes_are_left_out_unless_allowed() -> None:
    dropped = FROM.replace(", n integer", "")
    refused = astrola.plan(FROM, dropped)
    assert refused.notes
    assert not any("DROP COLUMN" in q for s in refused.steps for q in s.sql)
    allowed = astrola.plan(FROM, dropped, allow_destructive=True)
    assert any(s.approval is not None for s in allowed.steps)


def test_bad_stats_raise_config_error_naming_the_field() -> None:
    with pytest.raises(astrola.ConfigError) as caught:
        astrola.plan(FROM, TO, '{\n  "tables": {\n    "users": {"row": 1}\n  }\n}')
    assert (caught.value.code, caught.value.file, caught.value.line) == ("config_error", "<stats>", 3)
    assert "row" in str(caught.value)
    with pytest.raises(astrola.ConfigError):
        astrola.plan(FROM, TO, {"tables": {"users": {"rows": -1}}})
    with pytest.raises(astrola.InvalidArgumentError):
        astrola.plan(FROM, TO, 42)  # type: ignore[arg-type]


def test_other_dialects_raise_unsupported() -> None:
    mysql = astrola.parse_schema("CREATE TABLE t (id INT PRIMARY KEY);", "mysql")
    with pytest.raises(astrola.UnsupportedError) as caught:
        astrola.plan(mysql, mysql)
    assert caught.value.code == "unsupported"
    assert "PostgreSQL" in str(caught.value)


def test_bad_options_raise_invalid_argument() -> None:
    bad: list[Callable[[], object]] = [
        lambda: astrola.plan(FROM, TO, pg_version=7),
        lambda: astrola.plan(FROM, TO, pg_version="15"),  # type: ignore[arg-type]
        lambda: astrola.plan(FROM, TO, pg_version=True),
        lambda: astrola.plan(FROM, TO, lock_timeout_ms=-1),
        lambda: astrola.plan(FROM, TO, batch_size=0),
        lambda: astrola.plan(FROM, TO, windows="22:00-06:00"),
        lambda: astrola.plan(FROM, TO, windows=["22:00"]),
        lambda: astrola.plan(FROM, TO, windows=["25:00-06:00"]),
        lambda: astrola.plan(FROM, TO, max_lag_ms=100),
        lambda: astrola.plan(FROM, TO, allow_destructive=1),  # type: ignore[arg-type]
        lambda: astrola.plan(42, TO),  # type: ignore[arg-type]
    ]
    for call in bad:
        with pytest.raises(astrola.InvalidArgumentError):
            call()
    with pytest.raises(astrola.ParseError):
        astrola.plan(FROM, "CREATE TABLE (;")


def cli() -> str:
    path = os.environ.get("ASTROLA_CLI")
    assert path, "ASTROLA_CLI is not set: point it at the astrola CLI binary (cargo build -p astrola-cli)"
    return path


def run_plan(tmp_path: Path, before: str, after: str, *flags: str) -> subprocess.CompletedProcess[str]:
    a, b = tmp_path / "from.sql", tmp_path / "to.sql"
    a.write_text(before, encoding="utf-8")
    b.write_text(after, encoding="utf-8")
    return subprocess.run([cli(), "plan", str(a), str(b), *flags], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("after", [TO, RETYPED])
def test_the_json_text_and_sql_are_the_cli_s(tmp_path: Path, after: str) -> None:
    stats = tmp_path / "stats.json"
    stats.write_text(json.dumps(STATS), encoding="utf-8")
    plan = astrola.plan(FROM, after, STATS, lock_timeout_ms=500, windows=["01:00-05:00"])
    flags = ("--stats", str(stats), "--lock-timeout", "500ms", "--window", "01:00-05:00")
    out = run_plan(tmp_path, FROM, after, "--format", "json", *flags)
    assert out.returncode == (1 if after is RETYPED else 0), out.stderr
    assert plan.to_json() + "\n" == out.stdout
    assert run_plan(tmp_path, FROM, after, *flags).stdout == plan.to_text()
    assert run_plan(tmp_path, FROM, after, "--format", "sql", *flags).stdout == plan.to_sql()


def test_plan_releases_the_gil() -> None:
    gitlab = (CORPUS / "schemas" / "gitlab" / "structure.sql").read_text(encoding="utf-8")
    edited = gitlab.replace("CREATE TABLE abuse_reports (", "CREATE TABLE abuse_reports (\n    gil_probe text,", 1)
    started = threading.Event()

    def work() -> None:
        started.set()
        astrola.plan(gitlab, edited)

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    rounds = 0
    while worker.is_alive():
        rounds += 1
    worker.join()
    assert rounds > 100_000

"""parse_schema, diff and lint release the GIL: another Python thread keeps
running while they work."""

from __future__ import annotations

import threading
from typing import Callable

import astrola
from conftest import CORPUS

GITLAB = (CORPUS / "schemas" / "gitlab" / "structure.sql").read_text(encoding="utf-8")


def python_progress_during(call: Callable[[], object]) -> int:
    """How many times this thread goes round a loop while `call` runs on
    another thread. With the GIL held for the whole call, the loop cannot
    run at all until the call returns."""
    started = threading.Event()

    def work() -> None:
        started.set()
        call()

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    rounds = 0
    while worker.is_alive():
        rounds += 1
    worker.join()
    return rounds


def test_parse_schema_releases_the_gil() -> None:
    # Parsing GitLab takes hundreds of milliseconds; a loop that may run
    # meanwhile goes round millions of times, one that may not, a handful.
    assert python_progress_during(lambda: astrola.parse_schema(GITLAB)) > 100_000


def test_diff_releases_the_gil() -> None:
    edited = GITLAB.replace("CREATE TABLE abuse_reports (", "CREATE TABLE abuse_reports (\n    gil_probe text,", 1)
    assert edited != GITLAB
    assert python_progress_during(lambda: astrola.diff(GITLAB, edited)) > 100_000


def test_lint_releases_the_gil() -> None:
    assert python_progress_during(lambda: astrola.lint(GITLAB)) > 100_000

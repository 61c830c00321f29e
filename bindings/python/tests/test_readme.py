"""Every ```python snippet of the README runs, in order, in one namespace,
and prints what its `# ...` comments say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def expected_output(block: str) -> list[str]:
    """The comments that show output: trailing a `print(...)` line, or on
    the lines right after one."""
    out: list[str] = []
    after_print = False
    for line in block.splitlines():
        code, _, comment = line.partition("# ")
        if code.strip() and "print(" in code:
            after_print = True
            if comment and not comment.startswith(("the ", "canonical", "what ", "brings ", "also ", "type:", "expected")):
                out.append(comment.strip())
        elif not code.strip() and comment and after_print:
            out.append(comment.strip())
        else:
            after_print = False
    return out


def test_readme_snippets_run_and_print_what_they_say() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 5, "the README lost its snippets"
    namespace: dict[str, object] = {}
    checked = 0
    for i, block in enumerate(blocks):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(block, f"README.md python block {i + 1}", "exec"), namespace)  # noqa: S102 - running the docs is the test
        for line in expected_output(block):
            assert line in printed.getvalue(), f"README block {i + 1} says it prints {line!r}, but it printed:\n{printed.getvalue()}"
            checked += 1
    assert checked >= 10


def test_the_repository_readme_python_snippets_run() -> None:
    readme = Path(__file__).resolve().parents[3] / "README.md"
    blocks = re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "the repository README lost its Python quickstart"
    for i, block in enumerate(blocks):
        exec(compile(block, f"README.md (repository) python block {i + 1}", "exec"), {})  # noqa: S102 - running the docs is the test

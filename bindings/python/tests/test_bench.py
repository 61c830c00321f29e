"""bench/diff_gitlab.py prints one JSON line with the figures the driver reads."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import astrola
from conftest import SHOP_V1, SHOP_V2

BENCH = Path(__file__).resolve().parents[1] / "bench" / "diff_gitlab.py"


def test_bench_prints_one_json_line(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sql", tmp_path / "b.sql"
    a.write_text(SHOP_V2, encoding="utf-8")
    b.write_text(SHOP_V1, encoding="utf-8")
    out = subprocess.run([sys.executable, str(BENCH), str(a), str(b), "--runs", "3"], capture_output=True, text=True, check=True)
    [line] = out.stdout.splitlines()
    figures = json.loads(line)
    assert list(figures) == ["lang", "runs", "median_ns", "min_ns", "sql_bytes", "sql_sha256"]
    assert figures["lang"] == "python" and figures["runs"] == 3
    assert 0 < figures["min_ns"] <= figures["median_ns"]
    sql = astrola.diff(SHOP_V2, SHOP_V1, allow_destructive=True).sql().encode()
    assert figures["sql_bytes"] == len(sql)
    assert figures["sql_sha256"] == hashlib.sha256(sql).hexdigest()

"""Times `astrola.diff(from, to, allow_destructive=True).sql()`.

    python diff_gitlab.py FROM.sql TO.sql --runs N

Reads both files once, runs one warm-up diff, then N timed ones, and
prints one JSON line: {"lang", "runs", "median_ns", "min_ns", "sql_bytes",
"sql_sha256"}. The SQL is the one of the last run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import time
from pathlib import Path

import astrola


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("from_sql", type=Path, metavar="FROM.sql")
    parser.add_argument("to_sql", type=Path, metavar="TO.sql")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    from_text = args.from_sql.read_text(encoding="utf-8")
    to_text = args.to_sql.read_text(encoding="utf-8")

    def run() -> str:
        try:
            return astrola.diff(from_text, to_text, allow_destructive=True).sql()
        except astrola.UnmanagedDifferenceError as e:
            # The CLI prints the SQL and exits 1: time the same work.
            return e.changeset.sql()

    sql = run()  # warm-up
    times: list[int] = []
    for _ in range(args.runs):
        start = time.perf_counter_ns()
        sql = run()
        times.append(time.perf_counter_ns() - start)

    encoded = sql.encode("utf-8")
    print(
        json.dumps(
            {
                "lang": "python",
                "runs": args.runs,
                "median_ns": int(statistics.median(times)),
                "min_ns": min(times),
                "sql_bytes": len(encoded),
                "sql_sha256": hashlib.sha256(encoded).hexdigest(),
            },
            separators=(",", ":"),
        )
    )


if __name__ == "__main__":
    main()

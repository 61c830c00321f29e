#!/usr/bin/env bash
# Builds and tests the Python package:
#   1. pip install ./bindings/python into the venv of setup.sh;
#   2. a fresh-venv check: a brand-new venv, `pip install bindings/python`,
#      a diff of two schemas compared with the CLI's output;
#   3. pytest, `python -m mypy.stubtest astrola`, and
#      `mypy --strict examples/typed_example.py`.
# Exits non-zero on any failure. ASTROLA_CLI names the CLI binary; when
# unset, the CLI is built with `cargo build -p astrola-cli`. CARGO_TARGET_DIR
# defaults to $HOME/.cache/astrola/target, shared by every build here.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${ASTROLA_VENV:-$HOME/.cache/astrola/venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/astrola/target}"
py="$venv/bin/python"

if [ ! -x "$py" ]; then
    echo "test.sh: no venv at $venv; run bindings/python/setup.sh first" >&2
    exit 1
fi
step() { printf '\n== %s\n' "$*"; }

if [ -z "${ASTROLA_CLI:-}" ]; then
    step "cargo build -p astrola-cli"
    (cd "$repo" && cargo build --quiet -p astrola-cli)
    export ASTROLA_CLI="$CARGO_TARGET_DIR/debug/astrola"
fi
[ -x "$ASTROLA_CLI" ] || { echo "test.sh: ASTROLA_CLI=$ASTROLA_CLI is not an executable" >&2; exit 1; }

step "pip install bindings/python (dev venv)"
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$repo/bindings/python"

step "fresh venv: pip install bindings/python, diff, compare with the CLI"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
"$py" -m venv "$fresh/venv"
"$fresh/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$repo/bindings/python"
cat > "$fresh/from.sql" <<'SQL'
CREATE TABLE users (id bigint PRIMARY KEY, name text);
SQL
cat > "$fresh/to.sql" <<'SQL'
CREATE TABLE users (
    id bigint PRIMARY KEY,
    full_name text, -- @renamed from=name
    email text NOT NULL DEFAULT ''
);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), body text);
CREATE INDEX posts_user_idx ON posts (user_id);
SQL
"$ASTROLA_CLI" diff "$fresh/from.sql" "$fresh/to.sql" > "$fresh/cli.out"
(cd "$fresh" && venv/bin/python -c '
import sys, astrola
sys.stdout.write(astrola.diff(open("from.sql").read(), open("to.sql").read()).sql())
') > "$fresh/python.out"
if ! cmp -s "$fresh/cli.out" "$fresh/python.out"; then
    echo "test.sh: the fresh install's diff differs from the CLI's:" >&2
    diff -u "$fresh/cli.out" "$fresh/python.out" >&2 || true
    exit 1
fi
[ -s "$fresh/cli.out" ] || { echo "test.sh: the CLI printed no migration" >&2; exit 1; }
echo "fresh venv: same SQL as the CLI ($(wc -l < "$fresh/cli.out") lines)"

cd "$here"
step "pytest"
# pytest exits 5 when it collects no test; any non-zero status fails here.
"$py" -m pytest -q tests

step "mypy.stubtest astrola"
"$py" -m mypy.stubtest astrola

step "mypy --strict examples/typed_example.py (and bench, tests)"
"$py" -m mypy --strict examples/typed_example.py bench/diff_gitlab.py tests
"$py" examples/typed_example.py > /dev/null

echo
echo "bindings/python: all checks passed"

#!/usr/bin/env bash
# Prepares the Python development environment of bindings/python: a venv at
# ${ASTROLA_VENV:-$HOME/.cache/astrola/venv} with maturin, pytest and mypy
# (requirements-dev.txt). Idempotent: a second run installs nothing new.
# Needs python3 (3.9 or later) with the venv module, and a Rust toolchain.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${ASTROLA_VENV:-$HOME/.cache/astrola/venv}"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
    echo "setup.sh: $python is not Python 3.9+ with the venv module (on Debian/Ubuntu: apt-get install python3-venv)" >&2
    exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-dev.txt"
echo "setup.sh: Python environment ready in $venv"

#!/usr/bin/env bash
# Builds and tests the Node package: the release addon (once), `node --test`
# (API, errors, malformed inputs, the CLI's SQL, README snippets),
# `tsc --noEmit --strict` on examples/typed-example.ts, and installs from a
# packed tarball and from the directory into fresh directories, each checked
# against the CLI. Exits non-zero on any failure.
#
# ASTROLA_CLI names the CLI binary; when unset, it is built with
# `cargo build -p astrola-cli`. CARGO_TARGET_DIR defaults to
# $HOME/.cache/astrola/target.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/astrola/target}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$here"

"$here/setup.sh"

if [ -z "${ASTROLA_CLI:-}" ]; then
  (cd "$repo" && cargo build -p astrola-cli)
  export ASTROLA_CLI="$CARGO_TARGET_DIR/debug/astrola"
fi

echo "== build: napi build --release (index.d.ts must be the committed one)"
cp index.d.ts "$scratch/index.d.ts.committed" 2>/dev/null || : > "$scratch/index.d.ts.committed"
node_modules/.bin/napi build --release --dts index.d.ts
if ! cmp -s index.d.ts "$scratch/index.d.ts.committed"; then
  echo "index.d.ts was stale; napi build regenerated it: review and commit it" >&2
  diff -u "$scratch/index.d.ts.committed" index.d.ts >&2 || true
  exit 1
fi

echo "== node --test"
node --test __test__/

echo "== tsc --noEmit --strict examples/typed-example.ts"
node_modules/.bin/tsc --noEmit --strict --module node16 --moduleResolution node16 --target es2022 --lib es2022,dom \
  examples/typed-example.ts

# The check run in each fresh directory: the installed package, imported both
# ways, gives the CLI's SQL.
cat > "$scratch/check.mjs" <<'JS'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { diff } from 'astrola'
const cjs = createRequire(import.meta.url)('astrola')
const [from, to] = process.argv.slice(2)
const cli = execFileSync(process.env.ASTROLA_CLI, ['diff', from, to, '--allow-destructive'], { encoding: 'utf8' })
for (const [how, d] of [['import', diff], ['require', cjs.diff]]) {
  const sql = d(readFileSync(from, 'utf8'), readFileSync(to, 'utf8'), { allowDestructive: true }).sql()
  if (sql !== cli || sql === '') throw new Error(`${how}: diff().sql() differs from astrola diff:\n${sql}\n---\n${cli}`)
}
console.log(`ok: ${process.cwd()}: diff().sql() equals astrola diff (${cli.length} bytes), by import and require`)
JS
check() {
  # Beside the install, so that `astrola` resolves to the installed package.
  cp "$scratch/check.mjs" "$1/check.mjs"
  (cd "$1" && node check.mjs "$here/__test__/fixtures/pg_from.sql" "$here/__test__/fixtures/pg_to.sql")
}

echo "== npm pack, then npm install <tarball> in a fresh directory"
tarball="$(npm pack --pack-destination "$scratch" | tail -n 1)"
mkdir "$scratch/from-tarball"
(cd "$scratch/from-tarball" && npm init -y >/dev/null && npm install --no-audit --no-fund "$scratch/$tarball")
check "$scratch/from-tarball"

echo "== npm install <directory> in a fresh directory"
mkdir "$scratch/from-directory"
(cd "$scratch/from-directory" && npm init -y >/dev/null && npm install --no-audit --no-fund "$here")
check "$scratch/from-directory"

echo "bindings/node: all checks passed"

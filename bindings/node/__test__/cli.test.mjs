// `diff(a, b).sql()` is exactly what `astrola diff a b` prints. ASTROLA_CLI
// names the CLI binary; without it this test fails (it never skips).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { diff, drift } from 'astrola'

const cli = process.env.ASTROLA_CLI
const fixture = (name) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

function run(args) {
  assert.ok(cli, 'ASTROLA_CLI is not set: point it at the astrola CLI binary (cargo build -p astrola-cli), as bindings/node/test.sh does')
  assert.ok(existsSync(cli), `ASTROLA_CLI=${cli} does not exist`)
  try {
    return execFileSync(cli, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    // Exit 1 means findings (refused changes, drift): stdout is still the result.
    if (error.status === 1) return error.stdout
    throw error
  }
}

for (const [dialect, from, to] of [
  ['postgres', 'pg_from.sql', 'pg_to.sql'],
  ['mysql', 'mysql_from.sql', 'mysql_to.sql'],
  ['sqlite', 'sqlite_from.sql', 'sqlite_to.sql'],
]) {
  test(`diff(...).sql() equals the stdout of astrola diff (${dialect})`, () => {
    const expected = run(['diff', fixture(from), fixture(to), '--dialect', dialect, '--allow-destructive'])
    const actual = diff(readFileSync(fixture(from), 'utf8'), readFileSync(fixture(to), 'utf8'), { dialect, allowDestructive: true }).sql()
    assert.ok(expected.length > 0)
    assert.equal(actual, expected)
    const down = run(['diff', fixture(from), fixture(to), '--dialect', dialect, '--allow-destructive', '--down'])
    assert.equal(diff(readFileSync(fixture(from), 'utf8'), readFileSync(fixture(to), 'utf8'), { dialect, allowDestructive: true }).down().sql(), down)
  })
}

test('the refused changes on DestructiveChangeError are what astrola diff prints without --allow-destructive', () => {
  const expected = run(['diff', fixture('pg_from.sql'), fixture('pg_to.sql')])
  assert.throws(
    () => diff(readFileSync(fixture('pg_from.sql'), 'utf8'), readFileSync(fixture('pg_to.sql'), 'utf8')),
    (error) => error.code === 'destructive_change' && error.changeSet.sql() === expected && /^-- refused/m.test(expected),
  )
})

test('DriftReport.toText() equals the stdout of astrola drift', () => {
  const expected = run(['drift', fixture('pg_to.sql'), fixture('pg_from.sql')])
  assert.equal(drift(readFileSync(fixture('pg_to.sql'), 'utf8'), readFileSync(fixture('pg_from.sql'), 'utf8')).toText(), expected)
})

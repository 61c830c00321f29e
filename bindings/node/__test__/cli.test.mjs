// `diff(a, b).sql()` is exactly what `astrola diff a b` prints, and the
// diagnostics of `lint` are what `astrola lint` prints. ASTROLA_CLI names
// the CLI binary; without it this test fails (it never skips).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { diff, drift, lint } from 'astrola'

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

// A migration with findings of several rules: fixes, validation queries, a
// syntax error, a suppression, and non-ASCII text before the spans.
const LINT_MIGRATION = `-- Ajoute l'index « email » (é, 😀).
CREATE INDEX users_email ON users (email);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users ADD COLUMN tier int NOT NULL;
CREATE TABLEX broken (id int);
-- astrola-ignore drop-table
DROP TABLE legacy;
ALTER TABLE users DROP COLUMN nickname;
CREATE TABLE events (id serial PRIMARY KEY, at timestamp, label varchar(20));
`

function withMigration(body) {
  const dir = mkdtempSync(join(tmpdir(), 'astrola-lint-'))
  try {
    const path = join(dir, 'V3__users.sql')
    writeFileSync(path, LINT_MIGRATION)
    return body(path)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

for (const pgVersion of [15, 10]) {
  test(`lint(...) diagnostics are the JSON of astrola lint --format json (pg ${pgVersion})`, () => {
    withMigration((path) => {
      const expected = run(['lint', path, '--format', 'json', '--pg-version', String(pgVersion)])
      const found = lint(LINT_MIGRATION, { file: path, pgVersion })
      assert.ok(found.length >= 8)
      assert.deepEqual(found.map((d) => d.toObject()), JSON.parse(expected))
      assert.equal(JSON.stringify(found, null, 2) + '\n', expected)
    })
  })
}

test('Diagnostic.render() is the text of astrola lint', () => {
  withMigration((path) => {
    const expected = run(['lint', path])
    const found = lint(LINT_MIGRATION, { file: path })
    assert.equal(found.map((d) => d.render(LINT_MIGRATION) + '\n').join('') + `${found.length} finding(s) in 1 file(s)\n`, expected)
  })
})

test('lint(...) of a real file equals astrola lint --format json', () => {
  const path = fileURLToPath(new URL('../../../../shared/corpus/schemas/postgres-regress/alter_table.sql', import.meta.url))
  const expected = run(['lint', path, '--format', 'json'])
  const found = lint(readFileSync(path, 'utf8'), { file: path })
  assert.ok(found.length > 100)
  assert.deepEqual(found.map((d) => d.toObject()), JSON.parse(expected))
})

// lint, lintAsync, rules and applyFixes: the linter of astrola-lint, with
// typed diagnostics, its options and their errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { lint, lintAsync, rules, applyFixes, parseSchema, Diagnostic, AstrolaError, ConfigError, InvalidArgumentError } from 'astrola'

// A migration whose third line builds an index on an existing table.
const MIGRATION = `CREATE TABLE audit (id bigint PRIMARY KEY);
CREATE INDEX audit_id ON audit (id);
CREATE INDEX users_email ON users (email);
`
const INDEX = 'CREATE INDEX users_email ON users (email);\n'
const FOREIGN_KEY = 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers;\n'
const BEFORE = 'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n'
const CREATE_INDEX = 'create-index-non-concurrently'

// The findings of `rule` (other rules, such as missing-lock-timeout, report
// on the same statements).
const only = (found, rule) => found.filter((d) => d.rule === rule)

test('lint finds CREATE INDEX on an existing table, on its line, with a safe fix', () => {
  const found = only(lint(MIGRATION, { file: 'V2__users.sql' }), CREATE_INDEX)
  // The index on `audit`, created two lines before, is not a finding.
  assert.equal(found.length, 1)
  const [d] = found
  assert.ok(d instanceof Diagnostic)
  assert.equal(d.severity, 'error')
  assert.deepEqual(d.span, { file: 'V2__users.sql', line: 3, column: 1, start: 81, end: 122 })
  assert.equal(MIGRATION.slice(d.span.start, d.span.end), 'CREATE INDEX users_email ON users (email)')
  assert.equal(d.statement, 'CREATE INDEX users_email ON users (email)')
  assert.equal(d.table, 'public.users')
  assert.match(d.help, /CONCURRENTLY/)
  assert.equal(d.validation, null)
  const at = MIGRATION.indexOf('CREATE INDEX users_email') + 'CREATE INDEX'.length
  assert.deepEqual(d.fix, { message: 'build the index CONCURRENTLY', applicability: 'safe', edits: [{ start: at, end: at, replacement: ' CONCURRENTLY' }] })
  const rendered = d.render(MIGRATION)
  assert.ok(rendered.startsWith('error[create-index-non-concurrently]: CREATE INDEX without CONCURRENTLY'))
  assert.match(rendered, /--> V2__users\.sql:3:1/)
  assert.match(rendered, /fix \(safe\)/)
  assert.match(String(d), /^error\[create-index-non-concurrently\] V2__users\.sql:3:1: /)
})

test('applyFixes builds the index CONCURRENTLY', () => {
  const found = only(lint(MIGRATION), CREATE_INDEX)
  const fixed = applyFixes(MIGRATION, found)
  assert.deepEqual(fixed, { source: MIGRATION.replace('CREATE INDEX users_email', 'CREATE INDEX CONCURRENTLY users_email'), applied: 1, skipped: 0 })
  assert.deepEqual(only(lint(fixed.source), CREATE_INDEX), [])
  const everything = applyFixes(MIGRATION, lint(MIGRATION))
  assert.ok(everything.applied >= 1 && everything.source.includes('CREATE INDEX CONCURRENTLY users_email'))
  assert.equal(applyFixes(MIGRATION, []).source, MIGRATION)
})

test('unsafe fixes are applied only when asked', () => {
  const sql = 'BEGIN;\nCREATE INDEX users_email ON users (email);\nCOMMIT;\n'
  const found = only(lint(sql), CREATE_INDEX)
  assert.equal(found[0].fix.applicability, 'unsafe')
  assert.equal(applyFixes(sql, found).applied, 0)
  assert.equal(applyFixes(sql, found, { unsafe: false }).applied, 0)
  assert.match(applyFixes(sql, found, { unsafe: true }).source, /CREATE INDEX CONCURRENTLY/)
})

test('the schema before the migration gives the foreign key its validation query', () => {
  const without = only(lint(FOREIGN_KEY), 'add-foreign-key-without-not-valid')
  assert.equal(without.length, 1)
  assert.equal(without[0].validation, null)
  const found = only(lint(FOREIGN_KEY, { schema: parseSchema(BEFORE) }), 'add-foreign-key-without-not-valid')
  assert.equal(found.length, 1)
  assert.match(found[0].validation, /p\.id = c\.customer_id/)
})

test('stats raise the severity and are quoted in the message', () => {
  const big = { tables: { 'public.users': { rows: 48_000_000, bytes: 9_663_676_416 } } }
  const severity = { [CREATE_INDEX]: 'info' }
  assert.deepEqual(only(lint(INDEX, { severity }), CREATE_INDEX).map((d) => d.severity), ['info'])
  const found = only(lint(INDEX, { severity, stats: big }), CREATE_INDEX)
  assert.deepEqual(found.map((d) => d.severity), ['error'])
  assert.ok(found[0].message.endsWith('locks a table of 48M rows (9.0 GB)'), found[0].message)
  // JSON text works as well, and a small table lowers the severity.
  const small = only(lint(INDEX, { stats: '{"tables": {"users": {"rows": 12}}}' }), CREATE_INDEX)
  assert.deepEqual(small.map((d) => d.severity), ['warning'])
  assert.ok(small[0].message.endsWith('locks a table of 12 rows'))
})

test('config text disables a rule, and explicit options override it', () => {
  const config = `[rules]\ndisable = ["${CREATE_INDEX}"]\n[rules.severity]\ndrop-table = "error"\n`
  assert.notDeepEqual(only(lint(INDEX), CREATE_INDEX), [])
  assert.deepEqual(only(lint(INDEX, { config }), CREATE_INDEX), [])
  assert.deepEqual(only(lint('DROP TABLE t;', { config }), 'drop-table').map((d) => d.severity), ['error'])
  assert.deepEqual(only(lint('DROP TABLE t;', { config, severity: { 'drop-table': 'info' } }), 'drop-table').map((d) => d.severity), ['info'])
  assert.deepEqual(only(lint(INDEX, { disable: [CREATE_INDEX] }), CREATE_INDEX), [])
  assert.equal(only(lint(INDEX, { config: 'transactional = true\n' }), CREATE_INDEX)[0].fix.applicability, 'unsafe')
  assert.equal(only(lint(INDEX, { config: 'transactional = true\n', transactional: false }), CREATE_INDEX)[0].fix.applicability, 'safe')
})

test('an unknown rule id throws InvalidArgumentError', () => {
  for (const options of [{ disable: ['no-such-rule'] }, { enable: [CREATE_INDEX, 'nope'] }, { severity: { nope: 'error' } }]) {
    assert.throws(() => lint(INDEX, options), (e) => e instanceof InvalidArgumentError && e.code === 'invalid_argument' && /unknown rule id/.test(e.message))
  }
  assert.throws(() => lint(INDEX, { severity: { 'drop-table': 'fatal' } }), { code: 'invalid_argument', message: /unknown severity "fatal"/ })
})

test('bad config TOML throws ConfigError with its line and column', () => {
  assert.throws(
    () => lint(INDEX, { config: 'pg_version = 14\n[rules]\ndisable = ["no-such-rule"]\n' }),
    (e) => {
      assert.ok(e instanceof ConfigError && e instanceof AstrolaError && e instanceof Error)
      assert.equal(e.code, 'config_error')
      assert.equal(e.name, 'ConfigError')
      assert.deepEqual([e.file, e.line, e.column], ['<config>', 3, 12])
      assert.match(e.message, /^<config>:3:12: .*no-such-rule/)
      return true
    },
  )
  assert.throws(() => lint(INDEX, { config: 'pg_version = 15\ntransactionl = true\n' }), { code: 'config_error', line: 2 })
  assert.throws(() => lint(INDEX, { stats: '{\n  "tables": {\n    "users": {"row": 1}\n  }\n}' }), { code: 'config_error', file: '<stats>', line: 3 })
  assert.throws(() => lint(INDEX, { stats: { tables: { users: { rows: -1 } } } }), { code: 'config_error', file: '<stats>' })
})

test('rules() lists every rule with its documentation', () => {
  const all = rules()
  const ids = all.map((r) => r.id)
  assert.equal(new Set(ids).size, ids.length)
  assert.ok(ids.length >= 20)
  const categories = new Set(['data_loss', 'backward_incompatible', 'fails_on_existing_data', 'locking', 'rewrite', 'transaction', 'idempotency', 'schema_design', 'syntax', 'configuration'])
  for (const rule of all) {
    assert.deepEqual(Object.keys(rule).sort(), ['category', 'defaultEnabled', 'documentation', 'id', 'severity'])
    assert.match(rule.documentation, /## What it does[\s\S]*## Why is this bad\?/, rule.id)
    assert.ok(categories.has(rule.category), rule.category)
    assert.ok(['info', 'warning', 'error'].includes(rule.severity))
    assert.equal(typeof rule.defaultEnabled, 'boolean')
  }
  const index = all.find((r) => r.id === CREATE_INDEX)
  assert.deepEqual([index.category, index.severity, index.defaultEnabled], ['locking', 'error', true])
  for (const d of lint(`${MIGRATION}DROP TABLE x;\nCREATE TABLEX y;\n`)) assert.ok(ids.includes(d.rule), d.rule)
  lint(INDEX, { disable: ids })
})

test('syntax errors are diagnostics, and linting goes on', () => {
  const found = lint('CREATE TABLEX t (id int8);\nDROP TABLE users;\n').filter((d) => ['syntax-error', 'drop-table'].includes(d.rule))
  assert.deepEqual(found.map((d) => [d.rule, d.span.line]), [['syntax-error', 1], ['drop-table', 2]])
})

test('a diagnostic converts to its JSON form', () => {
  const [d] = only(lint(INDEX, { file: 'm.sql' }), CREATE_INDEX)
  const object = d.toObject()
  assert.deepEqual(JSON.parse(JSON.stringify(d)), object)
  assert.deepEqual(JSON.parse(d.toJson()), object)
  assert.deepEqual(Object.keys(object).sort(), ['fix', 'help', 'message', 'rule', 'severity', 'span', 'statement', 'table'])
  assert.deepEqual(object.span, { file: 'm.sql', line: 1, column: 1, start: 0, end: INDEX.length - 2 })
  assert.throws(() => new Diagnostic())
})

test('lintAsync resolves to what lint returns, and rejects with its errors', async () => {
  const found = await lintAsync(MIGRATION, { file: 'm.sql', pgVersion: 12 })
  assert.deepEqual(found.map((d) => d.toObject()), lint(MIGRATION, { file: 'm.sql', pgVersion: 12 }).map((d) => d.toObject()))
  await assert.rejects(lintAsync(INDEX, { config: '[[' }), { code: 'config_error' })
  await assert.rejects(lintAsync(42), { code: 'invalid_argument' })
  await assert.rejects(lintAsync(INDEX, { disable: ['nope'] }), { code: 'invalid_argument' })
})

test('wrong argument types throw invalid_argument', () => {
  const [d] = lint(INDEX)
  const cases = [
    () => lint(),
    () => lint(42),
    () => lint(INDEX, 'options'),
    () => lint(INDEX, { file: 1 }),
    () => lint(INDEX, { pgVersion: '15' }),
    () => lint(INDEX, { pgVersion: 1.5 }),
    () => lint(INDEX, { pgVersion: -1 }),
    () => lint(INDEX, { schema: 'CREATE TABLE t (id int);' }),
    () => lint(INDEX, { stats: [1] }),
    () => lint(INDEX, { stats: 5 }),
    () => lint(INDEX, { stats: { tables: { t: { rows: 10n } } } }),
    () => lint(INDEX, { transactional: 'yes' }),
    () => lint(INDEX, { config: {} }),
    () => lint(INDEX, { disable: 'drop-table' }),
    () => lint(INDEX, { enable: [1] }),
    () => lint(INDEX, { severity: ['drop-table'] }),
    () => lint(INDEX, { severity: { 'drop-table': 1 } }),
    () => applyFixes(1, []),
    () => applyFixes(INDEX, 'x'),
    () => applyFixes(INDEX, [{}]),
    () => applyFixes(INDEX, [d.toObject()]),
    () => applyFixes(INDEX, [d], { unsafe: 1 }),
    () => d.render(),
    () => d.render(1),
  ]
  for (const call of cases) {
    assert.throws(call, (e) => e instanceof InvalidArgumentError && e.code === 'invalid_argument', String(call))
  }
})

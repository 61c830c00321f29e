// plan and planAsync: the online planner of astrola-planner, with typed
// phases, steps and backfills, its options and their errors, and parity
// with `astrola plan` (ASTROLA_CLI names the CLI binary; without it the
// parity test fails, it never skips).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'

import { plan, planAsync, parseSchema, Plan, ConfigError, InvalidArgumentError, UnsupportedError, ParseError } from 'astrola'

const FROM = `CREATE TABLE users (id bigint PRIMARY KEY, email text, n integer);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
`
// An index (built concurrently) and a foreign key (added NOT VALID, then validated).
const TO = `CREATE TABLE users (id bigint PRIMARY KEY, email text, n integer);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE INDEX users_email_idx ON users (email);
`
// A type change: expand, backfill, contract, with a gate and an approval.
const RETYPED = `CREATE TABLE users (id bigint PRIMARY KEY, email text, n bigint);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
`
const STATS = { tables: { users: { rows: 48000000, bytes: 9663676416 }, 'public.orders': { rows: 1000 } } }

test('plan returns typed phases and steps', () => {
  const p = plan(FROM, TO)
  assert.ok(p instanceof Plan)
  assert.equal(p.format, 1)
  assert.equal(p.dialect, 'postgres')
  assert.deepEqual(p.notes, [])
  assert.equal(p.isEmpty, false)
  assert.deepEqual(p.phases.map((phase) => phase.kind), ['expand', 'backfill', 'validate', 'contract'])
  assert.deepEqual(p.steps, p.phases.flatMap((phase) => phase.steps))

  const index = p.steps.find((s) => s.sql.some((q) => q.includes('CONCURRENTLY')))
  assert.equal(index.kind, 'ddl')
  assert.equal(index.transactional, false)
  assert.equal(index.statementTimeoutMs, null)
  assert.deepEqual(index.lock, { mode: 'share_update_exclusive', table: 'public.users' })
  assert.equal(index.retry.maxAttempts, 5)
  assert.ok(Array.isArray(index.retry.retryOn))
  assert.ok(index.reversible && index.rollback.length > 0)
  assert.equal(index.backfill, null)
  assert.equal(index.approval, null)
  assert.equal(index.blocking, null)
  assert.equal(index.estimate, null)

  const fk = p.steps.find((s) => s.sql.some((q) => q.includes('FOREIGN KEY') && q.includes('NOT VALID')))
  assert.equal(fk.lockTimeoutMs, 2000)
  const validate = p.phases.find((phase) => phase.kind === 'validate')
  const check = validate.steps.find((s) => s.sql.some((q) => q.includes('VALIDATE CONSTRAINT')))
  assert.ok(check.preflight.length > 0)
  assert.match(check.preflight[0].sql, /^SELECT count\(\*\)/)
  assert.equal(typeof check.preflight[0].description, 'string')
  assert.match(String(p), /^Plan \{ steps: \d+/)
})

test('backfills, gates and approvals are typed', () => {
  const p = plan(FROM, RETYPED, { batchSize: 250, pauseMs: 20, windows: ['22:00-06:00'], lagQuery: 'SELECT 0', maxLagMs: 500 })
  const [step] = p.phases[1].steps
  assert.equal(step.kind, 'backfill')
  assert.deepEqual(step.sql, [])
  const b = step.backfill
  assert.equal(b.table, 'public.users')
  assert.equal(b.strategy, 'keyset')
  assert.deepEqual(b.key, ['id'])
  assert.ok(b.firstBatchSql && b.nextBatchSql)
  assert.equal(b.batch.size, 250)
  assert.equal(b.batch.targetDurationMs, null)
  assert.deepEqual(b.throttle, { pauseMs: 20, lagQuery: 'SELECT 0', maxLagMs: 500, windows: [{ start: '22:00', end: '06:00' }] })
  assert.ok(b.verify.rowCountSql && b.verify.remainingSql && b.verify.checksumSql)
  const gates = p.phases.map((phase) => phase.gate).filter((g) => g !== null)
  assert.ok(gates.length > 0 && gates.every((g) => g.id && g.description))
  const approvals = p.steps.map((s) => s.approval).filter((a) => a !== null)
  assert.ok(approvals.length > 0 && approvals[0].reason)
})

test('stats give estimates, as an object or as JSON text', () => {
  const p = plan(FROM, TO, { stats: STATS })
  const estimates = p.steps.map((s) => s.estimate).filter((e) => e !== null)
  assert.ok(estimates.length > 0 && estimates[0].basis)
  assert.equal(plan(FROM, TO, { stats: JSON.stringify(STATS) }).toJson(), p.toJson())
})

test('scripts, text, SQL and the JSON forms', () => {
  const p = plan(FROM, TO)
  const scripts = p.scripts()
  assert.equal(scripts.length, p.steps.length)
  assert.deepEqual(scripts.map((s) => s.step), p.steps.map((s) => s.id))
  assert.ok(scripts.every((s) => s.name.endsWith('.sql') && s.sql.length > 0))
  assert.ok(scripts.every((s) => p.toSql().includes(s.name)))
  assert.match(p.toText(), /CONCURRENTLY/)
  assert.deepEqual(p.toObject(), JSON.parse(p.toJson()))
  assert.deepEqual(JSON.parse(JSON.stringify(p)), JSON.parse(p.toJson()))
  // The JSON form keeps the contract's snake_case keys.
  assert.ok('lock_timeout_ms' in p.toObject().phases[0].steps.find((s) => s.lock_timeout_ms !== undefined))
})

test('Schema arguments, renames and the same schema', () => {
  assert.equal(plan(parseSchema(FROM), parseSchema(TO)).toJson(), plan(FROM, TO).toJson())
  assert.equal(plan(FROM, FROM).isEmpty, true)
  const renamed = FROM.replace('email text,', 'mail text, -- @renamed from=email\n')
  const hinted = plan(FROM, renamed, { allowDestructive: true }).toJson()
  assert.equal(plan(FROM, parseSchema(renamed), { allowDestructive: true }).toJson(), hinted)
  assert.notEqual(plan(FROM, renamed.replace(' -- @renamed from=email', ''), { allowDestructive: true }).toJson(), hinted)
})

test('destructive changes are left out unless allowed, then need approval', () => {
  const dropped = FROM.replace(', n integer', '')
  const refused = plan(FROM, dropped)
  assert.ok(refused.notes.length > 0)
  assert.ok(!refused.steps.some((s) => s.sql.some((q) => q.includes('DROP COLUMN'))))
  assert.ok(plan(FROM, dropped, { allowDestructive: true }).steps.some((s) => s.approval !== null))
})

test('bad stats throw ConfigError naming the field', () => {
  assert.throws(
    () => plan(FROM, TO, { stats: '{\n  "tables": {\n    "users": {"row": 1}\n  }\n}' }),
    (e) => e instanceof ConfigError && e.code === 'config_error' && e.file === '<stats>' && e.line === 3 && /row/.test(e.message),
  )
  assert.throws(() => plan(FROM, TO, { stats: { tables: { users: { rows: -1 } } } }), ConfigError)
  assert.throws(() => plan(FROM, TO, { stats: 42 }), InvalidArgumentError)
})

test('other dialects throw UnsupportedError', () => {
  const mysql = parseSchema('CREATE TABLE t (id INT PRIMARY KEY);', { dialect: 'mysql' })
  assert.throws(() => plan(mysql, mysql), (e) => e instanceof UnsupportedError && e.code === 'unsupported' && /PostgreSQL/.test(e.message))
})

test('bad options throw InvalidArgumentError', () => {
  for (const options of [
    { pgVersion: 7 },
    { pgVersion: '15' },
    { lockTimeoutMs: -1 },
    { batchSize: 0 },
    { batchSize: 1.5 },
    { windows: '22:00-06:00' },
    { windows: ['22:00'] },
    { windows: ['25:00-06:00'] },
    { maxLagMs: 100 },
    { allowDestructive: 1 },
  ]) {
    assert.throws(() => plan(FROM, TO, options), (e) => e instanceof InvalidArgumentError && e.code === 'invalid_argument', JSON.stringify(options))
  }
  assert.throws(() => plan(42, TO), InvalidArgumentError)
  assert.throws(() => plan(FROM, TO, 'options'), InvalidArgumentError)
  assert.throws(() => plan(FROM, 'CREATE TABLE (;'), (e) => e instanceof ParseError && e.code === 'parse_error')
})

test('planAsync resolves to the same plan and rejects with the same errors', async () => {
  const p = await planAsync(FROM, RETYPED, { stats: STATS })
  assert.ok(p instanceof Plan)
  assert.equal(p.toJson(), plan(FROM, RETYPED, { stats: STATS }).toJson())
  await assert.rejects(planAsync(FROM, TO, { stats: '{"tables": {"users": {"row": 1}}}' }), ConfigError)
  await assert.rejects(planAsync(FROM, TO, { pgVersion: 7 }), InvalidArgumentError)
  // Bad arguments are checked on the main thread, before the Promise.
  await assert.rejects(planAsync(42, TO), InvalidArgumentError)
})

test('require gives the same functions', () => {
  const cjs = createRequire(import.meta.url)('astrola')
  assert.equal(cjs.plan, plan)
  assert.equal(cjs.planAsync, planAsync)
  assert.equal(cjs.Plan, Plan)
})

test('toJson(), toText() and toSql() are what astrola plan prints', () => {
  const cli = process.env.ASTROLA_CLI
  assert.ok(cli, 'ASTROLA_CLI is not set: point it at the astrola CLI binary (cargo build -p astrola-cli), as bindings/node/test.sh does')
  assert.ok(existsSync(cli), `ASTROLA_CLI=${cli} does not exist`)
  const dir = mkdtempSync(join(tmpdir(), 'astrola-plan-'))
  try {
    for (const [to, status] of [[TO, 0], [RETYPED, 1]]) {
      const files = { from: join(dir, 'from.sql'), to: join(dir, 'to.sql'), stats: join(dir, 'stats.json') }
      writeFileSync(files.from, FROM)
      writeFileSync(files.to, to)
      writeFileSync(files.stats, JSON.stringify(STATS))
      const run = (...flags) => {
        try {
          const stdout = execFileSync(cli, ['plan', files.from, files.to, '--stats', files.stats, '--lock-timeout', '500ms', ...flags], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
          return { status: 0, stdout }
        } catch (error) {
          return { status: error.status, stdout: error.stdout }
        }
      }
      const p = plan(FROM, to, { stats: STATS, lockTimeoutMs: 500 })
      const json = run('--format', 'json')
      assert.equal(json.status, status)
      assert.equal(json.stdout, p.toJson() + '\n')
      assert.equal(run().stdout, p.toText())
      assert.equal(run('--format', 'sql').stdout, p.toSql())
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

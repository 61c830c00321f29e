// merge, mergeAsync, mergeHistories and mergeHistoriesAsync: the three-way
// merge of astrola-diff, with typed conflicts, rename hints, errors with
// their codes, and parity with `astrola merge` (ASTROLA_CLI names the CLI
// binary; without it the parity tests fail, they never skip).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'

import {
  merge,
  mergeAsync,
  mergeHistories,
  mergeHistoriesAsync,
  diff,
  parseSchema,
  Merge,
  Conflict,
  HistoryMerge,
  ChangeSet,
  Schema,
  ParseError,
  DialectMismatchError,
  InvalidArgumentError,
  MigrationsError,
} from 'astrola'

const BASE = `CREATE TABLE users (id bigint PRIMARY KEY, name text, email varchar(100));
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint, body text);
`
// Ours widens email to text and indexes posts.
const OURS = `CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint, body text);
CREATE INDEX posts_user_idx ON posts (user_id);
`
// Theirs widens email differently (a conflict) and adds a table.
const THEIRS = `CREATE TABLE users (id bigint PRIMARY KEY, name text, email varchar(320));
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint, body text);
CREATE TABLE teams (id bigint);
`
// Theirs, with no conflict with OURS: a table added.
const THEIRS_CLEAN = BASE + 'CREATE TABLE teams (id bigint);\n'
// Theirs renames users.name, declared with a hint.
const THEIRS_RENAMED = `CREATE TABLE users (
    id bigint PRIMARY KEY,
    full_name text, -- @renamed from=name
    email varchar(100)
);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint, body text);
`
const TEAMS = 'CREATE TABLE public.teams (\n    id bigint\n);\n'

test('a clean merge gives the migration for the branch that lands second', () => {
  const m = merge(BASE, OURS, THEIRS_CLEAN)
  assert.ok(m instanceof Merge)
  assert.equal(m.isClean, true)
  assert.equal(m.format, 1)
  assert.deepEqual(m.conflicts, [])
  assert.deepEqual(m.notes, [])
  assert.equal(m.sql(), TEAMS)
  assert.ok(m.changes instanceof ChangeSet)
  assert.equal(m.changes.isComplete, true)
  assert.deepEqual(m.changes.changes.map((c) => c.kind), ['create_table'])
  assert.ok(m.schema instanceof Schema)
  assert.equal(m.schema.table('users').columns[2].dataType, 'text')
  assert.deepEqual(m.schema.indexes.map((i) => i.name), ['posts_user_idx'])
  // The migration reaches the merged schema from ours.
  assert.equal(diff(OURS, m.schema).sql(), m.sql())
  assert.match(m.toText(), /merge cleanly/)
  assert.equal(String(m), 'Merge { conflicts: 0, changes: 1, clean: true }')
})

test('conflicts are typed and explained', () => {
  const m = merge(BASE, OURS, THEIRS)
  assert.equal(m.isClean, false)
  const [c, ...rest] = m.conflicts
  assert.equal(rest.length, 0)
  assert.ok(c instanceof Conflict)
  assert.deepEqual([c.kind, c.objectType, c.object], ['incompatible', 'column', 'public.users.email'])
  assert.match(c.base, /character varying\(100\)/)
  assert.match(c.ours, /email text/)
  assert.match(c.theirs, /character varying\(320\)/)
  assert.equal(c.oursChange, 'changes column public.users.email: type character varying(100) -> text')
  assert.match(c.theirsChange, /type character varying\(100\) -> character varying\(320\)/)
  assert.ok(c.explanation.length > 0 && c.resolution.length > 0)
  assert.equal(c.oursSql, 'ALTER TABLE public.users ALTER COLUMN email TYPE text;\n')
  assert.equal(c.theirsSql, 'ALTER TABLE public.users ALTER COLUMN email TYPE character varying(320);\n')
  assert.equal(String(c), 'incompatible column public.users.email')
  assert.deepEqual(c.toObject(), m.toObject().conflicts[0])
  assert.equal(c.toObject().ours_change, c.oursChange)
  // The rest still merges; ours' version of the column is kept.
  assert.equal(m.sql(), TEAMS)
  assert.equal(m.schema.table('users').columns[2].dataType, 'text')
  const markers = m.sqlWithMarkers()
  assert.ok(markers.startsWith(m.sql()))
  assert.ok(markers.includes('<<<<<<< ours: column public.users.email (incompatible)\nALTER TABLE public.users ALTER COLUMN email TYPE text;\n=======\n'))
  assert.ok(markers.endsWith('>>>>>>> theirs\n'))
  assert.ok(m.toText().startsWith('1 conflict(s):'))
})

test('order-dependent and semantic conflicts', () => {
  const base = 'CREATE TABLE t (id int PRIMARY KEY, a int); CREATE TABLE u (id int PRIMARY KEY);'
  const both = merge(base, base + 'ALTER TABLE t ADD COLUMN x int;', base + 'ALTER TABLE t ADD COLUMN y int;')
  assert.deepEqual(both.conflicts.map((c) => [c.kind, c.objectType, c.object]), [['order_dependent', 'table', 'public.t']])
  const dropped = merge(base, 'CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE u (id int PRIMARY KEY);', base + 'CREATE INDEX t_a_idx ON t (a);')
  assert.ok(dropped.conflicts.some((c) => c.kind === 'semantic'))
})

test('identical changes merge as one', () => {
  const m = merge(BASE, OURS, OURS)
  assert.equal(m.isClean, true)
  assert.equal(m.changes.isEmpty, true)
  assert.equal(m.sql(), '')
  assert.ok(m.schema.equals(parseSchema(OURS)))
})

test('rename hints of either branch are honoured', () => {
  const ours = BASE.replace('name text', 'name varchar(50)')
  const m = merge(BASE, ours, THEIRS_RENAMED)
  assert.equal(m.isClean, true, m.conflicts.map(String).join('; '))
  assert.equal(m.sql(), 'ALTER TABLE public.users RENAME COLUMN name TO full_name;\n')
  const column = m.schema.table('users').columns[1]
  assert.deepEqual([column.name, column.dataType], ['full_name', 'character varying(50)'])
  assert.equal(diff(ours, m.schema).sql(), m.sql())
  assert.equal(m.changes.downSql(), 'ALTER TABLE public.users RENAME COLUMN full_name TO name;\n')
  assert.equal(merge(parseSchema(BASE), parseSchema(ours), parseSchema(THEIRS_RENAMED)).toJson(), m.toJson())
  // Without the hint the rename is a drop and an add: the drop is refused,
  // and the merge says so instead of throwing.
  const unhinted = merge(BASE, BASE, THEIRS_RENAMED.replace(' -- @renamed from=name', ''))
  assert.equal(unhinted.isClean, true)
  assert.equal(unhinted.changes.isComplete, false)
  assert.deepEqual(unhinted.changes.refused.map((c) => c.kind), ['drop_column'])
  assert.match(unhinted.sql(), /-- refused/)
  // A use of the old name on the other side is a conflict.
  assert.equal(merge(BASE, BASE + 'CREATE INDEX users_name_idx ON users (name);', THEIRS_RENAMED).isClean, false)
})

test('allowDestructive renders theirs\' drops', () => {
  const theirs = 'CREATE TABLE users (id bigint PRIMARY KEY, name text, email varchar(100));'
  assert.equal(merge(BASE, BASE, theirs).changes.isComplete, false)
  const allowed = merge(BASE, BASE, theirs, { allowDestructive: true })
  assert.equal(allowed.changes.isComplete, true)
  assert.equal(allowed.sql(), 'DROP TABLE public.posts;\n')
})

test('toObject, toJSON and toJson are the Merge JSON', () => {
  const m = merge(BASE, OURS, THEIRS)
  assert.deepEqual(JSON.parse(m.toJson()), m.toObject())
  assert.deepEqual(JSON.parse(JSON.stringify(m)), m.toObject())
  assert.deepEqual(Object.keys(m.toObject()).sort(), ['changes', 'conflicts', 'format', 'notes', 'schema'])
  assert.deepEqual(m.toObject().changes, m.changes.toObject())
})

test('errors carry their codes', () => {
  assert.throws(
    () => merge(BASE, OURS, 'CREATE TABLE teams (id bigint);\nCREATE TABLE (;'),
    (e) => e instanceof ParseError && e.code === 'parse_error' && e.line === 2 && e.column >= 1 && e.statement.includes('CREATE TABLE ('),
  )
  const mysql = parseSchema('CREATE TABLE users (id INT PRIMARY KEY);', { dialect: 'mysql' })
  assert.throws(() => merge(BASE, OURS, mysql), (e) => e instanceof DialectMismatchError && e.code === 'dialect_mismatch')
  const other = merge(mysql, mysql, 'CREATE TABLE users (id INT PRIMARY KEY, n INT);', { dialect: 'mysql' })
  assert.equal(other.changes.dialect, 'mysql')
  for (const call of [
    () => merge(BASE, OURS, 42),
    () => merge(BASE, OURS),
    () => merge(BASE, OURS, THEIRS, { dialect: 'oracle' }),
    () => merge(BASE, OURS, THEIRS, { allowDestructive: 1 }),
    () => merge(BASE, OURS, THEIRS, 'options'),
    () => mergeHistories('V1__a.sql', {}),
    () => mergeHistories([['V1__a.sql', 1]], {}),
    () => mergeHistories([['V1__a.sql']], {}),
    () => mergeHistories([{ name: 'V1__a.sql' }], {}),
    () => mergeHistories(['V1__a.sql'], {}),
    () => mergeHistories({ 'V1__a.sql': null }, {}),
    () => mergeHistories(null, {}),
  ]) {
    assert.throws(call, (e) => e instanceof InvalidArgumentError && e.code === 'invalid_argument', String(call))
  }
})

const V1 = 'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(10));'

test('mergeHistories proposes a linear order', () => {
  const ours = { 'V1__init.sql': V1, 'V2__name.sql': 'ALTER TABLE users ADD COLUMN name text;' }
  // Pairs and {name, sql} objects work as well as an object of files.
  const theirs = [['V1__init.sql', V1], { name: 'V2__teams.sql', sql: 'CREATE TABLE teams (id bigint);' }]
  const h = mergeHistories(ours, theirs)
  assert.ok(h instanceof HistoryMerge)
  assert.deepEqual([h.common, h.oursTail, h.theirsTail], [['V1__init.sql'], ['V2__name.sql'], ['V2__teams.sql']])
  assert.equal(h.diverged, true)
  assert.equal(h.commute, true)
  assert.deepEqual(h.notes, [])
  assert.deepEqual(h.order, ['V1__init.sql', 'V2__name.sql', 'V3__teams.sql'])
  assert.deepEqual(h.renumbered, [{ from: 'V2__teams.sql', to: 'V3__teams.sql' }])
  assert.ok(h.merge instanceof Merge)
  assert.equal(h.merge.sql(), TEAMS)
  assert.equal(h.merge.changes.downSql({ allowDestructive: true }), 'DROP TABLE public.teams;\n')
  assert.deepEqual(JSON.parse(h.toJson()), h.toObject())
  assert.match(String(h), /^HistoryMerge \{ common: 1/)
})

test('mergeHistories: tails that do not commute, and bad files', () => {
  const ours = { '0001_init.up.sql': V1, '0002_a.up.sql': 'ALTER TABLE users ALTER email TYPE text;' }
  const theirs = { '0001_init.up.sql': V1, '0002_b.up.sql': 'ALTER TABLE users ALTER email TYPE varchar(200);' }
  const h = mergeHistories(ours, theirs)
  assert.equal(h.commute, false)
  assert.deepEqual(h.order, [])
  assert.deepEqual(h.merge.conflicts.map((c) => c.kind), ['incompatible'])
  assert.throws(() => mergeHistories({ 'init.sql': V1 }, {}), (e) => e instanceof MigrationsError && e.code === 'migrations_error' && /init\.sql/.test(e.message))
  assert.throws(
    () => mergeHistories({ 'V1__init.sql': V1, 'V2__bad.sql': 'ALTER TABLE nope ADD COLUMN x int;' }, { 'V1__init.sql': V1 }),
    (e) => e instanceof ParseError && e.file === 'V2__bad.sql',
  )
})

test('mergeAsync and mergeHistoriesAsync resolve to the same results and reject with the same errors', async () => {
  const m = await mergeAsync(BASE, OURS, THEIRS)
  assert.ok(m instanceof Merge)
  assert.equal(m.toJson(), merge(BASE, OURS, THEIRS).toJson())
  await assert.rejects(mergeAsync(BASE, OURS, 'CREATE TABLE (;'), ParseError)
  await assert.rejects(mergeAsync(BASE, OURS, parseSchema('CREATE TABLE t (id INT);', { dialect: 'mysql' })), DialectMismatchError)
  // Bad arguments are checked on the main thread, before the Promise.
  await assert.rejects(mergeAsync(BASE, OURS, 42), InvalidArgumentError)
  const files = { 'V1__init.sql': V1 }
  const h = await mergeHistoriesAsync(files, { ...files, 'V2__x.sql': 'CREATE TABLE x (id int);' })
  assert.equal(h.toJson(), mergeHistories(files, { ...files, 'V2__x.sql': 'CREATE TABLE x (id int);' }).toJson())
  await assert.rejects(mergeHistoriesAsync({ 'x.sql': V1 }, {}), MigrationsError)
  await assert.rejects(mergeHistoriesAsync(42, {}), InvalidArgumentError)
})

test('require gives the same functions', () => {
  const cjs = createRequire(import.meta.url)('astrola')
  assert.equal(cjs.merge, merge)
  assert.equal(cjs.mergeAsync, mergeAsync)
  assert.equal(cjs.mergeHistories, mergeHistories)
  assert.equal(cjs.Merge, Merge)
  assert.equal(cjs.MigrationsError, MigrationsError)
})

function cli() {
  const path = process.env.ASTROLA_CLI
  assert.ok(path, 'ASTROLA_CLI is not set: point it at the astrola CLI binary (cargo build -p astrola-cli), as bindings/node/test.sh does')
  assert.ok(existsSync(path), `ASTROLA_CLI=${path} does not exist`)
  return (...args) => {
    try {
      return { status: 0, stdout: execFileSync(path, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) }
    } catch (error) {
      return { status: error.status, stdout: error.stdout }
    }
  }
}

test('toJson(), toText(), sql() and sqlWithMarkers() are what astrola merge prints', () => {
  const run = cli()
  const dir = mkdtempSync(join(tmpdir(), 'astrola-merge-'))
  try {
    for (const theirs of [THEIRS_CLEAN, THEIRS, THEIRS_RENAMED]) {
      const paths = ['base', 'ours', 'theirs'].map((n) => join(dir, `${n}.sql`))
      writeFileSync(paths[0], BASE)
      writeFileSync(paths[1], OURS)
      writeFileSync(paths[2], theirs)
      const m = merge(BASE, OURS, theirs)
      const json = run('merge', ...paths, '--format', 'json')
      assert.equal(json.status, m.isClean ? 0 : 1)
      assert.equal(json.stdout, m.toJson() + '\n')
      assert.equal(run('merge', ...paths).stdout, m.toText())
      assert.equal(run('merge', ...paths, '--format', 'sql').stdout, m.sql())
      assert.equal(run('merge', ...paths, '--format', 'sql', '--markers').stdout, m.sqlWithMarkers())
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the HistoryMerge JSON is what astrola merge --history prints', () => {
  const run = cli()
  const dir = mkdtempSync(join(tmpdir(), 'astrola-merge-history-'))
  try {
    const ours = { 'V1__init.sql': V1, 'V2__name.sql': 'ALTER TABLE users ADD COLUMN name text;' }
    const theirs = { 'V1__init.sql': V1, 'V2__teams.sql': 'CREATE TABLE teams (id bigint);', 'V3__more.sql': 'CREATE TABLE more (id bigint);' }
    for (const [side, files] of [['ours', ours], ['theirs', theirs]]) {
      mkdirSync(join(dir, side))
      for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, side, name), sql)
    }
    const out = run('merge', '--history', join(dir, 'ours'), join(dir, 'theirs'), '--format', 'json')
    assert.equal(out.status, 0)
    assert.equal(out.stdout, mergeHistories(ours, theirs).toJson() + '\n')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('malformed inputs give only coded errors, sync and async', async () => {
  // A seeded generator (mulberry32), so that a failure reproduces.
  let seed = 0x6d3e_a57
  const random = () => {
    seed = (seed + 0x6d2b79f5) >>> 0
    let t = seed
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n) => Math.floor(random() * n)
  const tokens = ['CREATE', 'TABLE', 'ALTER', 'DROP', 'ADD', 'COLUMN', 'INDEX', 'ON', 'int', 'text', '(', ')', ',', ';', "'", '"', '-- @renamed from=', '\n', 't', 'x', 'é', '\0', 'TYPE', 'ENUM', 'AS']
  const sources = [BASE, OURS, THEIRS, THEIRS_RENAMED]
  const inputs = []
  for (let i = 0; i < 600; i++) {
    const source = sources[int(sources.length)]
    inputs.push(source.slice(0, int(source.length + 1)))
    inputs.push(Array.from({ length: 1 + int(30) }, () => tokens[int(tokens.length)]).join(' '))
    const chars = [...source]
    for (let k = 0; k < 1 + int(5); k++) chars.splice(int(chars.length), 1, tokens[int(tokens.length)])
    inputs.push(chars.join(''))
  }
  const wrong = [undefined, null, 0, 1.5, true, 10n, Symbol('s'), [], [1], {}, { name: 1 }, () => 1, new Uint8Array(2), 'oracle']
  const codes = new Set(['parse_error', 'json_error', 'unsupported', 'dialect_mismatch', 'invalid_argument', 'migrations_error'])
  const failures = []
  let calls = 0
  const check = (what, error) => {
    if (!(error instanceof Error) || !codes.has(error.code)) failures.push(`${what}: ${String(error?.stack ?? error).slice(0, 300)}`)
  }
  const call = (what, fn) => {
    calls++
    try {
      const out = fn()
      if (out instanceof Merge) {
        out.toJson(), out.toText(), out.sqlWithMarkers(), out.changes.sql(), out.conflicts.map((c) => c.toJson())
      }
    } catch (error) {
      check(what, error)
    }
  }
  const pending = []
  for (const [i, sql] of inputs.entries()) {
    call('merge', () => merge(BASE, sql, OURS))
    call('merge', () => merge(sql, OURS, sql, { allowDestructive: i % 2 === 0 }))
    call('mergeHistories', () => mergeHistories({ 'V1__a.sql': BASE, 'V2__b.sql': sql }, [['V1__a.sql', BASE], { name: 'V2__c.sql', sql }]))
    call('mergeHistories', () => mergeHistories({ [`${sql.slice(0, 40)}.sql`]: sql }, {}))
    if (i % 10 === 0) {
      calls++
      pending.push(mergeAsync(sql, BASE, OURS).catch((e) => check('mergeAsync', e)))
    }
  }
  for (const bad of wrong) {
    call('merge', () => merge(bad, OURS, THEIRS))
    call('merge', () => merge(BASE, OURS, THEIRS, bad))
    call('merge', () => merge(BASE, OURS, THEIRS, { dialect: bad }))
    call('merge', () => merge(BASE, OURS, THEIRS, { allowDestructive: bad }))
    call('mergeHistories', () => mergeHistories(bad, {}))
    call('mergeHistories', () => mergeHistories([bad], {}))
    call('mergeHistories', () => mergeHistories({ 'V1__a.sql': bad }, {}))
    call('mergeHistories', () => mergeHistories([{ name: 'V1__a.sql', sql: bad }], {}))
    call('mergeHistories', () => mergeHistories({}, {}, bad))
    calls++
    pending.push(mergeHistoriesAsync(bad, {}).catch((e) => check('mergeHistoriesAsync', e)))
  }
  await Promise.all(pending)
  assert.deepEqual(failures.slice(0, 20), [])
  assert.ok(calls >= 7000, String(calls))
})

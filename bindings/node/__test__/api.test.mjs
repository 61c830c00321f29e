// The API of docs/bindings-api.md, through the ES module entry point.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'

import astrolaDefault, {
  parseSchema,
  parseSchemaAsync,
  diff,
  diffAsync,
  drift,
  driftAsync,
  Schema,
  ChangeSet,
  Change,
  DriftReport,
  Drift,
  Table,
  AstrolaError,
  DestructiveChangeError,
  DialectMismatchError,
} from 'astrola'

const fixture = (name) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

test('the ES module and CommonJS entry points export the same values', async () => {
  const { createRequire } = await import('node:module')
  const cjs = createRequire(import.meta.url)('astrola')
  assert.equal(astrolaDefault, cjs)
  assert.equal(parseSchema, cjs.parseSchema)
  assert.equal(Schema, cjs.Schema)
  assert.equal(AstrolaError, cjs.AstrolaError)
})

test('parseSchema builds a schema with lazy object handles', () => {
  const s = parseSchema(fixture('pg_to.sql'), { file: 'pg_to.sql' })
  assert.ok(s instanceof Schema)
  assert.equal(s.dialect, 'postgres')
  assert.deepEqual(s.tables.map((t) => t.qualifiedName), ['public.customers', 'public.order_items', 'public.orders'])
  const customers = s.table('customers')
  assert.ok(customers instanceof Table)
  assert.equal(s.table('public.customers').name, 'customers')
  assert.equal(s.table('nope'), null)
  assert.equal(customers.schema, 'public')
  assert.deepEqual(customers.primaryKey, ['id'])
  const email = customers.columns.find((c) => c.name === 'email')
  assert.equal(email.dataType, 'character varying(320)')
  assert.equal(email.nullable, false)
  assert.equal(email.identity, null)
  const id = customers.columns[0]
  assert.match(id.default, /nextval/)
  assert.deepEqual(customers.constraints.map((c) => c.kind).sort(), ['primary_key', 'unique'])
  const fk = s.table('orders').constraints.find((c) => c.kind === 'foreign_key')
  assert.equal(fk.references, 'public.customers')
  assert.deepEqual(fk.columns, ['customer_id'])
  const index = s.table('orders').indexes[0]
  assert.equal(index.name, 'orders_customer_idx')
  assert.equal(index.table, 'public.orders')
  assert.equal(index.method, 'btree')
  assert.equal(index.unique, false)
  assert.deepEqual(index.columns, ['customer_id', 'placed_at DESC'])
  assert.equal(index.where, null)
  assert.deepEqual(s.views.map((v) => v.name), ['customer_totals'])
  assert.deepEqual(s.types.map((t) => [t.name, t.kind, t.labels]), [['order_status', 'enum', ['pending', 'paid', 'shipped']]])
  assert.ok(s.sequences.some((q) => q.name === 'customers_id_seq' && q.dataType === 'bigint' && q.ownedBy === 'public.customers.id'))
  assert.deepEqual(s.warnings, [])
  assert.match(s.toString(), /tables: 3/)
})

test('warnings, functions and extensions', () => {
  const s = parseSchema(
    `CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
CREATE FUNCTION add1(i integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT i + 1';
CREATE TABLE t (id int);
CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING;`,
    { file: 'w.sql' },
  )
  assert.deepEqual(s.extensions.map((e) => [e.name, e.schema]), [['pgcrypto', 'public']])
  assert.deepEqual(s.functions.map((f) => [f.name, f.returns, f.language, f.procedure]), [['add1', 'integer', 'sql', false]])
  assert.equal(s.warnings.length, 1)
  assert.equal(s.warnings[0].span.file, 'w.sql')
  assert.equal(s.warnings[0].span.line, 4)
})

test('toJson round-trips and toObject/toJSON are the serde JSON', () => {
  for (const [sql, dialect] of [
    [fixture('pg_to.sql'), 'postgres'],
    [fixture('mysql_to.sql'), 'mysql'],
    [fixture('sqlite_to.sql'), 'sqlite'],
  ]) {
    const s = parseSchema(sql, { dialect })
    const again = Schema.fromJson(s.toJson())
    assert.ok(again.equals(s), dialect)
    assert.equal(again.toJson(), s.toJson())
    assert.equal(again.toSql(), s.toSql())
    assert.deepEqual(s.toObject(), JSON.parse(s.toJson()))
    assert.deepEqual(JSON.parse(JSON.stringify(s)), JSON.parse(s.toJson()))
    const t = s.tables[0]
    assert.deepEqual(t.toObject(), JSON.parse(t.toJson()))
    assert.deepEqual(JSON.parse(JSON.stringify(t.columns[0])), t.columns[0].toObject())
  }
  assert.equal(parseSchema('CREATE TABLE a (id int);').equals(parseSchema('CREATE TABLE b (id int);')), false)
  assert.equal(parseSchema('CREATE TABLE a (id int);').equals('CREATE TABLE a (id int);'), false)
})

test('toSql renders canonical DDL that parses back to the same schema', () => {
  const s = parseSchema(fixture('pg_to.sql'))
  assert.ok(parseSchema(s.toSql()).equals(s))
})

test('diff returns the ChangeSet, with renames from the target side', () => {
  const cs = diff(fixture('pg_from.sql'), fixture('pg_to.sql'), { allowDestructive: true })
  assert.ok(cs instanceof ChangeSet)
  assert.equal(cs.dialect, 'postgres')
  assert.equal(cs.isEmpty, false)
  assert.equal(cs.isComplete, true)
  const kinds = cs.changes.map((c) => c.kind)
  assert.ok(kinds.includes('rename_column'), kinds.join(','))
  assert.ok(kinds.includes('create_table'))
  assert.ok(kinds.includes('drop_table'))
  assert.ok(cs.changes.every((c) => c instanceof Change))
  const rename = cs.changes.find((c) => c.kind === 'rename_column')
  assert.equal(rename.object, 'public.customers.full_name')
  assert.match(rename.sql(), /RENAME COLUMN name TO full_name/)
  const drop = cs.changes.find((c) => c.kind === 'drop_table')
  assert.equal(drop.destructive, true)
  assert.equal(drop.destruction, 'data')
  assert.equal(drop.refused, false)
  assert.match(cs.sql(), /RENAME COLUMN name TO full_name/)
  assert.doesNotMatch(cs.sql(), /DROP COLUMN name/)
  assert.equal(cs.statements.map((s) => s.sql).join(''), cs.sql())
  assert.ok(cs.statements.every((s) => typeof s.transactional === 'boolean'))
  assert.deepEqual(cs.refused, [])
  assert.deepEqual(cs.toObject(), JSON.parse(cs.toJson()))
  assert.equal(JSON.parse(JSON.stringify(cs)).format, 1)
  assert.equal(cs.changes[0].toObject().kind, cs.changes[0].kind)
})

test('a diff of a schema with itself is empty', () => {
  const s = parseSchema(fixture('pg_to.sql'))
  const cs = diff(s, s)
  assert.equal(cs.isEmpty, true)
  assert.equal(cs.sql(), '')
})

test('Schema objects can be passed instead of SQL, and keep their renames', () => {
  const from = parseSchema(fixture('pg_from.sql'))
  const to = parseSchema(fixture('pg_to.sql'))
  const bySql = diff(fixture('pg_from.sql'), fixture('pg_to.sql'), { allowDestructive: true }).sql()
  assert.equal(diff(from, to, { allowDestructive: true }).sql(), bySql)
  assert.equal(diff(fixture('pg_from.sql'), to, { allowDestructive: true }).sql(), bySql)
  assert.equal(diff(from, fixture('pg_to.sql'), { allowDestructive: true }).sql(), bySql)
})

test('destructive changes are refused by default, with the change set on the error', () => {
  const from = 'CREATE TABLE t (id int PRIMARY KEY, legacy text);'
  const to = 'CREATE TABLE t (id int PRIMARY KEY);'
  const err = assert.throws(() => diff(from, to), DestructiveChangeError)
  let caught
  try {
    diff(from, to)
  } catch (e) {
    caught = e
  }
  assert.ok(caught instanceof AstrolaError && caught instanceof Error)
  assert.equal(caught.code, 'destructive_change')
  assert.equal(caught.name, 'DestructiveChangeError')
  assert.ok(caught.changeSet instanceof ChangeSet)
  assert.deepEqual(caught.refused.map((c) => `${c.kind} ${c.object}`), ['drop_column public.t.legacy'])
  assert.equal(caught.changeSet.isComplete, false)
  assert.match(caught.changeSet.sql(), /^-- refused \(destructive: deletes data, use --allow-destructive\): drop_column public\.t\.legacy$/m)
  assert.match(caught.stack, /DestructiveChangeError/)
  assert.equal(err, undefined)
  assert.equal(diff(from, to, { allowDestructive: true }).sql(), 'ALTER TABLE public.t DROP COLUMN legacy;\n')
})

test('unmanaged differences throw UnmanagedDifferenceError', () => {
  const from = 'CREATE TABLE t (id int);'
  const to = 'CREATE TABLE t (id int);\nCREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING;'
  assert.throws(() => diff(from, to), (e) => {
    assert.equal(e.code, 'unmanaged_difference')
    assert.equal(e.name, 'UnmanagedDifferenceError')
    assert.equal(e.changeSet.unmanaged.length, 1)
    assert.equal(e.changeSet.unmanaged[0].side, 'to')
    assert.equal(e.changeSet.unmanaged[0].span.line, 2)
    return true
  })
})

test('down() and downSql() reverse the diff with the same renames', () => {
  const cs = diff(fixture('pg_from.sql'), fixture('pg_to.sql'), { allowDestructive: true })
  const down = cs.down()
  assert.ok(down instanceof ChangeSet)
  assert.match(down.sql(), /RENAME COLUMN full_name TO name/)
  assert.equal(down.sql(), cs.downSql())
  assert.ok(down.changes.some((c) => c.kind === 'create_table' && c.object === 'public.audit_log' && c.irreversible))
  assert.match(down.sql(), /^-- irreversible: create_table public\.audit_log/m)
  // The reverse of the down migration is the diff again.
  assert.equal(down.down().sql(), cs.sql())
  // Without allowDestructive the down migration refuses its drops.
  const add = diff('CREATE TABLE t (id int);', 'CREATE TABLE t (id int, note text);')
  assert.equal(add.down().refused.length, 1)
  assert.throws(() => add.downSql(), { code: 'destructive_change' })
  assert.equal(add.downSql({ allowDestructive: true }), 'ALTER TABLE public.t DROP COLUMN note;\n')
})

test('mysql and sqlite dialects', () => {
  const my = diff(fixture('mysql_from.sql'), fixture('mysql_to.sql'), { dialect: 'mysql' })
  assert.equal(my.dialect, 'mysql')
  assert.match(my.sql(), /`display_name`|display_name/)
  assert.ok(my.changes.some((c) => c.kind === 'rename_column'))
  const lite = diff(fixture('sqlite_from.sql'), fixture('sqlite_to.sql'), { dialect: 'sqlite' })
  assert.equal(lite.dialect, 'sqlite')
  assert.match(lite.sql(), /CREATE INDEX/)
  assert.equal(parseSchema(fixture('sqlite_to.sql'), { dialect: 'sqlite3' }).dialect, 'sqlite')
  assert.equal(parseSchema(fixture('mysql_to.sql'), { dialect: 'mariadb' }).table('users').schema, null)
})

test('mixing dialects throws DialectMismatchError', () => {
  const my = parseSchema(fixture('mysql_to.sql'), { dialect: 'mysql' })
  assert.throws(() => diff(my, fixture('pg_to.sql')), DialectMismatchError)
  assert.throws(() => drift(my, 'CREATE TABLE t (id int);'), { code: 'dialect_mismatch' })
})

test('drift reports what changed, with the CLI text and remediation SQL', () => {
  const expected = fixture('pg_to.sql')
  const actual = fixture('pg_to.sql').replace('quantity integer NOT NULL DEFAULT 1', 'quantity bigint')
  const report = drift(expected, actual)
  assert.ok(report instanceof DriftReport)
  assert.equal(report.isClean, false)
  assert.ok(report.drifts.every((d) => d instanceof Drift))
  const column = report.drifts.find((d) => d.object === 'public.order_items.quantity')
  assert.equal(column.kind, 'changed')
  assert.equal(column.severity, 'breaking')
  assert.ok(column.changes.includes('alter_column_type'))
  assert.match(column.remediation, /ALTER TABLE public\.order_items ALTER COLUMN quantity TYPE integer/)
  assert.match(report.remediationSql(), /SET NOT NULL/)
  assert.match(report.toText(), /^breaking: changed public\.order_items\.quantity$/m)
  assert.deepEqual(report.toObject(), JSON.parse(report.toJson()))
  assert.equal(drift(expected, expected).isClean, true)
  assert.equal(drift(expected, expected).toText(), 'no drift\n')
})

test('async variants resolve to the same results and reject with the same errors', async () => {
  const from = fixture('pg_from.sql')
  const to = fixture('pg_to.sql')
  const schema = await parseSchemaAsync(to, { file: 'to.sql' })
  assert.ok(schema.equals(parseSchema(to)))
  const cs = await diffAsync(from, schema, { allowDestructive: true })
  assert.equal(cs.sql(), diff(from, to, { allowDestructive: true }).sql())
  const report = await driftAsync(to, from)
  assert.equal(report.toText(), drift(to, from).toText())
  await assert.rejects(diffAsync(from, to), DestructiveChangeError)
  await assert.rejects(parseSchemaAsync('CREATE TABLE t (id int,, x int);', { file: 'bad.sql' }), { code: 'parse_error', file: 'bad.sql', line: 1 })
  await assert.rejects(diffAsync(42, to), { code: 'invalid_argument', name: 'InvalidArgumentError' })
  const all = await Promise.all([1, 2, 3, 4].map(() => diffAsync(from, to, { allowDestructive: true })))
  assert.ok(all.every((c) => c.sql() === cs.sql()))
})

test('index keys are SQL, quoted and with their direction', () => {
  const s = parseSchema('CREATE TABLE t ("Created At" timestamptz, name text);\nCREATE INDEX t_idx ON t ("Created At" DESC, lower(name));')
  assert.deepEqual(s.indexes[0].columns, ['"Created At" DESC', '(lower(name))'])
})

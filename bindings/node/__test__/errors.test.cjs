// Errors, through the CommonJS entry point: every thrown value is an Error
// with a stable code, parse errors say where.
const { test } = require('node:test')
const assert = require('node:assert/strict')

const astrola = require('astrola')
const { parseSchema, diff, drift, lint, Schema, AstrolaError, ParseError, SchemaJsonError, InvalidArgumentError, ConfigError } = astrola

test('a syntax error on line 3 throws ParseError with line 3', () => {
  const sql = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE TABLE c (id int,, name text);\n'
  let error
  try {
    parseSchema(sql, { file: 'schema.sql' })
  } catch (e) {
    error = e
  }
  assert.ok(error instanceof ParseError)
  assert.ok(error instanceof AstrolaError)
  assert.ok(error instanceof Error)
  assert.equal(error.code, 'parse_error')
  assert.equal(error.name, 'ParseError')
  assert.equal(error.line, 3)
  assert.equal(typeof error.column, 'number')
  assert.ok(error.column >= 1)
  assert.match(error.statement, /CREATE TABLE c/)
  assert.equal(error.file, 'schema.sql')
  assert.match(error.message, /^schema\.sql:3:\d+: /)
})

test('a statement that cannot apply is a parse error too, without a file', () => {
  assert.throws(() => parseSchema('\n\nALTER TABLE missing ADD COLUMN x int;'), (e) => {
    assert.equal(e.code, 'parse_error')
    assert.equal(e.line, 3)
    assert.equal(e.file, null)
    return true
  })
})

test('a malformed schema JSON throws SchemaJsonError with line and column', () => {
  assert.throws(() => Schema.fromJson('{\n  "format": 1,\n  "dialect": nope\n}'), (e) => {
    assert.ok(e instanceof SchemaJsonError)
    assert.equal(e.code, 'json_error')
    assert.equal(e.line, 3)
    assert.equal(typeof e.column, 'number')
    return true
  })
  assert.throws(() => Schema.fromJson('{"format": 2, "dialect": "postgres"}'), { code: 'unsupported', name: 'UnsupportedError' })
})

test('wrong argument types give invalid_argument, not napi errors', () => {
  const s = parseSchema('CREATE TABLE t (id int);')
  const cases = [
    () => parseSchema(),
    () => parseSchema(undefined),
    () => parseSchema(null),
    () => parseSchema(42),
    () => parseSchema({}),
    () => parseSchema(['CREATE TABLE t (id int);']),
    () => parseSchema(Buffer.from('CREATE TABLE t (id int);')),
    () => parseSchema('', 'postgres'),
    () => parseSchema('', { dialect: 'oracle' }),
    () => parseSchema('', { dialect: 5 }),
    () => parseSchema('', { file: {} }),
    () => diff('', ''.length),
    () => diff({}, ''),
    () => diff('', '', { allowDestructive: 'yes' }),
    () => diff('', '', []),
    () => drift(null, ''),
    () => drift('', '', { dialect: null, extra: 1 }) && drift('', '', { dialect: 'nope' }),
    () => Schema.fromJson(undefined),
    () => s.table(1),
    () => diff(Object.create(Schema.prototype), ''),
  ]
  for (const call of cases) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof InvalidArgumentError, `${call}: ${e}`)
      assert.equal(e.code, 'invalid_argument', String(call))
      return true
    })
  }
})

test('classes cannot be constructed from JavaScript', () => {
  assert.throws(() => new Schema())
})

test('the error classes carry their code when constructed by hand', () => {
  const e = new ParseError('boom', { line: 1 })
  assert.equal(e.code, 'parse_error')
  assert.equal(e.line, 1)
  assert.equal(InvalidArgumentError.code, 'invalid_argument')
})

test('bad linter settings throw ConfigError with file, line and column', () => {
  assert.throws(() => lint('', { config: 'pg_version = 7\n' }), (e) => {
    assert.ok(e instanceof ConfigError && e instanceof AstrolaError)
    assert.equal(e.code, 'config_error')
    assert.deepEqual([e.file, e.line, e.column], ['<config>', 1, 14])
    assert.match(e.message, /pg_version 7/)
    return true
  })
  assert.throws(() => lint('', { stats: '{' }), { name: 'ConfigError', code: 'config_error', file: '<stats>', line: 1 })
  assert.equal(ConfigError.code, 'config_error')
})

test('every error class has its stable code', () => {
  const expected = {
    ParseError: 'parse_error',
    SchemaJsonError: 'json_error',
    UnsupportedError: 'unsupported',
    DialectMismatchError: 'dialect_mismatch',
    DestructiveChangeError: 'destructive_change',
    UnmanagedDifferenceError: 'unmanaged_difference',
    InvalidArgumentError: 'invalid_argument',
    ConfigError: 'config_error',
    MigrationsError: 'migrations_error',
  }
  for (const [name, code] of Object.entries(expected)) {
    assert.equal(astrola[name].code, code, name)
    assert.ok(new astrola[name]('x') instanceof AstrolaError, name)
  }
})

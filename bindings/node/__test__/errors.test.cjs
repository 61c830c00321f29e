// Errors, through the CommonJS entry point: every thrown value is an Error
// with a stable code, parse errors say where.
const { test } = require('node:test')
const assert = require('node:assert/strict')

const astrola = require('astrola')
const { parseSchema, diff, drift, Schema, AstrolaError, ParseError, SchemaJsonError, InvalidArgumentError } = astrola

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

// Feeds at least 10,000 random and malformed inputs to every exposed function
// and method, sync and async. Each call must succeed or throw (or reject
// with) an Error whose `code` is one of the stable codes; anything else, a
// crash included, fails. The generator is seeded, so a failure reproduces.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'

import * as astrola from 'astrola'

const { parseSchema, parseSchemaAsync, diff, diffAsync, drift, driftAsync, lint, lintAsync, rules, applyFixes, Schema, ChangeSet, DriftReport, Diagnostic } = astrola

const STABLE_CODES = new Set([
  'parse_error',
  'json_error',
  'unsupported',
  'dialect_mismatch',
  'destructive_change',
  'unmanaged_difference',
  'invalid_argument',
  'config_error',
])
const MINIMUM_INPUTS = 10_000
const SEED = 0x5eed_a57

// mulberry32: a small seeded generator.
function generator(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = generator(SEED)
const int = (n) => Math.floor(random() * n)
const pick = (list) => list[int(list.length)]

const CORPUS = new URL('../../../../shared/corpus/schemas/', import.meta.url)
const corpus = [
  ['pagila/pagila-schema.2024-10.sql', 'postgres'],
  ['danbooru/structure.sql', 'postgres'],
  ['postgres-regress/create_table.sql', 'postgres'],
  ['postgres-regress/alter_table.sql', 'postgres'],
  ['chinook/Chinook_MySql.sql', 'mysql'],
  ['chinook/Chinook_Sqlite.sql', 'sqlite'],
  ['gitlab/structure.sql', 'postgres'],
].map(([file, dialect]) => ({ file, dialect, sql: readFileSync(new URL(file, CORPUS), 'utf8').slice(0, 60_000) }))

const TOKENS = [
  'CREATE', 'TABLE', 'INDEX', 'VIEW', 'ALTER', 'DROP', 'ADD', 'COLUMN', 'CONSTRAINT', 'PRIMARY KEY', 'REFERENCES',
  'UNIQUE', 'CHECK', 'DEFAULT', 'NOT NULL', 'int', 'text', 'varchar(10)', 'AS', 'SELECT', 'FROM', 'ON', 'USING',
  '(', ')', '((', '))', ',', ';', '.', '"', "'", '`', '--', '/*', '*/', '-- @renamed from=', '@renamed', 'from=',
  't', 'u', 'x', '"Weird ""name"""', '\n', ' ', '\t', '\0', 'é', '😀', '\u202e', 'TYPE', 'ENUM', 'SEQUENCE',
  'FUNCTION', 'RETURNS', 'LANGUAGE', 'TRIGGER', 'COMMENT ON', 'IS', 'GRANT', 'PARTITION BY', 'GENERATED', 'IDENTITY',
]

function randomBytesString() {
  const bytes = Buffer.alloc(int(300))
  for (let i = 0; i < bytes.length; i++) bytes[i] = int(256)
  return random() < 0.5 ? bytes.toString('utf8') : bytes.toString('latin1')
}
function tokenSoup() {
  return Array.from({ length: 1 + int(60) }, () => pick(TOKENS)).join(pick([' ', '', '\n']))
}
function truncation() {
  const { sql } = pick(corpus)
  const end = int(Math.min(sql.length, random() < 0.8 ? 4_000 : 60_000))
  const start = random() < 0.8 ? 0 : int(end)
  return sql.slice(start, end)
}
function mutation() {
  const chars = [...truncation().slice(0, 3_000)]
  for (let n = int(10); n > 0 && chars.length; n--) chars[int(chars.length)] = pick(TOKENS)
  return chars.join('')
}
function jsonish() {
  const base = JSON.stringify(parseSchema('CREATE TABLE t (id int PRIMARY KEY, name text);'))
  return random() < 0.5 ? base.slice(0, int(base.length)) : base.replace(/"[a-z_]+"/, () => JSON.stringify(tokenSoup()))
}
const NESTING = 100_000
const HUGE = 'x'.repeat(1 << 20)
const hostile = [
  `CREATE TABLE "${HUGE}" (id int);`,
  `CREATE TABLE ${HUGE} (${HUGE} int);`,
  `CREATE TABLE t (id int DEFAULT ${'('.repeat(NESTING)}1${')'.repeat(NESTING)});`,
  `CREATE VIEW v AS SELECT ${'('.repeat(NESTING)}1${')'.repeat(NESTING)};`,
  `CREATE TABLE t (id int CHECK (${'-'.repeat(NESTING)}id > 0));`,
  `CREATE TABLE t (id int CHECK (${Array.from({ length: NESTING }, () => 'id > 0').join(' AND ')}));`,
  `CREATE TABLE t (id int DEFAULT ${'('.repeat(NESTING)});`,
  `CREATE INDEX i ON t ((${'('.repeat(NESTING)}id${')'.repeat(NESTING)}));`,
  '('.repeat(NESTING),
  `-- @renamed from=${HUGE}\nCREATE TABLE t (id int);`,
  `CREATE TABLE t (\n${Array.from({ length: 5_000 }, (_, i) => `c${i} int -- @renamed from=o${i}`).join(',\n')}\n);`,
  `CREATE TABLE t (id int);${';'.repeat(NESTING)}`,
  "CREATE TABLE t (id int DEFAULT '" + "'".repeat(NESTING) + "');",
  `{${'"a":{'.repeat(NESTING)}`,
  `${'['.repeat(NESTING)}`,
]
const WRONG_TYPES = [
  undefined, null, 0, 42, -1.5, NaN, Infinity, true, false, 10n, Symbol('s'), {}, { sql: 'CREATE TABLE t (id int);' },
  [], ['CREATE TABLE t (id int);'], Buffer.from('CREATE TABLE t (id int);'), new Uint8Array(4), new Date(0), new Map(),
  () => 'CREATE TABLE t (id int);', Object.create(Schema.prototype), Object.create(ChangeSet.prototype), new Error('x'),
  new String('CREATE TABLE t (id int);'), Promise.resolve('x'),
]

function badValue() {
  const r = random()
  if (r < 0.2) return pick(WRONG_TYPES)
  if (r < 0.35) return randomBytesString()
  if (r < 0.55) return tokenSoup()
  if (r < 0.8) return truncation()
  if (r < 0.93) return mutation()
  return jsonish()
}
function badOptions() {
  const r = random()
  if (r < 0.25) return undefined
  if (r < 0.35) return pick(WRONG_TYPES)
  const options = {}
  if (random() < 0.7) options.dialect = random() < 0.7 ? pick(['postgres', 'mysql', 'sqlite', 'mariadb', 'pg']) : pick([...WRONG_TYPES, 'oracle', ''])
  if (random() < 0.5) options.allowDestructive = random() < 0.7 ? random() < 0.5 : pick(WRONG_TYPES)
  if (random() < 0.3) options.file = random() < 0.7 ? tokenSoup() : pick(WRONG_TYPES)
  return options
}

const RULE_IDS = rules().map((r) => r.id)
const GOOD_CONFIG = 'pg_version = 12\ntransactional = true\nfail_on = "warning"\n[rules]\ndisable = ["drop-table"]\n[rules.severity]\ntruncate = "info"\n[naming]\nindex = "idx_.*"\n'
const GOOD_STATS = '{"tables": {"public.users": {"rows": 48000000, "bytes": 9663676416}, "orders": {"rows": 12}}}'
const cyclic = {}
cyclic.tables = cyclic
function mutateText(text) {
  if (random() < 0.3) return text.slice(0, int(text.length))
  const chars = [...text]
  for (let n = 1 + int(5); n > 0; n--) chars[int(chars.length)] = pick(['{', '}', '[', ']', '"', ',', ':', '=', '0', ' ', 'a', '\\', '\n', '.', '-', '#', '\0', 'é'])
  return chars.join('')
}
function sample(list, n) {
  return Array.from({ length: n }, () => pick(list))
}
function badLintOptions(schema) {
  const r = random()
  if (r < 0.25) return undefined
  if (r < 0.35) return pick(WRONG_TYPES)
  const options = {}
  if (random() < 0.3) options.config = pick([GOOD_CONFIG, mutateText(GOOD_CONFIG), '', '[[[', 'x = ', pick(WRONG_TYPES)])
  if (random() < 0.3) options.stats = pick([GOOD_STATS, mutateText(GOOD_STATS), JSON.parse(GOOD_STATS), { tables: { users: { rows: int(1e8) - 5 } } }, { tables: { t: { rows: 2 ** 70 } } }, { tables: [1] }, cyclic, pick(WRONG_TYPES)])
  if (random() < 0.2) options.disable = pick([sample(RULE_IDS, 3), ['nope'], 'drop-table', pick(WRONG_TYPES), [pick(WRONG_TYPES)]])
  if (random() < 0.2) options.enable = pick([sample(RULE_IDS, 2), [''], pick(WRONG_TYPES)])
  if (random() < 0.2) options.severity = pick([{ [pick(RULE_IDS)]: pick(['info', 'warning', 'error', 'fatal']) }, { x: 1 }, pick(WRONG_TYPES)])
  if (random() < 0.2) options.pgVersion = pick([9, 10, 11, 12, 15, 17, 0, 2 ** 40, -1, 1.5, pick(WRONG_TYPES)])
  if (random() < 0.2) options.transactional = pick([true, false, pick(WRONG_TYPES)])
  if (random() < 0.2) options.schema = pick([schema, pick(WRONG_TYPES)])
  if (random() < 0.1) options.file = pick(['', 'é.sql', pick(WRONG_TYPES)])
  return options
}

const describe = (value) => {
  const text = typeof value === 'string' ? JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}… (${value.length} chars)` : value) : inspect(value, { depth: 0 }).slice(0, 120)
  return text
}

let calls = 0
const failures = []
function judge(error, label) {
  if (!(error instanceof Error) || !STABLE_CODES.has(error.code)) {
    failures.push(`${label}: ${inspect(error, { depth: 0 }).slice(0, 400)}`)
  }
}
function call(label, fn) {
  calls++
  try {
    return fn()
  } catch (error) {
    judge(error, label)
    return undefined
  }
}
async function callAsync(label, fn) {
  calls++
  let promise
  try {
    promise = fn()
  } catch (error) {
    failures.push(`${label}: threw synchronously instead of rejecting: ${inspect(error, { depth: 0 }).slice(0, 300)}`)
    return undefined
  }
  if (!(promise instanceof Promise)) {
    failures.push(`${label}: did not return a Promise`)
    return undefined
  }
  try {
    return await promise
  } catch (error) {
    judge(error, label)
    return undefined
  }
}

/** Calls every method and getter of a result, with bad arguments too. */
function exerciseAll(value, label) {
  if (value instanceof Schema) {
    for (const getter of ['dialect', 'tables', 'views', 'indexes', 'sequences', 'types', 'functions', 'extensions', 'warnings']) {
      const items = call(`${label}.${getter}`, () => value[getter])
      if (Array.isArray(items)) for (const item of items.slice(0, 3)) exerciseItem(item, `${label}.${getter}[]`)
    }
    for (const method of ['toSql', 'toJson', 'toObject', 'toJSON', 'toString']) call(`${label}.${method}()`, () => value[method]())
    const name = badValue()
    call(`${label}.table(${describe(name)})`, () => value.table(name))
    call(`${label}.equals(…)`, () => value.equals(badValue()))
  } else if (value instanceof ChangeSet) {
    for (const getter of ['dialect', 'changes', 'statements', 'refused', 'suggestions', 'unmanaged', 'unsupported', 'notes', 'isEmpty', 'isComplete']) {
      const items = call(`${label}.${getter}`, () => value[getter])
      if (Array.isArray(items)) for (const item of items.slice(0, 3)) exerciseItem(item, `${label}.${getter}[]`)
    }
    for (const method of ['sql', 'toJson', 'toObject', 'toJSON', 'toString']) call(`${label}.${method}()`, () => value[method]())
    const options = badOptions()
    call(`${label}.down(${describe(options)})`, () => value.down(options))
    call(`${label}.downSql(${describe(options)})`, () => value.downSql(options))
  } else if (value instanceof DriftReport) {
    for (const drift of call(`${label}.drifts`, () => value.drifts) ?? []) exerciseItem(drift, `${label}.drifts[]`)
    for (const method of ['isClean']) call(`${label}.${method}`, () => value[method])
    for (const method of ['remediationSql', 'toText', 'toJson', 'toObject', 'toJSON', 'toString']) call(`${label}.${method}()`, () => value[method]())
  }
}
/** Reads every getter of each diagnostic, renders it against the text it
 * was found in, and applies the fixes. */
function exerciseDiagnostics(found, sql, label) {
  if (!Array.isArray(found)) return
  for (const d of found.slice(0, 10)) {
    if (!(d instanceof Diagnostic)) {
      failures.push(`${label}: not a Diagnostic: ${inspect(d, { depth: 0 }).slice(0, 200)}`)
      continue
    }
    for (const getter of ['rule', 'severity', 'message', 'span', 'statement', 'help', 'table', 'fix', 'validation']) call(`${label}.${getter}`, () => d[getter])
    for (const method of ['toJson', 'toObject', 'toJSON', 'toString']) call(`${label}.${method}()`, () => d[method]())
    call(`${label}.render(sql)`, () => d.render(sql))
  }
  call(`applyFixes ${label}`, () => applyFixes(sql, found))
  call(`applyFixes(unsafe) ${label}`, () => applyFixes(sql, found.slice().reverse(), { unsafe: true }))
}
function exerciseItem(item, label) {
  if (item === null || typeof item !== 'object') return
  const proto = Object.getPrototypeOf(item)
  if (proto === Object.prototype) return // a plain record (statement, warning, …)
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
    if (key === 'constructor') continue
    if (descriptor.get) call(`${label}.${key}`, () => item[key])
    else if (typeof descriptor.value === 'function') {
      const nested = call(`${label}.${key}()`, () => item[key](badValue()))
      if (Array.isArray(nested)) for (const n of nested.slice(0, 2)) exerciseItem(n, `${label}.${key}()[]`)
    }
  }
}

test(`at least ${MINIMUM_INPUTS} malformed inputs to every function and method, sync and async`, async () => {
  const valid = parseSchema('CREATE TABLE t (id int PRIMARY KEY, name text);')
  const validChanges = diff('CREATE TABLE t (id int);', 'CREATE TABLE t (id int, note text);')
  const validSql = 'CREATE INDEX i ON t (c);\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\n'
  const validDiagnostics = lint(validSql)
  assert.ok(validDiagnostics.length > 0)

  const inputs = [...hostile.map((h) => [h, 'hostile']), ...WRONG_TYPES.map((w) => [w, 'wrong type'])]
  while (inputs.length < MINIMUM_INPUTS) inputs.push([badValue(), 'random'])

  for (const [index, [input, kind]] of inputs.entries()) {
    // Results are explored fully for the hostile inputs and every tenth other.
    const explore = kind !== 'random' || index % 10 === 0
    const exercise = explore ? exerciseAll : () => {}
    const other = random() < 0.5 ? badValue() : pick([valid, 'CREATE TABLE t (id int);', ''])
    const options = badOptions()
    const tag = `#${index} (${kind}) ${describe(input)} with ${describe(options)}`

    exercise(call(`parseSchema ${tag}`, () => parseSchema(input, options)), `parseSchema ${tag}`)
    call(`parseSchema(valid, options) ${tag}`, () => parseSchema('CREATE TABLE t (id int);', input))
    exercise(call(`Schema.fromJson ${tag}`, () => Schema.fromJson(input)), `fromJson ${tag}`)
    exercise(call(`diff(input, other) ${tag}`, () => diff(input, other, options)), `diff ${tag}`)
    call(`diff(other, input) ${tag}`, () => diff(other, input, options))
    exercise(call(`drift ${tag}`, () => drift(input, other, options)), `drift ${tag}`)
    call(`valid.table ${tag}`, () => valid.table(input))
    call(`valid.equals ${tag}`, () => valid.equals(input))
    call(`changes.down ${tag}`, () => validChanges.down(input))
    call(`changes.downSql ${tag}`, () => validChanges.downSql(input))
    const lintOptions = badLintOptions(valid)
    const found = call(`lint ${tag} ${describe(lintOptions)}`, () => lint(input, lintOptions))
    if (explore || index % 4 === 0) exerciseDiagnostics(found, input, `lint ${tag}`)
    call(`lint(valid, input) ${tag}`, () => lint(validSql, input))
    call(`applyFixes(input, valid) ${tag}`, () => applyFixes(input, validDiagnostics))
    call(`applyFixes(valid, input) ${tag}`, () => applyFixes(validSql, input, options))
    call(`applyFixes(valid, [input]) ${tag}`, () => applyFixes(validSql, [validDiagnostics[0], input]))
    call(`render ${tag}`, () => validDiagnostics[0].render(input))

    const settled = await Promise.all([
      callAsync(`parseSchemaAsync ${tag}`, () => parseSchemaAsync(input, options)),
      callAsync(`diffAsync ${tag}`, () => diffAsync(input, other, options)),
      callAsync(`diffAsync(other, input) ${tag}`, () => diffAsync(other, input, options)),
      callAsync(`driftAsync ${tag}`, () => driftAsync(other, input, options)),
      callAsync(`parseSchemaAsync(valid, options) ${tag}`, () => parseSchemaAsync('CREATE TABLE t (id int);', input)),
      callAsync(`lintAsync ${tag}`, () => lintAsync(input, lintOptions)),
    ])
    settled.slice(0, -1).forEach((value, i) => exercise(value, `async #${i} ${tag}`))
    if (explore) exerciseDiagnostics(settled.at(-1), input, `lintAsync ${tag}`)
  }

  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} call(s) failed outside the stable error codes`)
  assert.ok(inputs.length >= MINIMUM_INPUTS, `only ${inputs.length} inputs`)
  assert.ok(calls >= 10 * inputs.length, `only ${calls} calls`)
  console.log(`bad-input: ${inputs.length} malformed inputs in ${calls} calls, all succeeded or failed with a stable code`)
})

test('Diagnostic.render() against another text than the linted one renders or fails with a stable code', () => {
  const sql = 'CREATE TABLE t (id int);\nCREATE INDEX i ON t2 (c);\n'
  for (const d of lint(sql)) {
    for (const other of ['', `abc${'\r'.repeat(40)}`, sql.replaceAll('\n', '\r\n'), sql.slice(0, 30)]) {
      try {
        d.render(other)
      } catch (error) {
        assert.ok(STABLE_CODES.has(error.code), `${d.rule} on ${JSON.stringify(other)}: ${error.code} ${error.message}`)
      }
    }
  }
})

test('classify, classifyAsync, mask and kAnonymity take malformed inputs and fail only with stable codes', async () => {
  const { classify, classifyAsync, mask, kAnonymity } = astrola
  const before = failures.length
  const valid = parseSchema('CREATE TABLE users (id int PRIMARY KEY, name text, email text);')
  const strategies = ['redact', 'partial', 'hash', 'pseudonymize', 'format_preserving', 'year_of_birth', 'zip3']
  const inputs = [...WRONG_TYPES, HUGE, ...Array.from({ length: 2_000 }, badValue)]
  for (const [index, bad] of inputs.entries()) {
    const tag = `#${index} ${describe(bad)}`
    const samples = pick([bad, { users: bad }, { users: { email: bad } }, { users: { email: [bad, 'a@b.co', null] } }, { [typeof bad === 'string' ? bad : 'x']: { x: ['y'] } }, null])
    const options = pick([bad, { minConfidence: bad }, { minConfidence: random() }, { dialect: bad }, undefined])
    const report = call(`classify ${tag}`, () => classify(pick([bad, valid, 'CREATE TABLE users (email text);']), samples, options))
    if (report) {
      exerciseItem(report, `classify ${tag}`)
      for (const c of report.reports.slice(0, 3)) {
        exerciseItem(c, `classify ${tag} report`)
        for (const f of c.findings) exerciseItem(f, `classify ${tag} finding`)
      }
    }
    call(`mask ${tag}`, () => mask(pick([bad, [bad], ['a@b.co', bad]]), pick([...strategies, bad]), pick([undefined, { key: 'k'.repeat(16) }, { key: bad }, bad])))
    call(`kAnonymity ${tag}`, () => kAnonymity(pick([bad, [bad], [['a'], bad]]), pick([undefined, { targetK: bad }, { report: bad }, bad])))
    await callAsync(`classifyAsync ${tag}`, () => classifyAsync(pick([bad, valid]), samples, options))
  }
  assert.deepEqual(failures.slice(before, before + 20), [], `${failures.length - before} call(s) failed outside the stable error codes`)
  console.log(`bad-input (pii): ${inputs.length} malformed inputs to classify, mask and kAnonymity`)
})

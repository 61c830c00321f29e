// `classify`, `classifyAsync`, `mask` and `kAnonymity`: the PII API of
// astrola-pii. The CLI parity tests need ASTROLA_CLI (test.sh builds it);
// without it they fail rather than skip.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { classify, classifyAsync, mask, kAnonymity, parseSchema, PiiReport, ColumnReport, Finding, InvalidArgumentError, ParseError } from 'astrola'

const SCHEMA = `CREATE TABLE users (id bigint PRIMARY KEY, name text, email text, ssn text, notes text, created_at timestamptz);
CREATE TABLE products (id bigint PRIMARY KEY, name text, price numeric(10, 2));
CREATE TABLE clientes (id bigint PRIMARY KEY, nombre text, telefono text, fecha_nacimiento date);
COMMENT ON COLUMN products.price IS 'list price';
`
const KEY = '0123456789abcdef-test-key'
const EMAILS = Array.from({ length: 30 }, (_, i) => `user${i}@example.com`)
const NOT_SSNS = Array.from({ length: 40 }, (_, i) => String(i * 7919 + 13))

const findings = (report) => Object.fromEntries(report.reports.map((c) => [`${c.table}.${c.column}`, c.findings.map((f) => f.piiType)]))
const column = (report, name) => {
  const found = report.reports.find((c) => `${c.table}.${c.column}` === name)
  assert.ok(found, `${name} is not in the report`)
  return found
}

test('names in context: users.name is a person name, products.name is not', () => {
  const report = classify(SCHEMA)
  assert.ok(report instanceof PiiReport)
  const found = findings(report)
  assert.deepEqual(found['public.users.name'], ['person_name'])
  assert.equal(found['public.products.name'], undefined)
  assert.deepEqual(found['public.clientes.nombre'], ['person_name'])
  assert.deepEqual(found['public.clientes.telefono'], ['phone'])
  assert.deepEqual(found['public.clientes.fecha_nacimiento'], ['date_of_birth'])
  assert.equal(report.hasFindings, true)
  assert.equal(report.sampledColumns, 0)
  assert.equal(report.nameOnlyColumns, 13)
  const name = column(report, 'public.users.name')
  assert.ok(name instanceof ColumnReport)
  assert.equal(name.basis, 'name_only')
  assert.equal(name.samples, null)
  assert.equal(name.dataType, 'text')
  assert.equal(name.level, 'confidential')
  const finding = name.findings[0]
  assert.ok(finding instanceof Finding)
  assert.equal(finding.level, 'confidential')
  assert.ok(finding.regulations.includes('GDPR'))
  assert.ok(finding.confidence >= 0.5 && finding.confidence <= 1)
  assert.ok(finding.evidence.some((e) => e.includes('users')))
})

test('a parsed Schema and SQL text give the same report; dialect applies to SQL text', () => {
  assert.equal(classify(parseSchema(SCHEMA)).toJson(), classify(SCHEMA).toJson())
  assert.deepEqual(findings(classify('CREATE TABLE `users` (`id` int, `email` varchar(200));', null, { dialect: 'mysql' })), { 'users.email': ['email'] })
})

test('samples reveal a notes column of emails and refute an ssn column of other digits', () => {
  const report = classify(SCHEMA, { users: { notes: [...EMAILS, null, undefined], ssn: NOT_SSNS } })
  const notes = column(report, 'public.users.notes')
  assert.deepEqual(notes.findings.map((f) => f.piiType), ['email'])
  assert.equal(notes.basis, 'name_and_samples')
  assert.deepEqual(notes.samples, { total: 32, nonNull: 30, matched: { email: 30 } })
  const ssn = column(report, 'public.users.ssn')
  assert.ok(!ssn.findings.some((f) => f.piiType === 'us_ssn' && f.confidence >= 0.5), ssn.toJson())
  assert.ok(ssn.notes.length > 0)
  assert.equal(report.sampledColumns, 2)
})

test('numbers and booleans in samples are read as their string form', () => {
  assert.deepEqual(mask([94110, true, 10n], 'redact'), ['[REDACTED]', '[REDACTED]', '[REDACTED]'])
  assert.deepEqual(mask([94110], 'zip3'), ['941**'])
})

test('sample columns not in the schema are classified and listed', () => {
  const report = classify(SCHEMA, { users: { contact: EMAILS }, leads: { mail: EMAILS } })
  assert.deepEqual(report.unmatchedSamples, ['users.contact (<samples>)', 'leads.mail (<samples>)'])
  assert.deepEqual(findings(report)['leads.mail'], ['email'])
})

test('minConfidence leaves out weaker findings', () => {
  const count = (r) => r.reports.reduce((n, c) => n + c.findings.length, 0)
  assert.ok(count(classify(SCHEMA, null, { minConfidence: 1 })) < count(classify(SCHEMA, null, { minConfidence: 0 })))
})

test('classifyAsync resolves to the same report', async () => {
  const samples = { users: { notes: EMAILS } }
  const report = await classifyAsync(SCHEMA, samples)
  assert.ok(report instanceof PiiReport)
  assert.equal(report.toJson(), classify(SCHEMA, samples).toJson())
  await assert.rejects(classifyAsync('CREATE TABLE (', null), (e) => e instanceof ParseError && e.code === 'parse_error')
})

test('results serialise as the JSON of astrola pii, with exact confidences', () => {
  const report = classify(SCHEMA, { users: { notes: EMAILS } })
  assert.deepEqual(report.toObject(), JSON.parse(report.toJson()))
  assert.equal(JSON.stringify(report), JSON.stringify(JSON.parse(report.toJson())))
  const notes = column(report, 'public.users.notes')
  assert.deepEqual(notes.toObject(), JSON.parse(notes.toJson()))
  assert.equal(notes.findings[0].toObject().confidence, notes.findings[0].confidence)
  assert.equal(String(notes), 'ColumnReport { public.users.notes: [email], basis: name_and_samples }')
  assert.match(String(report), /^PiiReport \{ columns: 13, /)
  assert.match(report.toText(), /notes: email/)
})

test('pseudonymisation: same key, same output; another key, another output; formats kept', () => {
  const values = ['ana@example.org', '+34 612 345 678', null, 'ana@example.org']
  const once = mask(values, 'format_preserving', { key: KEY })
  assert.deepEqual(mask(values, 'format_preserving', { key: KEY }), once)
  assert.deepEqual(mask(values, 'format_preserving', { key: Buffer.from(KEY) }), once)
  assert.deepEqual(mask(values, 'format_preserving', { key: new TextEncoder().encode(KEY) }), once)
  const other = mask(values, 'format_preserving', { key: 'another key of 16+ bytes' })
  assert.equal(once[0], once[3])
  assert.notEqual(once[0], other[0])
  assert.notEqual(once[1], other[1])
  assert.equal(once[2], null)
  assert.notEqual(once[0], values[0])
  assert.match(once[0], /^[^@]+@[^@]+\.org$/)
  assert.ok(once[1].startsWith('+34 ') && once[1].length === values[1].length)
  assert.notDeepEqual(mask(['ana'], 'pseudonymize', { key: KEY }), mask(['ana'], 'pseudonymize', { key: `${KEY}!` }))
})

test('each strategy', () => {
  assert.deepEqual(mask(['4111-1111-1111-1234'], 'partial'), ['****-****-****-1234'])
  assert.deepEqual(mask(['secret'], 'redact'), ['[REDACTED]'])
  assert.deepEqual(mask(['abc'], 'hash'), ['ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'])
  assert.deepEqual(mask(['1980-05-17'], 'year_of_birth'), ['1980'])
  assert.deepEqual(mask(['94110'], 'zip3'), ['941**'])
  assert.deepEqual(mask([], 'redact'), [])
})

test('kAnonymity of quasi-identifiers', () => {
  const zips = ['941', '941', '941', '100', '100']
  const years = ['1980', '1980', '1980', '1990', null]
  assert.deepEqual(kAnonymity([zips, years], { targetK: 2, report: 2 }), {
    k: 1,
    rows: 5,
    classes: 3,
    rowsBelowTarget: 2,
    smallest: [
      { values: ['100', '1990'], size: 1 },
      { values: ['100', null], size: 1 },
    ],
  })
  assert.equal(kAnonymity([zips]).k, 2)
})

test('huge values are classified, not refused', () => {
  const huge = 'x'.repeat(20_000_000)
  const report = classify(SCHEMA, { users: { notes: [huge, `${huge}@example.com`] } })
  assert.equal(column(report, 'public.users.notes').samples.total, 2)
  assert.equal(mask([huge], 'hash')[0].length, 64)
})

for (const [label, call, needle] of [
  ['unknown strategy', () => mask(['x'], 'scramble'), 'unknown masking strategy'],
  ['missing key', () => mask(['x'], 'pseudonymize'), 'needs a key'],
  ['short key', () => mask(['x'], 'format_preserving', { key: 'short' }), 'at least 16'],
  ['key of the wrong type', () => mask(['x'], 'pseudonymize', { key: 123 }), 'option `key` must be'],
  ['a value the strategy cannot apply to', () => mask(['not a date'], 'year_of_birth'), 'value 0'],
  ['values that are a string', () => mask('abc', 'redact'), 'values must be an array'],
  ['a value that is an object', () => mask([{}], 'redact'), 'values[0] must be a string or null'],
  ['a strategy that is not a string', () => mask(['x'], 3), 'strategy must be a string'],
  ['samples of the wrong shape', () => classify(SCHEMA, { users: ['notes'] }), 'must be an object'],
  ['sample values that are a string', () => classify(SCHEMA, { users: { notes: 'a@b.co' } }), 'must be an array'],
  ['samples that are an array', () => classify(SCHEMA, [[]]), 'samples must be an object'],
  ['minConfidence out of range', () => classify(SCHEMA, null, { minConfidence: 2 }), 'between 0 and 1'],
  ['minConfidence of the wrong type', () => classify(SCHEMA, null, { minConfidence: 'high' }), 'must be a number'],
  ['a schema of the wrong type', () => classify(42), 'schema must be SQL text or a Schema'],
  ['no quasi-identifier', () => kAnonymity([]), 'no quasi-identifier'],
  ['columns of different lengths', () => kAnonymity([['a'], ['a', 'b']]), 'column 1 has 2 values'],
  ['columns that are not arrays', () => kAnonymity('ab'), 'must be an array of arrays'],
  ['targetK negative', () => kAnonymity([['a']], { targetK: -1 }), 'whole number'],
]) {
  test(`invalid_argument: ${label}`, () => {
    assert.throws(call, (e) => e instanceof InvalidArgumentError && e.code === 'invalid_argument' && e.message.includes(needle))
  })
}

test('bad SQL throws ParseError', () => {
  assert.throws(() => classify('CREATE TABLE users (id int,'), (e) => e instanceof ParseError && e.code === 'parse_error')
})

function cli(args) {
  const path = process.env.ASTROLA_CLI
  assert.ok(path, 'ASTROLA_CLI is not set: point it at the astrola CLI binary (cargo build -p astrola-cli), as bindings/node/test.sh does')
  assert.ok(existsSync(path), `ASTROLA_CLI=${path} does not exist`)
  try {
    return execFileSync(path, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    // Exit 1 means findings: stdout is still the report.
    if (error.status === 1) return error.stdout
    throw error
  }
}

test('classify(...).toJson() equals astrola pii --format json, and toText() astrola pii', () => {
  const dir = mkdtempSync(join(tmpdir(), 'astrola-pii-'))
  try {
    const schema = join(dir, 'schema.sql')
    writeFileSync(schema, SCHEMA)
    assert.equal(`${classify(SCHEMA).toJson()}\n`, cli(['pii', schema, '--format', 'json']))
    assert.equal(classify(SCHEMA).toText(), cli(['pii', schema]))
    const csv = join(dir, 'users.csv')
    writeFileSync(csv, `notes,ssn\n${EMAILS.map((e, i) => `${e},${NOT_SSNS[i]}\n`).join('')}`)
    const samples = { users: { notes: EMAILS, ssn: NOT_SSNS.slice(0, EMAILS.length) } }
    const expected = cli(['pii', schema, '--samples', `users=${csv}`, '--format', 'json', '--min-confidence', '0.3'])
    assert.equal(`${classify(SCHEMA, samples, { minConfidence: 0.3 }).toJson()}\n`, expected)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

// Type-checked use of the `astrola` package: `tsc --noEmit --strict` must
// accept this file (bindings/node/test.sh runs it).
import {
  parseSchema,
  parseSchemaAsync,
  diff,
  diffAsync,
  drift,
  lint,
  lintAsync,
  rules,
  applyFixes,
  Schema,
  Diagnostic,
  ChangeSet,
  Change,
  DriftReport,
  AstrolaError,
  ParseError,
  DestructiveChangeError,
  ConfigError,
  type Applicability,
  type DiagnosticSeverity,
  type Edit,
  type Fix,
  type FixResult,
  type LintOptions,
  type Rule,
  type RuleCategory,
  type Span,
  type DiffOptions,
  type ErrorCode,
  type SchemaDialect,
} from 'astrola'

const from: string = 'CREATE TABLE users (id bigint PRIMARY KEY);'
const to: string = 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);'

const schema: Schema = parseSchema(to, { dialect: 'postgres', file: 'to.sql' })
const dialect: SchemaDialect = schema.dialect
const users = schema.table('users')
const columns: string[] = users ? users.columns.map((c) => `${c.name} ${c.dataType}${c.nullable ? '' : ' NOT NULL'}`) : []
const primaryKey: string[] | null = users?.primaryKey ?? null
const again: Schema = Schema.fromJson(schema.toJson())
const same: boolean = again.equals(schema)

const options: DiffOptions = { allowDestructive: false }
const changes: ChangeSet = diff(from, schema, options)
const sql: string = changes.sql()
const kinds: string[] = changes.changes.map((c: Change) => c.kind)
const statements: string[] = changes.statements.map((s) => s.sql)
const downSql: string = changes.downSql({ allowDestructive: true })

const report: DriftReport = drift(to, from)
const severities: Array<'breaking' | 'warning' | 'info'> = report.drifts.map((d) => d.severity)

const migration: string = 'CREATE INDEX users_email ON users (email);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n'
const lintOptions: LintOptions = {
  file: 'V3__email.sql',
  pgVersion: 15,
  schema,
  stats: { tables: { 'public.users': { rows: 2_000_000 } } },
  transactional: false,
  config: '[rules.severity]\nprefer-text-over-varchar = "warning"\n',
  disable: ['drop-table'],
  enable: [],
  severity: { 'set-not-null': 'error' },
}
const diagnostics: Diagnostic[] = lint(migration, lintOptions)
const lines: string[] = diagnostics.map((d) => {
  const severity: DiagnosticSeverity = d.severity
  const span: Span = d.span
  const fix: Fix | null = d.fix
  const applicability: Applicability | null = fix ? fix.applicability : null
  const edits: Edit[] = fix ? fix.edits : []
  const validation: string | null = d.validation
  return `${span.file ?? ''}:${span.line}:${span.column} ${severity} ${d.rule} fix=${applicability} edits=${edits.length} check=${validation !== null} ${d.render(migration).length}`
})
const fixed: FixResult = applyFixes(migration, diagnostics, { unsafe: false })
const categories: RuleCategory[] = rules().map((r: Rule) => r.category)
const documented: Map<string, string> = new Map(rules().map((r) => [r.id, r.documentation]))

function describe(error: unknown): string {
  if (error instanceof ParseError) return `${error.file ?? '<input>'}:${error.line}:${error.column}: ${error.statement}`
  if (error instanceof DestructiveChangeError) return error.changeSet.sql() + error.refused.map((c) => c.object).join(',')
  if (error instanceof ConfigError) return `${error.file}:${error.line}:${error.column}: ${error.message}`
  if (error instanceof AstrolaError) {
    const code: ErrorCode | 'astrola_error' = error.code
    return code
  }
  return String(error)
}

async function main(): Promise<void> {
  const parsed: Schema = await parseSchemaAsync(to)
  const asyncChanges: ChangeSet = await diffAsync(from, parsed)
  console.log(dialect, columns, primaryKey, same, sql, kinds, statements, downSql, severities, asyncChanges.isComplete)
  const asyncDiagnostics: Diagnostic[] = await lintAsync(migration, { pgVersion: 12 })
  console.log(lines, fixed.source, fixed.applied, fixed.skipped, categories.length, documented.size, asyncDiagnostics.length)
  try {
    lint(migration, { config: '[rules]\ndisable = ["nope"]\n' })
  } catch (error) {
    console.log(describe(error))
  }
  try {
    diff(to, from)
  } catch (error) {
    console.log(describe(error))
  }
}

void main()

// PII: which columns hold personal data, and their values masked. (An
// import of its own, hoisted like the one above.)
import {
  classify,
  classifyAsync,
  mask,
  kAnonymity,
  PiiReport,
  ColumnReport,
  Finding,
  type ClassifyOptions,
  type KAnonymity,
  type MaskStrategy,
  type PiiBasis,
  type PiiLevel,
  type PiiSamples,
  type PiiType,
  type Regulation,
  type SampleStats,
} from 'astrola'

async function pii(): Promise<void> {
  const samples: PiiSamples = { users: { notes: ['ana@example.org', 'bo@example.com', null] } }
  const options: ClassifyOptions = { minConfidence: 0.5, dialect: 'postgres' }
  const report: PiiReport = classify('CREATE TABLE users (id bigint PRIMARY KEY, name text, notes text);', samples, options)
  const again: PiiReport = await classifyAsync(parseSchema('CREATE TABLE users (name text);'))
  for (const column of report.reports) {
    const c: ColumnReport = column
    const basis: PiiBasis = c.basis
    const level: PiiLevel | null = c.level
    const stats: SampleStats | null = c.samples
    for (const f of c.findings) {
      const finding: Finding = f
      const kind: PiiType = finding.piiType
      const regulations: Regulation[] = finding.regulations
      console.log(`${c.table}.${c.column}: ${kind} ${finding.confidence} ${level} ${basis} ${regulations.join()} ${stats ? stats.nonNull : '-'}`)
    }
  }
  const strategy: MaskStrategy = 'format_preserving'
  const masked: Array<string | null> = mask(['ana@example.org', null], strategy, { key: new TextEncoder().encode('a secret key of 16+ bytes') })
  const k: KAnonymity = kAnonymity([['941', '941'], ['1980', null]], { targetK: 2, report: 1 })
  console.log(masked, k.k, k.rowsBelowTarget, k.smallest.map((c) => c.values), again.hasFindings, report.toJson().length)
}

void pii()

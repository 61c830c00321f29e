// Type-checked use of the `astrola` package: `tsc --noEmit --strict` must
// accept this file (bindings/node/test.sh runs it).
import {
  parseSchema,
  parseSchemaAsync,
  diff,
  diffAsync,
  drift,
  Schema,
  ChangeSet,
  Change,
  DriftReport,
  AstrolaError,
  ParseError,
  DestructiveChangeError,
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

function describe(error: unknown): string {
  if (error instanceof ParseError) return `${error.file ?? '<input>'}:${error.line}:${error.column}: ${error.statement}`
  if (error instanceof DestructiveChangeError) return error.changeSet.sql() + error.refused.map((c) => c.object).join(',')
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
  try {
    diff(to, from)
  } catch (error) {
    console.log(describe(error))
  }
}

void main()

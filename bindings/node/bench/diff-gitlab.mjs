// Times `diff(from, to, {allowDestructive: true}).sql()` through the Node
// package: node diff-gitlab.mjs FROM.sql TO.sql --runs N
// Prints one JSON line: {"lang":"node","runs":N,"median_ns":…,"min_ns":…,"sql_bytes":…,"sql_sha256":"…"}
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

import { diff } from 'astrola'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '10' } } })
const runs = Number(values.runs)
if (positionals.length !== 2 || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: node diff-gitlab.mjs FROM.sql TO.sql --runs N')
  process.exit(2)
}
const [fromText, toText] = positionals.map((file) => readFileSync(file, 'utf8'))

// What `astrola diff --allow-destructive` prints. When the two sides differ
// in something no migration expresses, `diff` throws UnmanagedDifferenceError
// carrying the same change set, whose sql() is still the CLI's output.
function migrationSql() {
  try {
    return diff(fromText, toText, { allowDestructive: true }).sql()
  } catch (error) {
    if (error?.code === 'unmanaged_difference') return error.changeSet.sql()
    throw error
  }
}

let sql = migrationSql() // warm-up
const times = []
for (let i = 0; i < runs; i++) {
  const start = process.hrtime.bigint()
  sql = migrationSql()
  times.push(process.hrtime.bigint() - start)
}
times.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
const middle = times.length >> 1
const median = times.length % 2 ? times[middle] : (times[middle - 1] + times[middle]) / 2n
const bytes = Buffer.from(sql, 'utf8')
console.log(
  JSON.stringify({
    lang: 'node',
    runs,
    median_ns: Number(median),
    min_ns: Number(times[0]),
    sql_bytes: bytes.length,
    sql_sha256: createHash('sha256').update(bytes).digest('hex'),
  }),
)

// Every ```js (CommonJS) and ```mjs (ES module) snippet of README.md runs
// and exits 0, with no failed console.assert.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')
const fence = /^```(js|mjs)\n([\s\S]*?)^```$/gm
const snippets = [...readme.matchAll(fence)].map(([, lang, code]) => ({ lang, code }))
// The repository README's Node quickstart runs too.
const repositoryReadme = readFileSync(join(packageDir, '..', '..', 'README.md'), 'utf8')
const repositorySnippets = [...repositoryReadme.matchAll(fence)].map(([, lang, code]) => ({ lang, code }))
snippets.push(...repositorySnippets)

test('README.md has CommonJS and ES module snippets, the repository README a Node quickstart', () => {
  assert.ok(repositorySnippets.length > 0)
  assert.ok(snippets.some((s) => s.lang === 'js'))
  assert.ok(snippets.some((s) => s.lang === 'mjs'))
})

for (const [index, { lang, code }] of snippets.entries()) {
  test(`README snippet ${index + 1} (${lang}) runs`, () => {
    // Inside the package directory, so that `astrola` resolves to this package.
    const dir = mkdtempSync(join(packageDir, '.readme-'))
    try {
      const file = join(dir, `snippet.${lang === 'js' ? 'cjs' : 'mjs'}`)
      // A failed console.assert only prints; make it fail the snippet.
      const guard = "console.assert = (ok, ...m) => { if (!ok) { console.error('Assertion failed', ...m); process.exitCode = 1 } }\n"
      writeFileSync(file, guard + code)
      execFileSync(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (error) {
      assert.fail(`snippet ${index + 1} failed:\n${code}\n${error.stderr ?? error}`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
}

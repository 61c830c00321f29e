'use strict'
// Makes sure astrola.node (the native addon) is there. npm runs this as
// `prepare` (npm pack, and `npm install <this directory>`) and as `install`
// (`npm install <tarball>`; see README.md, "How the binary gets there").
//
// - In a source checkout (Cargo.toml beside this file), it builds the addon
//   with `napi build --release`, or with plain cargo when @napi-rs/cli is not
//   installed. Cargo rebuilds only what changed.
// - In an installed tarball, the addon built by `npm pack` ships with the
//   package; this only checks that it loads.
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const here = __dirname
const binary = path.join(here, 'astrola.node')

function run(command, args, options = {}) {
  return execFileSync(command, args, { cwd: here, stdio: ['ignore', 'inherit', 'inherit'], ...options })
}

function buildWithCargo() {
  const out = run('cargo', ['build', '--release', '-p', 'astrola-node', '--message-format=json-render-diagnostics'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
  const library = out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .filter((m) => m.reason === 'compiler-artifact' && m.target.name === 'astrola_node')
    .flatMap((m) => m.filenames)
    .find((f) => /\.(so|dylib|dll)$/.test(f))
  if (!library) throw new Error('astrola: cargo built no astrola_node library')
  fs.copyFileSync(library, binary)
}

// The release profile keeps line tables for Rust backtraces; the addon
// does not need them (about 100 MB unstripped, a 23 MB tarball). binutils'
// strip comes with the C toolchain cargo needs anyway.
function stripDebugInfo() {
  try {
    run('strip', ['--strip-debug', binary])
  } catch (error) {
    console.warn(`astrola: could not strip ${binary} (${error.message}); it works, only larger`)
  }
}

if (fs.existsSync(path.join(here, 'Cargo.toml'))) {
  const napi = path.join(here, 'node_modules', '.bin', process.platform === 'win32' ? 'napi.cmd' : 'napi')
  if (fs.existsSync(napi)) run(napi, ['build', '--release', '--dts', 'index.d.ts'])
  else buildWithCargo()
  stripDebugInfo()
} else if (!fs.existsSync(binary)) {
  console.error('astrola: this package has no astrola.node; build it from a source checkout (bindings/node) with cargo')
  process.exit(1)
}
require('./index.js')

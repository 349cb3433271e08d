/**
 * undici's own Fetch tests (vendor/, test/fetch/*.js of nodejs/undici), run with only `fetch`
 * swapped: first the runtime's global fetch, then `client.toFetch()` on the fetch transport and on
 * the undici transport. Fails when a test that passes with global fetch does not pass through
 * toFetch(), unless INTENDED below names it, with the reason the README gives.
 *
 * Needs the built package (npm run build). `node test/undici-fetch/run.mjs`; `--verbose` prints
 * every test that differs, the intended ones included.
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')
const MODES = ['global', 'fetch-transport', 'undici-transport']

/** Tests that fail through toFetch() on purpose: `file :: test name` (a prefix), and why. */
const INTENDED = [
  ['blob-uri.js :: ', 'blob: URLs are refused: a service client fetches http(s); a Blob is read directly'],
  ['range-open-ended.js :: blob:', 'blob: URLs are refused'],
  ['data-uri.js :: ', 'data: URLs are refused: their bytes are already in hand'],
  [
    'resource-timing.js :: redirect timing entries should be included when redirecting',
    'fetchkind sends each hop itself: each has its own entry, with no redirect times',
  ],
]

const verbose = process.argv.includes('--verbose')
const work = mkdtempSync(join(tmpdir(), 'undici-fetch-'))
try {
  layOut(work)
  const files = readdirSync(join(work, 'test/fetch')).filter(
    (name) => name.endsWith('.js') && name !== 'util.js',
  )
  const results = {}
  for (const mode of MODES) results[mode] = await runAll(work, mode, files)
  let failed = false
  for (const mode of MODES.slice(1)) {
    let missing = lost(results.global, results[mode])
    // A timing-sensitive test may fail once by chance: its file runs again before it counts.
    if (missing.length > 0) {
      const again = await runAll(work, mode, [...new Set(missing.map((name) => name.split(' :: ')[0]))])
      missing = missing.filter((name) => again.get(name) !== true)
    }
    const intended = missing.filter((name) => reasonFor(name))
    const unintended = missing.filter((name) => !reasonFor(name))
    const passed = [...results[mode].values()].filter(Boolean).length
    console.log(
      `${mode}: ${passed} pass; of the ${count(results.global)} global fetch passes, ${intended.length} fail as intended, ${unintended.length} otherwise`,
    )
    for (const name of verbose ? intended : []) console.log(`  intended: ${name} (${reasonFor(name)})`)
    for (const name of unintended) console.log(`  FAILS: ${name}`)
    failed ||= unintended.length > 0
  }
  process.exitCode = failed ? 1 : 0
} finally {
  rmSync(work, { recursive: true, force: true })
}

/** The tree undici's tests expect: themselves under test/, undici's lib/ and its entry points at the root. */
function layOut(dir) {
  cpSync(join(import.meta.dirname, 'vendor/test'), join(dir, 'test'), { recursive: true })
  symlinkSync(join(root, 'node_modules/undici/lib'), join(dir, 'lib'))
  writeFileSync(join(dir, 'package.json'), '{"name":"undici","main":"index.js"}\n')
  const entry = `'use strict'
// undici, with only fetch swapped for the one FETCH_UNDER_TEST names.
const undici = require(${JSON.stringify(join(root, 'node_modules/undici'))})
const mode = process.env.FETCH_UNDER_TEST
let fetch = globalThis.fetch
if (mode !== 'global') {
  const { createClient } = require(${JSON.stringify(join(root, 'dist/index.js'))})
  const { fetchTransport } = require(${JSON.stringify(join(root, 'dist/transport.js'))})
  const { undiciTransport } = require(${JSON.stringify(join(root, 'dist/undici.js'))})
  const transport = mode === 'undici-transport' ? undiciTransport() : fetchTransport()
  fetch = createClient({ transport }).toFetch()
}
module.exports = { ...undici, fetch }
`
  for (const name of ['index.js', 'index-fetch.js', 'undici-fetch.js']) writeFileSync(join(dir, name), entry)
}

/** Every test's outcome in `files` under `mode`: `file :: name` → passed. */
async function runAll(dir, mode, files) {
  const outcomes = new Map()
  const queue = [...files]
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      for (const [name, passed] of await runFile(dir, mode, file)) outcomes.set(name, passed)
    }
  }
  await Promise.all(Array.from({ length: availableParallelism() }, worker))
  return outcomes
}

/** One file's tests under `mode`, from its TAP; a file that hangs is stopped after 30 s. */
function runFile(dir, mode, file) {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--test', '--test-reporter=tap', join('test/fetch', file)],
      { cwd: dir, env: { ...process.env, FETCH_UNDER_TEST: mode }, timeout: 30_000, maxBuffer: 64 << 20 },
      (_error, stdout) => {
        // A subtest's name is its parents' and its own: `file :: suite > test`. TAP announces
        // each test (`# Subtest: name`) before its subtests, at the indentation of its result.
        const tests = []
        const open = []
        for (const line of String(stdout).split('\n')) {
          const announced = /^(\s*)# Subtest: (.*)$/.exec(line)
          if (announced) open[announced[1].length / 4] = announced[2]
          const match = /^(\s*)(not ok|ok) \d+ - (.*)$/.exec(line)
          if (!match || match[3].includes('# SKIP')) continue
          const name = [...open.slice(0, match[1].length / 4), match[3]].join(' > ')
          tests.push([`${file} :: ${name}`, match[2] === 'ok'])
        }
        done(tests)
      },
    )
  })
}

function lost(before, after) {
  return [...before].filter(([name, passed]) => passed && after.get(name) !== true).map(([name]) => name)
}

function count(outcomes) {
  return [...outcomes.values()].filter(Boolean).length
}

function reasonFor(name) {
  return INTENDED.find(([prefix]) => name.startsWith(prefix))?.[1]
}

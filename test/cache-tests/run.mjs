/**
 * The HTTP cache conformance suite (vendor/: http-tests/cache-tests, the suite behind
 * cache-tests.fyi), run as it runs a browser: the cache under test is the client's own, here
 * `client.toFetch()` on the fetch transport and on the undici transport, each in a process of its
 * own against the suite's server on 127.0.0.1.
 *
 * Prints, per transport, how many of the required and optimal tests that apply to a private cache
 * pass, and fails when a test that expected.json lists as passing does not pass (a test that fails
 * once is run again on its own before it counts: several depend on a few seconds' pauses).
 * `--update` rewrites expected.json from this run; `--verbose` lists every test that fails;
 * `--only=id,…` runs just those tests; `--dump=id` prints one test's every request and response.
 *
 * `node test/cache-tests/run.mjs` (Node ≥ 22.18: the client imports src/ as TypeScript).
 */
import { execFile, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { determineTestResult, resultTypes } from './vendor/test-engine/lib/results.mjs'
import handleConfig from './vendor/test-engine/server/handle-config.mjs'
import handleState from './vendor/test-engine/server/handle-state.mjs'
import handleTest from './vendor/test-engine/server/handle-test.mjs'
import suites from './vendor/tests/index.mjs'

const MODES = ['fetch-transport', 'undici-transport']
const expectedFile = join(import.meta.dirname, 'expected.json')
const verbose = process.argv.includes('--verbose')
const update = process.argv.includes('--update')
/** `--only=id,id`: just those tests (to look into one). */
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')

/** The suite's server (its own server.mjs, listening on loopback only). */
const server = createServer((request, response) => {
  const [dispatch, ...rest] = new URL(request.url, 'http://127.0.0.1').pathname.split('/').slice(1)
  const handler = { config: handleConfig, test: handleTest, state: handleState }[dispatch]
  if (handler) return handler(rest, request, response)
  response.statusCode = 404
  response.end()
})
await new Promise((listening) => server.listen(0, '127.0.0.1', listening))
const base = `http://127.0.0.1:${server.address().port}`

/** The tests a browser run includes (runner.mjs's rule), by id, with their kind. */
const applicable = suites
  .flatMap((suite) => suite.tests)
  .filter((test) => test.cdn_only !== true && test.browser_skip !== true)
  .filter((test) => !only || only.includes(test.id))
const kindOf = (test) => test.kind ?? 'required'

/** `--dump=id`: one test, every request and response of it printed, on each transport. */
const dump = process.argv.find((arg) => arg.startsWith('--dump='))?.slice('--dump='.length)
if (dump) {
  for (const mode of MODES) {
    console.log(`\n##### ${mode}`)
    const client = spawn(
      process.execPath,
      [join(import.meta.dirname, 'client.mjs'), mode, base, dump, 'dump'],
      {
        stdio: 'inherit',
      },
    )
    await new Promise((exited) => client.once('exit', exited))
  }
  server.close()
  process.exit(0)
}

const expected = update ? {} : JSON.parse(readFileSync(expectedFile, 'utf8'))
let failed = false
const all = await Promise.all(MODES.map((mode) => runClient(mode, only)))
for (const [i, mode] of MODES.entries()) {
  const results = all[i]
  let lost = (expected[mode] ?? []).filter((id) => (!only || only.includes(id)) && !passes(results, id))
  if (lost.length > 0) {
    Object.assign(results, await runClient(mode, lost))
    lost = lost.filter((id) => !passes(results, id))
  }
  const count = (kind) => {
    const tests = applicable.filter((test) => kindOf(test) === kind)
    return `${tests.filter((test) => passes(results, test.id)).length} of ${tests.length}`
  }
  console.log(`${mode}: required ${count('required')}, optimal ${count('optimal')} pass`)
  for (const id of lost) console.log(`  LOST: ${id} (${describe(results, id)})`)
  if (verbose) {
    for (const test of applicable.filter((t) => kindOf(t) !== 'check' && !passes(results, t.id)))
      console.log(`  fails (${kindOf(test)}): ${test.id} — ${describe(results, test.id)}`)
  }
  failed ||= lost.length > 0
  if (update) expected[mode] = applicable.filter((test) => passes(results, test.id)).map((test) => test.id)
}
if (update && !only) writeFileSync(expectedFile, `${JSON.stringify(expected, null, 2)}\n`)
server.close()
process.exit(failed ? 1 : 0)

/** One client process's results: test id → `true`, or `[error name, message]`. */
function runClient(mode, ids) {
  const args = [join(import.meta.dirname, 'client.mjs'), mode, base, ...(ids ? [ids.join(',')] : [])]
  return new Promise((done, fail) => {
    execFile(process.execPath, args, { maxBuffer: 64 << 20, timeout: 600_000 }, (error, stdout) =>
      error ? fail(error) : done(JSON.parse(stdout)),
    )
  })
}

function passes(results, id) {
  const result = determineTestResult(suites, id, results)
  return result === resultTypes.pass || result === resultTypes.yes
}

function describe(results, id) {
  const result = results[id]
  return result === undefined
    ? 'not run'
    : result === true
      ? 'passed, a dependency failed'
      : result.join(': ')
}

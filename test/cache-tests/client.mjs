/**
 * One run of the suite's client in the mode a browser runs it in (the cache under test is the
 * client's own), with fetch swapped for `client.toFetch()` on the transport MODE names: node
 * test/cache-tests/client.mjs MODE BASE_URL [IDS]. Prints the suite's results as JSON.
 *
 * The suite's own calls to its server (a test's configuration, the server's state) go through the
 * runtime's fetch: they are the harness, not the cache under test.
 */
import { createClient } from '../../src/index.ts'
import { undiciTransport } from '../../src/undici.ts'
import { getResults, runTests } from './vendor/test-engine/client/runner.mjs'
import tests from './vendor/tests/index.mjs'

const [mode, base, only, dump] = process.argv.slice(2)
const harness = globalThis.fetch
// Retries are a policy of their own: the suite counts a retried 503 as a broken setup.
const underTest = createClient({
  ...(mode === 'undici-transport' ? { transport: undiciTransport() } : { fetch: harness }),
  retry: false,
  // toFetch() is fetch unless the client is given a cache: this suite tests the cache.
  cache: {},
}).toFetch()
globalThis.fetch = (input, init) =>
  new URL(String(input)).pathname.startsWith('/test/') ? underTest(input, init) : harness(input, init)

// A comma-separated list of test ids runs just those (a second try of a timing-sensitive test).
const ids = only?.split(',')
const chosen = ids
  ? tests.map((suite) => ({ ...suite, tests: suite.tests.filter((test) => ids.includes(test.id)) }))
  : tests
// `dump`: the suite logs each request and response (its own switch, test.dump).
if (dump) for (const suite of chosen) for (const test of suite.tests) test.dump = true
await runTests(chosen, true, base)
process.stdout.write(`${JSON.stringify(getResults())}\n`)
process.exit(0)

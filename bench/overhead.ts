/**
 * `npm run bench:overhead`: the CPU and memory a client's own code costs a call, apart from the
 * network. Each client sends through an in-process undici dispatcher that answers at once (no
 * socket, no origin process), so what is measured is the client's JavaScript: fetchkind with
 * default options on its undici transport against bare `undici.request` on the same dispatcher.
 * On this noisy 2-core machine the loopback bench (bench/run.ts) moves ±30 % between rounds;
 * this moves a few per cent, and is how each change to the per-call path was judged.
 *
 * Each client runs in its own process, rounds interleaved; prints CPU µs and KiB allocated per
 * call, median (min–max) across rounds. The ratio a user sees over a real network is smaller:
 * there the network and the kernel's share is the same for both clients.
 */
import { execFileSync } from 'node:child_process'
import { GCProfiler } from 'node:v8'
import type { Dispatcher } from 'undici'
import { median } from './statistics.ts'

type Client = 'undici.request' | 'fetchkind (undici)'
const CLIENTS: readonly Client[] = ['undici.request', 'fetchkind (undici)']

interface Case {
  readonly name: string
  readonly path: string
  readonly concurrency: number
  readonly clients: readonly Client[]
}
const CASES: readonly Case[] = [
  { name: '~100 B JSON, sequential', path: '/small', concurrency: 1, clients: CLIENTS },
  { name: '~100 B JSON, concurrency 64', path: '/small', concurrency: 64, clients: CLIENTS },
  { name: 'one redirect hop, then ~100 B JSON', path: '/redirect', concurrency: 1, clients: CLIENTS },
  { name: 'a fresh cache hit', path: '/fresh', concurrency: 1, clients: ['fetchkind (undici)'] },
]
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const CALLS = Number(process.env.BENCH_CALLS ?? 40_000)

interface Figures {
  readonly cpu: number
  readonly allocated: number
}

if (process.argv[2] === '--worker') {
  const [, , , client, path, concurrency] = process.argv as string[]
  const figures = await measure(client as Client, path as string, Number(concurrency))
  process.stdout.write(`${JSON.stringify(figures)}\n`)
  process.exit(0)
}

const results = new Map<string, Figures[]>()
for (let round = 0; round < ROUNDS; round++) {
  for (const { path, concurrency, name, clients } of CASES) {
    const order = round % 2 === 0 ? clients : [...clients].reverse()
    for (const client of order) {
      const output = execFileSync(
        process.execPath,
        [import.meta.filename, '--worker', client, path, String(concurrency)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      )
      const key = `${name}\u0000${client}`
      results.set(key, [...(results.get(key) ?? []), JSON.parse(output) as Figures])
    }
  }
  process.stderr.write('.')
}
process.stderr.write('\n')

const spread = (values: number[], digits: number) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`
console.log(`CPU µs and KiB allocated per call, median (min–max) of ${ROUNDS} rounds of ${CALLS} calls`)
const figuresOf = (name: string, client: Client) => results.get(`${name}\u0000${client}`) ?? []
for (const { name, clients } of CASES) {
  console.log(name)
  const figures = (client: Client) => figuresOf(name, client)
  for (const client of clients) {
    const runs = figures(client)
    console.log(
      `  ${client.padEnd(20)} CPU ${spread(
        runs.map((f) => f.cpu),
        1,
      ).padEnd(18)} allocated ${spread(
        runs.map((f) => f.allocated),
        1,
      )}`,
    )
  }
  if (clients.length === 1) continue
  const ratios = figures('fetchkind (undici)').map((f, i) => f.cpu / (figures('undici.request')[i]?.cpu ?? 1))
  console.log(`  CPU fetchkind ÷ undici.request ${spread(ratios, 2)}`)
}
const hits = figuresOf('a fresh cache hit', 'fetchkind (undici)')
const calls = figuresOf('~100 B JSON, sequential', 'fetchkind (undici)')
console.log(
  `CPU of fetchkind's call ÷ its cache hit, sequential: ${spread(
    hits.map((hit, i) => (calls[i]?.cpu ?? 0) / hit.cpu),
    1,
  )}`,
)

/** Runs `client` for CALLS calls of `path` (after as many to warm up) and measures them. */
async function measure(client: Client, path: string, concurrency: number): Promise<Figures> {
  const get = await loadClient(client, `http://127.0.0.1:9${path}`)
  const run = async (calls: number) => {
    let left = calls
    const worker = async () => {
      while (left-- > 0) await get()
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
  }
  await run(CALLS)
  const profiler = new GCProfiler()
  profiler.start()
  const before = process.cpuUsage()
  await run(CALLS)
  const cpu = process.cpuUsage(before)
  const { statistics } = profiler.stop() as unknown as { statistics: Collection[] }
  // What each collection freed: garbage the calls made (the heap holds little else here).
  const freed = statistics.reduce(
    (sum, gc) => sum + gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize,
    0,
  )
  return { cpu: (cpu.user + cpu.system) / CALLS, allocated: freed / CALLS / 1024 }
}

interface Collection {
  readonly beforeGC: { readonly heapStatistics: { readonly usedHeapSize: number } }
  readonly afterGC: { readonly heapStatistics: { readonly usedHeapSize: number } }
}

async function loadClient(client: Client, url: string): Promise<() => Promise<unknown>> {
  const undici = await import('undici')
  const dispatcher = answeringDispatcher(undici)
  if (client === 'undici.request') {
    const redirecting = dispatcher.compose(undici.interceptors.redirect({ maxRedirections: 1 }))
    const through = url.endsWith('/redirect') ? redirecting : dispatcher
    return async () => (await undici.request(url, { dispatcher: through })).body.json()
  }
  const { createClient } = await import('../src/index.ts')
  const { undiciTransport } = await import('../src/undici.ts')
  const api = createClient({ transport: undiciTransport({ dispatcher }) })
  return async () => {
    const result = await api.get(url)
    if (result.kind !== 'success') throw new Error(`fetchkind: ${result.kind}`)
    return result.data
  }
}

/** A response as the dispatcher gives it, made once: its head as undici parses it and as raw bytes. */
interface Answer {
  readonly status: number
  readonly statusText: string
  readonly headers: Readonly<Record<string, string>>
  readonly rawHeaders: readonly Buffer[]
  readonly body: Buffer | null
}

function answer(
  status: number,
  statusText: string,
  fields: Record<string, string>,
  body: Buffer | null,
): Answer {
  const headers = { ...fields, 'content-length': String(body?.byteLength ?? 0) }
  const rawHeaders = Object.entries(headers).flatMap(([name, value]) => [
    Buffer.from(name),
    Buffer.from(value),
  ])
  return { status, statusText, headers, rawHeaders, body }
}

/**
 * A dispatcher that answers every request on the next turn of the event loop, as a socket read
 * would: /small and /fresh with the bench origin's small document (/fresh cacheable for an
 * hour), /redirect with a 302 to /small. Each answer is made once, so that the calls measure the
 * clients, not it.
 */
function answeringDispatcher(undici: typeof import('undici')): Dispatcher {
  const body = Buffer.from(JSON.stringify({ id: 42, name: 'Ada Lovelace', email: 'ada@example.com' }))
  const common = { date: new Date().toUTCString(), connection: 'keep-alive', 'keep-alive': 'timeout=120' }
  const json = { ...common, 'content-type': 'application/json' }
  const small = answer(200, 'OK', json, body)
  const answers = new Map([
    ['/small', small],
    ['/fresh', answer(200, 'OK', { ...json, 'cache-control': 'max-age=3600' }, body)],
    ['/redirect', answer(302, 'Found', { ...common, location: '/small' }, null)],
  ])
  return new (class extends undici.Dispatcher {
    override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
      const { status, statusText, headers, rawHeaders, body } = answers.get(String(options.path)) ?? small
      setImmediate(() => {
        let aborted = false
        const controller = {
          rawHeaders,
          rawTrailers: null,
          paused: false,
          aborted: false,
          reason: null,
          abort() {
            aborted = true
          },
          pause() {},
          resume() {},
        } as unknown as Dispatcher.DispatchController
        handler.onRequestStart?.(controller, {})
        if (aborted) return
        // A copy: a handler on the way (undici's decompress interceptor) may change the one it gets.
        handler.onResponseStart?.(controller, status, { ...headers }, statusText)
        if (body) handler.onResponseData?.(controller, body)
        handler.onResponseEnd?.(controller, {})
      })
      return true
    }
    override close = (() => Promise.resolve()) as Dispatcher['close']
    override destroy = (() => Promise.resolve()) as Dispatcher['destroy']
  })()
}

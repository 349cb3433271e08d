/**
 * The fleet part of `npm run bench:replicas`: ten replica processes on one Redis, each making 20
 * calls to an origin that is down (always 503) or in a 429 storm (always 429, Retry-After: 1), with
 * the default retry policy (backoff steps of 50 ms to keep it short). Per configuration: origin
 * requests per logical call, Redis round trips per call (scripts sent, from Redis's own stats), and the wall time
 * of the run. In the outage, also circuit breakers (open at half of 10 attempts failing): each
 * replica's own, and shared through the store. Run by bench/replicas.ts after its per-call figures, on the same Redis.
 *
 * Each configuration runs twice: the replicas starting their calls together, once every one is
 * connected (an outage that hits a running fleet), and staggered, each 100–350 ms after the one
 * before (as replicas that start one by one into an outage; the first to fail then warns the rest).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'

const REPLICAS = 10
const CALLS = 20
const SCENARIOS = ['outage', '429 storm'] as const
const CONFIGS = [
  'own stores',
  'redis retry store',
  'redis retry store, mirrored',
  'mirrored, a breaker each',
  'mirrored, shared breaker',
] as const
type Config = (typeof CONFIGS)[number]
/** The breaker the two breaker configurations use: open at half failing, once 10 attempts are seen. */
const BREAKER = { minimumThroughput: 10, failureRatio: 0.5, breakDuration: 5_000 }
/** A 429 is no failure to a breaker: the breaker configurations run in the outage only. */
const runs = (scenario: (typeof SCENARIOS)[number], config: Config) =>
  scenario === 'outage' || !config.includes('breaker')
const STARTS = ['together', 'staggered'] as const
type Start = (typeof STARTS)[number]

/** Runs every scenario and configuration once, each replica in its own process; prints a table. */
export async function fleet(redisPort: number): Promise<void> {
  const { createClient } = await import('redis')
  const redis = createClient({ socket: { host: '127.0.0.1', port: redisPort } })
  await redis.connect()
  const rows: string[] = []
  for (const scenario of SCENARIOS) {
    for (const config of CONFIGS.filter((one) => runs(scenario, one))) {
      for (const start of STARTS) {
        let requests = 0
        const origin = createServer((_request, response) => {
          requests += 1
          if (scenario === 'outage') response.writeHead(503).end()
          else response.writeHead(429, { 'retry-after': '1' }).end()
        })
        await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
        const url = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/`
        const replicas = await connected(config, url, redisPort)
        await redis.configResetStat()
        const started = performance.now()
        await go(replicas, start)
        const seconds = (performance.now() - started) / 1000
        // Round trips: the scripts sent (a script's own commands count in Redis's stats too, and are no
        // round trip). The cache is off here, so the stores send nothing else.
        const info = await redis.info('commandstats')
        const calls = (name: string) =>
          Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0)
        const roundTrips = calls('evalsha') + calls('eval')
        origin.close()
        const total = REPLICAS * CALLS
        rows.push(
          `| ${scenario} | ${config} | ${start} | ${(requests / total).toFixed(2)} | ${(roundTrips / total).toFixed(2)} | ${seconds.toFixed(1)} |`,
        )
      }
    }
  }
  redis.destroy()
  console.log(`\n${REPLICAS} replica processes × ${CALLS} calls on one Redis (one run each):\n`)
  console.log(
    '| upstream | configuration | start | origin requests per call | Redis round trips per call | seconds |',
  )
  console.log('|---|---|---|---:|---:|---:|')
  for (const row of rows) console.log(row)
}

/** The replica processes, each connected to Redis and its client made, waiting for the word. */
async function connected(config: Config, url: string, redisPort: number): Promise<ChildProcess[]> {
  const replicas = Array.from({ length: REPLICAS }, () =>
    spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', import.meta.filename, config, url, String(redisPort)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    ),
  )
  await Promise.all(replicas.map((replica) => line(replica)))
  return replicas
}

/** Tells the replicas to make their calls — all at once, or one by one 100–350 ms apart — and waits until all have. */
async function go(replicas: ChildProcess[], start: Start): Promise<void> {
  const done = replicas.map((replica) => new Promise((resolve) => replica.once('exit', resolve)))
  for (const replica of replicas) {
    if (start === 'staggered') await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 250))
    replica.stdin?.end('go\n')
  }
  await Promise.all(done)
}

/** The next line a replica writes. */
function line(replica: ChildProcess): Promise<string> {
  const lines = createInterface({ input: replica.stdout as NodeJS.ReadableStream })
  return new Promise((resolve) =>
    lines.once('line', (text) => {
      lines.close()
      resolve(text)
    }),
  )
}

/** One replica: its client and stores, connected; then, told to go, its calls one after another. */
async function replica(config: Config, url: string, redisPort: number): Promise<void> {
  const { createClient } = await import('../src/index.ts')
  const { redisPolicyStore } = await import('../src/redis.ts')
  const { createClient: createRedis } = await import('redis')
  const redis = createRedis({ socket: { host: '127.0.0.1', port: redisPort }, disableOfflineQueue: true })
  await redis.connect()
  const subscriber = redis.duplicate()
  const mirrored = config !== 'own stores' && config !== 'redis retry store'
  if (mirrored) await subscriber.connect()
  const store =
    config === 'own stores'
      ? undefined
      : redisPolicyStore(redis, {
          prefix: `fleet:${url}:`,
          timeout: 1_000,
          ...(mirrored ? { subscriber } : {}),
        })
  const breaker =
    config === 'mirrored, a breaker each'
      ? BREAKER
      : config === 'mirrored, shared breaker' && store
        ? { ...BREAKER, store }
        : undefined
  const client = createClient({
    cache: false,
    retry: { backoff: { initial: 50, max: 200 }, maxRetryAfter: 1_000, ...(store ? { store } : {}) },
    ...(breaker ? { circuitBreaker: breaker } : {}),
  })
  // Connected, subscribed (a message sent after the subscription holds arrives): ready.
  await new Promise((resolve) => setTimeout(resolve, mirrored ? 100 : 0))
  process.stdout.write('ready\n')
  await line({ stdout: process.stdin } as unknown as ChildProcess)
  for (let i = 0; i < CALLS; i++) await client.get(url)
  // The counts a mirrored store keeps are flushed before the process goes.
  await new Promise((resolve) => setTimeout(resolve, mirrored ? 300 : 0))
  redis.destroy()
  if (subscriber.isOpen) subscriber.destroy()
}

if (process.argv[1] === import.meta.filename && process.argv.length === 5) {
  const [config, url, port] = process.argv.slice(2) as [Config, string, string]
  await replica(config, url, Number(port))
  process.exit(0)
}

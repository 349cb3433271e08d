/**
 * `npm run bench:replicas`: what the shared stores of `fetchkind/redis` cost a call, against the
 * same client with its own memory cache and budget. Needs a redis-server on PATH (or in
 * /usr/bin); starts it on a free loopback port, with the bench origin (bench/origin.ts).
 *
 * Each configuration runs in its own process, rounds interleaved; figures are medians with the
 * min–max across rounds. Sequential calls (c1) and 16 at once (c16), on two routes: `/small`
 * (nothing cacheable: the retry store's one round trip per call, none when mirrored) and `/etag`
 * (no-cache, so every call revalidates: with the cache on Redis, a get and a set per call as well).
 * Then ten replica processes under an outage and a 429 storm (bench/fleet.ts); BENCH_FLEET_ONLY=1
 * runs that part alone.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fleet } from './fleet.ts'

const CONFIGS = [
  'own stores',
  'redis retry store',
  'redis retry store, mirrored',
  'redis cache + retry stores',
] as const
type Config = (typeof CONFIGS)[number]
const CASES = [
  { path: '/small', concurrency: 1 },
  { path: '/small', concurrency: 16 },
  { path: '/etag', concurrency: 1 },
  { path: '/etag', concurrency: 16 },
] as const
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 1000)
const here = import.meta.dirname

if (process.argv[2] === '--worker') await worker()
else await orchestrate()

async function orchestrate(): Promise<void> {
  const server = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path))
  if (!server) throw new Error('bench/replicas.ts needs redis-server (apt-get install -y redis-server)')
  const redisPort = await freePort()
  const redis = spawn(server, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', ''], {
    stdio: 'ignore',
  })
  const origin = spawn(process.execPath, [join(here, 'origin.ts')], { stdio: ['pipe', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve) =>
    origin.stdout?.once('data', (data) => resolve(String(data).trim())),
  )
  try {
    await new Promise((resolve) => setTimeout(resolve, 300))
    const perCall: Record<string, number[]> = {}
    // BENCH_FLEET_ONLY=1: the fleet's table alone.
    for (let round = 0; round < (process.env.BENCH_FLEET_ONLY ? 0 : ROUNDS); round++) {
      for (const config of CONFIGS) {
        const figures = runWorker(config, `http://127.0.0.1:${port}`, redisPort)
        for (const [name, micros] of Object.entries(figures)) {
          const key = `${config}|${name}`
          perCall[key] = [...(perCall[key] ?? []), micros]
        }
      }
    }
    if (!process.env.BENCH_FLEET_ONLY) print(perCall)
    await fleet(redisPort)
  } finally {
    stop(origin)
    redis.kill('SIGKILL')
  }
}

function runWorker(config: Config, origin: string, redisPort: number): Record<string, number> {
  const output = execFileSync(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      join(here, 'replicas.ts'),
      '--worker',
      config,
      origin,
      String(redisPort),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  )
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Record<string, number>
}

/** One configuration: µs per call for each case, after a warm-up. */
async function worker(): Promise<void> {
  const [config, origin, redisPort] = process.argv.slice(3) as [Config, string, string]
  const { createClient } = await import('../src/index.ts')
  const { undiciTransport } = await import('../src/undici.ts')
  const { redisCacheStore, redisPolicyStore } = await import('../src/redis.ts')
  const { createClient: createRedis } = await import('redis')
  const redis = createRedis({
    socket: { host: '127.0.0.1', port: Number(redisPort) },
    disableOfflineQueue: true,
  })
  await redis.connect()
  const subscriber = redis.duplicate()
  if (config === 'redis retry store, mirrored') await subscriber.connect()
  const prefix = `bench:${process.pid}:`
  const client = createClient({
    baseUrl: origin,
    transport: undiciTransport({ keepAliveTimeout: 120_000 }),
    ...(config === 'redis cache + retry stores'
      ? { cache: { store: redisCacheStore(redis, { prefix }) } }
      : {}),
    ...(config === 'own stores'
      ? {}
      : {
          retry: {
            store: redisPolicyStore(redis, {
              prefix,
              ...(config === 'redis retry store, mirrored' ? { subscriber } : {}),
            }),
          },
        }),
  })
  const figures: Record<string, number> = {}
  for (const { path, concurrency } of CASES) {
    const run = async (ms: number) => {
      let calls = 0
      const until = performance.now() + ms
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < until) {
            const result = await client.get(path)
            if (result.kind !== 'success') throw new Error(`${path}: ${result.kind}`)
            calls += 1
          }
        }),
      )
      return calls
    }
    await run(200)
    const calls = await run(MEASURE_MS)
    figures[`${path} c${concurrency}`] = (MEASURE_MS * 1000) / calls
  }
  redis.destroy()
  if (subscriber.isOpen) subscriber.destroy()
  console.log(JSON.stringify(figures))
}

function print(perCall: Record<string, number[]>): void {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
  const names = CASES.map(({ path, concurrency }) => `${path} c${concurrency}`)
  console.log(`\nµs per call, median of ${ROUNDS} rounds (min–max); ratio = calls/s ÷ own stores\n`)
  console.log(`| configuration | ${names.join(' | ')} |`)
  console.log(`|---|${names.map(() => '---').join('|')}|`)
  for (const config of CONFIGS) {
    const cells = names.map((name) => {
      const values = perCall[`${config}|${name}`] ?? []
      const base = median(perCall[`own stores|${name}`] ?? [])
      const value = median(values)
      const spread = `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}`
      return `${Math.round(value)} (${spread}) ×${(base / value).toFixed(2)}`
    })
    console.log(`| ${config} | ${cells.join(' | ')} |`)
  }
}

function stop(child: ChildProcess): void {
  child.stdin?.end()
  child.kill()
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

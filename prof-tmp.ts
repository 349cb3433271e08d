import { spawn } from 'node:child_process'

const origin = spawn(process.execPath, ['/work/main/bench/origin.ts'], { stdio: ['pipe', 'pipe', 'inherit'] })
const port = await new Promise<string>((r) => origin.stdout!.once('data', (d) => r(String(d).trim())))
const mode = process.argv[2] ?? 'undici'
const path = process.argv[3] ?? '/small'
const conc = Number(process.argv[4] ?? 64)
const { createClient } = await import('/work/main/src/index.ts')
const { undiciTransport } = await import('/work/main/src/undici.ts')
const client =
  mode === 'undici'
    ? createClient({ transport: undiciTransport({ keepAliveTimeout: 120000 }) })
    : createClient()
const url = `http://127.0.0.1:${port}${path}`
let n = 0
const until = performance.now() + 4000
await Promise.all(
  Array.from({ length: conc }, async () => {
    while (performance.now() < until) {
      await client.get(url)
      n++
    }
  }),
)
console.log(mode, path, conc, 'rps', Math.round(n / 4))
origin.stdin!.end()
process.exit(0)

/**
 * undici's global dispatcher, honoured as fetch honours it (issue 38): a test that installs a
 * MockAgent with `disableNetConnect()` — undici's documented way to mock — saw fetch get the mock
 * while a default client reached the real server.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { Agent, getGlobalDispatcher, MockAgent, setGlobalDispatcher } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

let origin: LoopbackOrigin
let real = 0
let previous: ReturnType<typeof getGlobalDispatcher>
let mock: MockAgent

beforeEach(async () => {
  real = 0
  origin = await startOrigin({
    '/user': (_request, response) => {
      real += 1
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"real"}')
    },
  })
  previous = getGlobalDispatcher()
  mock = new MockAgent()
  mock.disableNetConnect()
  setGlobalDispatcher(mock)
})

afterEach(async () => {
  setGlobalDispatcher(previous)
  await mock.close()
  await origin.stop()
})

describe('a MockAgent installed as the global dispatcher', () => {
  it('answers a default client, as it answers fetch; the real server sees nothing', async () => {
    mock
      .get(origin.url)
      .intercept({ path: '/user' })
      .reply(200, { name: 'mocked' }, { headers: { 'content-type': 'application/json' } })
      .times(2)

    expect(await (await fetch(`${origin.url}/user`)).json()).toEqual({ name: 'mocked' })
    expect(await createClient().get(`${origin.url}/user`)).toMatchObject({
      kind: 'success',
      data: { name: 'mocked' },
    })
    expect(real).toBe(0)
  })

  it('refuses what it has no answer for, with net connect disabled, as fetch does', async () => {
    await expect(fetch(`${origin.url}/user`)).rejects.toThrow(TypeError)
    const result = await createClient({ retry: false }).get(`${origin.url}/user`)
    expect(result.kind).toBe('network-error')
    expect(real).toBe(0)
  })

  it("is composed with the client's own: the address guard still refuses", async () => {
    mock.get(origin.url).intercept({ path: '/user' }).reply(200, 'mocked')
    const result = await createClient({ blockPrivateAddresses: true }).get(`${origin.url}/user`)
    expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
  })

  it('sends through whatever the process installs next: a plain Agent reaches the server', async () => {
    setGlobalDispatcher(new Agent())
    expect(await createClient().get(`${origin.url}/user`)).toMatchObject({
      kind: 'success',
      data: { name: 'real' },
    })
    expect(real).toBe(1)
  })
})

/**
 * Makes `client` in a process of its own (the origin lives in this one, so not a synchronous
 * one), runs `first`, then GETs the origin's /user; answers that last call's kind and how many
 * requests it sent through undici 8's own Agent. Node's fetch is loaded first, on an Agent of its
 * own where Node's bundled undici installs one under both keys (Node 24), so that what global
 * fetch sends is not counted there; on Node 22 global fetch sends through undici 8's Agent too,
 * which is why only the last call is counted.
 */
async function throughOwnAgent(client: string, first: string): Promise<unknown> {
  const script = `
    new Headers()
    const undici = await import('undici')
    let ownAgent = 0
    const dispatch = undici.Agent.prototype.dispatch
    undici.Agent.prototype.dispatch = function (...args) { ownAgent += 1; return dispatch.apply(this, args) }
    const { createClient } = await import(${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)})
    const { undiciLoaded } = await import(${JSON.stringify(new URL('../../src/transport/load-undici.ts', import.meta.url).href)})
    const url = process.argv[1]
    const client = ${client}
    ${first}
    const before = ownAgent
    const result = await client.get(url)
    console.log(JSON.stringify({ kind: result.kind, ownAgent: ownAgent - before }))
    process.exit(0)
  `
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--input-type=module',
    '-e',
    script,
    `${origin.url}/user`,
  ])
  return JSON.parse(stdout)
}

describe("the Agent Node's own undici made for itself", () => {
  it('is not taken for an installed one: the default client sends through its own Agent', async () => {
    // Node 24's bundled undici puts its Agent under both keys as it loads (any `new Headers()`
    // loads it); undici 8, loaded after, keeps it. A process with nothing installed was sending
    // every default call through Node's bundled undici, not the transport's own Agent. The first
    // call goes through fetch while undici loads (issue 41); the next through undici.
    const first = `
      await client.get(url)
      while (!undiciLoaded()) await new Promise((resolve) => setTimeout(resolve, 10))
    `
    expect(await throughOwnAgent('createClient()', first)).toEqual({ kind: 'success', ownAgent: 1 })
  })
})

describe('the first calls, before undici has loaded', () => {
  it('go through the undici transport still when the address guard must check DNS answers', async () => {
    // fetch resolves names out of reach: a guarded call waits for undici rather than skip the check.
    const client = "createClient({ blockPrivateAddresses: { allow: ['127.0.0.1'] } })"
    expect(await throughOwnAgent(client, '')).toEqual({ kind: 'success', ownAgent: 1 })
  })
})

/**
 * A transport that cannot run here is told at once, never a network error (issue 38): bundled
 * without undici, every call was `network-error MODULE_NOT_FOUND`, and an outage was what it read
 * as. Here undici cannot be imported at all, as in a bundle that left it out.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { PLAIN } from '../../src/cli/render.ts'
import { type CliIo, runCli } from '../../src/cli/run.ts'
import { createClient } from '../../src/index.ts'
import { nodeTooOld } from '../../src/transport/load-undici.ts'
import { TransportUnavailableError } from '../../src/transport.ts'
import { undiciTransport } from '../../src/undici.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

vi.mock('undici', () => {
  throw new Error("Cannot find module 'undici'")
})

let origin: LoopbackOrigin

beforeAll(async () => {
  origin = await startOrigin({
    '/ok': (_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
  })
})

afterAll(() => origin.stop())

describe('undici missing', () => {
  it('an undici transport rejects the call, saying what is missing and what to do', async () => {
    const client = createClient({ transport: undiciTransport() })
    const call = client.get(`${origin.url}/ok`)
    await expect(call).rejects.toThrow(TransportUnavailableError)
    await expect(call).rejects.toThrow(/undici could not be loaded.*npm install undici.*Bundling/)
    await expect(call).rejects.toMatchObject({ code: 'ERR_TRANSPORT_UNAVAILABLE' })
  })

  it('the default transport sends with global fetch instead, and says so once', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    const client = createClient()
    // The first calls go through fetch while undici loads; it is found missing a moment later.
    expect(await client.get(`${origin.url}/ok`)).toMatchObject({ kind: 'success', data: 'ok' })
    await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(1))
    expect(await client.get(`${origin.url}/ok`)).toMatchObject({ kind: 'success', data: 'ok' })
    expect(await client.get(`${origin.url}/ok`)).toMatchObject({ kind: 'success', data: 'ok' })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]?.[0]).toMatch(/undici could not be loaded.*sending with global fetch instead/)
    expect(warn.mock.calls[0]?.[1]).toMatchObject({ code: 'ERR_TRANSPORT_UNAVAILABLE' })
  })
})

describe('a Node too old for undici', () => {
  it('is named, with the way out', () => {
    vi.stubGlobal('process', { ...process, versions: { ...process.versions, node: '20.18.0' } })
    const reason = nodeTooOld()
    vi.unstubAllGlobals()
    expect(reason).toBeInstanceOf(TransportUnavailableError)
    expect(reason?.message).toMatch(/needs Node 22.19 or later, and this is Node 20.18.0.*fetchTransport\(\)/)
    expect(nodeTooOld()).toBeNull()
  })
})

describe('the command line with undici missing', () => {
  it("exits 2, curl's failed-to-initialize, saying why — not 6, the network's", async () => {
    let stderr = ''
    const io: CliIo = {
      stdout: { write: () => {} },
      stderr: { write: (chunk) => (stderr += chunk) },
      stdoutIsTerminal: false,
      style: PLAIN,
      version: '0',
    }
    // --connect-timeout needs the undici transport: no fallback to fetch.
    expect(await runCli(['--connect-timeout', '5', `${origin.url}/ok`], io)).toBe(2)
    expect(stderr).toMatch(/^fetchkind: undici could not be loaded .*npm install undici/)
  })
})

/** undiciTransport's pool options are checked when the transport is made, each TypeError naming its option. */
import { describe, expect, it } from 'vitest'
import { undiciTransport } from '../../src/undici.ts'

describe('undiciTransport options', () => {
  it.each([
    [{ connections: 0 }, /"undiciTransport connections" must be a whole number from 1/],
    [{ pipelining: 1.5 }, /"undiciTransport pipelining"/],
    [{ keepAliveTimeout: -1 }, /"undiciTransport keepAliveTimeout"/],
    [{ connectTimeout: 'soon' }, /"undiciTransport connectTimeout"/],
    ['fast', /"undiciTransport options" must be an object/],
  ])('%o is a TypeError that names it', (options, message) => {
    expect(() => undiciTransport(options as never)).toThrow(message)
  })

  it('takes the pool options it documents', async () => {
    const transport = undiciTransport({
      connections: 4,
      pipelining: 1,
      keepAliveTimeout: 1_000,
      connectTimeout: 500,
    })
    await transport.close()
  })
})

import type { ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

describe('a hedged request on the undici transport (loopback)', () => {
  let origin: LoopbackOrigin
  let requests = 0
  const held: ServerResponse[] = []
  const closedEarly: boolean[] = []

  beforeAll(async () => {
    origin = await startOrigin({
      '/sometimes-slow': (_request, response) => {
        requests += 1
        // The first request is held: only its copy can answer.
        if (requests === 1) {
          held.push(response)
          response.on('close', () => closedEarly.push(!response.writableEnded))
          return
        }
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ request: requests }))
      },
    })
  })
  afterAll(async () => {
    for (const response of held) response.destroy()
    await origin.stop()
  })

  it("answers from the copy and closes the first copy's exchange rather than leave it waiting", async () => {
    const client = createClient({ baseUrl: origin.url, retry: false, hedge: { delay: 50 } })
    const result = await client.get('sometimes-slow')
    expect(result).toMatchObject({ kind: 'success', data: { request: 2 } })
    expect(result.meta.attempts.map(({ status, error }) => status ?? error)).toEqual([200, 'aborted'])
    // The cancelled exchange's connection was closed by the client: the server saw it go unanswered.
    await expect.poll(() => closedEarly).toEqual([true])
  })
})

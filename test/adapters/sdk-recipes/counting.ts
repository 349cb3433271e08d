/** What the recipe suites share: a client's retries made exact, and a count of what reached the origin. */
import type { Route } from '../../support/loopback-origin.ts'

/** A client's retries with no wait between them and no budget, so that counts are exact. */
export const retries = (limit: number) => ({
  retry: { limit, backoff: { initial: 1, max: 1 }, budget: false as const },
})

/** Requests one origin has received, with the headers of each. */
export class Received {
  readonly #headers: Record<string, string | string[] | undefined>[] = []

  add(headers: Record<string, string | string[] | undefined>): void {
    this.#headers.push(headers)
  }

  /** How many requests `call` made reach the origin, whatever it ended with. */
  async during(call: () => Promise<unknown>): Promise<number> {
    this.#headers.length = 0
    await call().catch(() => {})
    return this.#headers.length
  }

  /** One header of each request received since the last `during`, in order. */
  header(name: string): (string | string[] | undefined)[] {
    return this.#headers.map((headers) => headers[name])
  }

  get count(): number {
    return this.#headers.length
  }
}

/**
 * An origin down for good, asking for no wait, each request counted in `received`: every retry
 * anyone makes reaches it at once.
 */
export function downRoute(received: Received, body = '{}'): Route {
  return (request, response) => {
    received.add(request.headers)
    response.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' }).end(body)
  }
}

/** A resource whose responses a test scripts, counting the requests that reached it. */
import { http } from 'msw'

export interface CountedResource {
  readonly handler: ReturnType<typeof http.all>
  /** Every request that reached the origin, in order. */
  readonly requests: Request[]
}

/** `respond` builds the nth response (from 1) for `${origin}${path}`, any method. */
export function countedResource(
  origin: string,
  path: string,
  respond: (request: Request, count: number) => Response | Promise<Response>,
): CountedResource {
  const requests: Request[] = []
  const handler = http.all(`${origin}${path}`, ({ request }) => {
    requests.push(request.clone())
    return respond(request, requests.length)
  })
  return { handler, requests }
}

/**
 * Resource Timing entries for the exchanges the undici transport makes for `toFetch()`, as Node's
 * fetch marks one for each of its own: a PerformanceObserver of `'resource'` entries sees the
 * same calls on either transport. Marked when the body has been read to its end or let go (a redirect's, say), as
 * fetch marks them; a body cut short by a failure marks nothing.
 */
import { performance } from 'node:perf_hooks'
import { hrefWithoutFragment } from '../http/href.ts'

/** Node's hook for a fetch implementation (perf_hooks, since Node 18.2); absent elsewhere. */
type MarkResourceTiming = (
  timingInfo: object,
  requestedUrl: string,
  initiatorType: string,
  global: object,
  cacheMode: string,
  bodyInfo: object,
  responseStatus: number,
) => void

const markResourceTiming = (performance as { markResourceTiming?: MarkResourceTiming }).markResourceTiming

/** One exchange: when it was sent, when its head arrived, and what it got. */
export interface Exchange {
  readonly url: URL
  readonly status: number
  /** `performance.now()` when the request was handed to undici. */
  readonly start: number
  /** `performance.now()` when the response head arrived. */
  readonly responseStart: number
}

/** Marks `exchange`, its body done with now: `encoded` bytes came on the wire, `decoded` were delivered. */
export function markExchange(exchange: Exchange, encoded: number, decoded: number): void {
  if (!markResourceTiming) return
  const { url, status, start, responseStart } = exchange
  // undici says nothing of the connection (new or reused); fetch then gives every connection
  // time as the start (undici's clampAndCoarsenConnectionTimingInfo), and so does this.
  const connection = {
    domainLookupStartTime: start,
    domainLookupEndTime: start,
    connectionStartTime: start,
    connectionEndTime: start,
    secureConnectionStartTime: start,
    ALPNNegotiatedProtocol: undefined,
  }
  const timingInfo = {
    startTime: start,
    redirectStartTime: 0,
    redirectEndTime: 0,
    postRedirectStartTime: start,
    finalServiceWorkerStartTime: 0,
    finalNetworkRequestStartTime: start,
    finalNetworkResponseStartTime: responseStart,
    endTime: performance.now(),
    encodedBodySize: encoded,
    decodedBodySize: decoded,
    finalConnectionTimingInfo: connection,
  }
  markResourceTiming(timingInfo, hrefWithoutFragment(url), 'fetch', globalThis, '', {}, status)
}

/**
 * Behaviours the policies are tested against: a flaky upstream, a rate limiter, an ETag'd
 * resource. Each keeps its own state, so give each test a fresh set.
 */
import { HttpResponse, http } from 'msw'

/** Fails with `status` for the first `failures` requests, then succeeds. */
export function flakyHandler(origin: string, { failures = 2, status = 503 } = {}) {
  let seen = 0
  return http.all(`${origin}/flaky`, () => {
    seen += 1
    return seen <= failures
      ? HttpResponse.json({ attempt: seen }, { status })
      : HttpResponse.json({ attempt: seen, ok: true })
  })
}

/** Answers 429 with `Retry-After: retryAfter` for the first `limited` requests. */
export function rateLimitedHandler(origin: string, { limited = 1, retryAfter = '1' } = {}) {
  let seen = 0
  return http.all(`${origin}/rate-limited`, () => {
    seen += 1
    return seen <= limited
      ? HttpResponse.json({ error: 'slow down' }, { status: 429, headers: { 'retry-after': retryAfter } })
      : HttpResponse.json({ ok: true })
  })
}

/** A resource with an ETag and Last-Modified that answers 304 to a matching If-None-Match. */
export function etagHandler(origin: string, { etag = '"v1"', maxAge = 0 } = {}) {
  return http.get(`${origin}/etag`, ({ request }) => {
    const headers = {
      etag,
      'last-modified': 'Tue, 24 Nov 2026 10:00:00 GMT',
      'cache-control': `max-age=${maxAge}`,
    }
    const inm = request.headers.get('if-none-match')
    if (inm?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag.replace(/^W\//, ''))) {
      return new HttpResponse(null, { status: 304, headers })
    }
    return HttpResponse.json({ version: etag }, { headers })
  })
}

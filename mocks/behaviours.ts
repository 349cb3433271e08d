/**
 * Behaviours the cache is tested against: an ETag'd resource, and one that counts its requests.
 * Each keeps its own state, so give each test a fresh set.
 */
import { HttpResponse, http } from 'msw'

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

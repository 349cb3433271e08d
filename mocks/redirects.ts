/** Redirects: chains, loops, and a redirector that answers whatever the test asks for. */
import { HttpResponse, http } from 'msw'

/** `/redirect/:n` answers `status` to `/redirect/${n - 1}` until `/redirect/0`, which is a 200. */
export function redirectChainHandler(origin: string, { status = 302 } = {}) {
  return http.all(`${origin}/redirect/:n`, ({ params }) => {
    const n = Number(params.n)
    if (n <= 0) return HttpResponse.json({ arrived: true })
    return new HttpResponse(null, { status, headers: { location: `/redirect/${n - 1}` } })
  })
}

/**
 * `/redirect-to?status=307&location=…` answers that status with that Location (none when the
 * parameter is absent), and a small body, as real servers do.
 */
export function redirectToHandler(origin: string) {
  return http.all(`${origin}/redirect-to`, ({ request }) => {
    const query = new URL(request.url).searchParams
    const location = query.get('location')
    const headers = new Headers({ 'content-type': 'text/html' })
    if (location !== null) headers.set('location', location)
    return new HttpResponse(`<a href="${location}">moved</a>`, {
      status: Number(query.get('status') ?? 302),
      headers,
    })
  })
}

/** `/loop/a` → `/loop/b` → `/loop/a` → … */
export function redirectLoopHandler(origin: string) {
  return http.all(`${origin}/loop/:step`, ({ params }) => {
    const next = params.step === 'a' ? 'b' : 'a'
    return new HttpResponse(null, { status: 302, headers: { location: `/loop/${next}` } })
  })
}

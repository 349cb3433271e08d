/**
 * One handler per seed status at `${origin}/status/:code`: each answers as a real server would
 * for that status (a Location for 201 and redirects, no body for 204 and 304, Retry-After for 429
 * and 503, an RFC 9457 problem for 422).
 */
import { HttpResponse, http } from 'msw'

/** The seed list of DESIGN.md; 100 and 101 cannot be built as a Response and are tested by a fake fetch. */
export const SEED_STATUSES = [
  100, 101, 200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404, 405, 409, 422, 429, 500, 501, 502, 503,
  504,
] as const

export function seedStatusHandlers(origin: string) {
  return [
    http.all(`${origin}/status/:code`, ({ params }) => {
      const status = Number(params.code)
      switch (status) {
        case 201:
          return HttpResponse.json({ id: 42 }, { status, headers: { location: '/items/42' } })
        case 204:
          return new HttpResponse(null, { status })
        case 301:
        case 302:
          return new HttpResponse('moved', { status, headers: { location: `${origin}/moved-here` } })
        case 304:
          return new HttpResponse(null, { status, headers: { etag: '"v1"' } })
        case 422:
          return HttpResponse.json(
            {
              type: 'https://errors.example/validation',
              title: 'Invalid name',
              status,
              detail: 'name is empty',
            },
            { status, headers: { 'content-type': 'application/problem+json' } },
          )
        case 429:
        case 503:
          return HttpResponse.json({ status }, { status, headers: { 'retry-after': '7' } })
        default:
          return HttpResponse.json({ status }, { status })
      }
    }),
  ]
}

/** Bodies of every declared type, and bodies that lie about theirs. */
import { HttpResponse, http } from 'msw'

export function bodyHandlers(origin: string) {
  return [
    http.get(`${origin}/json`, () => HttpResponse.json({ name: 'Ada', id: 42 })),
    http.get(`${origin}/vendor-json`, () =>
      HttpResponse.text('{"ok":true}', { headers: { 'content-type': 'application/vnd.api+json' } }),
    ),
    http.get(`${origin}/text`, () => HttpResponse.text('plain words')),
    http.get(
      `${origin}/latin1`,
      () =>
        new HttpResponse(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), {
          headers: { 'content-type': 'text/plain; charset=iso-8859-1' },
        }),
    ),
    http.get(
      `${origin}/bytes`,
      () =>
        new HttpResponse(new Uint8Array([0, 1, 2, 255]), {
          headers: { 'content-type': 'application/octet-stream' },
        }),
    ),
    http.get(`${origin}/malformed-json`, () =>
      HttpResponse.text('{"name": "Ada",', { headers: { 'content-type': 'application/json' } }),
    ),
    http.get(`${origin}/malformed-json-error`, () =>
      HttpResponse.text('<html>Bad Gateway</html>', {
        status: 502,
        headers: { 'content-type': 'application/json' },
      }),
    ),
    http.get(
      `${origin}/empty-json`,
      () => new HttpResponse(null, { status: 200, headers: { 'content-type': 'application/json' } }),
    ),
    http.get(`${origin}/bom-json`, () =>
      HttpResponse.text('\uFEFF{"bom":true}', { headers: { 'content-type': 'application/json' } }),
    ),
    http.get(`${origin}/problem-garbage`, () =>
      HttpResponse.json(
        { type: 42, title: 'Out of credit', status: 'four-oh-three', balance: 30 },
        { status: 403, headers: { 'content-type': 'application/problem+json' } },
      ),
    ),
    http.get(`${origin}/network-error`, () => HttpResponse.error()),
    ...[`${origin}/echo`, `${origin}/api/echo`].map((path) =>
      http.all(path, async ({ request }) =>
        HttpResponse.json({
          method: request.method,
          url: request.url,
          headers: Object.fromEntries(request.headers),
          body: request.method === 'GET' || request.method === 'HEAD' ? null : await request.text(),
        }),
      ),
    ),
  ]
}

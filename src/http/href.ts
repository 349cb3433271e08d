/** A URL as text, without its fragment: what a request is for (the fragment never leaves the client). */
export function hrefWithoutFragment(url: URL): string {
  // The first '#' starts the fragment: a URL's serialisation has none before it.
  const fragment = url.href.indexOf('#')
  return fragment === -1 ? url.href : url.href.slice(0, fragment)
}

/**
 * `url.origin`, which Node builds anew at each read. Every call reads its URL's origin two or three
 * times (the policies' key, the transport's target); a service calls the same URL over and over,
 * so the last answer is kept. An http(s) URL without credentials is its origin and then its path:
 * `scheme://host[:port]/…`, with the default port left out of both.
 */
export function originOf(url: URL): string {
  const { href } = url
  if (href === last.href) return last.origin
  const start = href.startsWith('https://') ? 8 : href.startsWith('http://') ? 7 : -1
  const end = start === -1 ? -1 : href.indexOf('/', start)
  const plain = end !== -1 && url.username === '' && url.password === ''
  last = { href, origin: plain ? href.slice(0, end) : url.origin }
  return last.origin
}
let last = { href: '', origin: '' }

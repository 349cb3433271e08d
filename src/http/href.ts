/** A URL as text, without its fragment: what a request is for (the fragment never leaves the client). */
export function hrefWithoutFragment(url: URL): string {
  // The first '#' starts the fragment: a URL's serialisation has none before it.
  const fragment = url.href.indexOf('#')
  return fragment === -1 ? url.href : url.href.slice(0, fragment)
}

/** What each measurement asks of a client. */
export interface Scenario {
  readonly name: string
  readonly label: string
  readonly path: string
  readonly body: 'json' | 'bytes'
  readonly concurrency: number
}

/** The four every client runs; the rest are fetchkind's own (and a redirect for undici.request). */
export const CORE_SCENARIOS = ['small-c64', 'small-c1', 'large-c64', 'large-c1'] as const

export const SCENARIOS: readonly Scenario[] = [
  // First: the worker warms its first scenario longest, and concurrency 64 makes the most calls.
  { name: 'small-c64', label: '~100 B JSON, concurrency 64', path: '/small', body: 'json', concurrency: 64 },
  { name: 'small-c1', label: '~100 B JSON, sequential', path: '/small', body: 'json', concurrency: 1 },
  { name: 'large-c64', label: '64 KiB body, concurrency 64', path: '/large', body: 'bytes', concurrency: 64 },
  { name: 'large-c1', label: '64 KiB body, sequential', path: '/large', body: 'bytes', concurrency: 1 },
  {
    name: 'redirect-c1',
    label: 'one redirect hop, then ~100 B JSON',
    path: '/redirect',
    body: 'json',
    concurrency: 1,
  },
  {
    name: 'etag-c1',
    label: 'ETag + no-cache (fetchkind: 304s)',
    path: '/etag',
    body: 'json',
    concurrency: 1,
  },
  {
    name: 'etag-large-c1',
    label: '64 KiB, ETag + no-cache (fetchkind: 304s)',
    path: '/etag-large',
    body: 'bytes',
    concurrency: 1,
  },
  {
    name: 'fresh-c1',
    label: 'max-age=3600 (fetchkind: cache hits)',
    path: '/fresh',
    body: 'json',
    concurrency: 1,
  },
]

/**
 * The wait a rate limiter asks for when it gives no Retry-After: the RateLimit fields of the IETF
 * draft (draft-ietf-httpapi-ratelimit-headers), in their structured form (`"day";r=0;t=30`, from
 * draft 08) and their older dictionary form (`limit=10, remaining=0, reset=30`), then the
 * separate `RateLimit-Reset` and `X-RateLimit-Reset` (seconds from now, or an epoch time).
 */

/** Milliseconds until the limit resets, or `null` when the headers do not say. */
export function rateLimitReset(headers: Headers, now: number): number | null {
  return (
    structuredReset(headers.get('ratelimit')) ??
    dictionaryReset(headers.get('ratelimit')) ??
    resetField(headers.get('ratelimit-reset'), now) ??
    resetField(headers.get('x-ratelimit-reset'), now)
  )
}

/** A quota the response reports: requests left, and milliseconds until it is full again. */
export interface RateLimitQuota {
  readonly remaining: number
  readonly resetMs: number
}

/**
 * The tightest quota the response reports, on any status: the RateLimit field (structured or
 * dictionary form), else `X-RateLimit-Remaining` with `X-RateLimit-Reset` (or `RateLimit-Remaining`
 * with `RateLimit-Reset`); `null` when it reports none whole.
 */
export function rateLimitQuota(headers: Headers, now: number): RateLimitQuota | null {
  const field = headers.get('ratelimit')
  const quotas = field === null ? [] : [...structuredQuotas(field), ...dictionaryQuota(field)]
  for (const prefix of ['ratelimit-', 'x-ratelimit-']) {
    const remaining = seconds(headers.get(`${prefix}remaining`) ?? undefined)
    const resetMs = resetField(headers.get(`${prefix}reset`), now)
    if (remaining !== null && resetMs !== null) quotas.push({ remaining, resetMs })
  }
  // The tightest: the fewest requests left, then the longest to wait for more.
  quotas.sort((a, b) => a.remaining - b.remaining || b.resetMs - a.resetMs)
  return quotas[0] ?? null
}

function structuredQuotas(value: string): RateLimitQuota[] {
  const quotas: RateLimitQuota[] = []
  for (const item of value.split(',')) {
    const [name, ...parameters] = item.trim().split(';')
    if (!name?.startsWith('"')) continue
    const parameter = (key: string) =>
      parameters.map((p) => p.trim().split('=')).find(([k]) => k === key)?.[1]
    const remaining = seconds(parameter('r'))
    const reset = seconds(parameter('t'))
    if (remaining !== null && reset !== null) quotas.push({ remaining, resetMs: reset * 1000 })
  }
  return quotas
}

function dictionaryQuota(value: string): RateLimitQuota[] {
  const members = new Map(
    value.split(',').map((member) => member.trim().split('=') as [string, string | undefined]),
  )
  const remaining = seconds(members.get('remaining'))
  const reset = seconds(members.get('reset'))
  return remaining === null || reset === null ? [] : [{ remaining, resetMs: reset * 1000 }]
}

/** `"burst";r=0;t=30, "day";r=5;t=3600`: the longest reset among the quotas that are spent. */
function structuredReset(value: string | null): number | null {
  if (value === null) return null
  const spent = structuredQuotas(value).filter((quota) => quota.remaining === 0)
  return spent.length === 0 ? null : Math.max(...spent.map((quota) => quota.resetMs))
}

/** `limit=100, remaining=0, reset=30` (drafts 03 to 07). */
function dictionaryReset(value: string | null): number | null {
  if (value === null) return null
  const members = new Map(
    value.split(',').map((member) => member.trim().split('=') as [string, string | undefined]),
  )
  const reset = seconds(members.get('reset'))
  return reset === null ? null : reset * 1000
}

/** Seconds from now, or (past 10^9) an epoch time in seconds, or (past 10^12) in milliseconds. */
function resetField(value: string | null, now: number): number | null {
  const number = seconds(value ?? undefined)
  if (number === null) return null
  if (number >= 1e12) return Math.max(0, number - now)
  if (number >= 1e9) return Math.max(0, number * 1000 - now)
  return number * 1000
}

function seconds(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return null
  return Number(value.trim())
}

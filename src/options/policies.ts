/**
 * The policies a client is made of, in the order their stages run, outermost first:
 *
 *   deadline → [bulkhead] → redirect → cache → retry → [hedge] → [breaker] → [rate limit]
 *     → [adaptive concurrency] → attempt (the kernel's)
 *
 * the deadline scope's bound first, so that everything below (a queue, a retry's wait) keeps to it;
 * redirects per call, the cache per hop URL, retries per origin, hedges per attempt (each copy
 * passing the breaker and the rate limit), the adaptive concurrency limit per attempt (what the
 * upstream holds, and how long); those in brackets only when the client turns them on — why each
 * sits where it does: resilience/stage.ts, concurrency/stage.ts.
 * Adding a policy is a folder that exports a `Policy` (call/policy.ts) and a line here; client
 * resolution, `extend`, each request's options and the option-name check follow from this list.
 */
import { cachePolicy } from '../cache/policy.ts'
import type { CallOptions } from '../call/options.ts'
import type { Policy } from '../call/policy.ts'
import type { HopRequest, StageOf } from '../call/stage.ts'
import { concurrencyPolicy } from '../concurrency/policy.ts'
import { deadlinePolicy } from '../deadline/policy.ts'
import type { OptionNames } from '../ground/validate.ts'
import { hedgePolicy } from '../hedge/policy.ts'
import { redirectPolicy } from '../redirect/policy.ts'
import { breakerPolicy, bulkheadPolicy, rateLimitPolicy } from '../resilience/policies.ts'
import { retryPolicy } from '../retry/policy.ts'
import type { ClientOptions, RequestOptions } from './types.ts'

const POLICIES = {
  deadline: deadlinePolicy,
  bulkhead: bulkheadPolicy,
  redirect: redirectPolicy,
  cache: cachePolicy,
  retry: retryPolicy,
  hedge: hedgePolicy,
  circuitBreaker: breakerPolicy,
  rateLimit: rateLimitPolicy,
  adaptiveConcurrency: concurrencyPolicy,
} as const

type Policies = typeof POLICIES
type ClientGivenOf<P> = P extends Policy<infer G, object, unknown, object> ? G : never
type RequestGivenOf<P> = P extends Policy<object, infer G, unknown, object> ? G : never
type KeysOf<U> = U extends unknown ? keyof U : never
type HookKeysOf<U> = U extends { readonly hooks?: infer H } ? keyof NonNullable<H> : never
type StateOf<P> = P extends Policy<object, object, infer C, object> ? C : never
type CallOptionsOf<P> = P extends Policy<object, object, unknown, infer O> ? O : never
type Union<T> = T[keyof T]
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never

/** What a client's options resolve to, policy by policy. */
export type PolicyStates = { readonly [K in keyof Policies]: StateOf<Policies[K]> }

/** The policies' part of a call's options: each one's, side by side. */
export type PolicyCallOptions = Intersection<Union<{ [K in keyof Policies]: CallOptionsOf<Policies[K]> }>>

/**
 * The option names the policies own: at the top of a client's options or a request's, or within
 * `hooks`. The kernel's names are checked against what is left.
 */
export type PolicyKeys<Side extends 'client' | 'request' | 'hooks'> = Side extends 'hooks'
  ? HookKeysOf<Union<{ [K in keyof Policies]: ClientGivenOf<Policies[K]> }>>
  : Exclude<
      KeysOf<
        Union<{
          [K in keyof Policies]: Side extends 'client'
            ? ClientGivenOf<Policies[K]>
            : RequestGivenOf<Policies[K]>
        }>
      >,
      'hooks'
    >

/** An untyped view of a policy, for the loops below: each is typed where it is written. */
type AnyPolicy = Policy<object, object, unknown, object>
const ENTRIES = Object.entries(POLICIES) as [keyof Policies, AnyPolicy][]
/** The policies with options of their own per call; the rest give every call nothing. */
const PER_CALL = ENTRIES.filter(([, policy]) => policy.call !== undefined)
/** The top-level request options those policies read. */
const PER_CALL_NAMES = [...new Set(PER_CALL.flatMap(([, policy]) => Object.keys(policy.names.request)))]

/** Whether a request names any option a policy merges per call; most name none. */
export function namesPolicyOptions(options: RequestOptions): boolean {
  for (const name of PER_CALL_NAMES) if ((options as Record<string, unknown>)[name] !== undefined) return true
  return false
}

/** What the policies read of a client's options, and of a request's: each one's part. */
type ClientGiven = Intersection<Union<{ [K in keyof Policies]: ClientGivenOf<Policies[K]> }>>
type RequestGiven = Intersection<Union<{ [K in keyof Policies]: RequestGivenOf<Policies[K]> }>>

/** A client's options, policy by policy, over its parent's (for `extend`). */
export function resolvePolicies(options: ClientOptions, parent: PolicyStates | undefined): PolicyStates {
  // Typed so: each policy's part must be the public options' own.
  const given: ClientGiven = options
  const states: Record<string, unknown> = {}
  for (const [name, policy] of ENTRIES) states[name] = policy.client(given, parent?.[name])
  return states as PolicyStates
}

/** A request's options over its client's: each policy's part of the call's options. */
export function policyCallOptions(options: RequestOptions, states: PolicyStates): PolicyCallOptions {
  const given: RequestGiven = options
  const merged: Record<string, unknown> = {}
  for (const [name, policy] of PER_CALL) Object.assign(merged, policy.call?.(given, states[name]))
  return merged as unknown as PolicyCallOptions
}

/** The stages of a client with `states`, outermost first, those turned off left out. */
export function stagesOf<O extends CallOptions & PolicyCallOptions>(
  states: PolicyStates,
): StageOf<HopRequest<O>>[] {
  const stages: StageOf<HopRequest<O>>[] = []
  for (const [name, policy] of ENTRIES) {
    const stage = policy.stage(states[name])
    if (stage) stages.push(stage)
  }
  return stages
}

/** Each policy's top-level options: where each may be given, and its README default cell. */
export function policyOptions(): readonly {
  name: string
  client: boolean
  request: boolean
  shown: string
}[] {
  return ENTRIES.flatMap(([, policy]) =>
    Object.entries(policy.shown).map(([name, shown]) => ({
      name,
      client: Object.hasOwn(policy.names.client, name),
      request: Object.hasOwn(policy.names.request, name),
      shown,
    })),
  )
}

/** The names the policies own, in a client's options or a request's. */
export function policyNames(side: 'client' | 'request'): readonly OptionNames[] {
  return ENTRIES.map(([, policy]) => policy.names[side])
}

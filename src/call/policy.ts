/**
 * A policy as a client assembles it: the options it owns — their names, checks and defaults, and
 * how a request's merge over its client's — and its stage. Each policy folder exports one; the
 * registry (options/policies.ts) lists them in stage order, and client resolution, `extend`,
 * each request's preparation and the option-name check are all derived from it.
 *
 * `ClientGiven` and `RequestGiven` are the slices of a client's and a request's options it reads,
 * `C` what a client's resolve to, `O` what its stage reads of one call's options besides the
 * kernel's.
 */
import type { OptionNames } from '../ground/validate.ts'
import type { CallOptions } from './options.ts'
import type { Stage } from './stage.ts'

export interface Policy<
  ClientGiven extends object,
  RequestGiven extends object,
  C,
  O extends object = Record<never, never>,
> {
  /** Its names in a client's options and in a request's, nested names included. */
  readonly names: { readonly client: OptionNames; readonly request: OptionNames }
  /** The README options table's default cell for each top-level option it owns. */
  readonly shown: Readonly<Record<string, string>>
  /**
   * A client's options over its parent's (for a client made by `extend`; `undefined` for a new
   * one, which gets the defaults). A mistake throws a TypeError naming the option.
   */
  client(options: ClientGiven, parent: C | undefined): C
  /**
   * A request's options over its client's: what the stage reads of this call. Absent for a policy
   * a request has no options for.
   */
  call?(options: RequestGiven, client: C): O
  /** Its stage, made once per client; `null` when the client has the policy off. */
  stage(client: C): Stage<O & CallOptions> | null
}

/**
 * A policy a client turns on by one option, `K` (`true`, or its fields), off by default, and a
 * request cannot change: the resilience policies, hedging, adaptive concurrency.
 */
export function clientOnly<K extends string, Given, Resolved>(
  option: K,
  names: OptionNames,
  resolve: (given: Given | undefined, parent: Resolved | null) => Resolved | null,
  stage: (policy: Resolved) => Stage<unknown>,
): Policy<{ readonly [name in K]?: Given | undefined }, object, Resolved | null> {
  return {
    names: { client: { [option]: names }, request: {} },
    shown: { [option]: 'off' },
    client: (options, parent) => resolve(options[option], parent ?? null),
    stage: (policy) => (policy ? stage(policy) : null),
  }
}

/**
 * The redirect stage: sends a request down the pipeline and, while the answer is a redirect the
 * policy allows, follows it — discarding the redirect's body so the connection is reused, and
 * recording every hop. A refused hop ends the call as `kind: 'redirect'` with its reason.
 */
import { discardResponse } from '../call/body.ts'
import { channels, publish } from '../call/diagnostics.ts'
import { checkHookHeaders, runHook } from '../call/hooks.ts'
import type { CallOptions } from '../call/options.ts'
import type { HopRequest, Next, Outcome, ResponseOutcome, Stage } from '../call/stage.ts'
import { isFollowable } from '../result/status.ts'
import type { RedirectReason } from '../result/types.ts'
import { decideRedirect, visitKey } from './decide.ts'
import type { BeforeRedirectHook, RedirectNotice } from './hooks.ts'
import type { RedirectCallOptions } from './options.ts'

/** The options it reads: its own, and which headers are credentials. */
type Reads = RedirectCallOptions & Pick<CallOptions, 'sensitiveHeaders'>

export const redirectStage: Stage<Reads> = async (request, next) => {
  const first = await next(request)
  // Most answers are not redirects: they pass up as they are.
  if (first.type === 'failure' || !isFollowable(first.status)) return first
  return followChain(request, next, first)
}

async function followChain<R extends HopRequest<Reads>>(
  request: R,
  next: Next<R>,
  first: ResponseOutcome,
): Promise<Outcome> {
  const policy = { ...request.options.redirect, sensitiveHeaders: request.options.sensitiveHeaders }
  const visited = new Set([visitKey(request.method, request.url)])
  let followed = 0
  const refused = (outcome: ResponseOutcome, reason: RedirectReason): Outcome => ({
    ...outcome,
    redirectRefusal: reason,
  })

  let current = request
  for (let outcome: Outcome = first; ; outcome = await next(current)) {
    if (outcome.type === 'failure' || !isFollowable(outcome.status)) return outcome

    const decision = decideRedirect(
      current,
      outcome.status,
      outcome.headers.get('location'),
      policy,
      followed,
      visited,
    )
    if (!decision.follow) return refused(outcome, decision.reason)
    if (policy.shouldFollow) {
      let allowed: boolean
      try {
        const { shouldFollow } = policy
        allowed = await runHook('shouldFollow', () =>
          shouldFollow(current.url, decision.next.url, outcome.status),
        )
      } catch (error) {
        await discardResponse(outcome)
        throw error
      }
      if (!allowed) return refused(outcome, 'policy')
    }
    const { beforeRedirect } = request.options
    // The hooks change headers of their own: the hop's may be the caller's, or the client's.
    const hop =
      beforeRedirect.length === 0
        ? decision.next
        : { ...decision.next, headers: new Headers(decision.next.headers) }
    try {
      await tellHooks(beforeRedirect, {
        request: hop,
        from: current.url,
        status: outcome.status,
        headers: outcome.headers,
      })
    } catch (error) {
      await discardResponse(outcome)
      throw error
    }

    await discardResponse(outcome)
    request.record.redirected({ from: current.url.href, to: hop.url.href, status: outcome.status })
    followed++
    const told = { call: request.trace, from: current.url, to: hop.url, status: outcome.status }
    publish(channels.redirect, () => told)
    visited.add(visitKey(hop.method, hop.url))
    current = { ...current, ...hop }
  }
}

/** `beforeRedirect`, in order, then the headers they were free to change. */
async function tellHooks(hooks: readonly BeforeRedirectHook[], notice: RedirectNotice): Promise<void> {
  if (hooks.length === 0) return
  for (const hook of hooks) await runHook('beforeRedirect', () => hook(notice))
  checkHookHeaders('beforeRedirect', notice.request.headers)
}

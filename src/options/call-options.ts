/** One call's options, put together from the shared options, the policies' part and the request's own. */
import type { AddressGuard } from '../guard/address-guard.ts'
import type { StandardSchemaV1 } from '../result/schema.ts'
import type { Dispatcher } from '../transport/types.ts'
import type { PolicyCallOptions } from './policies.ts'
import type { ResolvedOptions } from './resolved.ts'
import type { SharedResolved } from './schema.ts'

/** The request's own options that no client has: checked where it is prepared. */
export interface RequestOwn {
  readonly schema: StandardSchemaV1 | undefined
  readonly dispatcher: Dispatcher | undefined
  readonly resourceTiming: boolean
}

/** No schema, no dispatcher, no Resource Timing: what a request that names none of them has. */
export const NO_REQUEST_OWN: RequestOwn = { schema: undefined, dispatcher: undefined, resourceTiming: false }

/**
 * The options a call's stages read. Written out field by field, the policies' part last: one
 * object of one shape for every call, which the stages' reads stay fast on.
 */
export function callOptions(
  shared: SharedResolved,
  policies: PolicyCallOptions,
  addressGuard: AddressGuard | null,
  own: RequestOwn,
): ResolvedOptions {
  return {
    responseType: shared.responseType,
    timeout: shared.timeout,
    hooks: shared.hooks,
    sensitiveHeaders: shared.sensitiveHeaders,
    maxBodySize: shared.maxBodySize,
    parseJson: shared.parseJson,
    throwOn: shared.throwOn,
    onUploadProgress: shared.onUploadProgress,
    onDownloadProgress: shared.onDownloadProgress,
    addressGuard,
    schema: own.schema,
    dispatcher: own.dispatcher,
    resourceTiming: own.resourceTiming,
    ...policies,
  }
}

export { etagHandler, flakyHandler, rateLimitedHandler } from './behaviours.ts'
export { bodyHandlers } from './bodies.ts'
export { redirectChainHandler, redirectLoopHandler, redirectToHandler } from './redirects.ts'
export { SEED_STATUSES, seedStatusHandlers } from './seed-statuses.ts'

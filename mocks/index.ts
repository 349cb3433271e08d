export { etagHandler, flakyHandler, rateLimitedHandler, redirectChainHandler } from './behaviours.ts'
export { bodyHandlers } from './bodies.ts'
export { SEED_STATUSES, seedStatusHandlers } from './seed-statuses.ts'

/**
 * `fetchkind/testing`: test your own `switch (result.kind)` without a network — `results.*`
 * builds a result of every kind by hand, `routeTransport` answers from a table of routes, and
 * `setDefaultTransport` puts it under clients the code under test makes itself.
 */

export { setDefaultTransport } from './testing/default-transport.ts'
export type { ResponseResultOptions, ResultOptions } from './testing/results.ts'
export * as results from './testing/results.ts'
export {
  type Route,
  type RouteAnswer,
  type RouteFailure,
  type RouteRequest,
  type RouteResponse,
  type Routes,
  type RouteTransport,
  type RouteTransportOptions,
  routeTransport,
} from './testing/routes.ts'

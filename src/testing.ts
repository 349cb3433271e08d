/**
 * `fetchkind/testing`: test your own `switch (result.kind)` without a network — `results.*`
 * builds a result of every kind by hand, and `routeTransport` answers from a table of routes.
 */

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
  routeTransport,
} from './testing/routes.ts'

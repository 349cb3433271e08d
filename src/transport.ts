/**
 * `fetchkind/transport`: for writing a transport of your own, or sending through fetch — the
 * contract a transport keeps, and the fetch transport. The undici transport is `fetchkind/undici`.
 */
export { type FetchFunction, fetchTransport } from './transport/fetch.ts'
export type {
  BodyMaker,
  RequestHead,
  ResolvedAddressCheck,
  ResponseBody,
  Transport,
  TransportRequest,
  TransportResponse,
} from './transport/types.ts'
export { TransportUnavailableError } from './transport/unavailable.ts'

/** `fetchkind/undici`: the Node fast path, kept apart so that the core runs wherever fetch does. */
export { type UndiciTransport, type UndiciTransportOptions, undiciTransport } from './transport/undici.ts'
export type { DnsCacheOptions, ProxyOptions, TlsOptions } from './transport/undici-agent.ts'

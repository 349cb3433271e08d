/** The three calls with fetchkind: one result per call, switched on; nothing to catch. */
import { createClient } from 'fetchkind'
import { run, upstream } from './origin.ts'

const origin = await upstream()
const api = createClient({ baseUrl: origin.url })

async function getUser(id: number): Promise<{ name: string } | null> {
  const result = await api.get<{ name: string }>(`/users/${id}`)
  if (result.kind === 'success') return result.data
  if (result.kind === 'client-error' && result.status === 404) return null
  throw new Error(`users: ${result.kind}`)
}

async function createOrder(item: string): Promise<string> {
  // A POST with an Idempotency-Key may be retried safely; without one it is sent once.
  const result = await api.post<{ id: string }>('/orders', { json: { item }, idempotencyKey: true })
  if (result.kind !== 'success') throw new Error(`orders: ${result.kind}`)
  return result.data.id
}

async function healthy(): Promise<boolean> {
  return (await api.get('/health', { timeout: { total: 2000 }, retry: false })).kind === 'success'
}

await run({ getUser, createOrder, healthy }, origin)

/** The three calls with ofetch: FetchError for non-2xx, with error.response (or error.status). */
import { FetchError, ofetch } from 'ofetch'
import { run, upstream } from './origin.ts'

const origin = await upstream()
const api = ofetch.create({ baseURL: origin.url })

async function getUser(id: number): Promise<{ name: string } | null> {
  try {
    return await api<{ name: string }>(`/users/${id}`)
  } catch (error) {
    if (error instanceof FetchError && error.status === 404) return null
    throw error
  }
}

async function createOrder(item: string): Promise<string> {
  return (await api<{ id: string }>('/orders', { method: 'POST', body: { item } })).id
}

async function healthy(): Promise<boolean> {
  try {
    return (await api.raw('/health', { timeout: 2000, retry: 0 })).ok
  } catch {
    return false
  }
}

await run({ getUser, createOrder, healthy }, origin)

/** The three calls with ky: HTTPError for non-2xx, caught and inspected. */
import ky, { HTTPError } from 'ky'
import { run, upstream } from './origin.ts'

const origin = await upstream()
const api = ky.create({ prefix: origin.url })

async function getUser(id: number): Promise<{ name: string } | null> {
  try {
    return await api.get(`users/${id}`).json()
  } catch (error) {
    if (error instanceof HTTPError && error.response.status === 404) return null
    throw error
  }
}

async function createOrder(item: string): Promise<string> {
  return ((await api.post('orders', { json: { item } }).json()) as { id: string }).id
}

async function healthy(): Promise<boolean> {
  try {
    return (await api.get('health', { timeout: 2000 })).ok
  } catch {
    return false
  }
}

await run({ getUser, createOrder, healthy }, origin)

/** The three calls with got: HTTPError (a RequestError) for non-2xx, with error.response. */
import got, { HTTPError } from 'got'
import { run, upstream } from './origin.ts'

const origin = await upstream()
const api = got.extend({ prefixUrl: origin.url, responseType: 'json' })

async function getUser(id: number): Promise<{ name: string } | null> {
  try {
    return (await api.get(`users/${id}`)).body as { name: string }
  } catch (error) {
    if (error instanceof HTTPError && error.response.statusCode === 404) return null
    throw error
  }
}

async function createOrder(item: string): Promise<string> {
  return (await api.post('orders', { json: { item } }).json<{ id: string }>()).id
}

async function healthy(): Promise<boolean> {
  try {
    return (await api.get('health', { timeout: { request: 2000 } })).statusCode === 200
  } catch {
    return false
  }
}

await run({ getUser, createOrder, healthy }, origin)

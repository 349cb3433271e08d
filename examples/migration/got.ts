/** The three calls with got: HTTPError (a RequestError) for non-2xx, with error.response. */
import got, { HTTPError } from 'got'
import { upstream } from './origin.ts'

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

console.log('user', (await getUser(42))?.name)
console.log('missing', await getUser(7))
console.log('order', await createOrder('book'))
console.log('healthy', await healthy())
origin.close()

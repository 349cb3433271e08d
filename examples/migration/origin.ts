/** The upstream every migration example calls: users, orders, and a health check. */
import { localOrigin } from '../local-origin.ts'

export async function upstream() {
  return localOrigin((request, response) => {
    const json = (status: number, body: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    if (request.method === 'GET' && request.url === '/users/42') return json(200, { id: 42, name: 'Ada' })
    if (request.method === 'GET' && request.url?.startsWith('/users/'))
      return json(404, { error: 'no such user' })
    if (request.method === 'POST' && request.url === '/orders') {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => json(201, { id: 'o-1', ...JSON.parse(body) }))
      return
    }
    if (request.url === '/health') return json(200, { up: true })
    json(404, {})
  })
}

export interface ServiceCalls {
  getUser(id: number): Promise<{ name: string } | null>
  createOrder(item: string): Promise<string>
  healthy(): Promise<boolean>
}

/** Makes the same calls with every client's version and prints what they returned. */
export async function run(calls: ServiceCalls, origin: { close: () => void }): Promise<void> {
  console.log('user', (await calls.getUser(42))?.name)
  console.log('missing', await calls.getUser(7))
  console.log('order', await calls.createOrder('book'))
  console.log('healthy', await calls.healthy())
  origin.close()
}

/** Matching on kind, status and class, and typing the body. */
import { createClient, match, unwrap } from 'fetchkind'
import { localOrigin } from './local-origin.ts'

interface Order {
  id: string
  total: number
}

const origin = await localOrigin((request, response) => {
  const status = request.url === '/orders/1' ? 200 : request.url === '/orders/busy' ? 429 : 404
  response
    .writeHead(status, { 'content-type': 'application/json', 'retry-after': '120' })
    .end('{"id":"1","total":12.5}')
})
const shop = createClient({ baseUrl: origin.url, retry: false })

for (const path of ['/orders/1', '/orders/2', '/orders/busy']) {
  const result = await shop.get<Order>(path)
  const line = match(result, {
    success: (r) => `order ${r.data.id}: ${r.data.total}`, // r.data is an Order
    404: () => 'no such order',
    429: (r) => `slow down for ${(r.retryAfter?.ms ?? 0) / 1000} s`,
    '5xx': (r) => `the shop is down (${r.status})`,
    _: (r) => `could not ask: ${r.kind}`,
  })
  console.log(path, '→', line)
}

// Throw semantics, where they read better: unwrap returns the success or throws an HttpError.
const order = unwrap(await shop.get<Order>('/orders/1'))
console.log('total', order.total)
origin.close()

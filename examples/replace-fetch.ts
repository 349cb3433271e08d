/**
 * Replacing raw fetch in a service: one client per upstream, created once, with its base URL,
 * headers and deadlines; each call returns a result to switch on instead of a throw to catch.
 */
import { createClient } from 'fetchkind'
import { localOrigin } from './local-origin.ts'

interface User {
  id: number
  name: string
}

const origin = await localOrigin((request, response) => {
  if (request.url === '/v1/users/42') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":42,"name":"Ada"}')
  } else {
    response.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"title":"No such user"}')
  }
})

// Before: const response = await fetch(`${base}/v1/users/${id}`); if (!response.ok) throw …
const users = createClient({
  baseUrl: `${origin.url}/v1/`,
  headers: { authorization: 'Bearer service-token' },
  timeout: { attempt: 2_000, total: 5_000 },
})

async function findUser(id: number): Promise<User | null> {
  const result = await users.get<User>(`users/${id}`)
  switch (result.kind) {
    case 'success':
      return result.data
    case 'client-error':
      if (result.status === 404) return null
      throw new Error(`users rejected the call: ${result.problem?.title ?? result.statusText}`)
    default:
      throw new Error(`users is unavailable: ${result.kind}`)
  }
}

console.log(await findUser(42))
console.log(await findUser(7))
origin.close()

/** The three calls with raw fetch: status checks, a timeout signal, and a throw for everything else. */
import { run, upstream } from './origin.ts'

const origin = await upstream()

async function getUser(id: number): Promise<{ name: string } | null> {
  const response = await fetch(`${origin.url}/users/${id}`)
  if (response.status === 404) return null
  if (!response.ok) throw new Error(`users: ${response.status}`)
  return response.json()
}

async function createOrder(item: string): Promise<string> {
  const response = await fetch(`${origin.url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ item }),
  })
  if (!response.ok) throw new Error(`orders: ${response.status}`)
  return ((await response.json()) as { id: string }).id
}

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(`${origin.url}/health`, { signal: AbortSignal.timeout(2000) })).ok
  } catch {
    return false
  }
}

await run({ getUser, createOrder, healthy }, origin)

/** The three calls with axios: AxiosError for non-2xx, with error.response. */
import axios, { isAxiosError } from 'axios'
import { run, upstream } from './origin.ts'

const origin = await upstream()
const api = axios.create({ baseURL: origin.url })

async function getUser(id: number): Promise<{ name: string } | null> {
  try {
    return (await api.get(`/users/${id}`)).data
  } catch (error) {
    if (isAxiosError(error) && error.response?.status === 404) return null
    throw error
  }
}

async function createOrder(item: string): Promise<string> {
  return (await api.post('/orders', { item })).data.id
}

async function healthy(): Promise<boolean> {
  try {
    return (await api.get('/health', { timeout: 2000 })).status === 200
  } catch {
    return false
  }
}

await run({ getUser, createOrder, healthy }, origin)

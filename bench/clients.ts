/**
 * One way to make a GET per client, each reading the body the way its users would. A call
 * resolves when the body has been read and rejects (or, for fetchkind, returns a non-success)
 * when the call failed; the worker counts both.
 */
export type Get = (url: string, body: 'json' | 'bytes') => Promise<boolean>

export const CLIENT_NAMES = [
  'fetch',
  'fetch + timeout',
  'undici.request',
  'fetchkind (fetch)',
  'fetchkind (undici)',
  'ky',
  'got',
  'ofetch',
  'axios',
] as const
export type ClientName = (typeof CLIENT_NAMES)[number]

/** Imported inside the worker only, so that each process loads exactly one client. */
export async function loadClient(name: ClientName): Promise<Get> {
  switch (name) {
    case 'fetch':
    case 'fetch + timeout': {
      // With a deadline, as a service should call it: what an AbortSignal costs fetch itself,
      // which fetchkind's fetch transport pays for its timeouts (docs/performance.md).
      const deadline = name === 'fetch + timeout'
      return async (url, body) => {
        const response = await fetch(url, deadline ? { signal: AbortSignal.timeout(30_000) } : undefined)
        await (body === 'json' ? response.json() : response.arrayBuffer())
        return response.ok
      }
    }
    case 'undici.request': {
      const { Agent, interceptors, request } = await import('undici')
      const dispatcher = new Agent({ keepAliveTimeout: 120_000 })
      // undici follows redirects only through its interceptor: composed for the redirect
      // scenario alone, so that the others measure the bare request.
      const redirecting = dispatcher.compose(interceptors.redirect({ maxRedirections: 1 }))
      return async (url, body) => {
        const response = await request(url, {
          dispatcher: url.endsWith('/redirect') ? redirecting : dispatcher,
        })
        await (body === 'json' ? response.body.json() : response.body.arrayBuffer())
        return response.statusCode < 400
      }
    }
    case 'fetchkind (fetch)':
    case 'fetchkind (undici)': {
      const { createClient } = await import('../src/index.ts')
      const { fetchTransport } = await import('../src/transport.ts')
      // Default options: on Node that is the undici transport; the fetch one is named.
      const client =
        name === 'fetchkind (fetch)' ? createClient({ transport: fetchTransport() }) : createClient()
      return async (url) => (await client.get(url)).kind === 'success'
    }
    case 'ky': {
      const { default: ky } = await import('ky')
      return async (url, body) => {
        await (body === 'json' ? ky.get(url).json() : ky.get(url).arrayBuffer())
        return true
      }
    }
    case 'got': {
      const { default: got } = await import('got')
      return async (url, body) => {
        await got(url, { responseType: body === 'json' ? 'json' : 'buffer' })
        return true
      }
    }
    case 'ofetch': {
      const { ofetch } = await import('ofetch')
      return async (url, body) => {
        await ofetch(url, { responseType: body === 'json' ? 'json' : 'arrayBuffer' })
        return true
      }
    }
    case 'axios': {
      const { default: axios } = await import('axios')
      return async (url, body) => {
        await axios.get(url, { responseType: body === 'json' ? 'json' : 'arraybuffer' })
        return true
      }
    }
  }
}

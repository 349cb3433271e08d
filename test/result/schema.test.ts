import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createClient } from '../../src/index.ts'
import { scriptedFetch } from '../support/fake-fetch.ts'

const url = 'http://schema.test/user'
const json =
  (body: unknown, status = 200) =>
  () =>
    Response.json(body, { status })

const ZodUser = z.object({
  id: z.number(),
  name: z.string(),
  joined: z.string().transform((text) => new Date(text)),
})
const ValibotUser = v.object({ id: v.number(), name: v.string() })

describe('schema: any Standard Schema validator checks a success', () => {
  it('zod: data is the schema output, transforms applied', async () => {
    const { fetch } = scriptedFetch(json({ id: 1, name: 'Ada', joined: '2026-11-24T00:00:00Z' }))
    const result = await createClient({ fetch }).get(url, { schema: ZodUser })
    if (result.kind !== 'success') throw new Error(result.kind)
    expect(result.data.joined).toBeInstanceOf(Date)
    expect(result.data.name).toBe('Ada')
  })

  it('valibot: a body that fails is invalid-response with the issues and the raw body, never a throw', async () => {
    const raw = { id: 'one', name: 'Ada' }
    const { fetch } = scriptedFetch(json(raw))
    const result = await createClient({ fetch }).get(url, { schema: ValibotUser })
    expect(result).toMatchObject({
      kind: 'invalid-response',
      reason: 'schema-mismatch',
      status: 200,
      text: JSON.stringify(raw),
    })
    if (result.kind !== 'invalid-response') return
    expect(result.issues?.length).toBeGreaterThan(0)
    expect(result.issues?.[0]?.message).toMatch(/number/i)
  })

  it('zod: the issues name the path', async () => {
    const { fetch } = scriptedFetch(json({ id: 1, name: 42, joined: 'x' }))
    const result = await createClient({ fetch }).get(url, { schema: ZodUser })
    if (result.kind !== 'invalid-response') throw new Error(result.kind)
    expect(result.issues?.map((issue) => issue.path?.[0])).toContain('name')
  })

  it('leaves error statuses alone: their bodies are not the schema', async () => {
    const { fetch } = scriptedFetch(json({ error: 'nope' }, 404))
    expect(await createClient({ fetch }).get(url, { schema: ValibotUser })).toMatchObject({
      kind: 'client-error',
      data: { error: 'nope' },
    })
  })

  it('a validator that throws is a mismatch with its error, never a rejection', async () => {
    const { fetch } = scriptedFetch(json({}))
    const broken = {
      '~standard': {
        version: 1,
        vendor: 'broken',
        validate: () => {
          throw new Error('bug')
        },
      },
    } as const
    const result = await createClient({ fetch }).get(url, { schema: broken })
    expect(result).toMatchObject({
      kind: 'invalid-response',
      reason: 'schema-mismatch',
      error: new Error('bug'),
    })
  })

  it('an async validator is awaited', async () => {
    const { fetch } = scriptedFetch(json({ id: 2, name: 'Bea' }))
    const schema = z.object({ id: z.number() }).refine(async (user) => user.id > 0)
    expect(await createClient({ fetch }).get(url, { schema })).toMatchObject({
      kind: 'success',
      data: { id: 2 },
    })
  })

  it('a schema that is not one, or with a body that is not decoded, throws at the call', () => {
    const client = createClient()
    expect(() => client.get(url, { schema: {} as never })).toThrow(/"schema" must be a Standard Schema/)
    expect(() => client.get(url, { schema: ValibotUser, responseType: 'stream' })).toThrow(
      /responseType 'stream'/,
    )
  })
})

import { inspect } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type FieldRecord,
  fieldHeaders,
  headersFrom,
  servedFieldHeaders,
} from '../../src/http/field-headers.ts'

/** What a caller can see of a Headers: every field, in order, and the cookies apart. */
const seen = (headers: Headers) => ({ fields: [...headers], cookies: headers.getSetCookie() })

/** Outcome of a call, a TypeError included, so that two Headers can be compared call by call. */
function attempt<T>(call: () => T): { value: T } | { threw: string } {
  try {
    return { value: call() }
  } catch (error) {
    return { threw: (error as Error).name }
  }
}

const NAMES = ['content-type', 'set-cookie', 'etag', 'vary', 'x-a', '__proto__', 'constructor']
const name = fc.constantFrom(...NAMES, 'Content-Type', 'X-A', 'bad name', 'ümlaut', '')
const value = fc.oneof(
  fc.constantFrom('a', 'text/html; charset=utf-8', '', ' padded ', '\tx', 'a, b', 'bad\nvalue'),
  fc.string({ maxLength: 8 }),
)
const record: fc.Arbitrary<Record<string, string | string[]>> = fc.dictionary(
  fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 6 })),
  fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 3 })),
  { maxKeys: 6 },
)
type Operation =
  | { op: 'get' | 'has' | 'delete'; name: string }
  | { op: 'set' | 'append'; name: string; value: string }
  | { op: 'iterate' | 'cookies' }
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ op: fc.constantFrom('get' as const, 'has' as const, 'delete' as const), name }),
  fc.record({ op: fc.constantFrom('set' as const, 'append' as const), name, value }),
  fc.record({ op: fc.constantFrom('iterate' as const, 'cookies' as const) }),
)

function apply(headers: Headers, operation: Operation): unknown {
  switch (operation.op) {
    case 'get':
      return headers.get(operation.name)
    case 'has':
      return headers.has(operation.name)
    case 'delete':
      return headers.delete(operation.name)
    case 'set':
      return headers.set(operation.name, operation.value)
    case 'append':
      return headers.append(operation.name, operation.value)
    case 'iterate':
      return [...headers]
    case 'cookies':
      return headers.getSetCookie()
  }
}

describe('fieldHeaders', () => {
  it('answers every call as a Headers filled with the same fields does (property)', () => {
    fc.assert(
      fc.property(record, fc.array(operation, { maxLength: 8 }), (fields, operations) => {
        const filled = attempt(() => headersFrom(fields))
        const inPlace = attempt(() => fieldHeaders(fields))
        expect('threw' in inPlace).toBe('threw' in filled)
        if (!('value' in filled) || !('value' in inPlace)) return
        for (const step of operations) {
          expect(attempt(() => apply(inPlace.value, step))).toEqual(attempt(() => apply(filled.value, step)))
        }
        expect(seen(inPlace.value)).toEqual(seen(filled.value))
      }),
    )
  })

  it('reads a field in place, whatever the case of the name asked for', () => {
    const headers = fieldHeaders({ 'content-type': 'application/json', 'x-list': ['a', 'b'] })
    expect(headers.get('Content-Type')).toBe('application/json')
    expect(headers.get('x-list')).toBe('a, b')
    expect(headers.has('X-LIST')).toBe(true)
    expect(headers.get('location')).toBeNull()
    expect(headers.has('constructor')).toBe(false)
    expect(() => headers.get('bad name')).toThrow(TypeError)
    expect(headers).toBeInstanceOf(Headers)
  })

  it('is copied field for field by Headers, Response, Request, Object.fromEntries and inspect', () => {
    const fields: FieldRecord = { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'], etag: '"x"' }
    const expected = [...headersFrom(fields)]
    expect([...new Headers(fieldHeaders(fields))]).toEqual(expected)
    expect([...new Response('body', { headers: fieldHeaders(fields) }).headers]).toEqual(expected)
    expect(new Request('http://localhost/', { headers: fieldHeaders(fields) }).headers.get('etag')).toBe(
      '"x"',
    )
    expect(Object.fromEntries(fieldHeaders(fields))).toEqual(Object.fromEntries(expected))
    expect(inspect(fieldHeaders(fields))).toBe(inspect(headersFrom(fields)))
  })

  it('a change is a change to the Headers it now is, the rest of the fields kept', () => {
    const headers = fieldHeaders({ 'content-type': 'text/plain', etag: '"1"' })
    headers.set('etag', '"2"')
    headers.delete('content-type')
    headers.append('x-new', 'yes')
    expect([...headers]).toEqual([
      ['etag', '"2"'],
      ['x-new', 'yes'],
    ])
  })
})

describe('servedFieldHeaders', () => {
  it('reads a stored record with overrides in place of its own fields (property)', () => {
    fc.assert(
      fc.property(record, fc.array(operation, { maxLength: 6 }), (fields, operations) => {
        const overrides = { age: '3', etag: '"o"' }
        const merged = () =>
          attempt(() => {
            const headers = new Headers()
            for (const [name, values] of Object.entries(fields)) {
              if (Object.hasOwn(overrides, name)) continue
              for (const item of [values].flat()) headers.append(name, item)
            }
            for (const [name, item] of Object.entries(overrides)) headers.append(name, item)
            return headers
          })
        // Twice, as a stored response is served again and again.
        for (const _ of [1, 2]) {
          const served = attempt(() => servedFieldHeaders(fields, overrides))
          const expected = merged()
          expect('threw' in served).toBe('threw' in expected)
          if (!('value' in expected) || !('value' in served)) continue
          for (const step of operations) {
            expect(attempt(() => apply(served.value, step))).toEqual(
              attempt(() => apply(expected.value, step)),
            )
          }
          expect(seen(served.value)).toEqual(seen(expected.value))
        }
      }),
    )
  })
})

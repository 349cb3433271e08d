import { WeakCache } from '../ground/weak-cache.ts'

/**
 * What is read from a Headers object, read once and remembered while the object lives: a client's
 * calls mostly share its own headers, and nothing writes to a request's headers once they are
 * made (call/stage.ts). Headers a call makes for itself alone are read afresh: see WeakCache.
 */
export function oncePerHeaders<T extends object>(read: (headers: Headers) => T): (headers: Headers) => T {
  const known = new WeakCache<Headers, T>()
  return (headers) => {
    let value = known.get(headers)
    if (!value) {
      value = read(headers)
      known.set(headers, value)
    }
    return value
  }
}

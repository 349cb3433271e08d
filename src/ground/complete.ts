/**
 * Options with every field settled: what `Required<T>` was before option fields accepted an
 * explicit `undefined` (for callers with exactOptionalPropertyTypes), which it keeps.
 */
export type Complete<T> = { [K in keyof T]-?: Exclude<T[K], undefined> }

/**
 * Whether this is Node itself: Bun and Deno set `process.versions.node` too, for compatibility,
 * but their fetch and Headers are their own.
 */
export const IS_NODE: boolean = (() => {
  const versions = (globalThis as { process?: { versions?: Record<string, string | undefined> } }).process
    ?.versions
  return versions?.node !== undefined && versions.bun === undefined && !('Deno' in globalThis)
})()

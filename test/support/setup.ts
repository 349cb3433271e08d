/**
 * Run before every test file. p-retry loads at a call's first retry (src/retry/loop.ts), by a
 * dynamic import that takes real time: a test on fake timers that moves the clock while it loads
 * can pass the retry's wait before the wait is set, and end the call by its total deadline
 * instead. Loaded here first, the retry loop runs as it does once a process has retried once.
 */
import { runAttempts } from '../../src/retry/loop.ts'

await runAttempts(async () => ({ done: true, value: undefined }), {
  retries: 0,
  signal: new AbortController().signal,
})

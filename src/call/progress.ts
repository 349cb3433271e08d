/**
 * Progress for `onUploadProgress` and `onDownloadProgress`: a stream counted as it is pulled, its
 * listener told at the start, after each chunk and at the end. A listener that throws fails the
 * stream with a HookFailure naming it, which the call turns into `kind: 'hook-error'`.
 */
import { readAll, watchedStream } from '../transport/response-body.ts'
import type { ResponseBody } from '../transport/types.ts'
import { HookFailure } from './hooks.ts'

/** How far a body has gone, as `onUploadProgress` and `onDownloadProgress` are told. */
export interface Progress {
  /** Bytes so far: of a request body as the transport takes them, of a response body as decoded. */
  readonly transferred: number
  /**
   * The body's size when it is known beforehand: a request body's length (or its Content-Length),
   * a response's Content-Length when it is not compressed. At the last event, `transferred`.
   */
  readonly total: number | undefined
  /** `transferred / total`, from 0 to 1, when the total is known; 1 at the last event. */
  readonly percent: number | undefined
  /** Whether this is the last event: the whole body has been taken (or has arrived). */
  readonly done: boolean
}

/**
 * Told how far a body has gone: once when it starts (0 bytes), after each chunk, and once at its
 * end. Synchronous; a listener that throws ends the call as `kind: 'hook-error'` naming it.
 */
export type ProgressListener = (progress: Progress) => void

export type ProgressHook = 'onUploadProgress' | 'onDownloadProgress'

/** `stream` as it is pulled, each chunk counted and told to `listener`; `total` when known beforehand. */
export function progressStream(
  stream: ReadableStream<Uint8Array>,
  total: number | undefined,
  listener: ProgressListener,
  hook: ProgressHook,
): ReadableStream<Uint8Array> {
  let transferred = 0
  const tell = (done: boolean): Error | undefined => {
    const known = done ? transferred : total
    const percent = known === undefined ? undefined : known === 0 ? 1 : Math.min(transferred / known, 1)
    try {
      listener({ transferred, total: known, percent, done })
      return undefined
    } catch (error) {
      return new HookFailure(hook, error)
    }
  }
  return watchedStream(stream, {
    start: () => tell(false),
    chunk(value) {
      transferred += value.byteLength
      return tell(false)
    },
    end: () => tell(true),
  })
}

/** The size a Content-Length header gives, or undefined without a valid one. */
export function lengthHeader(headers: Headers): number | undefined {
  const value = headers.get('content-length')
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined
}

/** The result's body, counted for `onDownloadProgress` as it is read; as it is without a listener. */
export function countedDownload(
  body: ResponseBody | null,
  headers: Headers,
  listener: ProgressListener | undefined,
): ResponseBody | null {
  if (listener === undefined || body === null) return body
  // A compressed body's Content-Length counts bytes on the wire, not the decoded ones counted here.
  const total = headers.has('content-encoding') ? undefined : lengthHeader(headers)
  const stream = () => progressStream(body.stream(), total, listener, 'onDownloadProgress')
  return { bytes: (limit) => readAll(stream(), limit), stream }
}

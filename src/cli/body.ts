/** The request body the command line describes, read: `-d`/`--data-binary`/`--json` bytes, or `-F` form data. */
import { readFile } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { buffer } from 'node:stream/consumers'
import type { BodySpec } from './args.ts'
import type { FormField } from './values.ts'

/** What the body is read from that is not a file: stdin, for `@-`. */
export interface BodyInput {
  readonly stdin?: AsyncIterable<Uint8Array | string>
}

export async function bodyOf(spec: BodySpec, io: BodyInput): Promise<Uint8Array<ArrayBuffer> | FormData> {
  return spec.type === 'form' ? formOf(spec.fields) : dataOf(spec, io)
}

/** The body's bytes: each part read (a file's CR and LF dropped unless binary), joined with `&` as curl does. */
async function dataOf(
  spec: Extract<BodySpec, { type: 'data' }>,
  io: BodyInput,
): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array[] = []
  for (const { source, binary } of spec.parts) {
    let bytes: Uint8Array
    if (source.from === 'text') bytes = new TextEncoder().encode(source.text)
    else if (source.from === 'stdin') bytes = io.stdin ? await buffer(io.stdin) : new Uint8Array()
    else bytes = await readNamed(source.path, `@${source.path}`)
    parts.push(binary ? bytes : bytes.filter((byte) => byte !== 13 && byte !== 10))
  }
  const joined = Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from('&'), part])))
  if (spec.json) {
    try {
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(joined))
    } catch {
      throw new Error('--json takes JSON, and what it was given is not')
    }
  }
  return new Uint8Array(joined)
}

/** `-F` fields as multipart/form-data: a file goes by its name, with the type its extension says, as curl sends it. */
async function formOf(fields: readonly FormField[]): Promise<FormData> {
  const form = new FormData()
  for (const field of fields) {
    if (field.from === 'text') {
      form.append(field.name, field.text)
      continue
    }
    const contents = await readNamed(field.path, `-F ${field.name}=@${field.path}`)
    const type = TYPES[extname(field.path).toLowerCase()] ?? 'application/octet-stream'
    form.append(field.name, new Blob([new Uint8Array(contents)], { type }), basename(field.path))
  }
  return form
}

/** The types curl gives a file by its extension; anything else is application/octet-stream. */
const TYPES: Readonly<Record<string, string>> = {
  '.txt': 'text/plain',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
}

/** A file the command line names; a usage error saying which, and why, when it cannot be read. */
export async function readNamed(path: string, named: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (error) {
    throw new Error(
      `cannot read ${named}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    )
  }
}

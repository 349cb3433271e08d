/**
 * Standard Schema (standardschema.dev): the one interface zod, valibot, arktype and others
 * implement, so that any of them can check a body and type `data` without fetchkind depending on
 * any of them. The interface is copied here, as the spec asks, rather than imported.
 */
import { thrownText } from './thrown.ts'

export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>
    readonly types?: { readonly input: Input; readonly output: Output } | undefined
  }
}

export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardIssue[] }

export interface StandardIssue {
  readonly message: string
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined
}

/** The type a schema's validation produces. */
export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer Output> ? Output : never

export type Validation =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: readonly StandardIssue[]; readonly error: unknown }

/** Checks `value`; a validator that throws is reported as one issue with its error, never rethrown. */
export async function validate(schema: StandardSchemaV1, value: unknown): Promise<Validation> {
  try {
    const result = await schema['~standard'].validate(value)
    if (result.issues) return { ok: false, issues: result.issues, error: null }
    return { ok: true, value: result.value }
  } catch (error) {
    return {
      ok: false,
      issues: [{ message: `the validator threw: ${thrownText(error)}` }],
      error,
    }
  }
}

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  const standard = (value as { '~standard'?: { version?: unknown; validate?: unknown } } | null)?.[
    '~standard'
  ]
  return (
    typeof standard === 'object' &&
    standard !== null &&
    standard.version === 1 &&
    typeof standard.validate === 'function'
  )
}

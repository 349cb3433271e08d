/** `fetchkind/otel`: OpenTelemetry spans and metrics from fetchkind's diagnostics channels. */
export * from './otel/instrument.ts'

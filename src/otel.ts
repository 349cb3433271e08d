/** `fetchkind/otel`: OpenTelemetry spans and metrics from fetchkind's diagnostics channels. */
export * from './otel/tracing.ts'

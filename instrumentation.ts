/**
 * Next calls `register` once when a server starts. OpenTelemetry is started here, in the Node.js
 * runtime only (the SDK cannot run on the Edge runtime that middleware.ts uses), and only when the
 * OTEL_* variables ask for it (server/observability/otel-sdk.ts).
 */
export async function register() {
  // A marker Next sets per runtime, not configuration: read raw (allowed in tests/unit/env-reads.test.ts).
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startOpenTelemetry } = await import("./server/observability/otel-sdk");
  await startOpenTelemetry();
}

/**
 * The OpenTelemetry SDK, started by instrumentation.ts only when the standard OTEL_* variables ask
 * for an exporter: with none set, nothing is exported (there is no collector by default) and the
 * API calls in server/observability stay no-ops. Exporters, endpoints, protocol, sampler and
 * resource come from the SDK's own reading of OTEL_* (OTEL_TRACES_EXPORTER=otlp|console|none,
 * OTEL_METRICS_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, ...).
 */

const SIGNALS = ["OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER"] as const;
const ENDPOINTS = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] as const;

const set = (value: string | undefined) => value !== undefined && value.trim() !== "";

/**
 * Whether to start the SDK, and the exporter variables to default. The SDK's own default for an
 * unset exporter is OTLP to localhost: a signal nobody asked for is set to "none" instead, unless
 * an OTLP endpoint was given (then OTLP is what was asked for).
 */
export function otelPlan(source: Record<string, string | undefined>): { start: boolean; defaults: Record<string, string> } {
  if (source.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return { start: false, defaults: {} };
  const endpoint = ENDPOINTS.some((name) => set(source[name]));
  const exporters = SIGNALS.filter((name) => set(source[name]));
  if (!endpoint && exporters.length === 0) return { start: false, defaults: {} };
  const defaults: Record<string, string> = {};
  if (!endpoint) for (const name of SIGNALS) if (!set(source[name])) defaults[name] = "none";
  // Logs go to stdout as JSON lines (lib/log.mjs); exporting them too is opt-in.
  if (!set(source.OTEL_LOGS_EXPORTER)) defaults.OTEL_LOGS_EXPORTER = "none";
  return { start: true, defaults };
}

export async function startOpenTelemetry(): Promise<void> {
  // OTEL_* are the SDK's own variables, read and defaulted in process.env because the SDK reads them there.
  const plan = otelPlan(process.env);
  if (!plan.start) return;
  for (const [name, value] of Object.entries(plan.defaults)) process.env[name] = value;
  const { NodeSDK } = await import("@opentelemetry/sdk-node");
  const sdk = new NodeSDK({ serviceName: process.env.OTEL_SERVICE_NAME || "canopy" });
  sdk.start();
  // Spans and metrics still buffered go out before the process ends (serve.mjs stops on these signals).
  const shutdown = () => void sdk.shutdown().catch(() => undefined);
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

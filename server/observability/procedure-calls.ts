import { AsyncLocalStorage } from "node:async_hooks";
import { metrics, SpanKind, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";
import { noteRequestTenant } from "@/lib/request-context.mjs";
import { tenantLoad } from "./tenant-load";

/**
 * Every tRPC call, observed once in the procedure ladder's first rung: an OpenTelemetry span named
 * for the procedure, OpenTelemetry metrics, and this process's load-by-tenant counts. The tenant is
 * known only once the tenant rung has resolved it, so the rung notes it on the call (`noteTenant`)
 * and the observation reads it when the call ends. Without an OpenTelemetry SDK registered
 * (instrumentation.ts starts one only when OTEL_* variables ask for it) the API calls are no-ops.
 */

export const TENANT_ID_ATTRIBUTE = "canopy.tenant_id";

type Call = { tenantId: string | null; dbMs: number };

const calls = new AsyncLocalStorage<Call>();

const tracer = trace.getTracer("canopy");
const meter = metrics.getMeter("canopy");
const requestCount = meter.createCounter("canopy.rpc.requests", { description: "tRPC calls served" });
const errorCount = meter.createCounter("canopy.rpc.errors", { description: "tRPC calls that ended in an error" });
const duration = meter.createHistogram("canopy.rpc.duration", { unit: "ms", description: "Duration of tRPC calls" });
const dbDuration = meter.createHistogram("canopy.db.duration", { unit: "ms", description: "Time a tRPC call held a database transaction" });

/** The tenant rung: this call is the tenant's (spans, metrics, load by tenant, and the request's log lines). */
export function noteTenant(tenantId: string): void {
  const call = calls.getStore();
  if (call) call.tenantId = tenantId;
  noteRequestTenant(tenantId);
}

/** Runs one database transaction of the call and adds the time it was held to the call's database time. */
export async function timeDatabase<T>(fn: () => Promise<T>): Promise<T> {
  const call = calls.getStore();
  if (!call) return fn();
  const start = performance.now();
  try {
    return await fn();
  } finally {
    call.dbMs += performance.now() - start;
  }
}

type Outcome = { ok: true } | { ok: false; error: { code: string } };

/** Observes one call: `run` is the rest of the procedure (tRPC's `next`). */
export function observeCall<R extends Outcome>(path: string, type: string, run: () => Promise<R>): Promise<R> {
  const call: Call = { tenantId: null, dbMs: 0 };
  return tracer.startActiveSpan(`trpc ${path}`, { kind: SpanKind.SERVER, attributes: { "rpc.system": "trpc", "rpc.method": path, "canopy.rpc.type": type } }, async (span) => {
    const start = performance.now();
    let failed = true;
    let code = "INTERNAL_SERVER_ERROR";
    try {
      const result = await calls.run(call, run);
      failed = !result.ok;
      if (!result.ok) code = result.error.code;
      return result;
    } finally {
      const ms = performance.now() - start;
      const attributes: Attributes = { "rpc.method": path };
      if (call.tenantId) {
        attributes[TENANT_ID_ATTRIBUTE] = call.tenantId;
        span.setAttribute(TENANT_ID_ATTRIBUTE, call.tenantId);
        tenantLoad().record({ tenantId: call.tenantId, durationMs: ms, dbMs: call.dbMs, failed });
      }
      requestCount.add(1, attributes);
      duration.record(ms, attributes);
      if (call.dbMs > 0) dbDuration.record(call.dbMs, attributes);
      if (failed) {
        errorCount.add(1, { ...attributes, "rpc.trpc.error_code": code });
        span.setAttribute("rpc.trpc.error_code", code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: code });
      }
      span.end();
    }
  });
}

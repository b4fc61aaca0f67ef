import { afterEach, describe, expect, it, vi } from "vitest";
import { isTrustedPeer, parseTrustedProxies } from "@/lib/client-address.mjs";
import { log } from "@/lib/log.mjs";
import { currentRequest, noteRequestTenant, requestIdFor, runInRequest } from "@/lib/request-context.mjs";
import { otelPlan } from "@/server/observability/otel-sdk";
import { bucketOf, quantileOf, TenantLoadRecorder, TENANT_LOAD_BUCKETS_MS } from "@/server/observability/tenant-load";

const histogram = (entries: Record<number, number>) => {
  const buckets = new Array<number>(TENANT_LOAD_BUCKETS_MS.length + 1).fill(0);
  for (const [i, n] of Object.entries(entries)) buckets[Number(i)] = n;
  return buckets;
};

describe("duration histogram", () => {
  it("puts a duration in the first bucket whose bound holds it, and anything slower in the last", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(5)).toBe(0);
    expect(bucketOf(5.01)).toBe(1);
    expect(bucketOf(10_000)).toBe(TENANT_LOAD_BUCKETS_MS.length - 1);
    expect(bucketOf(60_000)).toBe(TENANT_LOAD_BUCKETS_MS.length);
  });

  it("reads the p95 inside the bucket that holds it", () => {
    expect(quantileOf(histogram({}), 0.95)).toBeNull();
    // 100 calls: 90 at ≤5 ms, 10 in (100, 150]: the 95th is halfway into the slow bucket.
    expect(quantileOf(histogram({ 0: 90, 6: 10 }), 0.95)).toBe(125);
    expect(quantileOf(histogram({ 0: 100 }), 0.95)).toBeCloseTo(4.75);
    expect(quantileOf(histogram({ [TENANT_LOAD_BUCKETS_MS.length]: 3 }), 0.95)).toBe(10_000);
  });
});

describe("TenantLoadRecorder", () => {
  it("sums calls per tenant and minute, and writes them once per flush", async () => {
    const written: unknown[][] = [];
    const recorder = new TenantLoadRecorder((cells) => Promise.resolve(void written.push(cells.map((c) => ({ ...c, buckets: [...c.buckets] })))));
    const at = Date.UTC(2026, 0, 1, 12, 0, 30);
    recorder.record({ tenantId: "a", durationMs: 4, dbMs: 2, failed: false, at });
    recorder.record({ tenantId: "a", durationMs: 120, dbMs: 100, failed: true, at: at + 10_000 });
    recorder.record({ tenantId: "a", durationMs: 1, dbMs: 0, failed: false, at: at + 40_000 });
    recorder.record({ tenantId: "b", durationMs: 1, dbMs: 0, failed: false, at });
    await recorder.flush();
    await recorder.flush();
    recorder.stop();
    expect(written).toHaveLength(1);
    expect(written[0]).toEqual([
      { tenantId: "a", minute: Date.UTC(2026, 0, 1, 12, 0), requests: 2, errors: 1, durationMs: 124, dbMs: 102, buckets: histogram({ 0: 1, 6: 1 }) },
      { tenantId: "a", minute: Date.UTC(2026, 0, 1, 12, 1), requests: 1, errors: 0, durationMs: 1, dbMs: 0, buckets: histogram({ 0: 1 }) },
      { tenantId: "b", minute: Date.UTC(2026, 0, 1, 12, 0), requests: 1, errors: 0, durationMs: 1, dbMs: 0, buckets: histogram({ 0: 1 }) },
    ]);
  });

  it("keeps what a failed flush could not write for the next one", async () => {
    let fail = true;
    const written: number[] = [];
    const recorder = new TenantLoadRecorder((cells) => (fail ? Promise.reject(new Error("database down")) : Promise.resolve(void written.push(...cells.map((c) => c.requests)))));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    recorder.record({ tenantId: "a", durationMs: 1, dbMs: 0, failed: false });
    await recorder.flush();
    recorder.record({ tenantId: "a", durationMs: 1, dbMs: 0, failed: false });
    fail = false;
    await recorder.flush();
    recorder.stop();
    warn.mockRestore();
    expect(written).toEqual([2]);
    expect(recorder.pending).toBe(0);
  });
});

describe("request id", () => {
  const trusted = parseTrustedProxies("10.0.0.0/8");

  it("takes a well-formed id only from a trusted proxy", () => {
    expect(isTrustedPeer("10.1.2.3", trusted)).toBe(true);
    expect(isTrustedPeer("203.0.113.9", trusted)).toBe(false);
    expect(isTrustedPeer("10.1.2.3", [])).toBe(false);
    expect(requestIdFor("lb-7f3a9c21", isTrustedPeer("10.1.2.3", trusted))).toBe("lb-7f3a9c21");
    const fromClient = requestIdFor("lb-7f3a9c21", isTrustedPeer("203.0.113.9", trusted));
    expect(fromClient).not.toBe("lb-7f3a9c21");
    expect(fromClient).toMatch(/^[0-9a-f-]{36}$/);
    // A value that could forge a second log line or bloat every line is replaced, even from a proxy.
    expect(requestIdFor('x"\n{"level":"error"}', true)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFor("a".repeat(200), true)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFor(undefined, true)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("carries the id and the proven tenant through the request's async work", async () => {
    expect(currentRequest()).toBeUndefined();
    const seen = await runInRequest({ requestId: "req-1" }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      noteRequestTenant("tenant-1");
      await Promise.resolve();
      return currentRequest();
    });
    expect(seen).toEqual({ requestId: "req-1", tenantId: "tenant-1" });
  });
});

describe("log", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("writes one JSON line per event in production, with the request's id and tenant", () => {
    vi.stubEnv("NODE_ENV", "production");
    const lines: string[] = [];
    const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    runInRequest({ requestId: "req-9", tenantId: "t-9" }, () => {
      log.info("invoice sent", { invoiceId: "i-1" });
      log.error("trpc internal error", { error: new Error("boom\nsecond line") });
    });
    log.warn("no request");
    out.mockRestore();
    err.mockRestore();
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.endsWith("\n") && !line.slice(0, -1).includes("\n")).toBe(true);
    const [info, error, bare] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(info).toMatchObject({ level: "info", msg: "invoice sent", request_id: "req-9", tenant_id: "t-9", invoiceId: "i-1" });
    expect(error).toMatchObject({ level: "error", request_id: "req-9", error: { name: "Error", message: "boom\nsecond line" } });
    expect(bare).toMatchObject({ level: "warn", msg: "no request" });
    expect(bare).not.toHaveProperty("request_id");
  });
});

describe("OpenTelemetry start-up", () => {
  it("stays off unless an OTEL_* variable asks for an exporter", () => {
    expect(otelPlan({}).start).toBe(false);
    expect(otelPlan({ OTEL_SERVICE_NAME: "canopy" }).start).toBe(false);
    expect(otelPlan({ OTEL_TRACES_EXPORTER: "console", OTEL_SDK_DISABLED: "true" }).start).toBe(false);
  });

  it("exports only the signals asked for, or OTLP for all when an endpoint is given", () => {
    expect(otelPlan({ OTEL_TRACES_EXPORTER: "console" })).toEqual({ start: true, defaults: { OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: "none" } });
    expect(otelPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toEqual({ start: true, defaults: { OTEL_LOGS_EXPORTER: "none" } });
  });
});

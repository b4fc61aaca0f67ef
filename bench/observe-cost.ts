/**
 * What observing a tRPC call costs: `npm run bench:observe`. Not part of `npm run bench` or the
 * tests: timings belong here, never in assertions.
 *
 * 1. In process, no database: a trivial procedure body (one await) run bare, then through
 *    observeCall as the procedure ladder runs it (span, metrics, the tenant noted, a database
 *    transaction timed, the call counted for load by tenant), first with no OpenTelemetry SDK
 *    (the default: API calls are no-ops), then with a tracer and meter provider registered (spans
 *    go to an exporter that drops them). Printed: nanoseconds added per call (median of rounds).
 * 2. Against a throwaway embedded PostgreSQL: one flush, the single upsert that writes what a
 *    process counted in one interval, for 1, 100 and 1,000 tenants (milliseconds per flush).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { metrics, trace } from "@opentelemetry/api";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { SimpleSpanProcessor, TracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace";
import postgres from "postgres";
import { bootstrapDatabase } from "../scripts/lib/bootstrap";
import { freePort, startEmbeddedPostgres } from "../scripts/lib/embedded-postgres";
import { runMigrations } from "../scripts/lib/migrate";
import { noteTenant, observeCall, timeDatabase } from "../server/observability/procedure-calls";
import { postgresTenantLoadSink, setTenantLoad, TenantLoadRecorder } from "../server/observability/tenant-load";

const CALLS = 200_000;
const ROUNDS = 5;
const TENANTS = Array.from({ length: 50 }, () => crypto.randomUUID());

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const ok = { ok: true as const };
const body = async () => {
  await Promise.resolve();
  return ok;
};

async function bare(): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await body();
  return Number(process.hrtime.bigint() - start) / CALLS;
}

async function observed(): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    await observeCall("project.list", "query", () => {
      noteTenant(TENANTS[i % TENANTS.length]!);
      return timeDatabase(body);
    });
  }
  return Number(process.hrtime.bigint() - start) / CALLS;
}

async function perCall(label: string): Promise<void> {
  const base: number[] = [];
  const with_: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    base.push(await bare());
    with_.push(await observed());
  }
  console.log(`${label.padEnd(44)} bare ${median(base).toFixed(0).padStart(6)} ns/call   observed ${median(with_).toFixed(0).padStart(6)} ns/call   added ${(median(with_) - median(base)).toFixed(0).padStart(6)} ns/call`);
}

// The recorder counts in memory; its flushes go nowhere here (part 2 measures the write).
setTenantLoad(new TenantLoadRecorder(() => Promise.resolve(), { flushMs: 1_000 }));
console.log(`Part 1: ${CALLS.toLocaleString("en-US")} calls × ${ROUNDS} rounds, in process`);
await perCall("no OpenTelemetry SDK (default)");

const dropping: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: () => Promise.resolve() };
trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: dropping })] }));
metrics.setGlobalMeterProvider(new MeterProvider());
await perCall("OpenTelemetry SDK registered (spans dropped)");
setTenantLoad(undefined);

console.log("\nPart 2: one flush (one upsert) into telemetry.tenant_load, embedded PostgreSQL");
const dir = path.resolve(".data/bench-observe-pg");
rmSync(dir, { recursive: true, force: true });
const pg = await startEmbeddedPostgres({ dir, port: await freePort(), quiet: true });
try {
  const urls = await bootstrapDatabase(pg, "canopy_observe_cost");
  await runMigrations({ migrationUrl: urls.MIGRATION_DATABASE_URL, appUrl: urls.DATABASE_URL });
  const sql = postgres(urls.DATABASE_URL, { max: 1, onnotice: () => undefined });
  for (const tenants of [1, 100, 1000]) {
    const ids = Array.from({ length: tenants }, () => crypto.randomUUID());
    const times: number[] = [];
    for (let r = 0; r < 10; r++) {
      const recorder = new TenantLoadRecorder(postgresTenantLoadSink(sql), { flushMs: 60_000 });
      for (const tenantId of ids) for (let c = 0; c < 20; c++) recorder.record({ tenantId, durationMs: 3 + c, dbMs: 2, failed: c === 0 });
      const start = performance.now();
      await recorder.flush();
      times.push(performance.now() - start);
      recorder.stop();
    }
    console.log(`${String(tenants).padStart(5)} tenants × 20 calls: ${median(times).toFixed(2)} ms per flush (median of 10; the first inserts, the rest add)`);
  }
  await sql.end();
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}

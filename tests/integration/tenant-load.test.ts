import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInRequest } from "@/lib/request-context.mjs";
import { postgresTenantLoadSink, pruneTenantLoad, setTenantLoad, TenantLoadRecorder, TENANT_LOAD_BUCKETS_MS } from "@/server/observability/tenant-load";
import { ADMIN_HOST, createPlatformAdmin } from "../support/admin";
import { callerFor, closeDb, createTenant, ownerSql, type TenantFixture, type UserFixture } from "../support/fixtures";

/**
 * Load by tenant, end to end below the browser: real tRPC calls are counted per tenant, flushed in
 * one upsert through a login that holds nothing but canopy_telemetry, and read back by the platform
 * admin's procedure; every call's span names its procedure and tenant.
 */

const login = `telemetry_${crypto.randomUUID().slice(0, 8)}`;
let telemetrySql: postgres.Sql;
let recorder: TenantLoadRecorder;
let admin: UserFixture;
let busy: TenantFixture;
let quiet: TenantFixture;
const spans = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });

beforeAll(async () => {
  // A login in canopy_telemetry only, as TELEMETRY_DATABASE_URL would name in production.
  await ownerSql().unsafe(`create role ${login} login password 'telemetry-test' in role canopy_telemetry`);
  const url = new URL(process.env.DATABASE_URL!);
  url.username = login;
  url.password = "telemetry-test";
  telemetrySql = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  recorder = new TenantLoadRecorder(postgresTenantLoadSink(telemetrySql), { flushMs: 60_000 });
  setTenantLoad(recorder);
  trace.setGlobalTracerProvider(provider);
  admin = await createPlatformAdmin();
  [busy, quiet] = await Promise.all([createTenant(), createTenant()]);
});

afterAll(async () => {
  setTenantLoad(undefined);
  trace.disable();
  await telemetrySql.end();
  await ownerSql().unsafe(`drop role ${login}`);
  await closeDb();
});

const asAdmin = () => callerFor(ADMIN_HOST, admin);

describe("load by tenant", () => {
  it("counts each tenant's calls and failures, and the console lists the busiest tenant first", async () => {
    const busyOwner = callerFor(busy.host, busy.users.owner);
    const quietOwner = callerFor(quiet.host, quiet.users.owner);
    for (let i = 0; i < 24; i++) await busyOwner.project.list({ limit: 10 });
    // Another tenant's id is NOT_FOUND: a failed call, counted for the tenant whose host it hit.
    await expect(busyOwner.project.byId({ id: quiet.projectIds[0]! })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await quietOwner.project.list({ limit: 10 });
    await quietOwner.tenant.current();
    // A platform admin call belongs to no tenant.
    await asAdmin().admin.stats();
    expect(recorder.pending).toBe(27);
    await recorder.flush();
    expect(recorder.pending).toBe(0);

    const { tenants } = await asAdmin().admin.load.byTenant();
    const mine = tenants.filter((t) => t.tenantId === busy.id || t.tenantId === quiet.id);
    expect(mine.map((t) => t.slug)).toEqual([busy.slug, quiet.slug]);
    const [b, q] = mine;
    expect(b).toMatchObject({ requests: 25, errors: 1 });
    expect(b!.name).toBeTruthy();
    expect(q).toMatchObject({ requests: 2, errors: 0 });
    expect(b!.dbMs).toBeGreaterThan(0);
    expect(b!.dbMs).toBeLessThanOrEqual(b!.durationMs);
    expect(b!.p95Ms).toBeGreaterThan(0);
    expect(b!.p95Ms).toBeLessThanOrEqual(TENANT_LOAD_BUCKETS_MS.at(-1)!);
  });

  it("adds a second process's flush to the same minute, histogram bucket by bucket", async () => {
    const other = new TenantLoadRecorder(postgresTenantLoadSink(telemetrySql), { flushMs: 60_000 });
    const at = Date.now();
    other.record({ tenantId: quiet.id, durationMs: 3, dbMs: 1, failed: false, at });
    other.record({ tenantId: quiet.id, durationMs: 3000, dbMs: 2500, failed: true, at });
    await other.flush();
    other.record({ tenantId: quiet.id, durationMs: 3000, dbMs: 2500, failed: false, at });
    await other.flush();
    other.stop();
    const minute = new Date(Math.floor(at / 60_000) * 60_000);
    const [row] = await telemetrySql<{ requests: number; errors: number; db_ms: number; duration_buckets: number[] }[]>`
      select requests, errors, db_ms, duration_buckets from telemetry.tenant_load where tenant_id = ${quiet.id} and minute = ${minute}`;
    expect(row!.requests).toBeGreaterThanOrEqual(3);
    expect(row!.errors).toBe(1);
    expect(row!.db_ms).toBeGreaterThanOrEqual(5001);
    // 3000 ms falls in the (2500, 4000] bucket: two calls there, from two flushes.
    expect(row!.duration_buckets[TENANT_LOAD_BUCKETS_MS.indexOf(4000)]).toBe(2);
    expect(row!.duration_buckets).toHaveLength(TENANT_LOAD_BUCKETS_MS.length + 1);
  });

  it("keeps 24 hours: the sweep removes older minutes only", async () => {
    const tenantId = crypto.randomUUID();
    const buckets = new Array<number>(TENANT_LOAD_BUCKETS_MS.length + 1).fill(0);
    await telemetrySql`
      insert into telemetry.tenant_load (tenant_id, minute, requests, duration_buckets) values
        (${tenantId}, date_trunc('minute', now() - interval '25 hours'), 1, ${buckets}),
        (${tenantId}, date_trunc('minute', now() - interval '23 hours'), 1, ${buckets})`;
    await pruneTenantLoad(telemetrySql)();
    const left = await telemetrySql`select minute from telemetry.tenant_load where tenant_id = ${tenantId}`;
    expect(left).toHaveLength(1);
  });

  it("the telemetry login reaches its counters and no tenant table", async () => {
    await expect(telemetrySql`select count(*) from public.tenants`).rejects.toThrow(/permission denied/);
    await expect(telemetrySql`select count(*) from public.projects`).rejects.toThrow(/permission denied/);
    await expect(telemetrySql`select * from public.app_admin_tenant_names(${`{${busy.id}}`}::uuid[])`).rejects.toThrow(/permission denied/);
  });

  it("gives no tenant's load to anyone but a platform admin", async () => {
    await expect(callerFor(ADMIN_HOST, busy.users.owner).admin.load.byTenant()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(busy.host, busy.users.owner).admin.load.byTenant()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("names every procedure span with its procedure and, for tenant calls, its tenant", async () => {
    spans.reset();
    await runInRequest({ requestId: "req-test-1" }, async () => {
      await callerFor(busy.host, busy.users.owner).invoice.stats();
      await asAdmin().admin.stats();
    });
    const finished = spans.getFinishedSpans();
    const stats = finished.find((s) => s.name === "trpc invoice.stats");
    expect(stats?.attributes).toMatchObject({ "rpc.system": "trpc", "rpc.method": "invoice.stats", "canopy.tenant_id": busy.id });
    const adminSpan = finished.find((s) => s.name === "trpc admin.stats");
    expect(adminSpan?.attributes["rpc.method"]).toBe("admin.stats");
    expect(adminSpan?.attributes["canopy.tenant_id"]).toBeUndefined();
  });
});

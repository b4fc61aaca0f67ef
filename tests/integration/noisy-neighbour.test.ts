import { TRPCError } from "@trpc/server";
import { encode } from "next-auth/jwt";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/db/client";
import { PoolBusyError } from "@/db/pool-gate";
import { withTenant } from "@/db/tenant-transaction";
import { sessionCookieName } from "@/server/auth";
import { createTrpcHandler } from "@/server/api/trpc-handler";
import { RateLimiter } from "@/server/rate-limit";
import { router, tenantProcedure } from "@/server/api/trpc";
import { callerFor, closeDb, createTenant, sharedBucketStore, type TenantFixture } from "../support/fixtures";

let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  a = await createTenant();
  b = await createTenant();
});
afterAll(closeDb);

async function listRequest(t: TenantFixture) {
  const u = t.users.owner;
  const token = await encode({ token: { sub: u.id, sid: u.sessionId, email: u.email, name: u.name }, secret: process.env.AUTH_SECRET! });
  return new Request(`http://${t.host}/api/trpc/project.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, {
    headers: { host: t.host, cookie: `${sessionCookieName(t.host)}=${token}` },
  });
}

describe("a noisy tenant does not starve the others", () => {
  it("per-tenant rate limit: the flooding tenant gets 429 with Retry-After, the quiet one is served", async () => {
    // Strangers cannot spend a tenant's budget at all (tests/integration/rate-limit.test.ts); this is the tenant's own flood.
    // A window long enough that a loaded machine cannot turn a refusal into a pass.
    const limiter = new RateLimiter({ client: { perSecond: 0.01, burst: 20 }, tenant: { perSecond: 0.01, burst: 20 } }, sharedBucketStore());
    const handler = createTrpcHandler({ limiter, maxBatchSize: 20, clientAddress: () => "198.51.100.1" });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 60; i++) {
      const res = await handler(await listRequest(a));
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get("retry-after");
    }
    // The tenant's own members are served while its tokens last, then refused.
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const quiet = await handler(await listRequest(b));
    expect(quiet.status).toBe(200);
    const body = (await (await handler(await listRequest(a))).json()) as { error: { json: { data: { code: string } } } };
    expect(body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
  });

  it("per-tenant statement timeout: a runaway query is cut off with TIMEOUT while the other tenant is served", async () => {
    const slow = router({
      runaway: tenantProcedure.meta({ permission: "project:read" }).query(async ({ ctx }) => {
        await ctx.scope.data.execute(sql`select pg_sleep(30)`);
        return "finished";
      }),
    });
    const { appDb, ROOT } = await import("../support/fixtures");
    const { classifyHost } = await import("@/lib/host");
    const ctx = {
      directory: appDb(),
      host: classifyHost(a.host, ROOT),
      session: { userId: a.users.owner.id, sessionId: a.users.owner.sessionId, email: a.users.owner.email, name: "owner" },
      apiKey: null,
    };
    const started = Date.now();
    const runaway = slow.createCaller(ctx).runaway().then(
      () => "finished",
      (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
    );
    const other = await callerFor(b.host, b.users.owner).project.list({});
    expect(other.items.every((p) => p.tenantId === b.id)).toBe(true);
    expect(await runaway).toBe("TIMEOUT");
    // Cut off by the tenant transaction's statement_timeout, long before pg_sleep(30) would end.
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});

describe("pool exhaustion", () => {
  it("a request waits up to the bound, then fails with a clear error; the pool serves again afterwards", async () => {
    const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 2, poolWaitMs: 300 });
    try {
      const hold = () => withTenant(db, { tenantId: a.id }, (tx) => tx.execute(sql`select pg_sleep(1.5)`));
      const holders = [hold(), hold()];
      await new Promise((r) => setTimeout(r, 100));
      const refused = await withTenant(db, { tenantId: a.id }, (tx) => tx.execute(sql`select 1`)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(PoolBusyError);
      expect((refused as Error).message).toBe("No database connection became free within 300 ms");
      await Promise.all(holders);
      const [row] = await withTenant(db, { tenantId: a.id }, (tx) => tx.execute<{ one: number }>(sql`select 1 as one`));
      expect(row?.one).toBe(1);
    } finally {
      await client.end();
    }
  });

  it("maps to SERVICE_UNAVAILABLE for API clients", async () => {
    const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 1, poolWaitMs: 200 });
    try {
      const holder = withTenant(db, { tenantId: a.id }, (tx) => tx.execute(sql`select pg_sleep(1)`)).then(
        () => "held",
        (e: unknown) => `holder failed: ${String(e)}`,
      );
      await new Promise((r) => setTimeout(r, 50));
      const code = await callerFor(a.host, a.users.owner, db).project.list({}).then(
        () => "OK",
        (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
      );
      expect(await holder).toBe("held");
      expect(code).toBe("SERVICE_UNAVAILABLE");
    } finally {
      await client.end();
    }
  });
});

import { encode } from "next-auth/jwt";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settleAfterCommit } from "@/server/after-commit";
import { sessionCookieName } from "@/server/auth";
import { createTrpcHandler } from "@/server/api/trpc-handler";
import { planOf } from "@/lib/plans";
import { postgresBucketStore, RateLimiter, type BucketRule, type BucketStore } from "@/server/rate-limit";
import { appRouter } from "@/server/api/root";
import { callerFor, closeDb, createTenant, createUser, appDb, ownerSql, sharedBucketStore, type TenantFixture, type UserFixture } from "../support/fixtures";

/*
 * Who pays for a call, through the real /api/trpc handler (batch cap, budgets, tRPC adapter).
 * The client address comes from a test header here; scripts/serve.mjs computing it from the
 * socket is tested in tests/unit/client-address.test.ts and e2e/rate-limit.spec.ts.
 */

let a: TenantFixture;
let b: TenantFixture;
let stranger: UserFixture;
beforeAll(async () => {
  a = await createTenant();
  b = await createTenant();
  stranger = await createUser(appDb(), "stranger");
});
afterAll(async () => {
  await settleAfterCommit();
  await closeDb();
});

const cookieFor = async (u: UserFixture) =>
  `${sessionCookieName(a.host)}=${await encode({ token: { sub: u.id, sid: u.sessionId, email: u.email, name: u.name }, secret: process.env.AUTH_SECRET! })}`;

const rules = (client: BucketRule, tenant: BucketRule) => ({ client, tenant });
const slow = { perSecond: 0.001, burst: 20 };

function handlerWith(limiter: RateLimiter, maxBatchSize = 20) {
  return createTrpcHandler({ limiter, maxBatchSize, clientAddress: (req) => req.headers.get("x-test-address") });
}

type Reply = { status: number; codes: (string | null)[]; retryAfter: string | null; message: string | null };

/** GET of `paths` (a batch when more than one) on `host`, as `address`, with optional credentials. */
async function get(handler: (req: Request) => Promise<Response>, host: string, paths: string[], opts: { address?: string; cookie?: string; bearer?: string } = {}): Promise<Reply> {
  const input = Object.fromEntries(paths.map((_, i) => [i, { json: {} }]));
  const batch = paths.length > 1;
  const url = `http://${host}/api/trpc/${paths.join(",")}?${batch ? "batch=1&" : ""}input=${encodeURIComponent(JSON.stringify(batch ? input : { json: {} }))}`;
  const headers: Record<string, string> = { host, "x-test-address": opts.address ?? "198.51.100.1" };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  const res = await handler(new Request(url, { headers }));
  type One = { error?: { json: { message: string; data: { code: string } } } };
  const body = (await res.json()) as One | One[];
  const list = Array.isArray(body) ? body : [body];
  return { status: res.status, codes: list.map((r) => r.error?.json.data.code ?? null), retryAfter: res.headers.get("retry-after"), message: list[0]?.error?.json.message ?? null };
}

/** A store that records every charge, for the "each call pays once" walk. */
class RecordingStore implements BucketStore {
  charges: { key: string; cost: number }[] = [];
  take(key: string, cost: number): Promise<number> {
    this.charges.push({ key, cost });
    return Promise.resolve(0);
  }
}

describe("strangers cannot spend a tenant's budget", () => {
  it("cookie-less requests are paid by their client address: a flood is refused 429 while the owner and other addresses are served", async () => {
    const handler = handlerWith(new RateLimiter(rules(slow, slow), sharedBucketStore()));
    const flood: number[] = [];
    for (let i = 0; i < 60; i++) flood.push((await get(handler, a.host, ["project.list"], { address: "203.0.113.9" })).status);
    expect(flood.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(flood.slice(20).every((s) => s === 429)).toBe(true);
    const refused = await get(handler, a.host, ["project.list"], { address: "203.0.113.9" });
    expect(refused).toMatchObject({ status: 429, codes: ["TOO_MANY_REQUESTS"] });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    // The tenant's budget is untouched: its owner gets all 20 of its calls.
    const owner = await cookieFor(a.users.owner);
    for (let i = 0; i < 20; i++) expect((await get(handler, a.host, ["project.list"], { address: "203.0.113.9", cookie: owner })).status).toBe(200);
    // Another address has a budget of its own.
    expect((await get(handler, a.host, ["project.list"], { address: "203.0.113.10" })).status).toBe(401);
  });

  it("a signed-in non-member's calls to the tenant are paid by its session, never by the tenant, and refused before they run once it is spent", async () => {
    const handler = handlerWith(new RateLimiter(rules(slow, slow), sharedBucketStore()));
    const cookie = await cookieFor(stranger);
    const codes: (string | null)[] = [];
    for (let i = 0; i < 25; i++) codes.push(...(await get(handler, a.host, ["project.list"], { cookie })).codes);
    expect(codes.slice(0, 20).every((c) => c === "FORBIDDEN")).toBe(true);
    expect(codes.slice(20).every((c) => c === "TOO_MANY_REQUESTS")).toBe(true);
    const owner = await cookieFor(a.users.owner);
    for (let i = 0; i < 20; i++) expect((await get(handler, a.host, ["project.list"], { cookie: owner })).status).toBe(200);
  });

  it("a forged API key is paid by the client address, never by the tenant", async () => {
    const handler = handlerWith(new RateLimiter(rules(slow, slow), sharedBucketStore()));
    const forged = `cnp_${"A".repeat(43)}`;
    const codes: (string | null)[] = [];
    for (let i = 0; i < 25; i++) codes.push(...(await get(handler, a.host, ["project.list"], { bearer: forged, address: "203.0.113.20" })).codes);
    expect(codes.slice(0, 20).every((c) => c === "UNAUTHORIZED")).toBe(true);
    expect(codes.slice(20).every((c) => c === "TOO_MANY_REQUESTS")).toBe(true);
    const owner = await cookieFor(a.users.owner);
    expect((await get(handler, a.host, ["project.list"], { cookie: owner, address: "203.0.113.20" })).status).toBe(200);
    // Requests with a key have a bucket of their own: anonymous visitors at that address are still served.
    expect((await get(handler, a.host, ["project.list"], { address: "203.0.113.20" })).status).toBe(401);
  });

  it("an anonymous flood from a shared address does not starve a real API client there", async () => {
    const handler = handlerWith(new RateLimiter(rules(slow, slow), sharedBucketStore()));
    const key = await callerFor(a.host, a.users.owner).apiKey.create({ name: "Integration", scopes: ["projects:read"], expiresInDays: 30 });
    for (let i = 0; i < 25; i++) await get(handler, a.host, ["project.list"], { address: "203.0.113.21" });
    expect((await get(handler, a.host, ["project.list"], { address: "203.0.113.21" })).status).toBe(429);
    expect((await get(handler, a.host, ["project.list"], { address: "203.0.113.21", bearer: key.token })).status).toBe(200);
  });

  it("a forged session cookie is anonymous: paid by the address up front", async () => {
    const handler = handlerWith(new RateLimiter(rules(slow, slow), sharedBucketStore()));
    const cookie = `${sessionCookieName(a.host)}=not-a-jwt`;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await get(handler, a.host, ["project.list"], { cookie, address: "203.0.113.30" })).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe("every call in a batch counts", () => {
  it("a tenant's batch of 10 costs 10 of its tokens; the calls over budget are TOO_MANY_REQUESTS with Retry-After", async () => {
    const handler = handlerWith(new RateLimiter(rules(slow, { perSecond: 0.001, burst: 25 }), sharedBucketStore()));
    const cookie = await cookieFor(b.users.owner);
    const ten = Array<string>(10).fill("project.list");
    expect((await get(handler, b.host, ten, { cookie })).codes).toEqual(Array(10).fill(null));
    expect((await get(handler, b.host, ten, { cookie })).codes).toEqual(Array(10).fill(null));
    const third = await get(handler, b.host, ten, { cookie });
    expect(third.codes.filter((c) => c === null)).toHaveLength(5);
    expect(third.codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(5);
    expect(Number(third.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("an anonymous batch is paid all at once, before anything runs", async () => {
    const handler = handlerWith(new RateLimiter(rules({ perSecond: 0.001, burst: 25 }, slow), sharedBucketStore()));
    const ten = Array<string>(10).fill("project.list");
    expect((await get(handler, a.host, ten, { address: "203.0.113.40" })).codes).toEqual(Array(10).fill("UNAUTHORIZED"));
    expect((await get(handler, a.host, ten, { address: "203.0.113.40" })).codes).toEqual(Array(10).fill("UNAUTHORIZED"));
    // 5 tokens left, 10 calls: the whole request is refused.
    expect(await get(handler, a.host, ten, { address: "203.0.113.40" })).toMatchObject({ status: 429, codes: ["TOO_MANY_REQUESTS"] });
    expect((await get(handler, a.host, ["project.list"], { address: "203.0.113.40" })).status).toBe(401);
  });

  it("a batch over the cap is refused with a clear 400 before anything runs or is charged", async () => {
    const store = new RecordingStore();
    const handler = handlerWith(new RateLimiter(rules(slow, slow), store), 20);
    const owner = await cookieFor(a.users.owner);
    const reply = await get(handler, a.host, Array<string>(21).fill("project.list"), { cookie: owner });
    expect(reply).toMatchObject({ status: 400, codes: ["BAD_REQUEST"], message: "A batch may hold at most 20 calls; this one has 21" });
    expect(store.charges).toEqual([]);
    // Commas encoded in the path are still separate calls to tRPC, so they count as such.
    const url = `http://${a.host}/api/trpc/${Array<string>(21).fill("project.list").join("%2C")}?batch=1&input=%7B%7D`;
    const encoded = await handler(new Request(url, { headers: { host: a.host, cookie: owner } }));
    expect(encoded.status).toBe(400);
  });
});

describe("each call is paid exactly once, by the tenant or by the caller", () => {
  // Generated from the router: a procedure added tomorrow is covered the day it is added.
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
  const paths = Object.keys(procedures).sort();

  it.each(paths)("%s", async (path) => {
    const store = new RecordingStore();
    const handler = handlerWith(new RateLimiter(rules(slow, slow), store));
    const type = procedures[path]!._def.type;
    if (type === "subscription") return;
    const owner = await cookieFor(a.users.owner);
    const headers = { host: a.host, cookie: owner, "x-test-address": "198.51.100.7", "content-type": "application/json" };
    const req =
      type === "mutation"
        ? new Request(`http://${a.host}/api/trpc/${path}`, { method: "POST", headers, body: JSON.stringify({ json: { bogus: true } }) })
        : new Request(`http://${a.host}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: { bogus: true } }))}`, { headers });
    await (await handler(req)).text();
    await settleAfterCommit();
    const total = store.charges.reduce((sum, c) => sum + c.cost, 0);
    expect(total, JSON.stringify(store.charges)).toBe(1);
  });
});

describe("server components and scripts", () => {
  it("are not charged: they call procedures without going through /api/trpc", async () => {
    // callerFor builds the same context a page's serverCaller does; no budget is in scope.
    const items = await callerFor(a.host, a.users.owner).project.list({});
    expect(items.items.length).toBeGreaterThan(0);
  });
});

describe("several app servers", () => {
  const rule = { perSecond: 0.001, burst: 10 };

  it("two limiters with their own connections (two servers) spend from one bucket", async () => {
    const prepare = process.env.DB_PREPARE !== "false";
    const url = process.env.RATE_LIMIT_DATABASE_URL ?? process.env.DATABASE_URL!;
    const serverA = postgres(url, { max: 2, prepare });
    const serverB = postgres(url, { max: 2, prepare });
    try {
      const keyPrefix = `servers-${crypto.randomUUID()}`;
      const a = new RateLimiter(rules(rule, rule), postgresBucketStore(serverA, { keyPrefix, prepare }));
      const b = new RateLimiter(rules(rule, rule), postgresBucketStore(serverB, { keyPrefix, prepare }));
      const tenant = { id: crypto.randomUUID(), plan: "free" };
      expect(await a.chargeTenant(tenant, 6)).toBe(0);
      expect(await b.chargeTenant(tenant, 4)).toBe(0);
      // Each server alone would still hold budget: the refusal can only come from the shared bucket.
      expect(await b.chargeTenant(tenant)).toBeGreaterThanOrEqual(1);
      expect(await a.chargeTenant(tenant)).toBeGreaterThanOrEqual(1);
      // Concurrent callers on both servers: exactly the burst gets through.
      const other = { id: crypto.randomUUID(), plan: "free" };
      const waits = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).chargeTenant(other)));
      expect(waits.filter((w) => w === 0)).toHaveLength(10);
    } finally {
      await serverA.end();
      await serverB.end();
    }
  });

  it("without a tenant rule, the tenant's plan sets its budget", async () => {
    const limiter = new RateLimiter({ client: rule }, sharedBucketStore());
    const free = { id: crypto.randomUUID(), plan: "free" };
    const pro = { id: crypto.randomUUID(), plan: "pro" };
    expect(await limiter.chargeTenant(free, planOf("free").rate.burst)).toBe(0);
    expect(await limiter.chargeTenant(free)).toBeGreaterThanOrEqual(1);
    expect(await limiter.chargeTenant(pro, planOf("pro").rate.burst)).toBe(0);
    expect(planOf("pro").rate.burst).toBeGreaterThan(planOf("free").rate.burst);
  });

  it("with the database unreachable, each server falls back to its own budget: neither open nor closed", async () => {
    const down = postgres("postgres://canopy:nothing@127.0.0.1:1/canopy", { max: 1, connect_timeout: 1 });
    try {
      const limiter = new RateLimiter(rules(rule, rule), postgresBucketStore(down, { keyPrefix: `down-${crypto.randomUUID()}` }));
      const payer = { kind: "address", address: "198.51.100.99", apiKey: false } as const;
      expect(await limiter.chargeCaller(payer, 10)).toBe(0);
      expect(await limiter.chargeCaller(payer, 1)).toBeGreaterThanOrEqual(1);
    } finally {
      await down.end();
    }
  });

  it("the budgets' table is reachable through canopy_rate_limit alone, which reaches no tenant data and cannot create tables", async () => {
    const role = `limiter_${crypto.randomUUID().slice(0, 8)}`;
    const password = crypto.randomUUID();
    await ownerSql().unsafe(`create role ${role} login password '${password}' in role canopy_rate_limit`);
    // Straight to PostgreSQL (the owner's address): a PgBouncer in front knows only its configured users.
    const url = new URL(process.env.MIGRATION_DATABASE_URL!);
    url.username = role;
    url.password = password;
    const limiterOnly = postgres(url.toString(), { max: 1, onnotice: () => undefined });
    try {
      const limiter = new RateLimiter(rules(rule, rule), postgresBucketStore(limiterOnly, { keyPrefix: `role-${crypto.randomUUID()}` }));
      expect(await limiter.chargeTenant({ id: a.id, plan: "free" }, 10)).toBe(0);
      const [row] = await limiterOnly<{ points: number }[]>`select points from rate_limit.buckets where key like ${"role-%"} limit 1`;
      expect(row?.points).toBe(10);
      await expect(limiterOnly`select 1 from public.projects limit 1`).rejects.toThrow(/permission denied/);
      await expect(limiterOnly`select 1 from public.tenants limit 1`).rejects.toThrow(/permission denied/);
      await expect(limiterOnly.unsafe("create table rate_limit.planted (x int)")).rejects.toThrow(/permission denied/);
    } finally {
      await limiterOnly.end();
      await ownerSql().unsafe(`drop role ${role}`);
    }
  });
});

/**
 * The bench's in-process measurements, run by bench/run.ts in a child process with the
 * react-server condition (the app's server modules refuse to load without it):
 * round trips per tenant call, the database floor, the tenant path vs a bare query, and the
 * EXPLAIN check of the list, count and dashboard queries.
 */
import { writeFileSync } from "node:fs";
import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { createDatabase } from "@/db/client";
import { countingSocket } from "@/db/wire-count";
import * as schema from "@/db/schema";
import { projects } from "@/db/schema/projects";
import { withTenant } from "@/db/tenant-transaction";
import { classifyHost } from "@/lib/host";
import { listInvoicesInput } from "@/lib/schemas/invoice";
import type { Context } from "@/server/api/context";
import { getInvoiceStats } from "@/server/modules/invoice/invoice-stats";
import { listInvoices } from "@/server/modules/invoice/list-invoices";
import { getRevenueByMonth } from "@/server/modules/invoice/revenue-by-month";
import { listProjects } from "@/server/modules/project/list-projects";
import { createCaller } from "@/server/api/root";
import { PageTenant } from "@/server/api/page-tenant";
import type { Admitted } from "@/server/api/trpc";
import { memoryBucketStore, postgresBucketStore, type BucketStore } from "@/server/rate-limit";
import { explainInTenant, planNodes, statementsOf, type Statement } from "@/scripts/lib/query-plans";

export type InProcessInput = {
  tenant: { slug: string; tenantId: string; userId: string; sessionId: string };
  iterations: number;
  out: string;
};

export type PlanCheck = { name: string; nodes: string[]; seqScans: string[]; executionMs: number | null };
export type InProcessResult = {
  roundTrips: { variant: string; call: string; statements: number; roundTrips: number; sql: string[] }[];
  dbFloor: { iterations: number; appUs: number; appPreparedUs: number; rawUs: number; ratio: number; preparedRatio: number };
  tenantPathVsBare: { iterations: number; tenantCallUs: number; bareQueryUs: number; ratio: number } | null;
  explain: PlanCheck[];
  rateLimit: { store: string; inFlight: number; decisions: number; perSecond: number }[];
};

const input = JSON.parse(process.env.BENCH_INPUT ?? "null") as InProcessInput;
const ROOT = process.env.ROOT_DOMAIN!;
const APP_URL = process.env.DATABASE_URL!;

function appDatabase(opts: { max: number }) {
  const client = postgres(APP_URL, { max: opts.max, onnotice: () => undefined });
  const db = drizzle(client, { schema });
  return { client, db };
}

function contextFor(db: Context["directory"]): Context {
  const { slug, userId, sessionId } = input.tenant;
  return {
    directory: db,
    host: classifyHost(`${slug}.${ROOT}`, ROOT),
    session: { userId, sessionId, email: `${slug}@bench.test`, name: slug },
    apiKey: null,
  };
}

const createInput = () => ({
  customerName: "Round-trip probe",
  currency: "USD" as const,
  issueDate: "2026-01-01",
  dueDate: "2026-01-31",
  items: [{ description: "Probe", quantity: "1", unitPrice: 1000, taxRateBp: 0 }],
});

/**
 * postgres.js prepares every statement unless told not to, but drizzle tells it not to for every
 * query without a name (`prepare: name !== undefined`), and postgres.js then sends each
 * parameterised statement in two round trips (describe, then execute) and cannot pipeline behind
 * it. This wrapper restores the driver's default, to measure what that would change.
 */
function preparing<T extends postgres.Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (prop === "unsafe") return (query: string, params: unknown[], options?: object) => fn(query, params, { ...options, prepare: true });
      if (prop === "begin" || prop === "savepoint") {
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return fn(...args, (tx: postgres.TransactionSql) => body(preparing(tx)));
        };
      }
      return value;
    },
  });
}

type PageCaller = ReturnType<typeof createCaller>;

/** The dashboard's tenant reads: the layout's workspace and support banner, the page's totals and chart, then its activity. */
const dashboardReads = (c: PageCaller) =>
  Promise.all([
    c.tenant.current(),
    c.support.current(),
    Promise.all([c.tenant.current(), c.invoice.stats(), c.invoice.revenueByMonth()]).then(() => c.audit.list({ limit: 8 })),
  ]);

/** The invoice list's tenant reads: the layout's, the first page of invoices and the project filter's choices. */
const invoiceListReads = (c: PageCaller) =>
  Promise.all([c.tenant.current(), c.support.current(), c.invoice.list({ sort: "createdAt", direction: "desc", limit: 20, offset: 0 }), c.project.list({ limit: 100 })]);

type Variant = "unprepared (DB_PREPARE=false)" | "as built (prepared)";

async function roundTrips(): Promise<InProcessResult["roundTrips"]> {
  const out: InProcessResult["roundTrips"] = [];
  for (const variant of ["unprepared (DB_PREPARE=false)", "as built (prepared)"] as Variant[]) {
    const counter = { roundTrips: 0 };
    let statements: string[] = [];
    // One connection, warmed up first: every statement is then already prepared on it, as on a busy server.
    // The app's own createDatabase (db/client.ts); the unprepared variant is what PgBouncer mode costs.
    const { client, db } = createDatabase(APP_URL, {
      max: 1,
      prepare: variant === "as built (prepared)",
      driver: { debug: (_conn: number, text: string) => void statements.push(text), socket: countingSocket(counter) },
    });
    const caller = createCaller(contextFor(db));
    /** A page's tenant reads (layout and page, as the components issue them), sharing one page transaction or each its own. */
    const page = (reads: (c: typeof caller) => Promise<unknown>, shared: boolean) => async () => {
      const pageTenant = shared ? new PageTenant<Admitted>() : undefined;
      await reads(createCaller({ ...contextFor(db), pageTenant }));
      await pageTenant?.closed();
    };
    const calls: [string, () => Promise<unknown>][] = [
      ["project.list", () => caller.project.list({})],
      ["invoice.list", () => caller.invoice.list({})],
      ["invoice.stats", () => caller.invoice.stats()],
      ["invoice.create", () => caller.invoice.create(createInput())],
      ...[false, true].flatMap((shared): [string, () => Promise<unknown>][] => [
        [`page / (${shared ? "one page tx" : "tx per read"})`, page(dashboardReads, shared)],
        [`page /invoices (${shared ? "one page tx" : "tx per read"})`, page(invoiceListReads, shared)],
      ]),
    ];
    try {
      for (const [, call] of calls) for (let i = 0; i < 3; i++) await call();
      for (const [name, call] of calls) {
        counter.roundTrips = 0;
        statements = [];
        await call();
        out.push({ variant, call: name, statements: statements.length, roundTrips: counter.roundTrips, sql: statements.map((s) => s.replace(/\s+/g, " ").trim().slice(0, 90)) });
      }
    } finally {
      await client.end();
    }
  }
  return out;
}

const perCallUs = (ms: number, n: number) => (ms * 1000) / n;

async function dbFloor(): Promise<InProcessResult["dbFloor"]> {
  const { tenantId, userId } = input.tenant;
  const sent = await statementsOf(APP_URL, { tenantId, userId }, (tx) => listProjects({ tenantId, data: tx }, {}));
  const query = sent.find((c) => c.query.includes('from "projects"'));
  if (!query) throw new Error("project list query not captured");

  const { client, db } = appDatabase({ max: 1 });
  const preparedClient = postgres(APP_URL, { max: 1, onnotice: () => undefined });
  const preparedDb = drizzle(preparing(preparedClient), { schema });
  const n = input.iterations;
  const ms = { app: 0, appPrepared: 0, raw: 0 };
  const appLoop = (database: typeof db, key: "app" | "appPrepared", round: number) =>
    withTenant(database, { tenantId, userId }, async (tx) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await listProjects({ tenantId, data: tx }, {});
      if (round > 0) ms[key] += performance.now() - t0;
    });
  try {
    // Alternating rounds (the first one only warms up), each inside one tenant transaction.
    for (let round = 0; round < 4; round++) {
      await appLoop(db, "app", round);
      await appLoop(preparedDb, "appPrepared", round);
      await client.begin(async (pg) => {
        await pg`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId}, true)`;
        const t0 = performance.now();
        for (let i = 0; i < n; i++) await pg.unsafe(query.query, query.params as postgres.ParameterOrJSON<never>[]);
        if (round > 0) ms.raw += performance.now() - t0;
      });
    }
  } finally {
    await client.end();
    await preparedClient.end();
  }
  const appUs = perCallUs(ms.app, n * 3);
  const appPreparedUs = perCallUs(ms.appPrepared, n * 3);
  const rawUs = perCallUs(ms.raw, n * 3);
  return { iterations: n * 3, appUs, appPreparedUs, rawUs, ratio: rawUs / appUs, preparedRatio: rawUs / appPreparedUs };
}

async function tenantPathVsBare(): Promise<InProcessResult["tenantPathVsBare"]> {
  const floorUrl = process.env.BENCH_FLOOR_DATABASE_URL;
  if (!floorUrl) return null;
  const { tenantId } = input.tenant;
  // The app's database as built (prepared statements, pipelined BEGIN), one connection.
  const app = createDatabase(APP_URL, { max: 1 });
  const floorClient = postgres(floorUrl, { max: 1, onnotice: () => undefined });
  const floor = drizzle(floorClient, { schema });
  const caller = createCaller(contextFor(app.db));
  const bare = () =>
    floor.select().from(projects).where(eq(projects.tenantId, tenantId)).orderBy(desc(projects.createdAt), desc(projects.id)).limit(21);
  const n = input.iterations;
  let callMs = 0;
  let bareMs = 0;
  try {
    for (let round = 0; round < 4; round++) {
      let t0 = performance.now();
      for (let i = 0; i < n; i++) await caller.project.list({});
      if (round > 0) callMs += performance.now() - t0;
      t0 = performance.now();
      for (let i = 0; i < n; i++) await bare();
      if (round > 0) bareMs += performance.now() - t0;
    }
  } finally {
    await app.client.end();
    await floorClient.end();
  }
  const tenantCallUs = perCallUs(callMs, n * 3);
  const bareQueryUs = perCallUs(bareMs, n * 3);
  return { iterations: n * 3, tenantCallUs, bareQueryUs, ratio: bareQueryUs / tenantCallUs };
}

async function explain(): Promise<PlanCheck[]> {
  const scope = { tenantId: input.tenant.tenantId, userId: input.tenant.userId };
  const { tenantId } = scope;
  const named: [string[], (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<unknown>][] = [
    [["invoice.list rows", "invoice.list count"], (tx) => listInvoices({ tenantId, data: tx }, listInvoicesInput.parse({}))],
    [["project.list"], (tx) => listProjects({ tenantId, data: tx }, {})],
    [["dashboard: invoice.stats"], (tx) => getInvoiceStats({ tenantId, data: tx })],
    [["dashboard: revenueByMonth"], (tx) => getRevenueByMonth({ tenantId, data: tx })],
  ];
  const names: string[] = [];
  const statements: Statement[] = [];
  for (const [labels, fn] of named) {
    const sent = await statementsOf(APP_URL, scope, fn);
    sent.forEach((q, i) => names.push(labels[i] ?? `${labels[0]} #${i + 1}`));
    statements.push(...sent);
  }
  const plans = await explainInTenant(APP_URL, scope, statements, { options: "analyze, buffers" });
  return plans.map((plan, i) => {
    const nodes = planNodes(plan.Plan);
    return {
      name: names[i]!,
      nodes: nodes.map((n) => [n["Node Type"], n["Index Name"] && `using ${n["Index Name"]}`, n["Relation Name"] && `on ${n["Relation Name"]}`].filter(Boolean).join(" ")),
      seqScans: nodes.filter((n) => n["Node Type"] === "Seq Scan").map((n) => n["Relation Name"] ?? "?"),
      executionMs: plan["Execution Time"] ?? null,
    };
  });
}

/**
 * API budget decisions per second: the shared PostgreSQL store against the in-process one (the
 * fallback, and what each server counted alone before), one at a time and 16 in flight, over 1,000
 * keys with room left (the common case: the upsert, no refusal).
 */
async function rateLimitDecisions(): Promise<InProcessResult["rateLimit"]> {
  const rule = { perSecond: 1e6, burst: 1e6 };
  const sql = postgres(APP_URL, { max: 4, onnotice: () => undefined });
  const stores: [string, BucketStore][] = [
    ["in process (RateLimiterMemory)", memoryBucketStore(`bench-${Date.now()}`)],
    ["PostgreSQL (rate_limit.buckets)", postgresBucketStore(sql, { keyPrefix: `bench-${Date.now()}` })],
  ];
  const out: InProcessResult["rateLimit"] = [];
  try {
    for (const [name, store] of stores) {
      for (const inFlight of [1, 16]) {
        const decisions = Math.max(2000, input.iterations * 20);
        let next = 0;
        const worker = async () => {
          while (next < decisions) await store.take(`address:bench-${next++ % 1000}`, 1, rule);
        };
        await Promise.all(Array.from({ length: inFlight }, worker));
        next = 0;
        const t0 = performance.now();
        await Promise.all(Array.from({ length: inFlight }, worker));
        out.push({ store: name, inFlight, decisions, perSecond: decisions / ((performance.now() - t0) / 1000) });
      }
    }
  } finally {
    await sql.end();
  }
  return out;
}

const result: InProcessResult = {
  roundTrips: await roundTrips(),
  dbFloor: await dbFloor(),
  tenantPathVsBare: await tenantPathVsBare(),
  explain: await explain(),
  rateLimit: await rateLimitDecisions(),
};
writeFileSync(input.out, JSON.stringify(result, null, 2));
process.exit(0);

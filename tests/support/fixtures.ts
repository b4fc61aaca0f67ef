import { TRPCError, type AnyRouter } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createDatabase, type Database } from "@/db/client";
import { invoiceItems, invoices } from "@/db/schema/invoices";
import { projects } from "@/db/schema/projects";
import { tenantDomains, tenants } from "@/db/schema/tenants";
import { memberships, users, type MemberRole } from "@/db/schema/users";
import { withTenant, withUser } from "@/db/tenant-transaction";
import { classifyHost } from "@/lib/host";
import { createContext, type Context } from "@/server/api/context";
import { postgresBucketStore, type BucketStore } from "@/server/rate-limit";
import { allocateInvoiceNumber } from "@/server/modules/invoice/allocate-number";
import { appRouter, createCaller } from "@/server/api/root";
import { createUserSession } from "@/server/sessions";
import { sha256Hex } from "@/server/tokens";

export const ROOT = process.env.ROOT_DOMAIN ?? "canopy.test-root.localhost";

let shared: ReturnType<typeof createDatabase> | undefined;
export function appDb(): Database {
  shared ??= createDatabase(process.env.DATABASE_URL!, { max: 4 });
  return shared.db;
}
let owner: postgres.Sql | undefined;
/** The migration (owner) role, for what the app role may not do: the tests' stand-in for an operator. */
export function ownerSql(): postgres.Sql {
  owner ??= postgres(process.env.MIGRATION_DATABASE_URL!, { max: 1, onnotice: () => undefined });
  return owner;
}
export async function closeDb(): Promise<void> {
  await shared?.client.end();
  shared = undefined;
  await owner?.end();
  owner = undefined;
  await limiterClient?.end();
  limiterClient = undefined;
}

/**
 * Marks an address as proven, as following the emailed link would (that path has its own tests);
 * the app role cannot set it (no column grant), so the owner role does.
 */
export async function markEmailVerified(userId: string, verified = true): Promise<void> {
  await ownerSql().begin(async (tx) => {
    await tx`select set_config('app.user_id', ${userId}, true)`;
    await tx`update users set email_verified_at = ${verified ? new Date() : null} where id = ${userId}`;
  });
}

const rand = () => Math.random().toString(36).slice(2, 10);

/** Puts a tenant on another plan, as an operator would: the app role has no grant on the column. */
export async function setTenantPlan(tenantId: string, plan: string): Promise<void> {
  await ownerSql().begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
    const changed = await tx`update tenants set plan = ${plan} where id = ${tenantId}`;
    if (changed.count !== 1) throw new Error(`tenant ${tenantId} not found`);
  });
}

let limiterClient: postgres.Sql | undefined;
/**
 * API budgets in the real shared table (rate_limit.buckets) through the app role, under a key
 * prefix of their own: tests and earlier runs never share a bucket. On a pool of its own, as in
 * the app: a tenant call waits for its charge while holding a transaction of the app pool.
 */
export function sharedBucketStore(keyPrefix = `test-${rand()}`): BucketStore {
  limiterClient ??= postgres(process.env.RATE_LIMIT_DATABASE_URL ?? process.env.DATABASE_URL!, { max: 4, onnotice: () => undefined });
  return postgresBucketStore(limiterClient, { keyPrefix, prepare: process.env.DB_PREPARE !== "false" });
}

export type UserFixture = { id: string; email: string; name: string; sessionId: string };
export type TenantFixture = {
  id: string;
  slug: string;
  host: string;
  domain: string;
  users: Record<MemberRole, UserFixture>;
  projectIds: string[];
  invoiceIds: string[];
  invoiceItemIds: string[];
};

/** A user with a live root-family session; their address is proven unless `verified: false`. */
export async function createUser(db: Database, label = "user", opts: { verified?: boolean } = {}): Promise<UserFixture> {
  const id = crypto.randomUUID();
  const email = `${label}-${rand()}@example.test`;
  await withUser(db, id, (tx) => tx.insert(users).values({ id, email, name: label, passwordHash: null }));
  if (opts.verified !== false) await markEmailVerified(id);
  const sessionId = await createUserSession(db, { userId: id });
  return { id, email, name: label, sessionId };
}

/** An isolated tenant with random names: one user per role, projects, invoices with items and a verified domain. */
export async function createTenant(db: Database = appDb(), opts: { projects?: number; invoices?: number } = {}): Promise<TenantFixture> {
  const slug = `t-${rand()}`;
  const id = crypto.randomUUID();
  const roleUsers = {} as Record<MemberRole, UserFixture>;
  for (const role of ["owner", "admin", "member", "viewer"] as const) roleUsers[role] = await createUser(db, role);
  const domain = `${slug}.custom.test`;
  const projectIds: string[] = [];
  const invoiceIds: string[] = [];
  const invoiceItemIds: string[] = [];
  await withTenant(db, { tenantId: id, userId: roleUsers.owner.id }, async (tx) => {
    await tx.insert(tenants).values({ id, slug, name: `Tenant ${slug}` });
    await tx.insert(memberships).values(Object.entries(roleUsers).map(([role, u]) => ({ tenantId: id, userId: u.id, role: role as MemberRole })));
    await tx.insert(tenantDomains).values({ tenantId: id, domain, verifiedAt: new Date() });
    for (let i = 0; i < (opts.projects ?? 3); i++) {
      const [p] = await tx.insert(projects).values({ tenantId: id, name: `Project ${i} of ${slug}` }).returning({ id: projects.id });
      projectIds.push(p!.id);
    }
    for (let i = 0; i < (opts.invoices ?? 2); i++) {
      const number = await allocateInvoiceNumber({ tenantId: id, data: tx });
      const [inv] = await tx
        .insert(invoices)
        .values({ tenantId: id, number, projectId: projectIds[0] ?? null, customerName: `Customer ${i}`, customerEmail: `customer${i}@${slug}.test`, currency: "USD", issueDate: "2026-01-01", dueDate: "2026-02-01", subtotal: 1000n, total: 1000n })
        .returning({ id: invoices.id });
      invoiceIds.push(inv!.id);
      const [item] = await tx
        .insert(invoiceItems)
        .values({ tenantId: id, invoiceId: inv!.id, position: 1, description: "Work", quantityMilli: 1000n, unitPrice: 1000n, amount: 1000n })
        .returning({ id: invoiceItems.id });
      invoiceItemIds.push(item!.id);
    }
  });
  return { id, slug, host: `${slug}.${ROOT}`, domain, users: roleUsers, projectIds, invoiceIds, invoiceItemIds };
}

/** The same user with a session issued on one custom domain (valid there only, as a real sign-in there would be). */
export async function onCustomHost(user: UserFixture, host: string, db: Database = appDb()): Promise<UserFixture> {
  return { ...user, sessionId: await createUserSession(db, { userId: user.id, host }) };
}

/** A new user who joins `t` with `role` (written as the tenant's owner would, through RLS). */
export async function addMember(t: TenantFixture, role: MemberRole, db: Database = appDb()): Promise<UserFixture> {
  const user = await createUser(db, role);
  await withTenant(db, { tenantId: t.id, userId: t.users.owner.id }, (tx) => tx.insert(memberships).values({ tenantId: t.id, userId: user.id, role }));
  return user;
}

/** A tRPC caller exactly as a request to `host` with `user`'s session would build it. */
export function callerFor(host: string, user: UserFixture | null, db: Database = appDb(), extra: Pick<Context, "clientAddress" | "pageTenant"> = {}) {
  const ctx: Context = {
    directory: db,
    host: classifyHost(host, ROOT),
    session: user ? { userId: user.id, sessionId: user.sessionId, email: user.email, name: user.name } : null,
    apiKey: null,
    ...extra,
  };
  return createCaller(ctx);
}

/** A tRPC caller exactly as a request to `host` with `Authorization: Bearer <token>` would build it. */
export function keyCallerFor(host: string, token: string, db: Database = appDb()) {
  const ctx: Context = { directory: db, host: classifyHost(host, ROOT), session: null, apiKey: { keyHash: sha256Hex(token) } };
  return createCaller(ctx);
}

/**
 * Runs raw SQL as the migration/owner role inside `tenantId`'s scope (FORCE RLS filters the owner
 * too): for arranging what the app itself may not write, such as a key that has already expired.
 */
export async function asOwnerInTenant<T>(tenantId: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  const owner = postgres(process.env.MIGRATION_DATABASE_URL!, { max: 1, onnotice: () => undefined });
  try {
    return (await owner.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
      return fn(tx);
    })) as T;
  } finally {
    await owner.end();
  }
}

/** A fingerprint of every row a tenant owns, read inside that tenant's scope. */
export async function tenantFingerprint(db: Database, tenantId: string): Promise<string> {
  return withTenant(db, { tenantId }, async (tx) => {
    const parts: unknown[] = [];
    for (const table of [
      "tenants",
      "tenant_domains",
      "memberships",
      "projects",
      "invoices",
      "invoice_items",
      "invoice_counters",
      "tenant_settings",
      "audit_log",
      "invitations",
      "api_keys",
      "email_outbox",
    ]) {
      const rows = await tx.execute(sql`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h, count(*)::int as n from ${sql.identifier(table)} t`);
      parts.push(table, rows[0]);
    }
    return JSON.stringify(parts);
  });
}

/** A request through the real tRPC HTTP adapter (batching, errorFormatter) as `user` on `t`'s host. */
export function handleHttp(req: Request, t: TenantFixture, router: AnyRouter = appRouter, user: UserFixture = t.users.owner) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router,
    createContext: () => ({
      directory: appDb(),
      host: classifyHost(t.host, ROOT),
      session: { userId: user.id, sessionId: user.sessionId, email: user.email, name: user.name },
      apiKey: null,
    }),
  });
}

/**
 * A request through the real tRPC HTTP adapter with the context built by the app's own
 * `createContext` from the request's headers (Host, Cookie, Authorization); only the pool is the test's.
 */
export function handleRequest(req: Request, router: AnyRouter = appRouter) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router,
    createContext: async () => ({ ...(await createContext({ headers: req.headers })), directory: appDb() }),
  });
}

/** The tRPC error code a call ends with, or "OK": lets a test compare outcomes as plain strings. */
/** The tRPC error a call fails with (anything else is rethrown; success fails the test). */
export async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : `non-tRPC error: ${String(e)}`;
  }
}

import { gzipSync } from "node:zlib";
import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/db/client";
import { authHandoffs, invitations } from "@/db/schema/accounts";
import { emailOutbox } from "@/db/schema/email";
import { platformAuditLog, tenantExports } from "@/db/schema/platform";
import { tenantDomains } from "@/db/schema/tenants";
import { memberships } from "@/db/schema/users";
import { withTenant, withUser } from "@/db/tenant-transaction";
import { settleAfterCommit } from "@/server/after-commit";
import { appRouter } from "@/server/api/root";
import { plans } from "@/lib/plans";
import { MAX_ARCHIVE_BASE64_CHARS } from "@/lib/schemas/admin";
import { decodeArchive, encodeArchive, SCHEMA_VERSION, tenantTables, type TenantArchive } from "@/server/modules/admin/tenant-archive";
import { ADMIN_HOST, createPlatformAdmin, fullTenantFingerprint } from "../support/admin";
import { base64, pngBytes } from "../support/images";
import { appDb, callerFor, closeDb, createTenant, createUser, handleRequest, ROOT, type TenantFixture, type UserFixture, codeOf } from "../support/fixtures";

const rand = () => Math.random().toString(36).slice(2, 8);

let admin: UserFixture;
let t: TenantFixture;
const asAdmin = () => callerFor(ADMIN_HOST, admin);

beforeAll(async () => {
  admin = await createPlatformAdmin();
  t = await createTenant(appDb(), { projects: 3, invoices: 2 });
});
afterAll(async () => {
  await settleAfterCommit();
  await closeDb();
});

type ProcedureDef = { _def: { type: string } };
const adminPaths = Object.keys((appRouter._def as unknown as { procedures: Record<string, ProcedureDef> }).procedures).filter((p) => p.startsWith("admin."));

function invoke(caller: ReturnType<typeof callerFor>, path: string): (input?: unknown) => Promise<unknown> {
  let target: unknown = caller;
  for (const key of path.split(".")) target = (target as Record<string, unknown>)[key];
  return target as (input?: unknown) => Promise<unknown>;
}

/** A plausible input for every admin procedure, so a refusal is the gate's and not the parser's. */
const sampleInput = () => ({ id: t.id, slug: `s-${rand()}`, name: "X", plan: "free", owner: { kind: "invite", email: "x@example.test" }, archive: "x" });

describe("every admin procedure (walked from the router)", () => {
  it("finds the admin procedures", () => {
    expect(adminPaths).toEqual(expect.arrayContaining(["admin.tenants.list", "admin.tenants.create", "admin.tenants.suspend", "admin.tenants.reactivate", "admin.tenants.delete", "admin.stats"]));
  });

  for (const path of adminPaths) {
    it(`${path}: FORBIDDEN for a tenant owner, UNAUTHORIZED without a session, no side effects`, async () => {
      const before = await fullTenantFingerprint(appDb(), t.id);
      const auditBefore = await withUser(appDb(), admin.id, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(platformAuditLog));
      expect(await codeOf(invoke(callerFor(ADMIN_HOST, t.users.owner), path)(sampleInput()))).toBe("FORBIDDEN");
      expect(await codeOf(invoke(callerFor(t.host, t.users.owner), path)(sampleInput()))).toBe("FORBIDDEN");
      expect(await codeOf(invoke(callerFor(ADMIN_HOST, null), path)(sampleInput()))).toBe("UNAUTHORIZED");
      expect(await fullTenantFingerprint(appDb(), t.id)).toEqual(before);
      const auditAfter = await withUser(appDb(), admin.id, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(platformAuditLog));
      expect(auditAfter).toEqual(auditBefore);
    });
  }

  it("the definer functions refuse a caller who is not a platform admin, even when called directly", async () => {
    const app = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => undefined });
    try {
      const calls = [
        () => app`select * from app_admin_list_tenants('', 'all', 'name', false, 10, 0)`,
        () => app`select * from app_admin_stats()`,
        () =>
          app.begin(async (tx) => {
            await tx`select set_config('app.user_id', ${t.users.owner.id}, true)`;
            return tx`select * from app_admin_set_tenant_status(${t.id}, 'suspended')`;
          }),
        // A tenant owner cannot move their own tenant to a bigger plan by calling the function.
        () =>
          app.begin(async (tx) => {
            await tx`select set_config('app.user_id', ${t.users.owner.id}, true)`;
            await tx`select set_config('app.tenant_id', ${t.id}, true)`;
            return tx`select * from app_admin_set_tenant_plan(${t.id}, 'enterprise')`;
          }),
        // Nor by writing the column: the app role has no grant on it.
        () =>
          app.begin(async (tx) => {
            await tx`select set_config('app.tenant_id', ${t.id}, true)`;
            return tx`update tenants set plan = 'enterprise' where id = ${t.id}`;
          }),
      ];
      for (const call of calls) await expect(call()).rejects.toMatchObject({ code: "42501" });
    } finally {
      await app.end();
    }
  });
});

describe("tenants table", () => {
  it("lists usage counts from aggregates, with search, sort and pagination", async () => {
    const page = await asAdmin().admin.tenants.list({ search: t.slug });
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ id: t.id, slug: t.slug, status: "active", plan: "free", members: 4, projects: 3, invoices: 2 });

    const small = await createTenant(appDb(), { projects: 1, invoices: 0 });
    const both = await asAdmin().admin.tenants.list({ search: "t-", sort: "projects", dir: "desc", pageSize: 100 });
    const ids = both.items.map((r) => r.id);
    expect(ids.indexOf(t.id)).toBeLessThan(ids.indexOf(small.id));
    const asc = await asAdmin().admin.tenants.list({ search: "t-", sort: "projects", dir: "asc", pageSize: 100 });
    expect(asc.items.map((r) => r.projects)).toEqual([...asc.items.map((r) => r.projects)].sort((x, y) => (x ?? Infinity) - (y ?? Infinity)));

    const p1 = await asAdmin().admin.tenants.list({ sort: "name", dir: "asc", pageSize: 1, page: 1 });
    const p2 = await asAdmin().admin.tenants.list({ sort: "name", dir: "asc", pageSize: 1, page: 2 });
    expect(p1.total).toBeGreaterThanOrEqual(2);
    expect(p1.items[0]!.id).not.toBe(p2.items[0]!.id);
    // LIKE wildcards in the search are literal.
    expect((await asAdmin().admin.tenants.list({ search: "%" })).total).toBe(0);
  });

  it("platform stats count every tenant", async () => {
    const stats = await asAdmin().admin.stats();
    expect(stats.tenants).toBeGreaterThanOrEqual(2);
    expect(stats.projects).toBeGreaterThanOrEqual(3);
  });
});

describe("onboarding", () => {
  it("creates the tenant with its plan and an existing user as owner, in one transaction", async () => {
    const owner = await createUser(appDb(), "new-owner");
    const slug = `onb-${rand()}`;
    const created = await asAdmin().admin.tenants.create({ name: "Onboarded", slug, plan: "pro", owner: { kind: "existing", email: owner.email } });
    expect(created.owner).toMatchObject({ kind: "member", userId: owner.id });
    const current = await callerFor(`${slug}.${process.env.ROOT_DOMAIN ?? "canopy.test-root.localhost"}`, owner).tenant.current();
    expect(current).toMatchObject({ id: created.id, name: "Onboarded" });
    const [row] = await asAdmin().admin.tenants.list({ search: slug }).then((p) => p.items);
    expect(row).toMatchObject({ plan: "pro", members: 1 });
    const audit = await withUser(appDb(), admin.id, (tx) => tx.select().from(platformAuditLog).where(and(eq(platformAuditLog.tenantId, created.id), eq(platformAuditLog.action, "tenant.create"))));
    expect(audit).toHaveLength(1);
  });

  it("invites the owner when they have no account: token stored hashed, email queued", async () => {
    const slug = `inv-${rand()}`;
    const email = `owner-${rand()}@example.test`;
    const created = await asAdmin().admin.tenants.create({ name: "Invited", slug, plan: "free", owner: { kind: "invite", email } });
    const [invitation] = await withTenant(appDb(), { tenantId: created.id }, (tx) => tx.select().from(invitations));
    expect(invitation).toMatchObject({ email, role: "owner" });
    expect(invitation!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const outbox = await withTenant(appDb(), { tenantId: created.id }, (tx) => tx.select().from(emailOutbox));
    expect(outbox.map((m) => m.toAddress)).toEqual([email]);
  });

  it("refuses reserved, malformed and taken slugs, and an unknown owner leaves nothing behind", async () => {
    const base = { name: "X", plan: "free" as const, owner: { kind: "invite" as const, email: "a@example.test" } };
    expect(await codeOf(asAdmin().admin.tenants.create({ ...base, slug: "admin" }))).toBe("BAD_REQUEST");
    expect(await codeOf(asAdmin().admin.tenants.create({ ...base, slug: "xn--abc" }))).toBe("BAD_REQUEST");
    expect(await codeOf(asAdmin().admin.tenants.create({ ...base, slug: "-abc" }))).toBe("BAD_REQUEST");
    expect(await codeOf(asAdmin().admin.tenants.create({ ...base, slug: t.slug }))).toBe("CONFLICT");
    expect(await asAdmin().admin.tenants.slugAvailable({ slug: t.slug })).toEqual({ available: false, reason: "That address is taken" });
    expect(await asAdmin().admin.tenants.slugAvailable({ slug: "www" })).toEqual({ available: false, reason: "That address is reserved" });
    const slug = `nobody-${rand()}`;
    expect(await codeOf(asAdmin().admin.tenants.create({ ...base, slug, owner: { kind: "existing", email: `ghost-${rand()}@example.test` } }))).toBe("BAD_REQUEST");
    expect(await asAdmin().admin.tenants.slugAvailable({ slug })).toEqual({ available: true, reason: null });
  });
});

describe("lifecycle", () => {
  it("suspend refuses the tenant's API at once, reactivate lets it back in", async () => {
    const x = await createTenant(appDb(), { projects: 1, invoices: 0 });
    const member = () => callerFor(x.host, x.users.member);
    await member().tenant.current();
    await asAdmin().admin.tenants.suspend({ id: x.id });
    expect(await codeOf(member().tenant.current())).toBe("FORBIDDEN");
    expect(await codeOf(asAdmin().admin.tenants.suspend({ id: x.id }))).toBe("BAD_REQUEST");
    await asAdmin().admin.tenants.reactivate({ id: x.id });
    expect(await codeOf(member().tenant.current())).toBe("OK");
  });

  it("a plan change applies the new quotas at once, is audited, and refuses the current plan and a deleted tenant", async () => {
    const x = await createTenant(appDb(), { projects: plans.free.maxProjects!, invoices: 0 });
    const owner = () => callerFor(x.host, x.users.owner);
    expect(await codeOf(owner().project.create({ name: "Over free" }))).toBe("PAYMENT_REQUIRED");
    expect(await asAdmin().admin.tenants.changePlan({ id: x.id, plan: "pro" })).toEqual({ id: x.id, plan: "pro" });
    expect((await asAdmin().admin.tenants.byId({ id: x.id })).plan).toBe("pro");
    expect(await codeOf(owner().project.create({ name: "Within pro" }))).toBe("OK");
    expect(await codeOf(asAdmin().admin.tenants.changePlan({ id: x.id, plan: "pro" }))).toBe("BAD_REQUEST");
    expect(await codeOf(asAdmin().admin.tenants.changePlan({ id: x.id, plan: "platinum" as "pro" }))).toBe("BAD_REQUEST");
    const [entry] = await withUser(appDb(), admin.id, (tx) =>
      tx.select().from(platformAuditLog).where(and(eq(platformAuditLog.tenantId, x.id), eq(platformAuditLog.action, "tenant.plan"))),
    );
    expect(entry?.details).toMatchObject({ before: "free", after: "pro" });
    // Back to free while over its quotas: allowed, nothing removed, new projects refused.
    await asAdmin().admin.tenants.changePlan({ id: x.id, plan: "free" });
    expect((await owner().project.list({ limit: 100 })).items).toHaveLength(plans.free.maxProjects! + 1);
    expect(await codeOf(owner().project.create({ name: "Over free again" }))).toBe("PAYMENT_REQUIRED");
    await asAdmin().admin.tenants.delete({ id: x.id });
    expect(await codeOf(asAdmin().admin.tenants.changePlan({ id: x.id, plan: "pro" }))).toBe("BAD_REQUEST");
  });

  it("delete hides the tenant, restore brings it back, purge waits for the window", async () => {
    const x = await createTenant(appDb(), { projects: 1, invoices: 0 });
    const deleted = await asAdmin().admin.tenants.delete({ id: x.id });
    expect(deleted.purgeAfter.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(await codeOf(callerFor(x.host, x.users.owner).tenant.current())).toBe("NOT_FOUND");
    expect(await codeOf(asAdmin().admin.tenants.purge({ id: x.id }))).toBe("BAD_REQUEST");
    await asAdmin().admin.tenants.restore({ id: x.id });
    expect(await codeOf(callerFor(x.host, x.users.owner).tenant.current())).toBe("OK");
    expect(await codeOf(asAdmin().admin.tenants.purge({ id: x.id }))).toBe("BAD_REQUEST");

    const actions = await withUser(appDb(), admin.id, (tx) => tx.select({ action: platformAuditLog.action }).from(platformAuditLog).where(eq(platformAuditLog.tenantId, x.id)));
    expect(actions.map((a) => a.action).sort()).toEqual(["tenant.delete", "tenant.restore"]);
  });
});

describe("admin paths never read tenant rows without a tenant setting", () => {
  it("after admin calls on a one-connection pool, the connection has no setting and tenant tables give zero rows", async () => {
    const solo = createDatabase(process.env.DATABASE_URL!, { max: 1 });
    try {
      const caller = callerFor(ADMIN_HOST, admin, solo.db);
      await caller.admin.tenants.list({});
      await caller.admin.stats();
      await caller.admin.tenants.create({ name: "Solo", slug: `solo-${rand()}`, plan: "free", owner: { kind: "invite", email: "solo@example.test" } });
      const x = await createTenant(appDb(), { projects: 1, invoices: 1 });
      await caller.admin.tenants.suspend({ id: x.id });
      await caller.admin.tenants.reactivate({ id: x.id });
      await caller.admin.tenants.export({ id: x.id });
      await caller.admin.tenants.delete({ id: x.id });
      await caller.admin.tenants.restore({ id: x.id });
      const [setting] = await solo.db.execute<{ tenant: string | null; user: string | null }>(
        sql`select current_setting('app.tenant_id', true) as tenant, current_setting('app.user_id', true) as user`,
      );
      expect(setting?.tenant ?? "").toBe("");
      expect(setting?.user ?? "").toBe("");
      for (const table of ["tenants", ...(await tenantTables(solo.db)), "platform_audit_log", "tenant_exports"]) {
        const [row] = await solo.db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`);
        expect(row?.n, table).toBe(0);
      }
    } finally {
      await solo.client.end();
    }
  });
});

describe("export and import", () => {
  it("export → delete → purge → import gives identical rows", async () => {
    const x = await createTenant(appDb(), { projects: 3, invoices: 3 });
    // Rows in more tables than the fixture fills: audit entries, an unverified domain.
    await callerFor(x.host, x.users.owner).project.create({ name: "Audited" });
    await withTenant(appDb(), { tenantId: x.id }, (tx) => tx.insert(tenantDomains).values({ tenantId: x.id, domain: `pending-${rand()}.example.test` }));
    // Company details with a logo: bytea must survive the archive's JSON unchanged.
    await callerFor(x.host, x.users.owner).tenant.settings.update({ legalName: "X Ltd", postalAddress: "1 Road\nTown", taxId: "X1", invoicePrefix: "X-", defaultCurrency: "EUR", paymentTermsDays: 10 });
    await callerFor(x.host, x.users.owner).tenant.settings.setLogo({ image: base64(await pngBytes()) });
    const before = await fullTenantFingerprint(appDb(), x.id);
    expect(before.tenant_settings!.n).toBe(1);
    expect(before.audit_log!.n).toBeGreaterThan(0);

    const requested = await asAdmin().admin.tenants.export({ id: x.id });
    expect(requested.status).toBe("queued");
    const done = await asAdmin().admin.exports.run({ id: requested.id });
    expect(done).toMatchObject({ status: "done", progress: 100 });
    const { archive } = await asAdmin().admin.exports.archive({ id: requested.id });
    const decoded = decodeArchive(archive);
    expect(decoded.schemaVersion).toBe(SCHEMA_VERSION);
    expect(decoded.tenant.id).toBe(x.id);
    expect(decoded.users.map((u) => u.id).sort()).toEqual(Object.values(x.users).map((u) => u.id).sort());
    expect(JSON.stringify(decoded.users)).not.toContain("password");

    // A live tenant is never overwritten.
    expect(await codeOf(asAdmin().admin.tenants.import({ archive }))).toBe("CONFLICT");

    await asAdmin().admin.tenants.delete({ id: x.id, purgeAfterDays: 0 });
    await asAdmin().admin.tenants.purge({ id: x.id });
    const gone = await fullTenantFingerprint(appDb(), x.id);
    for (const [table, v] of Object.entries(gone)) expect(v.n, table).toBe(0);

    await asAdmin().admin.tenants.import({ archive });
    expect(await fullTenantFingerprint(appDb(), x.id)).toEqual(before);
    expect(await codeOf(callerFor(x.host, x.users.owner).project.list({ limit: 10 }))).toBe("OK");
    const [m] = await withTenant(appDb(), { tenantId: x.id }, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(memberships));
    expect(m?.n).toBe(4);
  });

  it("progress is visible on the export row, and a finished export is not run twice", async () => {
    const x = await createTenant(appDb(), { projects: 1, invoices: 1 });
    const requested = await asAdmin().admin.tenants.export({ id: x.id });
    const seen: number[] = [];
    const { runTenantExport } = await import("@/server/modules/admin/tenant-archive");
    await runTenantExport(appDb(), { exportId: requested.id, requestedBy: admin.id }, (p) => void seen.push(p));
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.at(-1)).toBe(100);
    expect(await runTenantExport(appDb(), { exportId: requested.id, requestedBy: admin.id })).toEqual({ status: "skipped" });
    const rows = await withUser(appDb(), admin.id, (tx) => tx.select({ status: tenantExports.status }).from(tenantExports).where(eq(tenantExports.id, requested.id)));
    expect(rows).toEqual([{ status: "done" }]);
    expect((await asAdmin().admin.exports.list({ tenantId: x.id })).map((e) => e.id)).toEqual([requested.id]);
  });
});

describe("importing an archive that was not made here", () => {
  const MiB = 1024 * 1024;
  /** The code and message a call ends with, or "OK". */
  async function outcome(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
      return "OK";
    } catch (e) {
      return e instanceof TRPCError ? `${e.code}: ${e.message}` : `non-tRPC error: ${String(e)}`;
    }
  }
  async function exportOf(x: TenantFixture): Promise<string> {
    const requested = await asAdmin().admin.tenants.export({ id: x.id });
    expect(await asAdmin().admin.exports.run({ id: requested.id })).toMatchObject({ status: "done" });
    return (await asAdmin().admin.exports.archive({ id: requested.id })).archive;
  }
  async function deleteAndPurge(x: TenantFixture) {
    await asAdmin().admin.tenants.delete({ id: x.id, purgeAfterDays: 0 });
    await asAdmin().admin.tenants.purge({ id: x.id });
  }
  /** A table's rows as they are in the database, hashes and all (what a forged or foreign archive could carry). */
  const rawRows = (tenantId: string, table: string) =>
    withTenant(appDb(), { tenantId }, async (tx) => {
      const [row] = await tx.execute<{ rows: Record<string, unknown>[] }>(sql`select coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb) as rows from ${sql.identifier(table)} t`);
      return row!.rows;
    });
  const bearer = async (host: string, key: string) => {
    const url = `http://${host}/api/trpc/project.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 1 } }))}`;
    return (await handleRequest(new Request(url, { headers: { host, authorization: `Bearer ${key}` } }))).status;
  };

  it("refuses a gzip bomb without unpacking all of it", async () => {
    // Concatenated gzip members unpack to their concatenation: ~1 MiB of input, 1 GiB of zeros out.
    const member = gzipSync(Buffer.alloc(64 * MiB));
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => member)).toString("base64");
    expect(bomb.length).toBeLessThan(4 * MiB);
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    expect(await outcome(asAdmin().admin.tenants.import({ archive: bomb }))).toBe("BAD_REQUEST: The archive unpacks to more than 128 MiB, the most an import accepts");
    // The process's high-water mark: unpacking the whole gigabyte would have raised it by at least that.
    expect(process.resourceUsage().maxRSS * 1024 - peakBefore).toBeLessThan(512 * MiB);
    expect(await codeOf(asAdmin().admin.tenants.import({ archive: "A".repeat(MAX_ARCHIVE_BASE64_CHARS + 4) }))).toBe("BAD_REQUEST");
  });

  it("refuses a membership of a user the archive does not list", async () => {
    const x = await createTenant(appDb(), { projects: 1, invoices: 0 });
    const archive = decodeArchive(await exportOf(x));
    // An account of this database (say, the importing admin's) slipped in as the owner.
    const outsider = await createUser(appDb(), "outsider");
    archive.tables.memberships!.push({ ...archive.tables.memberships![0], user_id: outsider.id, role: "owner" });
    await deleteAndPurge(x);
    expect(await outcome(asAdmin().admin.tenants.import({ archive: encodeArchive(archive) }))).toBe("BAD_REQUEST: The archive's memberships name a user it does not list");
    expect(await codeOf(callerFor(x.host, x.users.owner).tenant.current())).toBe("NOT_FOUND");
    expect(await callerFor(ROOT, outsider).me.workspaces()).toEqual([]);
  });

  it("keeps credentials out of exports, and imports keys revoked and no invitations or hand-offs whatever the archive carries", async () => {
    const x = await createTenant(appDb(), { projects: 1, invoices: 0 });
    const owner = callerFor(x.host, x.users.owner);
    const key = await owner.apiKey.create({ name: "CI", scopes: ["projects:read", "projects:write"], expiresInDays: null });
    await owner.member.invite({ email: `invitee-${rand()}@example.test`, role: "admin" });
    await withTenant(appDb(), { tenantId: x.id }, (tx) =>
      tx.insert(authHandoffs).values({
        tenantId: x.id,
        tokenHash: "f".repeat(64),
        userId: x.users.owner.id,
        parentSessionId: x.users.owner.sessionId,
        targetHost: x.domain,
        expiresAt: new Date(Date.now() + 3_600_000),
      }),
    );
    expect(await bearer(x.host, key.token)).toBe(200);

    const exported = decodeArchive(await exportOf(x));
    expect(exported.tables.invitations).toBeUndefined();
    expect(exported.tables.auth_handoffs).toBeUndefined();
    expect(exported.tables.api_keys).toHaveLength(1);
    expect(exported.tables.api_keys![0]).not.toHaveProperty("key_hash");

    // The import must not trust the archive: give it the live rows, hashes included.
    const live = { api_keys: await rawRows(x.id, "api_keys"), invitations: await rawRows(x.id, "invitations"), auth_handoffs: await rawRows(x.id, "auth_handoffs") };
    expect(live.invitations).toHaveLength(1);
    const forged: TenantArchive = { ...exported, tables: { ...exported.tables, ...live } };
    await deleteAndPurge(x);
    await asAdmin().admin.tenants.import({ archive: encodeArchive(forged) });

    const keys = await rawRows(x.id, "api_keys");
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ id: key.id, name: "CI" });
    expect(keys[0]!.revoked_at).not.toBeNull();
    expect(keys[0]!.key_hash).not.toBe(live.api_keys[0]!.key_hash);
    expect(await rawRows(x.id, "invitations")).toEqual([]);
    expect(await rawRows(x.id, "auth_handoffs")).toEqual([]);
    expect(await bearer(x.host, key.token)).toBe(401);
    // The tenant itself is back and its members get in.
    expect(await codeOf(owner.project.list({ limit: 1 }))).toBe("OK");
    const [entry] = await withUser(appDb(), admin.id, (tx) =>
      tx.select({ details: platformAuditLog.details }).from(platformAuditLog).where(and(eq(platformAuditLog.tenantId, x.id), eq(platformAuditLog.action, "tenant.import"))),
    );
    expect(entry?.details).toMatchObject({ dropped: { invitations: 1, auth_handoffs: 1 } });
  });
});

import { rmSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIRECTORY_TABLES, MOVED_TABLES, PLATFORM_TABLES } from "@/db/placement-tables";
import { emailOutbox } from "@/db/schema/email";
import { TenantMover, type MoveDatabases } from "@/db/tenant-move";
import { isPlacementMoved, withTenant } from "@/db/tenant-transaction";
import { bootstrapDatabase } from "@/scripts/lib/bootstrap";
import { freePort, startEmbeddedPostgres, type LocalPostgres } from "@/scripts/lib/embedded-postgres";
import { runMigrations } from "@/scripts/lib/migrate";
import { invoicePdfFile } from "@/server/mail/attachments";
import { enterTenant } from "@/server/tenancy/enter-tenant";
import { placementPools } from "@/server/tenancy/pools";
import { clearDirectoryCache } from "@/server/tenancy/directory";
import { invoiceEmailJob } from "@/server/worker/handlers/invoice-email";
import { tenantMoveJob } from "@/server/worker/handlers/tenant-move";
import { decodeArchive } from "@/server/modules/admin/tenant-archive";
import { queues } from "@/server/jobs/queues";
import { ADMIN_HOST, createPlatformAdmin } from "../support/admin";
import { extractPdf } from "../support/pdf-text";
import { appDb, callerFor, closeDb, codeOf, createTenant, handleHttp, setTenantPlan, tenantFingerprint, type TenantFixture } from "../support/fixtures";

/**
 * Silo by exception, end to end: a second PostgreSQL server of this file's own holds the
 * dedicated database "dedicated"; acme moves there from the shared one under light write load.
 */
const pgDir = path.resolve(`.data/test-pg-move-${process.pid}`);
let pg: LocalPostgres;
let dedicated: { DATABASE_URL: string; MIGRATION_DATABASE_URL: string };
let databases: MoveDatabases;
let sharedOwner: postgres.Sql;
let dedicatedOwner: postgres.Sql;
let acme: TenantFixture;
let globex: TenantFixture;

/** Rows of `tenantId` per moved table in one database, read as the owner inside the tenant's scope. */
async function counts(owner: postgres.Sql, tenantId: string): Promise<Record<string, number>> {
  return owner.begin<Record<string, number>>(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
    const out: Record<string, number> = {};
    for (const t of MOVED_TABLES) {
      const [row] = await tx.unsafe<{ n: string }[]>(`select count(*) as n from "${t.name}" where tenant_id = $1`, [tenantId]);
      out[t.name] = Number(row!.n);
    }
    return out;
  });
}

const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ dir: pgDir, port: await freePort(), quiet: true });
  dedicated = await bootstrapDatabase(pg, "canopy_dedicated");
  await runMigrations({ migrationUrl: dedicated.MIGRATION_DATABASE_URL, appUrl: dedicated.DATABASE_URL });
  // Read by env() on first use; nothing in this file has asked for it yet.
  process.env.TENANT_DATABASES = JSON.stringify({ dedicated: { url: dedicated.DATABASE_URL, migrationUrl: dedicated.MIGRATION_DATABASE_URL } });
  databases = { shared: process.env.MIGRATION_DATABASE_URL!, dedicated: { dedicated: dedicated.MIGRATION_DATABASE_URL } };
  sharedOwner = postgres(process.env.MIGRATION_DATABASE_URL!, { max: 2, onnotice: () => undefined });
  dedicatedOwner = postgres(dedicated.MIGRATION_DATABASE_URL, { max: 2, onnotice: () => undefined });
  acme = await createTenant(appDb(), { projects: 5, invoices: 20 });
  // The move runs under a write load with no end in projects: no quota may cut it short.
  await setTenantPlan(acme.id, "enterprise");
  globex = await createTenant(appDb(), { projects: 5, invoices: 20 });
});

afterAll(async () => {
  await placementPools().closeAll();
  await sharedOwner?.end();
  await dedicatedOwner?.end();
  await closeDb();
  await pg?.stop();
  rmSync(pgDir, { recursive: true, force: true });
});

describe("placement tables", () => {
  it("every table with a tenant_id is either moved with the tenant, part of the directory, or a platform table", async () => {
    const rows = await sharedOwner<{ table: string }[]>`
      select c.relname as table from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname in ('tenant_id')
      where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' order by 1`;
    const classified = new Set<string>([...MOVED_TABLES.map((t) => t.name), ...DIRECTORY_TABLES, ...PLATFORM_TABLES]);
    expect(rows.map((r) => r.table).filter((t) => !classified.has(t))).toEqual([]);
  });
});

describe("a placement this server does not know", () => {
  it("is a typed SERVICE_UNAVAILABLE with a plain message, never an internal error", async () => {
    const t = await createTenant(appDb(), { projects: 1, invoices: 0 });
    const place = (placement: string) =>
      sharedOwner.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${t.id}, true)`;
        await tx`update tenants set placement = ${placement} where id = ${t.id}`;
      });
    await place("nowhere");
    clearDirectoryCache();
    const error = await callerFor(t.host, t.users.owner).project.list({}).catch((e: unknown) => e as { code?: string; message?: string });
    expect(error).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: "This workspace's database is not reachable from this server" });
    await place("shared");
    clearDirectoryCache();
    expect((await callerFor(t.host, t.users.owner).project.list({})).items).toHaveLength(1);
  });
});

describe("moving acme to a dedicated database under light write load", () => {
  it("copies, pauses, verifies and flips without losing a write; acme then lives only in the dedicated database", async () => {
    const globexBefore = await tenantFingerprint(appDb(), globex.id);
    const owner = callerFor(acme.host, acme.users.owner);
    const written: string[] = [];
    const failures: string[] = [];
    let stop = false;
    // Light write load for the whole move: one project at a time, as fast as they are accepted.
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          written.push((await owner.project.create({ name: `Load ${i}` })).id);
        } catch (error) {
          failures.push(`${(error as { code?: string }).code ?? ""} ${String(error)}`);
        }
      }
    })();
    let pausedWrite: Promise<string> | null = null;
    let pausedWriteDone = false;
    const mover = new TenantMover(databases);
    try {
      const result = await mover.move(acme.slug, "dedicated", {
        hooks: {
          // Changes after the first copy: the delta must carry them (an update, a delete, new rows).
          afterInitialCopy: async () => {
            await owner.project.update({ id: acme.projectIds[1]!, name: "Renamed after the first copy" });
            await owner.invoice.delete({ id: acme.invoiceIds.at(-1)! });
            await new Promise((r) => setTimeout(r, 200));
          },
          // Writes are paused here: a write now waits at the fence and lands in the new home.
          beforeFlip: async () => {
            pausedWrite = owner.project.create({ name: "Written during the pause" }).then((p) => {
              pausedWriteDone = true;
              return p.id;
            });
            await new Promise((r) => setTimeout(r, 300));
            expect(pausedWriteDone).toBe(false);
          },
        },
      });
      await new Promise((r) => setTimeout(r, 200));
      stop = true;
      await load;
      expect(result.phase).toBe("done");
      expect(result.copied.delta).toBeGreaterThan(0);
      for (const t of result.tables) expect(t.source, t.table).toEqual(t.target);
      written.push(await pausedWrite!);
    } finally {
      stop = true;
      await load;
      await mover.close();
    }
    // Every write that was acknowledged is there; none failed (the paused ones waited and retried).
    expect(failures).toEqual([]);
    expect(written.length).toBeGreaterThan(5);

    // Nothing of acme's business rows remains in the shared database; the dedicated one has them all.
    expect(total(await counts(sharedOwner, acme.id))).toBe(0);
    const there = await counts(dedicatedOwner, acme.id);
    expect(there.projects).toBe(5 + written.length);
    expect(there.invoices).toBe(19);
    // globex is untouched, and none of it reached the dedicated database.
    expect(await tenantFingerprint(appDb(), globex.id)).toBe(globexBefore);
    expect(total(await counts(dedicatedOwner, globex.id))).toBe(0);
    const [directory] = await sharedOwner<{ placement: string }[]>`select placement from tenants where id = ${acme.id}`;
    expect(directory!.placement).toBe("dedicated");
    const [move] = await sharedOwner<{ phase: string; pause_ms: number }[]>`select phase, pause_ms from tenant_moves where tenant_id = ${acme.id}`;
    expect(move!.phase).toBe("done");
  });

  it("serves acme's API from the dedicated database afterwards (a row only there is listed)", async () => {
    const marker = crypto.randomUUID();
    await dedicatedOwner.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${acme.id}, true)`;
      await tx`insert into projects (tenant_id, id, name) values (${acme.id}, ${marker}, 'Only in the dedicated database')`;
    });
    const list = await callerFor(acme.host, acme.users.member).project.list({ search: "Only in the dedicated" });
    expect(list.items.map((p) => p.id)).toContain(marker);
    // Through the HTTP adapter too (what pages and API clients use).
    const res = await handleHttp(new Request(`http://${acme.host}/api/trpc/project.byId?input=${encodeURIComponent(JSON.stringify({ json: { id: marker } }))}`), acme);
    expect(res.status).toBe(200);
    // Directory data stays shared: members, and the audit log's actor names.
    expect((await callerFor(acme.host, acme.users.owner).member.list()).length).toBe(4);
    const audit = await callerFor(acme.host, acme.users.owner).audit.list({ limit: 5 });
    expect(audit.items[0]!.actorEmail).toBe(acme.users.owner.email);
    // globex still reads from the shared database, and cannot see acme's ids.
    expect(await codeOf(callerFor(globex.host, globex.users.owner).project.byId({ id: marker }))).toBe("NOT_FOUND");
  });

  it("runs acme's jobs against the dedicated database (queue in the shared one)", async () => {
    const caller = callerFor(acme.host, acme.users.owner);
    const invoice = await caller.invoice.create({
      customerName: "Moved Ltd",
      customerEmail: "ap@moved.test",
      currency: "EUR",
      issueDate: "2026-11-01",
      dueDate: "2026-12-01",
      items: [{ description: "Work", quantity: "1", unitPrice: 5_000, taxRateBp: 0 }],
    });
    await caller.invoice.send({ id: invoice.id });
    const jobs = await appDb().execute<{ data: { tenantId: string; invoiceId: string } }>(
      sql`select data from pgboss.job where name = ${queues.invoiceEmail} and data->>'invoiceId' = ${invoice.id}`,
    );
    expect(jobs).toHaveLength(1);
    await invoiceEmailJob(appDb(), jobs[0]!.data);
    const mail = await placementPools().use("dedicated", (db) =>
      withTenant(db, { tenantId: acme.id, placement: "dedicated" }, (tx) =>
        tx.select({ id: emailOutbox.id }).from(emailOutbox).where(and(eq(emailOutbox.tenantId, acme.id), eq(emailOutbox.kind, "invoice"))),
      ),
    );
    expect(mail).toHaveLength(1);
    expect(total(await counts(sharedOwner, acme.id))).toBe(0);
    // The email's PDF (rendered at delivery) reads the invoice from the dedicated database and the
    // workspace's name (the seller, while no legal name is set) from the shared directory: a
    // rename made there after the move is what it prints.
    const renamed = `Renamed ${acme.slug}`;
    await sharedOwner.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${acme.id}, true)`;
      await tx`update tenants set name = ${renamed} where id = ${acme.id}`;
    });
    clearDirectoryCache();
    const pdf = await enterTenant(appDb(), { tenant: acme.id }, (scope) => invoicePdfFile(scope, invoice.id));
    const { text } = await extractPdf(pdf.content);
    expect(text).toContain(renamed);
  });

  it("the admin tenants list shows acme's placement and counts its projects and invoices in the dedicated database", async () => {
    const admin = callerFor(ADMIN_HOST, await createPlatformAdmin());
    const inDedicated = await counts(dedicatedOwner, acme.id);
    expect(inDedicated.projects).toBeGreaterThan(0);
    const [row] = (await admin.admin.tenants.list({ search: acme.slug })).items;
    expect(row).toMatchObject({ id: acme.id, placement: "dedicated", projects: inDedicated.projects, invoices: inDedicated.invoices });
    // Sorted by a count, acme (counted elsewhere) comes after the shared tenants, either way.
    for (const dir of ["asc", "desc"] as const) {
      const ids: string[] = [];
      for (let page = 1; ; page += 1) {
        const list = await admin.admin.tenants.list({ sort: "projects", dir, pageSize: 100, page });
        ids.push(...list.items.map((r) => r.id));
        if (page >= list.pageCount) break;
      }
      expect(ids.indexOf(globex.id)).toBeGreaterThanOrEqual(0);
      expect(ids.indexOf(acme.id)).toBeGreaterThan(ids.indexOf(globex.id));
    }
  });

  it("refuses a stale route: the shared database's fence no longer admits acme", async () => {
    const error = await withTenant(appDb(), { tenantId: acme.id, placement: "shared" }, (tx) => tx.execute(sql`select 1`)).catch((e: unknown) => e);
    expect(isPlacementMoved(error)).toBe(true);
  });

  it("writes audit entries of directory work (support sessions) where acme's rows are, not in the shared database", async () => {
    const admin = callerFor(ADMIN_HOST, await createPlatformAdmin());
    const session = await admin.admin.support.start({ tenantId: acme.id, reason: "Checking the move", minutes: 15, readOnly: true });
    await admin.admin.support.end({ id: session.id });
    const entries = async (owner: postgres.Sql) =>
      owner.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${acme.id}, true)`;
        return tx<{ action: string }[]>`select action from audit_log where tenant_id = ${acme.id} and action like 'support.%' order by created_at`;
      });
    expect((await entries(dedicatedOwner)).map((e) => e.action)).toEqual(["support.start", "support.end"]);
    expect(await entries(sharedOwner)).toHaveLength(0);
  });

  it("moves acme back to the shared database, and rolls back a move interrupted before its flip", async () => {
    const mover = new TenantMover(databases);
    try {
      const back = await mover.move(acme.slug, "shared");
      expect(back.phase).toBe("done");
      clearDirectoryCache();
      expect(total(await counts(dedicatedOwner, acme.id))).toBe(0);
      const [ref] = await dedicatedOwner<{ n: string }[]>`select count(*) as n from tenants`;
      expect(Number(ref!.n)).toBe(0);
      const before = await counts(sharedOwner, acme.id);

      // A crash while writes are paused, after verification and before the flip.
      await expect(mover.move(acme.slug, "dedicated", { hooks: { beforeFlip: () => Promise.reject(new Error("simulated crash")) } })).rejects.toThrow("simulated crash");
      const [failed] = await sharedOwner<{ phase: string }[]>`select phase from tenant_moves where tenant_id = ${acme.id} and phase not in ('done', 'rolled_back')`;
      expect(failed!.phase).toBe("failed");
      // Still served from the shared database (the pause ended with the mover's session).
      expect((await callerFor(acme.host, acme.users.owner).project.create({ name: "After the crash" })).id).toBeTruthy();
      await expect(mover.move(acme.slug, "dedicated")).rejects.toThrow(/unfinished move/);
      const undone = await mover.rollback(acme.slug);
      expect(undone.phase).toBe("rolled_back");
      expect(total(await counts(dedicatedOwner, acme.id))).toBe(0);
      const after = await counts(sharedOwner, acme.id);
      expect(after.projects).toBe(before.projects! + 1);

      // Interrupted again, then resumed: it finishes, and the tenant ends up in the dedicated database.
      await expect(mover.move(acme.slug, "dedicated", { hooks: { beforeFlip: () => Promise.reject(new Error("simulated crash")) } })).rejects.toThrow();
      const resumed = await mover.resume(acme.slug);
      expect(resumed.phase).toBe("done");
      clearDirectoryCache();
      expect(total(await counts(sharedOwner, acme.id))).toBe(0);
      expect((await counts(dedicatedOwner, acme.id)).projects).toBe(after.projects);
    } finally {
      await mover.close();
    }
  });

  it("moves a tenant from the admin console: the request is queued and the worker's job runs it", async () => {
    const admin = callerFor(ADMIN_HOST, await createPlatformAdmin());
    const before = await admin.admin.tenants.placement({ id: globex.id });
    expect(before.placement).toBe("shared");
    expect(before.placements).toEqual(["shared", "dedicated"]);
    expect(await codeOf(admin.admin.tenants.move({ id: globex.id, target: "nowhere" }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.admin.tenants.move({ id: globex.id, target: "shared" }))).toBe("BAD_REQUEST");
    // Members of a tenant cannot ask for moves.
    expect(await codeOf(callerFor(ADMIN_HOST, globex.users.owner).admin.tenants.move({ id: globex.id, target: "dedicated" }))).toBe("FORBIDDEN");

    const requested = await admin.admin.tenants.move({ id: globex.id, target: "dedicated" });
    expect(requested.phase).toBe("requested");
    expect(await codeOf(admin.admin.tenants.move({ id: globex.id, target: "dedicated" }))).toBe("CONFLICT");
    const jobs = await appDb().execute<{ data: { tenantId: string; moveId: string } }>(
      sql`select data from pgboss.job where name = ${queues.tenantMove} and data->>'moveId' = ${requested.id}`,
    );
    expect(jobs.map((j) => j.data)).toEqual([{ tenantId: globex.id, moveId: requested.id }]);
    const globexCounts = await counts(sharedOwner, globex.id);
    await tenantMoveJob(jobs[0]!.data);

    const after = await admin.admin.tenants.placement({ id: globex.id });
    expect(after.placement).toBe("dedicated");
    expect(after.moves[0]).toMatchObject({ id: requested.id, phase: "done", source: "shared", target: "dedicated" });
    expect(await counts(dedicatedOwner, globex.id)).toEqual(globexCounts);
    expect(total(await counts(sharedOwner, globex.id))).toBe(0);
    expect((await callerFor(globex.host, globex.users.viewer).project.list({})).items.length).toBeGreaterThan(0);

    // An export reads the business rows from the dedicated database, and imports into the shared one.
    const queued = await admin.admin.tenants.export({ id: globex.id });
    expect((await admin.admin.exports.run({ id: queued.id })).status).toBe("done");
    const archive = decodeArchive((await admin.admin.exports.archive({ id: queued.id })).archive);
    expect(archive.tables.projects).toHaveLength(globexCounts.projects!);
    expect(archive.tables.invoices).toHaveLength(globexCounts.invoices!);
    expect(archive.tables.memberships).toHaveLength(4);
    expect(archive.tenant).toMatchObject({ id: globex.id, placement: "shared" });

    // A deleted tenant in a dedicated database is not purged there: it comes home first.
    await admin.admin.tenants.delete({ id: globex.id, purgeAfterDays: 0 });
    expect(await codeOf(admin.admin.tenants.purge({ id: globex.id }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.admin.tenants.move({ id: globex.id, target: "dedicated" }))).toBe("BAD_REQUEST");
    const home = await admin.admin.tenants.move({ id: globex.id, target: "shared" });
    const [job] = await appDb().execute<{ data: { tenantId: string; moveId: string } }>(sql`select data from pgboss.job where name = ${queues.tenantMove} and data->>'moveId' = ${home.id}`);
    await tenantMoveJob(job!.data);
    expect((await admin.admin.tenants.purge({ id: globex.id })).purged).toBe(true);
    expect(total(await counts(sharedOwner, globex.id))).toBe(0);
    expect(total(await counts(dedicatedOwner, globex.id))).toBe(0);
  });
});

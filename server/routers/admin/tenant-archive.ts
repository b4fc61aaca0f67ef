import { gunzipSync, gzipSync } from "node:zlib";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Transaction } from "@/db/client";
import { tenantExports } from "@/db/schema/platform";
import { MOVED_TABLES } from "@/db/placement-tables";
import { SHARED_PLACEMENT } from "@/db/placements";
import { withTenant, withUser } from "@/db/tenant-transaction";
import journal from "@/drizzle/meta/_journal.json";
import { clearDirectoryCache } from "@/server/directory";
import { AppError } from "@/server/errors";
import { withTenantData } from "@/server/placement";
import { findAdminTenant } from "./change-tenant";
import { writePlatformAudit, type AdminScope } from "./platform-audit";
import { enqueueTenantJob } from "@/server/jobs/enqueue";
import { queues } from "@/server/jobs/queues";

/** The archive names the migration its rows were read under; import refuses any other. */
export const SCHEMA_VERSION = journal.entries.at(-1)?.tag ?? "unknown";
const FORMAT = "canopy-tenant-archive";
const moved = new Set<string>(MOVED_TABLES.map((t) => t.name));

type TenantTable = { name: string };

/**
 * Every table guarded by a `tenant_isolation` policy (tenants itself aside), parents before
 * children by their foreign keys. Read from the catalog, so a table added later is exported
 * without anyone remembering to list it here.
 */
export async function tenantTables(db: Database | Transaction): Promise<string[]> {
  const tables = await db.execute<TenantTable & Record<string, unknown>>(sql`
    select c.relname as name from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname <> 'tenants'
      and exists (select 1 from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname and p.policyname = 'tenant_isolation')
    order by c.relname`);
  const edges = await db.execute<{ child: string; parent: string; [k: string]: unknown }>(sql`
    select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    where k.contype = 'f' and c.relnamespace = 'public'::regnamespace and c.oid <> p.oid`);
  const names = tables.map((t) => t.name);
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (ordered.includes(name) || path.has(name)) return;
    path.add(name);
    for (const e of edges) if (e.child === name && names.includes(e.parent)) visit(e.parent, path);
    ordered.push(name);
  };
  for (const name of names) visit(name, new Set());
  return ordered;
}

const archiveSchema = z.object({
  format: z.literal(FORMAT),
  schemaVersion: z.string(),
  exportedAt: z.string(),
  tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).loose(),
  users: z.array(z.object({ id: z.uuid(), email: z.string(), name: z.string() })),
  tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
});
export type TenantArchive = z.infer<typeof archiveSchema>;

export const encodeArchive = (archive: TenantArchive) => gzipSync(JSON.stringify(archive)).toString("base64");
export function decodeArchive(encoded: string): TenantArchive {
  let parsed: unknown;
  try {
    parsed = JSON.parse(gunzipSync(Buffer.from(encoded, "base64")).toString("utf8"));
  } catch {
    throw new AppError("BAD_REQUEST", "This is not a Canopy tenant archive (expected gzip + base64 JSON)");
  }
  const result = archiveSchema.safeParse(parsed);
  if (!result.success) throw new AppError("BAD_REQUEST", "This is not a Canopy tenant archive");
  return result.data;
}

const exportFields = {
  id: tenantExports.id,
  tenantId: tenantExports.tenantId,
  requestedBy: tenantExports.requestedBy,
  status: tenantExports.status,
  progress: tenantExports.progress,
  error: tenantExports.error,
  createdAt: tenantExports.createdAt,
  finishedAt: tenantExports.finishedAt,
  archiveBytes: sql<number | null>`length(${tenantExports.archive})`.mapWith(Number),
};

/** Queues an export (the job, or admin.exports.run, produces it). */
export async function requestTenantExport({ userId, db }: AdminScope, tenantId: string) {
  return withUser(db, userId, async (tx) => {
    const tenant = await findAdminTenant(tx, tenantId);
    if (!tenant) throw new AppError("NOT_FOUND", "Tenant not found");
    const [row] = await tx.insert(tenantExports).values({ tenantId, requestedBy: userId }).returning(exportFields);
    if (!row) throw new Error("export insert returned no row");
    await writePlatformAudit(tx, { actorUserId: userId, action: "tenant.export", tenantId, details: { slug: tenant.slug, exportId: row.id } });
    // Produced by the worker; queued in this transaction so the export row and its job exist together.
    await enqueueTenantJob(tx, queues.tenantExport, { tenantId, exportId: row.id, requestedBy: userId });
    return row;
  });
}

export async function listTenantExports({ userId, db }: AdminScope, tenantId?: string) {
  return withUser(db, userId, (tx) =>
    tx
      .select(exportFields)
      .from(tenantExports)
      .where(tenantId ? eq(tenantExports.tenantId, tenantId) : undefined)
      .orderBy(desc(tenantExports.createdAt))
      .limit(50),
  );
}

export async function getTenantExport({ userId, db }: AdminScope, id: string) {
  const [row] = await withUser(db, userId, (tx) => tx.select(exportFields).from(tenantExports).where(eq(tenantExports.id, id)));
  if (!row) throw new AppError("NOT_FOUND", "Export not found");
  return row;
}

export async function getTenantExportArchive({ userId, db }: AdminScope, id: string) {
  const [row] = await withUser(db, userId, (tx) =>
    tx.select({ archive: tenantExports.archive, tenantId: tenantExports.tenantId }).from(tenantExports).where(and(eq(tenantExports.id, id), eq(tenantExports.status, "done"))),
  );
  if (!row?.archive) throw new AppError("NOT_FOUND", "No finished archive for this export");
  return { archive: row.archive, tenantId: row.tenantId };
}

/**
 * Produces one queued export. Every row is read inside the tenant's own RLS scope in one
 * REPEATABLE READ snapshot (an invoice written mid-export cannot leave its items dangling);
 * progress is written by separate short transactions so pollers see it while the read runs.
 * Runs as `requestedBy`, who must still be a platform admin (RLS on tenant_exports).
 * Returns the finished export's status; an export that is not queued is left alone.
 */
export async function runTenantExport(db: Database, job: { exportId: string; requestedBy: string }, onProgress?: (percent: number) => void | Promise<void>) {
  const setProgress = (values: Partial<typeof tenantExports.$inferInsert>) =>
    withUser(db, job.requestedBy, (tx) => tx.update(tenantExports).set(values).where(eq(tenantExports.id, job.exportId)));
  const [claimed] = await withUser(db, job.requestedBy, (tx) =>
    tx
      .update(tenantExports)
      .set({ status: "running", progress: 0, error: null })
      .where(and(eq(tenantExports.id, job.exportId), eq(tenantExports.status, "queued")))
      .returning({ tenantId: tenantExports.tenantId }),
  );
  if (!claimed) return { status: "skipped" as const };
  try {
    const tables = await tenantTables(db);
    // Business rows from the tenant's placement, directory rows from the shared database: one
    // REPEATABLE READ snapshot each (the same one while the tenant lives in the shared database).
    const archive = await withTenantData(
      db,
      { tenantId: claimed.tenantId, userId: job.requestedBy },
      async (dataTx, placed) => {
        const build = async (directory: Transaction) => {
          // An archive always imports into the shared database, wherever the tenant lived.
          const [tenant] = await directory.execute<{ row: Record<string, unknown> }>(
            sql`select to_jsonb(t) || jsonb_build_object('placement', ${SHARED_PLACEMENT}::text) as row from tenants t where t.id = ${claimed.tenantId}`,
          );
          if (!tenant) throw new Error("tenant not visible in its own scope");
          // Members only (users_fellow_members); no password hashes: an archive leaves the system.
          const users = await directory.execute<{ id: string; email: string; name: string }>(
            sql`select u.id, u.email, u.name from users u where exists (select 1 from memberships m where m.user_id = u.id) order by u.id`,
          );
          const out: TenantArchive = {
            format: FORMAT,
            schemaVersion: SCHEMA_VERSION,
            exportedAt: new Date().toISOString(),
            tenant: tenant.row as TenantArchive["tenant"],
            users: users.map((u) => ({ id: u.id, email: u.email, name: u.name })),
            tables: {},
          };
          for (const [i, table] of tables.entries()) {
            const tx = moved.has(table) ? dataTx : directory;
            const [rows] = await tx.execute<{ rows: Record<string, unknown>[] }>(
              sql`select coalesce(jsonb_agg(to_jsonb(t) order by t::text), '[]'::jsonb) as rows from ${sql.identifier(table)} t`,
            );
            out.tables[table] = rows?.rows ?? [];
            const percent = Math.floor(((i + 1) / (tables.length + 1)) * 100);
            await setProgress({ progress: percent });
            await onProgress?.(percent);
          }
          return out;
        };
        return placed.placement === SHARED_PLACEMENT
          ? build(dataTx)
          : withTenant(db, { tenantId: claimed.tenantId, userId: job.requestedBy }, build, { isolationLevel: "repeatable read", accessMode: "read only" });
      },
      { config: { isolationLevel: "repeatable read", accessMode: "read only" } },
    );
    await setProgress({ status: "done", progress: 100, archive: encodeArchive(archive), finishedAt: new Date() });
    await onProgress?.(100);
    return { status: "done" as const };
  } catch (error) {
    console.error(`[export] ${job.exportId} failed`, error);
    await setProgress({ status: "failed", error: "The export failed; see the server log", finishedAt: new Date() });
    return { status: "failed" as const };
  }
}

const CHUNK = 500;

/**
 * Writes an archive back: into an empty database, or over a tenant that was deleted (purged or
 * not). A live tenant with the archive's id is refused. One transaction: all rows or none.
 * Members map to the user with the same id, else the same email, else a new password-less user.
 */
export async function importTenantArchive(db: Database, encoded: string, actorUserId: string) {
  const archive = decodeArchive(encoded);
  if (archive.schemaVersion !== SCHEMA_VERSION) {
    throw new AppError("BAD_REQUEST", `The archive is from schema ${archive.schemaVersion}; this database is at ${SCHEMA_VERSION}`);
  }
  const tenantId = archive.tenant.id;
  try {
    await withUser(db, actorUserId, async (tx) => {
      await tx.execute(sql`select app_admin_import_tenant(${JSON.stringify(archive.tenant)}::jsonb)`);
      const userMap = new Map<string, string>();
      for (const u of archive.users) {
        const [row] = await tx.execute<{ id: string }>(sql`select app_admin_import_user(${u.id}, ${u.email}, ${u.name}) as id`);
        userMap.set(u.id, row!.id);
      }
      await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
      const tables = await tenantTables(tx);
      const unknown = Object.keys(archive.tables).filter((t) => !tables.includes(t));
      if (unknown.length) throw new AppError("BAD_REQUEST", `The archive has tables this database does not: ${unknown.join(", ")}`);
      for (const table of tables) {
        let rows = archive.tables[table] ?? [];
        if (table === "memberships") rows = rows.map((r) => ({ ...r, user_id: userMap.get(String(r.user_id)) ?? r.user_id }));
        for (let i = 0; i < rows.length; i += CHUNK) {
          const chunk = JSON.stringify(rows.slice(i, i + CHUNK));
          // RLS WITH CHECK (app.tenant_id) rejects any row of another tenant smuggled into the archive.
          await tx.execute(sql`insert into ${sql.identifier(table)} select * from jsonb_populate_recordset(null::${sql.identifier(table)}, ${chunk}::jsonb)`);
        }
      }
      await writePlatformAudit(tx, { actorUserId, action: "tenant.import", tenantId, details: { slug: archive.tenant.slug, exportedAt: archive.exportedAt } });
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; constraint_name?: string } }).cause;
    if (cause?.code === "23505") {
      throw new AppError("CONFLICT", cause.constraint_name === "tenants_slug_key" ? "Another tenant uses this archive's slug" : "A live tenant with this id (or one of its domains) already exists");
    }
    throw error;
  }
  clearDirectoryCache();
  return { id: tenantId, slug: archive.tenant.slug };
}

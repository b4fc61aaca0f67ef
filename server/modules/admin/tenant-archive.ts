import { randomBytes } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Transaction } from "@/db/client";
import { tenantExports } from "@/db/schema/platform";
import { MOVED_TABLES } from "@/db/placement-tables";
import { SHARED_PLACEMENT } from "@/db/placements";
import { withUser } from "@/db/tenant-transaction";
import journal from "@/drizzle/meta/_journal.json";
import { MAX_ARCHIVE_BASE64_CHARS } from "@/lib/schemas/admin";
import { clearDirectoryCache } from "@/server/tenancy/directory";
import { AppError } from "@/server/errors";
import { enterNewTenant, enterTenant } from "@/server/tenancy/enter-tenant";
import { sha256Hex } from "@/server/tokens";
import { findAdminTenant } from "@/server/modules/admin/change-tenant";
import { writePlatformAudit } from "@/server/modules/admin/platform-audit";
import type { PlatformScope } from "@/server/modules/admin/platform-scope";
import { enqueueTenantJob } from "@/server/jobs/enqueue";
import { queues } from "@/server/jobs/queues";
import { log } from "@/lib/log.mjs";

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
export async function tenantTables(directory: Database | Transaction): Promise<string[]> {
  const tables = await directory.execute<TenantTable & Record<string, unknown>>(sql`
    select c.relname as name from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname <> 'tenants'
      and exists (select 1 from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname and p.policyname = 'tenant_isolation')
    order by c.relname`);
  const edges = await directory.execute<{ child: string; parent: string; [k: string]: unknown }>(sql`
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

/**
 * Tenant tables whose rows are credentials (found by their `*_hash` columns). An archive leaves
 * the system and may come back altered, so no secret travels out and none is trusted coming in.
 * - drop: neither exported nor imported. A pending invitation or a sign-in hand-off is a bearer
 *   token for someone else's access; after a restore the tenant re-invites. An SSO sign-in under way is the
 *   same; the SSO provider row holds a client secret sealed for this install, so the owner enters it again.
 * - revoke: exported without the hash; imported revoked with a fresh random hash nobody holds.
 *   API keys are kept rather than dropped so audit entries still name the key that acted.
 */
// invoice_public_links: each live link opens an invoice to whoever holds it; an archive travels, so it
// carries none (the imported tenant issues new links from the invoice page).
const CREDENTIAL_TABLES: Record<string, "drop" | "revoke"> = {
  invitations: "drop",
  auth_handoffs: "drop",
  api_keys: "revoke",
  sso_sign_ins: "drop",
  tenant_sso: "drop",
  invoice_public_links: "drop",
};

/** `*_hash` columns per table, from the catalog. */
async function hashColumns(directory: Database | Transaction): Promise<Map<string, string[]>> {
  const rows = await directory.execute<{ relname: string; attname: string }>(sql`
    select c.relname, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
    where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped and a.attname like '%\\_hash'
    order by c.relname, a.attnum`);
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.relname, [...(out.get(r.relname) ?? []), r.attname]);
  return out;
}

/** A table holding a hash must say how archives treat it: a new one fails export and import until it does. */
function credentialPolicy(table: string, hashes: Map<string, string[]>): "drop" | "revoke" | null {
  const policy = CREDENTIAL_TABLES[table] ?? null;
  if (hashes.has(table) && !policy) throw new Error(`${table} holds ${hashes.get(table)!.join(", ")}: add it to CREDENTIAL_TABLES (drop or revoke) before archiving it`);
  return policy;
}

/**
 * Columns naming a user. Membership grants access, so it must name a user the archive lists;
 * the others only record who did something (a former member or a platform admin is not among
 * the archive's users) and are mapped when listed, kept as recorded otherwise.
 */
const ACCESS_USER_COLUMNS: Record<string, string[]> = { memberships: ["user_id"] };
const RECORD_USER_COLUMNS: Record<string, string[]> = { projects: ["created_by"], api_keys: ["created_by"], audit_log: ["actor_user_id"] };

const MiB = 1024 * 1024;
/** What an archive may unpack to: a gzip bomb stops here instead of filling the heap. */
export const MAX_ARCHIVE_JSON_BYTES = 128 * MiB;

const archiveSchema = z.object({
  format: z.literal(FORMAT),
  schemaVersion: z.string(),
  exportedAt: z.string(),
  tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).loose(),
  users: z.array(z.object({ id: z.uuid(), email: z.string(), name: z.string() })),
  tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
});
export type TenantArchive = z.infer<typeof archiveSchema>;

export function encodeArchive(archive: TenantArchive): string {
  const json = Buffer.from(JSON.stringify(archive));
  // Never produce an archive the import would refuse.
  if (json.length > MAX_ARCHIVE_JSON_BYTES) throw new Error(`The archive is ${Math.ceil(json.length / MiB)} MiB; an import accepts at most ${MAX_ARCHIVE_JSON_BYTES / MiB} MiB`);
  const encoded = gzipSync(json).toString("base64");
  if (encoded.length > MAX_ARCHIVE_BASE64_CHARS) throw new Error(`The compressed archive is ${Math.ceil(encoded.length / MiB)} MiB of base64; an import accepts at most ${MAX_ARCHIVE_BASE64_CHARS / MiB} MiB`);
  return encoded;
}

export function decodeArchive(encoded: string): TenantArchive {
  if (encoded.length > MAX_ARCHIVE_BASE64_CHARS) throw new AppError("BAD_REQUEST", `The archive is larger than ${MAX_ARCHIVE_BASE64_CHARS / MiB} MiB`);
  let parsed: unknown;
  try {
    // maxOutputLength: inflation stops (ERR_BUFFER_TOO_LARGE) once the output passes the cap, so a
    // small file that unpacks to gigabytes never gets that memory.
    parsed = JSON.parse(gunzipSync(Buffer.from(encoded, "base64"), { maxOutputLength: MAX_ARCHIVE_JSON_BYTES }).toString("utf8"));
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new AppError("BAD_REQUEST", `The archive unpacks to more than ${MAX_ARCHIVE_JSON_BYTES / MiB} MiB, the most an import accepts`);
    }
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
export async function requestTenantExport({ userId, directory }: PlatformScope, tenantId: string) {
  return withUser(directory, userId, async (tx) => {
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

export async function listTenantExports({ userId, directory }: PlatformScope, tenantId?: string) {
  return withUser(directory, userId, (tx) =>
    tx
      .select(exportFields)
      .from(tenantExports)
      .where(tenantId ? eq(tenantExports.tenantId, tenantId) : undefined)
      .orderBy(desc(tenantExports.createdAt))
      .limit(50),
  );
}

export async function getTenantExport({ userId, directory }: PlatformScope, id: string) {
  const [row] = await withUser(directory, userId, (tx) => tx.select(exportFields).from(tenantExports).where(eq(tenantExports.id, id)));
  if (!row) throw new AppError("NOT_FOUND", "Export not found");
  return row;
}

export async function getTenantExportArchive({ userId, directory }: PlatformScope, id: string) {
  const [row] = await withUser(directory, userId, (tx) =>
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
export async function runTenantExport(directory: Database, job: { exportId: string; requestedBy: string }, onProgress?: (percent: number) => void | Promise<void>) {
  const setProgress = (values: Partial<typeof tenantExports.$inferInsert>) =>
    withUser(directory, job.requestedBy, (tx) => tx.update(tenantExports).set(values).where(eq(tenantExports.id, job.exportId)));
  const [claimed] = await withUser(directory, job.requestedBy, (tx) =>
    tx
      .update(tenantExports)
      .set({ status: "running", progress: 0, error: null })
      .where(and(eq(tenantExports.id, job.exportId), eq(tenantExports.status, "queued")))
      .returning({ tenantId: tenantExports.tenantId }),
  );
  if (!claimed) return { status: "skipped" as const };
  try {
    const tables = await tenantTables(directory);
    const hashes = await hashColumns(directory);
    // Business rows from the tenant's placement, directory rows from the shared database: one
    // REPEATABLE READ snapshot each (the same one while the tenant lives in the shared database).
    const archive = await enterTenant(
      directory,
      { tenant: claimed.tenantId, userId: job.requestedBy, config: { isolationLevel: "repeatable read", accessMode: "read only" } },
      async ({ data, directory }) => {
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
            const tx = moved.has(table) ? data : directory;
            // Credentials stay home: dropped tables are left out, hashes are stripped from the rest.
            if (credentialPolicy(table, hashes) !== "drop") {
              const secret = sql.join((hashes.get(table) ?? []).map((column) => sql`${column}`), sql`, `);
              const [rows] = await tx.execute<{ rows: Record<string, unknown>[] }>(
                sql`select coalesce(jsonb_agg(to_jsonb(t) - array[${secret}]::text[] order by t::text), '[]'::jsonb) as rows from ${sql.identifier(table)} t`,
              );
              out.tables[table] = rows?.rows ?? [];
            }
            const percent = Math.floor(((i + 1) / (tables.length + 1)) * 100);
            await setProgress({ progress: percent });
            await onProgress?.(percent);
          }
          return out;
      },
    );
    await setProgress({ status: "done", progress: 100, archive: encodeArchive(archive), finishedAt: new Date() });
    await onProgress?.(100);
    return { status: "done" as const };
  } catch (error) {
    log.error("tenant export failed", { exportId: job.exportId, error });
    await setProgress({ status: "failed", error: "The export failed; see the server log", finishedAt: new Date() });
    return { status: "failed" as const };
  }
}

/** Runs a queued export at once, for the admin console (and tests) until the job queue runs exports. */
export async function runQueuedExportNow(scope: PlatformScope, id: string) {
  await runTenantExport(scope.directory, { exportId: id, requestedBy: scope.userId });
  return getTenantExport(scope, id);
}

const CHUNK = 500;

/**
 * The archive's rows with user columns mapped to this database's users. A membership of a user
 * the archive does not list is refused: it would hand the tenant to an account of this database.
 */
function mapUsers(table: string, rows: Record<string, unknown>[], userMap: Map<string, string>): Record<string, unknown>[] {
  const access = ACCESS_USER_COLUMNS[table] ?? [];
  const record = RECORD_USER_COLUMNS[table] ?? [];
  if (!access.length && !record.length) return rows;
  return rows.map((row) => {
    const out = { ...row };
    for (const column of access) {
      const mapped = userMap.get(String(row[column]));
      if (!mapped) throw new AppError("BAD_REQUEST", `The archive's ${table} name a user it does not list`);
      out[column] = mapped;
    }
    for (const column of record) {
      if (typeof row[column] === "string") out[column] = userMap.get(row[column]) ?? row[column];
    }
    return out;
  });
}

/**
 * Writes an archive back: into an empty database, or over a tenant that was deleted (purged or
 * not). A live tenant with the archive's id is refused. One transaction: all rows or none.
 * Members map to the user with the same id, else the same email, else a new password-less user.
 * Nothing in the archive is trusted as a credential: invitations and hand-offs are not imported,
 * API keys come back revoked with a hash nobody holds (see CREDENTIAL_TABLES); sessions are never
 * in an archive (not a tenant table: refused as unknown).
 */
export async function importTenantArchive({ userId: actorUserId, directory }: PlatformScope, encoded: string) {
  const archive = decodeArchive(encoded);
  if (archive.schemaVersion !== SCHEMA_VERSION) {
    throw new AppError("BAD_REQUEST", `The archive is from schema ${archive.schemaVersion}; this database is at ${SCHEMA_VERSION}`);
  }
  const tenantId = archive.tenant.id;
  // Only users some membership names are created: an archive cannot plant other accounts.
  const memberIds = new Set((archive.tables.memberships ?? []).map((m) => String(m.user_id)));
  const importedAt = new Date().toISOString();
  const dropped: Record<string, number> = {};
  try {
    await enterNewTenant(directory, { tenantId, userId: actorUserId }, async ({ directory: tx }) => {
      // An archive always imports into the shared database, whatever placement it names.
      await tx.execute(sql`select app_admin_import_tenant(${JSON.stringify({ ...archive.tenant, placement: SHARED_PLACEMENT })}::jsonb)`);
      const userMap = new Map<string, string>();
      for (const u of archive.users) {
        if (!memberIds.has(u.id)) continue;
        const [row] = await tx.execute<{ id: string }>(sql`select app_admin_import_user(${u.id}, ${u.email}, ${u.name}) as id`);
        userMap.set(u.id, row!.id);
      }
      const tables = await tenantTables(tx);
      const hashes = await hashColumns(tx);
      const unknown = Object.keys(archive.tables).filter((t) => !tables.includes(t));
      if (unknown.length) throw new AppError("BAD_REQUEST", `The archive has tables this database does not: ${unknown.join(", ")}`);
      for (const table of tables) {
        const policy = credentialPolicy(table, hashes);
        let rows = archive.tables[table] ?? [];
        if (policy === "drop") {
          if (rows.length) dropped[table] = rows.length;
          continue;
        }
        rows = mapUsers(table, rows, userMap);
        if (policy === "revoke") {
          // A hash from the archive could be a live key's (or a key an attacker holds): never kept.
          const unknowable = () => Object.fromEntries((hashes.get(table) ?? []).map((column) => [column, sha256Hex(randomBytes(32).toString("base64url"))]));
          rows = rows.map((r) => ({ ...r, ...unknowable(), revoked_at: r.revoked_at ?? importedAt }));
        }
        for (let i = 0; i < rows.length; i += CHUNK) {
          const chunk = JSON.stringify(rows.slice(i, i + CHUNK));
          // RLS WITH CHECK (app.tenant_id) rejects any row of another tenant smuggled into the archive.
          await tx.execute(sql`insert into ${sql.identifier(table)} select * from jsonb_populate_recordset(null::${sql.identifier(table)}, ${chunk}::jsonb)`);
        }
      }
      await writePlatformAudit(tx, { actorUserId, action: "tenant.import", tenantId, details: { slug: archive.tenant.slug, exportedAt: archive.exportedAt, ...(Object.keys(dropped).length ? { dropped } : {}) } });
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

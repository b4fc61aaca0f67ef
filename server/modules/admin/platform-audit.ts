import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { platformAuditLog } from "@/db/schema/platform";
import { users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import type { listPlatformAuditInput, PlatformAuditAction } from "@/lib/schemas/admin";
import { findAdminTenant } from "@/server/modules/admin/change-tenant";
import type { PlatformScope } from "@/server/modules/admin/platform-scope";
import type { z } from "zod";

const toJson = (value: unknown) => JSON.parse(JSON.stringify(value ?? null, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as unknown;

/**
 * Appended in the caller's transaction, so the entry exists exactly when the action does. RLS:
 * admins only. The actor's address goes with it: an admin can read only their own user row, so
 * the log could not name the other admins otherwise.
 */
export async function writePlatformAudit(
  tx: Transaction,
  entry: { actorUserId: string; action: PlatformAuditAction; tenantId: string | null; details?: Record<string, unknown> },
): Promise<void> {
  const [actor] = await tx.select({ email: users.email }).from(users).where(eq(users.id, entry.actorUserId));
  const details = { ...entry.details, ...(actor ? { actorEmail: actor.email } : {}) };
  await tx.insert(platformAuditLog).values({ actorUserId: entry.actorUserId, action: entry.action, tenantId: entry.tenantId, details: toJson(details) });
}

export async function listPlatformAudit({ userId, directory }: PlatformScope, input: z.output<typeof listPlatformAuditInput>) {
  return withUser(directory, userId, async (tx) => {
    const filters: SQL[] = [];
    if (input.before) filters.push(lt(platformAuditLog.createdAt, new Date(input.before)));
    if (input.tenantId) filters.push(eq(platformAuditLog.tenantId, input.tenantId));
    // Only the actor's own user row is visible to the app role (users_self); other actors show their id.
    const rows = await tx
      .select({
        id: platformAuditLog.id,
        action: platformAuditLog.action,
        tenantId: platformAuditLog.tenantId,
        actorUserId: platformAuditLog.actorUserId,
        actorEmail: users.email,
        details: platformAuditLog.details,
        createdAt: platformAuditLog.createdAt,
      })
      .from(platformAuditLog)
      .leftJoin(users, eq(users.id, platformAuditLog.actorUserId))
      .where(filters.length ? and(...filters) : undefined)
      .orderBy(desc(platformAuditLog.createdAt), desc(platformAuditLog.id))
      .limit(input.limit + 1);
    // The tenants as they are now (a purged one is gone: its entries name it from their details).
    const tenants = new Map<string, { name: string; slug: string }>();
    for (const id of new Set(rows.slice(0, input.limit).flatMap((r) => (r.tenantId ? [r.tenantId] : [])))) {
      const tenant = await findAdminTenant(tx, id);
      if (tenant) tenants.set(id, { name: tenant.name, slug: tenant.slug });
    }
    const items = rows.slice(0, input.limit).map((r) => ({
      ...r,
      details: r.details as Record<string, unknown> | null,
      tenant: (r.tenantId && tenants.get(r.tenantId)) || null,
    }));
    return { items, nextBefore: rows.length > input.limit ? (items.at(-1)?.createdAt.toISOString() ?? null) : null };
  });
}

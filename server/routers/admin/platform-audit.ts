import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { platformAuditLog } from "@/db/schema/platform";
import { users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import type { listPlatformAuditInput } from "@/lib/schemas/admin";
import type { z } from "zod";

/** The platform admin's scope: the admin's id and the app pool (each action opens its own transaction). */
export type AdminScope = { userId: string; db: Database };

const toJson = (value: unknown) => JSON.parse(JSON.stringify(value ?? null, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as unknown;

/** Appended in the caller's transaction, so the entry exists exactly when the action does. RLS: admins only. */
export async function writePlatformAudit(
  tx: Transaction,
  entry: { actorUserId: string; action: string; tenantId: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(platformAuditLog).values({ actorUserId: entry.actorUserId, action: entry.action, tenantId: entry.tenantId, details: toJson(entry.details ?? null) });
}

export async function listPlatformAudit({ userId, db }: AdminScope, input: z.output<typeof listPlatformAuditInput>) {
  return withUser(db, userId, async (tx) => {
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
    const items = rows.slice(0, input.limit).map((r) => ({ ...r, details: r.details as Record<string, unknown> | null }));
    return { items, nextBefore: rows.length > input.limit ? (items.at(-1)?.createdAt.toISOString() ?? null) : null };
  });
}

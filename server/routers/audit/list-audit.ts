import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { decodeCursor, encodeCursor } from "@/server/keyset-cursor";
import { auditLog } from "@/db/schema/audit";
import { users } from "@/db/schema/users";
import type { ListAuditQuery } from "@/lib/schemas/audit";

/**
 * Newest first, keyset-paginated on (created_at, id): the log only grows, so offsets would get
 * slower and shift under new entries. The actor comes from `users` in the shared directory
 * (`directory`; the log itself lives with the tenant's placement, `db`), which RLS limits to
 * members of this tenant: a former member's entries keep their id but show no name.
 */
export async function listAudit({ tenantId, db, directory, input }: { tenantId: string; db: Transaction; directory: Transaction; input: ListAuditQuery }) {
  const filters: (SQL | undefined)[] = [eq(auditLog.tenantId, tenantId)];
  if (input.action) filters.push(eq(auditLog.action, input.action));
  if (input.entityType) filters.push(eq(auditLog.entityType, input.entityType));
  if (input.entityId) filters.push(eq(auditLog.entityId, input.entityId));
  if (input.actorUserId) filters.push(eq(auditLog.actorUserId, input.actorUserId));
  if (input.from) filters.push(gte(auditLog.createdAt, sql`${input.from}::date`));
  if (input.to) filters.push(lt(auditLog.createdAt, sql`${input.to}::date + 1`));
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    if (cursor) {
      const [at, id] = cursor;
      filters.push(or(lt(auditLog.createdAt, at), and(eq(auditLog.createdAt, at), lt(auditLog.id, id))));
    }
  }
  const rows = await db
    .select({
      id: auditLog.id,
      tenantId: auditLog.tenantId,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      actorUserId: auditLog.actorUserId,
      before: auditLog.before,
      after: auditLog.after,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .where(and(...filters))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(input.limit + 1);
  const actorIds = [...new Set(rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])))];
  const actors = new Map(
    actorIds.length === 0
      ? []
      : (await directory.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, actorIds))).map((u) => [u.id, u]),
  );
  const page = rows.slice(0, input.limit).map((r) => ({
    ...r,
    actorName: (r.actorUserId && actors.get(r.actorUserId)?.name) ?? null,
    actorEmail: (r.actorUserId && actors.get(r.actorUserId)?.email) ?? null,
    before: r.before as Record<string, unknown> | null,
    after: r.after as Record<string, unknown> | null,
  }));
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

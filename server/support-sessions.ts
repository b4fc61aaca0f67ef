import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { supportSessions } from "@/db/schema/platform";
import type { MemberRole } from "@/db/schema/users";

/**
 * The live "view as tenant" session of `userId` for `tenantId`, read in the tenant transaction.
 * RLS on support_sessions shows a row only to its own admin while they are still a platform admin.
 */
export async function liveSupportSession(directory: Transaction, tenantId: string, userId: string) {
  const [row] = await directory
    .select({ id: supportSessions.id, reason: supportSessions.reason, readOnly: supportSessions.readOnly, expiresAt: supportSessions.expiresAt })
    .from(supportSessions)
    .where(and(eq(supportSessions.tenantId, tenantId), eq(supportSessions.adminUserId, userId), isNull(supportSessions.endedAt), gt(supportSessions.expiresAt, new Date())))
    .orderBy(desc(supportSessions.expiresAt))
    .limit(1);
  return row ?? null;
}

/** Read-only support gets the viewer role; a write-enabled session never more than member. */
export const supportRole = (readOnly: boolean): MemberRole => (readOnly ? "viewer" : "member");

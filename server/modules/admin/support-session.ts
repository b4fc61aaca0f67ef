import { and, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import { supportSessions } from "@/db/schema/platform";
import { withUser } from "@/db/tenant-transaction";
import type { startSupportSessionInput } from "@/lib/schemas/admin";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { enterTenant, type TenantScope } from "@/server/tenancy/enter-tenant";
import { tenantUrl } from "@/server/urls";
import { findAdminTenant } from "@/server/modules/admin/change-tenant";
import { writePlatformAudit } from "@/server/modules/admin/platform-audit";
import type { PlatformScope } from "@/server/modules/admin/platform-scope";

/**
 * Starts "view as tenant": the session row, an entry in the tenant's own audit log (written in the
 * tenant's scope, so its owners see who looked and why) and one in the platform audit log.
 */
export async function startSupportSession({ userId, directory }: PlatformScope, input: z.output<typeof startSupportSessionInput>) {
  const tenant = await withUser(directory, userId, (tx) => findAdminTenant(tx, input.tenantId));
  if (!tenant || tenant.deletedAt) throw new AppError("NOT_FOUND", "Tenant not found");
  return enterTenant(directory, { tenant: tenant.id, userId }, async ({ data, directory }) => {
    const expiresAt = new Date(Date.now() + input.minutes * 60_000);
    const [row] = await directory
      .insert(supportSessions)
      .values({ adminUserId: userId, tenantId: tenant.id, reason: input.reason, readOnly: input.readOnly, expiresAt })
      .returning();
    if (!row) throw new Error("support session insert returned no row");
    const details = { reason: input.reason, readOnly: input.readOnly, expiresAt: expiresAt.toISOString() };
    await writeAudit(data, { tenantId: tenant.id, actorUserId: userId, action: "support.start", entityType: "support_session", entityId: row.id, after: details });
    await writePlatformAudit(directory, { actorUserId: userId, action: "support.start", tenantId: tenant.id, details: { slug: tenant.slug, ...details } });
    return { id: row.id, tenantId: tenant.id, expiresAt, readOnly: row.readOnly, url: tenantUrl(tenant.slug) };
  });
}

/**
 * Closes the admin's own open support session `id` in the tenant `scope` is in, with an entry in
 * the tenant's audit log and one in the platform's. Null when none is open.
 */
export async function closeSupportSession({ data, directory, tenantId }: Pick<TenantScope, "data" | "directory" | "tenantId">, userId: string, id: string) {
  const [row] = await directory
    .update(supportSessions)
    .set({ endedAt: new Date() })
    .where(and(eq(supportSessions.id, id), eq(supportSessions.tenantId, tenantId), eq(supportSessions.adminUserId, userId), isNull(supportSessions.endedAt)))
    .returning();
  if (!row) return null;
  await writeAudit(data, { tenantId, actorUserId: userId, action: "support.end", entityType: "support_session", entityId: id });
  await writePlatformAudit(directory, { actorUserId: userId, action: "support.end", tenantId, details: { sessionId: id } });
  return row;
}

export async function endSupportSession({ userId, directory }: PlatformScope, id: string) {
  const [open] = await withUser(directory, userId, (tx) =>
    tx
      .select({ tenantId: supportSessions.tenantId })
      .from(supportSessions)
      .where(and(eq(supportSessions.id, id), eq(supportSessions.adminUserId, userId), isNull(supportSessions.endedAt))),
  );
  const row = open ? await enterTenant(directory, { tenant: open.tenantId, userId }, (scope) => closeSupportSession(scope, userId, id)) : null;
  if (!row) throw new AppError("NOT_FOUND", "No open support session with this id");
  return { id, endedAt: row.endedAt };
}

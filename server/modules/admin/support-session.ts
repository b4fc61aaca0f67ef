import { and, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { supportSessions } from "@/db/schema/platform";
import type { Transaction } from "@/db/client";
import { withUser } from "@/db/tenant-transaction";
import type { startSupportSessionInput } from "@/lib/schemas/admin";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { onTenantData } from "@/server/tenancy/placement";
import { tenantUrl } from "@/server/urls";
import { findAdminTenant } from "@/server/modules/admin/change-tenant";
import { writePlatformAudit, type AdminScope } from "@/server/modules/admin/platform-audit";

/**
 * Starts "view as tenant": the session row, an entry in the tenant's own audit log (written in the
 * tenant's scope, so its owners see who looked and why) and one in the platform audit log.
 */
export async function startSupportSession({ userId, db }: AdminScope, input: z.output<typeof startSupportSessionInput>) {
  return withUser(db, userId, async (tx) => {
    const tenant = await findAdminTenant(tx, input.tenantId);
    if (!tenant || tenant.deletedAt) throw new AppError("NOT_FOUND", "Tenant not found");
    const expiresAt = new Date(Date.now() + input.minutes * 60_000);
    const [row] = await tx
      .insert(supportSessions)
      .values({ adminUserId: userId, tenantId: tenant.id, reason: input.reason, readOnly: input.readOnly, expiresAt })
      .returning();
    if (!row) throw new Error("support session insert returned no row");
    const details = { reason: input.reason, readOnly: input.readOnly, expiresAt: expiresAt.toISOString() };
    await tx.execute(sql`select set_config('app.tenant_id', ${tenant.id}, true)`);
    await onTenantData(db, tx, tenant.id, (data) =>
      writeAudit(data, { tenantId: tenant.id, actorUserId: userId, action: "support.start", entityType: "support_session", entityId: row.id, after: details }),
    );
    await writePlatformAudit(tx, { actorUserId: userId, action: "support.start", tenantId: tenant.id, details: { slug: tenant.slug, ...details } });
    return { id: row.id, tenantId: tenant.id, expiresAt, readOnly: row.readOnly, url: tenantUrl(tenant.slug) };
  });
}

/** Runs `fn` in the tenant's own transaction (its placement), where its audit log lives. */
type OnTenantData = (tenantId: string, fn: (data: Transaction) => Promise<void>) => Promise<void>;

/**
 * Closes the admin's own open support session `id`, with an entry in the tenant's audit log and
 * one in the platform's (in `directory`, the shared database). Null when none is open.
 */
export async function closeSupportSession(directory: Transaction, onData: OnTenantData, userId: string, id: string) {
  const [row] = await directory
    .update(supportSessions)
    .set({ endedAt: new Date() })
    .where(and(eq(supportSessions.id, id), eq(supportSessions.adminUserId, userId), isNull(supportSessions.endedAt)))
    .returning();
  if (!row) return null;
  await onData(row.tenantId, (data) => writeAudit(data, { tenantId: row.tenantId, actorUserId: userId, action: "support.end", entityType: "support_session", entityId: id }));
  await writePlatformAudit(directory, { actorUserId: userId, action: "support.end", tenantId: row.tenantId, details: { sessionId: id } });
  return row;
}

export async function endSupportSession({ userId, db }: AdminScope, id: string) {
  return withUser(db, userId, async (tx) => {
    const onData: OnTenantData = async (tenantId, fn) => {
      await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
      await onTenantData(db, tx, tenantId, fn);
    };
    const row = await closeSupportSession(tx, onData, userId, id);
    if (!row) throw new AppError("NOT_FOUND", "No open support session with this id");
    return { id, endedAt: row.endedAt };
  });
}

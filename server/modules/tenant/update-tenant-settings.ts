import { sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { tenantSettings } from "@/db/schema/tenant-settings";
import type { UpdateTenantSettingsInput } from "@/lib/schemas/tenant-settings";
import { writeAudit } from "@/server/audit/write-audit";
import { getTenantSettings } from "@/server/modules/tenant/get-tenant-settings";

type Scope = { tenantId: string; userId: string | null; db: Transaction };

/**
 * Saves the company details (the logo has its own procedures). The row is locked before it is
 * read, so the audit entry's "before" is what this save replaced even when two saves race.
 */
export async function updateTenantSettings({ tenantId, userId, db }: Scope, input: UpdateTenantSettingsInput) {
  // Serialises saves of a tenant that has no row yet too (nothing to lock with FOR UPDATE then).
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`tenant_settings:${tenantId}`}, 0))`);
  const before = await getTenantSettings({ tenantId, db }, { lock: true });
  await db
    .insert(tenantSettings)
    .values({ tenantId, ...input })
    .onConflictDoUpdate({ target: tenantSettings.tenantId, set: { ...input, updatedAt: sql`now()` } });
  const after = await getTenantSettings({ tenantId, db });
  const { logo: _before, ...beforeFields } = before;
  const { logo: _after, ...afterFields } = after;
  await writeAudit(db, { tenantId, actorUserId: userId, action: "tenant.settings.update", entityType: "tenant", entityId: tenantId, before: beforeFields, after: afterFields });
  return after;
}

import { sql } from "drizzle-orm";
import { tenantSettings } from "@/db/schema/tenant-settings";
import type { UpdateTenantSettingsInput } from "@/lib/schemas/tenant-settings";
import { writeAudit } from "@/server/audit/write-audit";
import { getTenantSettings } from "@/server/modules/tenant/get-tenant-settings";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

/**
 * Saves the company details (the logo has its own procedures). The row is locked before it is
 * read, so the audit entry's "before" is what this save replaced even when two saves race.
 */
export async function updateTenantSettings(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, input: UpdateTenantSettingsInput) {
  const { tenantId, userId, data } = scope;
  // Serialises saves of a tenant that has no row yet too (nothing to lock with FOR UPDATE then).
  await data.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`tenant_settings:${tenantId}`}, 0))`);
  const before = await getTenantSettings(scope, { lock: true });
  await data
    .insert(tenantSettings)
    .values({ tenantId, ...input })
    .onConflictDoUpdate({ target: tenantSettings.tenantId, set: { ...input, updatedAt: sql`now()` } });
  const after = await getTenantSettings(scope);
  const { logo: _before, ...beforeFields } = before;
  const { logo: _after, ...afterFields } = after;
  await writeAudit(data, { tenantId, actorUserId: userId, action: "tenant.settings.update", entityType: "tenant", entityId: tenantId, before: beforeFields, after: afterFields });
  return after;
}

import { eq } from "drizzle-orm";
import { tenants } from "@/db/schema/tenants";
import { AppError } from "@/server/errors";
import { writeAudit } from "@/server/audit/write-audit";
import { hasMfa } from "@/server/mfa/second-factor";
import type { TenantScope } from "@/server/tenancy/enter-tenant";
import type { SetMfaRequirementInput } from "@/lib/schemas/tenant-settings";

// The requirement is a column of `tenants` (a directory table); the audit entry goes to `data`.

export async function getMfaRequirement({ tenantId, userId, directory }: Pick<TenantScope, "tenantId" | "userId" | "directory">): Promise<{ mfaRequired: boolean; callerHasMfa: boolean }> {
  const [row] = await directory.select({ mfaRequired: tenants.mfaRequired }).from(tenants).where(eq(tenants.id, tenantId));
  return { mfaRequired: row?.mfaRequired ?? false, callerHasMfa: userId ? await hasMfa(directory, userId) : false };
}

const ENROL_FIRST = "Turn on two-factor authentication for your own account first, or you would be locked out of this workspace";

/**
 * Turns the requirement on or off (owners only, by permission). Members without MFA are refused
 * from their next call. The owner must have MFA already: requiring it would otherwise lock them
 * out with everyone else. The row is locked so the audit entry's "before" is what was replaced.
 */
export async function setMfaRequirement(
  { tenantId, userId, data, directory }: Pick<TenantScope, "tenantId" | "userId" | "data" | "directory">,
  input: SetMfaRequirementInput,
): Promise<{ mfaRequired: boolean }> {
  const [row] = await directory.select({ mfaRequired: tenants.mfaRequired }).from(tenants).where(eq(tenants.id, tenantId)).for("update");
  if (!row) throw new AppError("NOT_FOUND", "No workspace at this address");
  if (input.required && !(userId && (await hasMfa(directory, userId)))) throw new AppError("BAD_REQUEST", ENROL_FIRST, { required: [ENROL_FIRST] });
  if (row.mfaRequired === input.required) return { mfaRequired: row.mfaRequired };
  await directory.update(tenants).set({ mfaRequired: input.required, updatedAt: new Date() }).where(eq(tenants.id, tenantId));
  await writeAudit(data, {
    tenantId,
    actorUserId: userId,
    action: "tenant.mfaRequirement",
    entityType: "tenant",
    entityId: tenantId,
    before: { mfaRequired: row.mfaRequired },
    after: { mfaRequired: input.required },
  });
  return { mfaRequired: input.required };
}

import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Transaction } from "@/db/client";
import { tenants } from "@/db/schema/tenants";
import { AppError } from "@/server/errors";
import { writeAudit } from "@/server/audit/write-audit";
import { hasMfa } from "@/server/mfa/second-factor";

export const setMfaRequirementInput = z.strictObject({ required: z.boolean() });
export type SetMfaRequirementInput = z.infer<typeof setMfaRequirementInput>;

/** `db`: the shared database's transaction (tenants is directory); `data`: the placement's, where the audit log lives. */
type Scope = { tenantId: string; userId: string | null; db: Transaction; data: Transaction };

export async function getMfaRequirement({ tenantId, userId, db }: Omit<Scope, "data">): Promise<{ mfaRequired: boolean; callerHasMfa: boolean }> {
  const [row] = await db.select({ mfaRequired: tenants.mfaRequired }).from(tenants).where(eq(tenants.id, tenantId));
  return { mfaRequired: row?.mfaRequired ?? false, callerHasMfa: userId ? await hasMfa(db, userId) : false };
}

const ENROL_FIRST = "Turn on two-factor authentication for your own account first, or you would be locked out of this workspace";

/**
 * Turns the requirement on or off (owners only, by permission). Members without MFA are refused
 * from their next call. The owner must have MFA already: requiring it would otherwise lock them
 * out with everyone else. The row is locked so the audit entry's "before" is what was replaced.
 */
export async function setMfaRequirement({ tenantId, userId, db, data }: Scope, input: SetMfaRequirementInput): Promise<{ mfaRequired: boolean }> {
  const [row] = await db.select({ mfaRequired: tenants.mfaRequired }).from(tenants).where(eq(tenants.id, tenantId)).for("update");
  if (!row) throw new AppError("NOT_FOUND", "No workspace at this address");
  if (input.required && !(userId && (await hasMfa(db, userId)))) throw new AppError("BAD_REQUEST", ENROL_FIRST, { required: [ENROL_FIRST] });
  if (row.mfaRequired === input.required) return { mfaRequired: row.mfaRequired };
  await db.update(tenants).set({ mfaRequired: input.required, updatedAt: new Date() }).where(eq(tenants.id, tenantId));
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

import { sql } from "drizzle-orm";
import { invitations } from "@/db/schema/accounts";
import { memberships } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import { enterNewTenant } from "@/server/tenancy/enter-tenant";
import type { CreateTenantInput } from "@/lib/schemas/admin";
import { slugProblem } from "@/lib/slug";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { enqueueEmail } from "@/server/mail/enqueue-email";
import { invitationEmail } from "@/server/mail/invitation-email";
import { INVITATION_TTL } from "@/server/modules/member/invite-member";
import { newSecret, sha256Hex } from "@/server/tokens";
import { tenantUrl } from "@/server/urls";
import { writePlatformAudit } from "@/server/modules/admin/platform-audit";
import type { PlatformScope } from "@/server/modules/admin/platform-scope";

export async function adminSlugAvailability({ userId, directory }: PlatformScope, slug: string): Promise<{ available: boolean; reason: string | null }> {
  const problem = slugProblem(slug);
  if (problem) return { available: false, reason: problem };
  const [row] = await withUser(directory, userId, (tx) => tx.execute<{ taken: boolean }>(sql`select app_admin_slug_taken(${slug}) as taken`));
  return row?.taken ? { available: false, reason: "That address is taken" } : { available: true, reason: null };
}

type CreatedTenantRow = { id: string; slug: string; name: string; status: string; plan: string; created_at: string | Date; [k: string]: unknown };
type UserRow = { id: string; email: string; name: string; [k: string]: unknown };

/**
 * Onboarding in one transaction: the tenant (through the definer function, since the app role
 * may only create active free tenants), then, scoped to the new tenant, its owner membership or
 * an owner invitation, the tenant's audit entry and the platform audit entry. All or nothing.
 */
export async function createTenant({ userId, directory }: PlatformScope, input: CreateTenantInput) {
  const tenantId = crypto.randomUUID();
  let result;
  try {
    result = await enterNewTenant(directory, { tenantId, userId }, async ({ directory: tx }) => {
      const [tenant] = await tx.execute<CreatedTenantRow>(sql`select * from app_admin_create_tenant(${tenantId}, ${input.slug}, ${input.name}, ${input.plan})`);
      if (!tenant) throw new Error("app_admin_create_tenant returned no row");
      let owner: { kind: "member"; userId: string; email: string } | { kind: "invitation"; invitationId: string; email: string };
      if (input.owner.kind === "existing") {
        const [user] = await tx.execute<UserRow>(sql`select id, email, name from app_admin_user_by_email(${input.owner.email})`);
        if (!user) throw new AppError("BAD_REQUEST", "No Canopy account with a confirmed address uses this email: invite the owner instead");
        await tx.insert(memberships).values({ tenantId, userId: user.id, role: "owner" });
        owner = { kind: "member", userId: user.id, email: user.email };
      } else {
        const token = newSecret();
        const [invitation] = await tx
          .insert(invitations)
          .values({ tenantId, email: input.owner.email, role: "owner", tokenHash: sha256Hex(token), invitedBy: userId, expiresAt: INVITATION_TTL })
          .returning({ id: invitations.id, expiresAt: invitations.expiresAt });
        if (!invitation) throw new Error("invitation insert returned no row");
        const mail = invitationEmail({ tenantName: input.name, role: "owner", url: tenantUrl(input.slug, `/invite/${token}`), expiresAt: invitation.expiresAt });
        await enqueueEmail({ data: tx, directory: tx }, { tenantId, idempotencyKey: `invitation:${invitation.id}:${sha256Hex(token).slice(0, 16)}`, kind: "invitation", to: input.owner.email, ...mail });
        owner = { kind: "invitation", invitationId: invitation.id, email: input.owner.email };
      }
      const details = { slug: input.slug, name: input.name, plan: input.plan, owner: owner.email, ownerKind: owner.kind };
      await writeAudit(tx, { tenantId, actorUserId: userId, action: "tenant.create", entityType: "tenant", entityId: tenantId, after: details });
      await writePlatformAudit(tx, { actorUserId: userId, action: "tenant.create", tenantId, details });
      return { id: tenantId, slug: tenant.slug, name: tenant.name, plan: tenant.plan, owner, url: tenantUrl(tenant.slug) };
    });
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === "23505") throw new AppError("CONFLICT", "That address is taken");
    throw error;
  }
  return result;
}

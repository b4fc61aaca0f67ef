import { and, eq, inArray, or } from "drizzle-orm";
import { memberships, users, type MemberRole } from "@/db/schema/users";
import { writeAudit } from "@/server/audit/write-audit";
import { can } from "@/lib/permissions";
import { AppError } from "@/server/errors";
import type { UpdateMemberRoleInput } from "@/lib/schemas/member";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

/**
 * Locks the target's, the actor's and every owner's membership (in one order, so two changes
 * cannot deadlock) before counting owners. Two owners demoting each other at once then queue,
 * and the second sees the first's change: the tenant can never end up without an owner. The
 * actor's role is re-read from the locked row, so a role lost a moment ago no longer counts.
 */
async function lockForChange({ tenantId, userId, directory }: TenantScope, targetUserId: string) {
  const people = userId ? [targetUserId, userId] : [targetUserId];
  const rows = await directory
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), or(eq(memberships.role, "owner"), inArray(memberships.userId, people))))
    .orderBy(memberships.userId)
    .for("update");
  const target = rows.find((r) => r.userId === targetUserId);
  // Only a person's locked membership row counts; an API key has none, so it is refused here too.
  const actorRole = userId ? rows.find((r) => r.userId === userId)?.role : undefined;
  if (!actorRole || !can(actorRole, "member:manage")) throw new AppError("FORBIDDEN", "Your role does not allow this");
  if (!target) throw new AppError("NOT_FOUND", "Member not found");
  return { target, actorRole, owners: rows.filter((r) => r.role === "owner").length };
}

function assertMayTouchOwners(actorRole: MemberRole, currentRole: MemberRole, nextRole: MemberRole | null) {
  if ((currentRole === "owner" || nextRole === "owner") && actorRole !== "owner") {
    throw new AppError("FORBIDDEN", "Only an owner can grant or change the owner role");
  }
}

function assertKeepsAnOwner(currentRole: MemberRole, nextRole: MemberRole | null, owners: number) {
  if (currentRole === "owner" && nextRole !== "owner" && owners <= 1) {
    throw new AppError("CONFLICT", "A workspace needs at least one owner: make someone else an owner first");
  }
}

export async function updateMemberRole(scope: TenantScope, input: UpdateMemberRoleInput) {
  const { tenantId, userId, directory } = scope;
  const { target, actorRole, owners } = await lockForChange(scope, input.userId);
  assertMayTouchOwners(actorRole, target.role, input.role);
  assertKeepsAnOwner(target.role, input.role, owners);
  if (target.role === input.role) return { userId: target.userId, role: target.role };
  const [row] = await directory
    .update(memberships)
    .set({ role: input.role })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, input.userId)))
    .returning({ userId: memberships.userId, role: memberships.role });
  if (!row) throw new AppError("NOT_FOUND", "Member not found");
  // Written down so the entry still names the person after they leave the workspace.
  const [person] = await directory.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
  await writeAudit(scope.data, {
    tenantId,
    actorUserId: userId,
    action: "member.updateRole",
    entityType: "member",
    entityId: input.userId,
    before: { role: target.role, email: person?.email ?? null },
    after: { role: row.role, email: person?.email ?? null },
    keep: ["email"],
  });
  return row;
}

/** Takes effect on the member's next request: every tenant call re-reads the membership. */
export async function removeMember(scope: TenantScope, targetUserId: string) {
  const { tenantId, userId, directory } = scope;
  const { target, actorRole, owners } = await lockForChange(scope, targetUserId);
  assertMayTouchOwners(actorRole, target.role, null);
  assertKeepsAnOwner(target.role, null, owners);
  const [person] = await directory.select({ email: users.email }).from(users).where(eq(users.id, targetUserId));
  await directory.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, targetUserId)));
  await writeAudit(scope.data, {
    tenantId,
    actorUserId: userId,
    action: "member.remove",
    entityType: "member",
    entityId: targetUserId,
    before: { role: target.role, email: person?.email ?? null },
  });
  return { userId: targetUserId };
}

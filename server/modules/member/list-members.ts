import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { invitations } from "@/db/schema/accounts";
import { memberships, users } from "@/db/schema/users";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

export async function listMembers({ tenantId, directory }: Pick<TenantScope, "tenantId" | "directory">) {
  return directory
    .select({ userId: memberships.userId, email: users.email, name: users.name, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(sql`array_position(array['owner', 'admin', 'member', 'viewer'], ${memberships.role})`, asc(users.email));
}

/** Invitations neither accepted nor revoked; expired ones are listed (flagged) so they can be resent. */
export async function listPendingInvitations({ tenantId, directory }: Pick<TenantScope, "tenantId" | "directory">) {
  return directory
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      expired: sql<boolean>`${invitations.expiresAt} <= now()`,
    })
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(asc(invitations.createdAt));
}

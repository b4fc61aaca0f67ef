import { and, eq, sql, type SQL } from "drizzle-orm";
import { invitations } from "@/db/schema/accounts";
import { memberships, users } from "@/db/schema/users";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError, type AppErrorCode } from "@/server/errors";
import { sha256Hex } from "@/server/tokens";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

export type InvitationState = "valid" | "used" | "revoked" | "expired" | "wrong_email" | "unverified" | "not_found";

/**
 * Why a token cannot be accepted, without consuming it. The look-up is by hash under RLS with
 * app.tenant_id = the Host's tenant, so another tenant's token is simply "not_found" here.
 */
async function inspect({ tenantId, userId, directory }: TenantScope & { userId: string }, tokenHash: string) {
  const [row] = await directory
    .select({
      role: invitations.role,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      expired: sql<boolean>`${invitations.expiresAt} <= now()`,
      emailMatches: sql<boolean>`${invitations.email} = (select lower(u.email) from ${users} u where u.id = ${userId})`,
      verified: sql<boolean>`coalesce((select u.email_verified_at is not null from ${users} u where u.id = ${userId}), false)`,
    })
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.tokenHash, tokenHash)));
  const state: InvitationState = !row
    ? "not_found"
    : row.acceptedAt
      ? "used"
      : row.revokedAt
        ? "revoked"
        : row.expired
          ? "expired"
          : !row.emailMatches
            ? "wrong_email"
            : !row.verified
              ? "unverified"
              : "valid";
  return { state, role: row?.role ?? null };
}

/**
 * What the invitation page may show. The role (and, in the router, the workspace's name) only to
 * the invitee: anyone else holding the link learns only that it is not for them.
 */
export async function previewInvitation(scope: TenantScope & { userId: string }, token: string) {
  const { state, role } = await inspect(scope, sha256Hex(token));
  const forCaller = state === "valid" || state === "unverified";
  return { state, role: forCaller ? role : null, forCaller };
}

const refusals = {
  not_found: ["NOT_FOUND", "This invitation link is not valid"],
  used: ["CONFLICT", "This invitation has already been used"],
  revoked: ["BAD_REQUEST", "This invitation was revoked; ask for a new one"],
  expired: ["BAD_REQUEST", "This invitation has expired; ask for a new one"],
  wrong_email: ["FORBIDDEN", "This invitation was sent to a different email address; sign in with that address"],
  unverified: ["FORBIDDEN", "Confirm your email address first: use the link we emailed you, then accept the invitation"],
} as const satisfies Record<Exclude<InvitationState, "valid">, readonly [AppErrorCode, string]>;

const rank = (role: SQL) => sql`array_position(array['viewer', 'member', 'admin', 'owner'], ${role})`;

/**
 * Single use under concurrency: one conditional UPDATE marks the invitation used, and only the
 * caller whose UPDATE returned the row goes on to create the membership.
 */
export async function acceptInvitation(scope: TenantScope & { userId: string }, token: string) {
  const { tenantId, userId, directory } = scope;
  const tokenHash = sha256Hex(token);
  const [invitation] = await directory
    .update(invitations)
    .set({ acceptedAt: new Date(), acceptedBy: userId })
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        eq(invitations.tokenHash, tokenHash),
        sql`${invitations.acceptedAt} is null and ${invitations.revokedAt} is null and ${invitations.expiresAt} > now()`,
        // The token alone is not enough: a forwarded or leaked link is useless to anyone else, and
        // the address must be proven, or anyone could sign up as the invitee and take the seat.
        sql`${invitations.email} = (select lower(u.email) from ${users} u where u.id = ${userId} and u.email_verified_at is not null)`,
      ),
    )
    .returning({ id: invitations.id, role: invitations.role, email: invitations.email });
  if (!invitation) {
    const { state } = await inspect(scope, tokenHash);
    const [code, message] = refusals[state === "valid" ? "used" : state];
    throw new AppError(code, message);
  }
  // Already a member: keep whichever role is higher, so an old invitation never demotes anyone.
  const [membership] = await directory
    .insert(memberships)
    .values({ tenantId, userId, role: invitation.role })
    .onConflictDoUpdate({
      target: [memberships.tenantId, memberships.userId],
      set: {
        role: sql`case when ${rank(sql`excluded.role`)} > ${rank(sql`${memberships.role}`)} then excluded.role else ${memberships.role} end`,
      },
    })
    .returning({ role: memberships.role });
  await writeAudit(scope.data, {
    tenantId,
    actorUserId: userId,
    action: "invitation.accept",
    entityType: "invitation",
    entityId: invitation.id,
    after: { email: invitation.email, role: membership?.role ?? invitation.role },
  });
  return { role: membership?.role ?? invitation.role };
}

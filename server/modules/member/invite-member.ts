import { and, eq, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { invitations } from "@/db/schema/accounts";
import { memberships, users, type MemberRole } from "@/db/schema/users";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { assertMemberQuota } from "@/server/plan-limits";
import { enqueueEmail, type MailScope } from "@/server/mail/enqueue-email";
import { invitationEmail } from "@/server/mail/invitation-email";
import { newSecret, sha256Hex } from "@/server/tokens";
import { tenantUrl } from "@/server/urls";
import type { InviteMemberInput } from "@/lib/schemas/member";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

export const INVITATION_TTL = sql`now() + interval '7 days'`;

type TenantNames = { slug: string; name: string };

/** Who invites and where: the caller's role (null for an API key) and the tenant the link names. */
export type Inviter<T extends TenantNames = TenantNames> = { role: MemberRole | null; tenant: T };

function assertMayGrant(actorRole: MemberRole | null, role: MemberRole) {
  // Besides the permission table: a key that could invite could read the link and stay after revocation.
  if (!actorRole) throw new AppError("FORBIDDEN", "API keys cannot manage invitations");
  if (role === "owner" && actorRole !== "owner") throw new AppError("FORBIDDEN", "Only an owner can invite an owner");
}

/** A fresh token: only its hash is stored; the clear token exists only in the email. */
async function mailInvitation(mailScope: MailScope, tenantId: string, tenant: TenantNames, invitation: { id: string; email: string; role: MemberRole; expiresAt: Date }, token: string) {
  const mail = invitationEmail({ tenantName: tenant.name, role: invitation.role, url: tenantUrl(tenant.slug, `/invite/${token}`), expiresAt: invitation.expiresAt });
  await enqueueEmail(mailScope, {
    tenantId,
    // One email per token: a retried request does not send twice, a resend sends again.
    idempotencyKey: `invitation:${invitation.id}:${sha256Hex(token).slice(0, 16)}`,
    kind: "invitation",
    to: invitation.email,
    ...mail,
  });
}

const publicFields = { id: invitations.id, email: invitations.email, role: invitations.role, expiresAt: invitations.expiresAt };

export async function inviteMember(scope: TenantScope, input: InviteMemberInput, { role, tenant }: Inviter<TenantNames & { plan: string }>) {
  const { tenantId, userId, directory } = scope;
  assertMayGrant(role, input.role);
  // Serialises invitations to one address, so two clicks cannot leave two live invitations.
  await directory.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`invite:${tenantId}:${input.email}`}, 0))`);
  const [member] = await directory
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(users.email, input.email)));
  if (member) throw new AppError("CONFLICT", "This person is already a member");
  const [pending] = await directory
    .select({ id: invitations.id })
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        eq(invitations.email, input.email),
        sql`${invitations.acceptedAt} is null and ${invitations.revokedAt} is null and ${invitations.expiresAt} > now()`,
      ),
    );
  if (pending) throw new AppError("CONFLICT", "An invitation to this address is already pending: resend or revoke it");
  await assertMemberQuota(directory, { id: tenantId, plan: tenant.plan });
  const token = newSecret();
  const [row] = await directory
    .insert(invitations)
    .values({
      tenantId,
      email: input.email,
      role: input.role,
      tokenHash: sha256Hex(token),
      invitedBy: userId,
      // The calling key as the tenant procedure set it (as writeAudit reads it): revoking a key ends its invitations.
      invitedByApiKeyId: sql`nullif(current_setting('app.api_key_id', true), '')::uuid`,
      expiresAt: INVITATION_TTL,
    })
    .returning(publicFields);
  if (!row) throw new Error("insert returned no row");
  await mailInvitation(scope, tenantId, tenant, row, token);
  await writeAudit(scope.data, { tenantId, actorUserId: userId, action: "invitation.create", entityType: "invitation", entityId: row.id, after: { email: row.email, role: row.role } });
  return row;
}

async function lockPendingInvitation(directory: Transaction, tenantId: string, id: string) {
  const [row] = await directory
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND", "Invitation not found");
  if (row.acceptedAt) throw new AppError("INVALID_TRANSITION", "This invitation was already accepted");
  if (row.revokedAt) throw new AppError("INVALID_TRANSITION", "This invitation was revoked");
  return row;
}

/** A new token and a new expiry; the old link stops working in the same transaction. */
export async function resendInvitation(scope: TenantScope, id: string, { role, tenant }: Inviter) {
  const { tenantId, userId, directory } = scope;
  const before = await lockPendingInvitation(directory, tenantId, id);
  assertMayGrant(role, before.role);
  const token = newSecret();
  const [row] = await directory
    .update(invitations)
    .set({ tokenHash: sha256Hex(token), expiresAt: INVITATION_TTL })
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id)))
    .returning(publicFields);
  if (!row) throw new AppError("NOT_FOUND", "Invitation not found");
  await mailInvitation(scope, tenantId, tenant, row, token);
  await writeAudit(scope.data, {
    tenantId,
    actorUserId: userId,
    action: "invitation.resend",
    entityType: "invitation",
    entityId: id,
    before: { email: before.email, expiresAt: before.expiresAt },
    after: { email: row.email, expiresAt: row.expiresAt },
    keep: ["email"],
  });
  return row;
}

export async function revokeInvitation(scope: TenantScope, id: string) {
  const { tenantId, userId, directory } = scope;
  const before = await lockPendingInvitation(directory, tenantId, id);
  const [row] = await directory
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id)))
    .returning(publicFields);
  if (!row) throw new AppError("NOT_FOUND", "Invitation not found");
  await writeAudit(scope.data, { tenantId, actorUserId: userId, action: "invitation.revoke", entityType: "invitation", entityId: id, before: { email: before.email, role: before.role } });
  return row;
}

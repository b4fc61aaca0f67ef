import { inviteMemberInput, invitationIdInput, memberUserIdInput, updateMemberRoleInput } from "@/lib/schemas/member";
import { deliverPending } from "@/server/mail/deliver-pending";
import { router, tenantProcedure, type TenantContext } from "@/server/api/trpc";
import { removeMember, updateMemberRole } from "@/server/modules/member/change-member";
import { inviteMember, resendInvitation, revokeInvitation } from "@/server/modules/member/invite-member";
import { listMembers, listPendingInvitations } from "@/server/modules/member/list-members";

const read = tenantProcedure.meta({ permission: "member:read" });
const manage = tenantProcedure.meta({ permission: "member:manage" });

/** The email goes out only once the invitation is committed: a rolled-back invite sends nothing. */
const deliverAfterCommit = (ctx: TenantContext) => ctx.afterCommit(async (db) => void (await deliverPending(db, { tenantId: ctx.tenant.id })));

export const memberRouter = router({
  list: read.query(({ ctx }) => listMembers(ctx.scope)),
  invitations: manage.query(({ ctx }) => listPendingInvitations(ctx.scope)),
  invite: manage.input(inviteMemberInput).mutation(async ({ ctx, input }) => {
    const invitation = await inviteMember(ctx.scope, input, { role: ctx.role, tenant: ctx.tenant });
    deliverAfterCommit(ctx);
    return invitation;
  }),
  resendInvitation: manage.input(invitationIdInput).mutation(async ({ ctx, input }) => {
    const invitation = await resendInvitation(ctx.scope, input.id, { role: ctx.role, tenant: ctx.tenant });
    deliverAfterCommit(ctx);
    return invitation;
  }),
  revokeInvitation: manage.input(invitationIdInput).mutation(({ ctx, input }) => revokeInvitation(ctx.scope, input.id)),
  updateRole: manage.input(updateMemberRoleInput).mutation(({ ctx, input }) => updateMemberRole(ctx.scope, input)),
  remove: manage.input(memberUserIdInput).mutation(({ ctx, input }) => removeMember(ctx.scope, input.userId)),
});

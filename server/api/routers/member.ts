import { inviteMemberInput, invitationIdInput, memberUserIdInput, updateMemberRoleInput } from "@/lib/schemas/member";
import { router, tenantProcedure } from "@/server/api/trpc";
import { removeMember, updateMemberRole } from "@/server/modules/member/change-member";
import { inviteMember, resendInvitation, revokeInvitation } from "@/server/modules/member/invite-member";
import { listMembers, listPendingInvitations } from "@/server/modules/member/list-members";

const read = tenantProcedure.meta({ permission: "member:read" });
const manage = tenantProcedure.meta({ permission: "member:manage" });

export const memberRouter = router({
  list: read.query(({ ctx }) => listMembers(ctx.scope)),
  invitations: manage.query(({ ctx }) => listPendingInvitations(ctx.scope)),
  invite: manage.input(inviteMemberInput).mutation(({ ctx, input }) => inviteMember(ctx.scope, input, { role: ctx.role, tenant: ctx.tenant })),
  resendInvitation: manage.input(invitationIdInput).mutation(({ ctx, input }) => resendInvitation(ctx.scope, input.id, { role: ctx.role, tenant: ctx.tenant })),
  revokeInvitation: manage.input(invitationIdInput).mutation(({ ctx, input }) => revokeInvitation(ctx.scope, input.id)),
  updateRole: manage.input(updateMemberRoleInput).mutation(({ ctx, input }) => updateMemberRole(ctx.scope, input)),
  remove: manage.input(memberUserIdInput).mutation(({ ctx, input }) => removeMember(ctx.scope, input.userId)),
});

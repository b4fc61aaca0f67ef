import { inviteMemberInput, invitationIdInput, memberUserIdInput, updateMemberRoleInput } from "@/lib/schemas/member";
import { directoryScopeOf, router, tenantProcedure, type TenantContext } from "@/server/api/trpc";
import { removeMember, updateMemberRole } from "@/server/modules/member/change-member";
import { inviteMember, resendInvitation, revokeInvitation } from "@/server/modules/member/invite-member";
import { listMembers, listPendingInvitations } from "@/server/modules/member/list-members";

const read = tenantProcedure.meta({ permission: "member:read" });
const manage = tenantProcedure.meta({ permission: "member:manage" });

const scope = (ctx: TenantContext) => ({ ...directoryScopeOf(ctx), role: ctx.role });

export const memberRouter = router({
  list: read.query(({ ctx }) => listMembers(scope(ctx))),
  invitations: manage.query(({ ctx }) => listPendingInvitations(scope(ctx))),
  invite: manage.input(inviteMemberInput).mutation(({ ctx, input }) => inviteMember(scope(ctx), ctx.tenant, input)),
  resendInvitation: manage.input(invitationIdInput).mutation(({ ctx, input }) => resendInvitation(scope(ctx), ctx.tenant, input.id)),
  revokeInvitation: manage.input(invitationIdInput).mutation(({ ctx, input }) => revokeInvitation(scope(ctx), input.id)),
  updateRole: manage.input(updateMemberRoleInput).mutation(({ ctx, input }) => updateMemberRole(scope(ctx), input)),
  remove: manage.input(memberUserIdInput).mutation(({ ctx, input }) => removeMember(scope(ctx), input.userId)),
});

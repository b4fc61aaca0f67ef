import { invitationTokenInput } from "@/lib/schemas/member";
import { router, tenantJoinProcedure } from "@/server/api/trpc";
import { acceptInvitation, previewInvitation } from "@/server/modules/invitation/accept-invitation";

const join = tenantJoinProcedure;

export const invitationRouter = router({
  preview: join.input(invitationTokenInput).query(async ({ ctx, input }) => {
    const { forCaller, ...preview } = await previewInvitation({ ...ctx.scope, userId: ctx.userId }, input.token);
    // The workspace's name only for its invitee, not for whoever holds or guesses a link.
    return { ...preview, tenantName: forCaller ? ctx.tenant.name : null, email: ctx.session.email };
  }),
  accept: join.input(invitationTokenInput).mutation(({ ctx, input }) => acceptInvitation({ ...ctx.scope, userId: ctx.userId }, input.token)),
});

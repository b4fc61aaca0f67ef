import { liveSupportSession } from "@/server/support-sessions";
import { router, tenantProcedure } from "@/server/api/trpc";
import { adminUrl } from "@/server/urls";
import { closeSupportSession } from "@/server/modules/admin/support-session";

const read = tenantProcedure.meta({ permission: "tenant:read" });

export const supportRouter = router({
  /** The caller's own live "view as tenant" session here, for the banner; null for members. */
  current: read.query(async ({ ctx }) => {
    if (!ctx.userId) return null;
    const session = await liveSupportSession(ctx.directoryDb, ctx.tenant.id, ctx.userId);
    return session ? { id: session.id, tenantId: ctx.tenant.id, reason: session.reason, readOnly: session.readOnly, expiresAt: session.expiresAt } : null;
  }),
  /**
   * "End support view" from the tenant's own pages: closes the caller's live session here (only
   * their own: the look-up is by the caller's id) and says where the admin console is. Ending one
   * that already expired is not an error: the admin just leaves.
   */
  end: read.mutation(async ({ ctx }) => {
    const session = ctx.userId ? await liveSupportSession(ctx.directoryDb, ctx.tenant.id, ctx.userId) : null;
    const closed = session && ctx.userId ? await closeSupportSession(ctx.scope, ctx.userId, session.id) : null;
    return { ended: closed !== null, consoleUrl: adminUrl(`/tenants/${ctx.tenant.id}`) };
  }),
});

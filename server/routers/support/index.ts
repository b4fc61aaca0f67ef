import { liveSupportSession } from "@/server/support-sessions";
import { router, tenantProcedure } from "@/server/trpc";

export const supportRouter = router({
  /** The caller's own live "view as tenant" session here, for the banner; null for members. */
  current: tenantProcedure.meta({ permission: "tenant:read" }).query(async ({ ctx }) => {
    if (!ctx.userId) return null;
    const session = await liveSupportSession(ctx.directoryDb, ctx.tenant.id, ctx.userId);
    return session ? { id: session.id, tenantId: ctx.tenant.id, reason: session.reason, readOnly: session.readOnly, expiresAt: session.expiresAt } : null;
  }),
});

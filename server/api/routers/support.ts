import { router, tenantProcedure } from "@/server/api/trpc";
import { currentSupportSession, endOwnSupportSession } from "@/server/modules/support/own-support-session";

const read = tenantProcedure.meta({ permission: "tenant:read" });

export const supportRouter = router({
  current: read.query(({ ctx }) => currentSupportSession(ctx.scope)),
  end: read.mutation(({ ctx }) => endOwnSupportSession(ctx.scope)),
});

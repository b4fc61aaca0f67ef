import { listAuditInput } from "@/lib/schemas/audit";
import { router, tenantProcedure } from "@/server/api/trpc";
import { listAudit } from "@/server/modules/audit/list-audit";

export const auditRouter = router({
  list: tenantProcedure
    .meta({ permission: "audit:read" })
    .input(listAuditInput)
    .query(({ ctx, input }) => listAudit(ctx.scope, input)),
});

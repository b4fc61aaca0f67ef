import { router, tenantProcedure } from "@/server/trpc";
import { listOutbox } from "./list-outbox";

export const outboxRouter = router({
  list: tenantProcedure.meta({ permission: "outbox:read" }).query(({ ctx }) => listOutbox({ tenantId: ctx.tenant.id, db: ctx.db })),
});

import { addDomainInput, domainIdInput } from "@/lib/schemas/domain";
import { router, tenantProcedure, tenantStepsProcedure } from "@/server/api/trpc";
import { addDomain, listDomains, removeDomain, verifyDomain } from "@/server/modules/domain/manage-domains";

const manage = tenantProcedure.meta({ permission: "domain:manage" });
// verify waits on DNS: it opens its own short transactions around the look-up instead of holding one.
const manageSteps = tenantStepsProcedure.meta({ permission: "domain:manage" });

export const domainRouter = router({
  list: manage.query(({ ctx }) => listDomains(ctx.scope)),
  add: manage.input(addDomainInput).mutation(({ ctx, input }) => addDomain(ctx.scope, input.domain)),
  verify: manageSteps
    .input(domainIdInput)
    .mutation(({ ctx, input }) => verifyDomain((fn) => ctx.transaction((t) => fn(t.scope)), input.id)),
  remove: manage.input(domainIdInput).mutation(({ ctx, input }) => removeDomain(ctx.scope, input.id)),
});

import { addDomainInput, domainIdInput } from "@/lib/schemas/domain";
import { directoryScopeOf, router, tenantProcedure } from "@/server/trpc";
import { addDomain, listDomains, removeDomain, verifyDomain } from "./manage-domains";

const manage = tenantProcedure.meta({ permission: "domain:manage" });

export const domainRouter = router({
  list: manage.query(({ ctx }) => listDomains(directoryScopeOf(ctx))),
  add: manage.input(addDomainInput).mutation(({ ctx, input }) => addDomain(directoryScopeOf(ctx), input.domain)),
  verify: manage.input(domainIdInput).mutation(({ ctx, input }) => verifyDomain(directoryScopeOf(ctx), input.id)),
  remove: manage.input(domainIdInput).mutation(({ ctx, input }) => removeDomain(directoryScopeOf(ctx), input.id)),
});

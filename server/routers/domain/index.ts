import { addDomainInput, domainIdInput } from "@/lib/schemas/domain";
import { router, scopeOf, tenantProcedure } from "@/server/trpc";
import { addDomain, listDomains, removeDomain, verifyDomain } from "./manage-domains";

const manage = tenantProcedure.meta({ permission: "domain:manage" });

export const domainRouter = router({
  list: manage.query(({ ctx }) => listDomains(scopeOf(ctx))),
  add: manage.input(addDomainInput).mutation(({ ctx, input }) => addDomain(scopeOf(ctx), input.domain)),
  verify: manage.input(domainIdInput).mutation(({ ctx, input }) => verifyDomain(scopeOf(ctx), input.id)),
  remove: manage.input(domainIdInput).mutation(({ ctx, input }) => removeDomain(scopeOf(ctx), input.id)),
});

import { saveSsoInput, setSsoRequiredInput, ssoDomainIdInput, ssoDomainInput } from "@/lib/schemas/sso";
import { directoryScopeOf, router, tenantProcedure, tenantStepsProcedure, type TenantStepsContext } from "@/server/api/trpc";
import { addSsoDomain, getSso, removeSso, removeSsoDomain, saveSso, setSsoRequired, testSso, verifySsoDomain, type StepsScope } from "@/server/modules/sso/manage-sso";

const manage = tenantProcedure.meta({ permission: "sso:manage" });
// Calls that wait on the network (the provider's discovery, DNS) open short transactions around the wait instead of holding one.
const manageSteps = tenantStepsProcedure.meta({ permission: "sso:manage" });
const steps = (ctx: TenantStepsContext): StepsScope => ({ tenantId: ctx.tenant.id, transaction: (fn) => ctx.transaction((tx) => fn(directoryScopeOf(tx))) });

export const ssoRouter = router({
  get: manage.query(({ ctx }) => getSso(directoryScopeOf(ctx))),
  save: manageSteps.input(saveSsoInput).mutation(({ ctx, input }) => saveSso(steps(ctx), input)),
  test: manageSteps.mutation(({ ctx }) => testSso(steps(ctx))),
  remove: manage.mutation(({ ctx }) => removeSso(directoryScopeOf(ctx))),
  setRequired: manage.input(setSsoRequiredInput).mutation(({ ctx, input }) => setSsoRequired(directoryScopeOf(ctx), input.required)),
  addDomain: manage.input(ssoDomainInput).mutation(({ ctx, input }) => addSsoDomain(directoryScopeOf(ctx), input.domain)),
  verifyDomain: manageSteps.input(ssoDomainIdInput).mutation(({ ctx, input }) => verifySsoDomain(steps(ctx), input.id)),
  removeDomain: manage.input(ssoDomainIdInput).mutation(({ ctx, input }) => removeSsoDomain(directoryScopeOf(ctx), input.id)),
});

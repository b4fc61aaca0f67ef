import { saveSsoInput, setSsoRequiredInput, ssoDomainIdInput, ssoDomainInput } from "@/lib/schemas/sso";
import { router, tenantProcedure, tenantStepsProcedure, type TenantStepsContext } from "@/server/api/trpc";
import type { TenantTransaction } from "@/server/modules/stepped-transaction";
import { addSsoDomain, getSso, removeSso, removeSsoDomain, saveSso, setSsoRequired, testSso, verifySsoDomain } from "@/server/modules/sso/manage-sso";

const manage = tenantProcedure.meta({ permission: "sso:manage" });
// Calls that wait on the network (the provider's discovery, DNS) open short transactions around the wait instead of holding one.
const manageSteps = tenantStepsProcedure.meta({ permission: "sso:manage" });
const steps = (ctx: TenantStepsContext): TenantTransaction => (fn) => ctx.transaction((t) => fn(t.scope));

export const ssoRouter = router({
  get: manage.query(({ ctx }) => getSso(ctx.scope)),
  save: manageSteps.input(saveSsoInput).mutation(({ ctx, input }) => saveSso(steps(ctx), input)),
  test: manageSteps.mutation(({ ctx }) => testSso(steps(ctx))),
  remove: manage.mutation(({ ctx }) => removeSso(ctx.scope)),
  setRequired: manage.input(setSsoRequiredInput).mutation(({ ctx, input }) => setSsoRequired(ctx.scope, input.required)),
  addDomain: manage.input(ssoDomainInput).mutation(({ ctx, input }) => addSsoDomain(ctx.scope, input.domain)),
  verifyDomain: manageSteps.input(ssoDomainIdInput).mutation(({ ctx, input }) => verifySsoDomain(steps(ctx), input.id)),
  removeDomain: manage.input(ssoDomainIdInput).mutation(({ ctx, input }) => removeSsoDomain(ctx.scope, input.id)),
});

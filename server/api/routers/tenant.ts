import { setMfaRequirementInput, updateTenantSettingsInput } from "@/lib/schemas/tenant-settings";
import { router, tenantProcedure } from "@/server/api/trpc";
import { currentTenant } from "@/server/modules/tenant/current-tenant";
import { getSellerParty, getTenantSettings } from "@/server/modules/tenant/get-tenant-settings";
import { getMfaRequirement, setMfaRequirement } from "@/server/modules/tenant/mfa-requirement";
import { checkedLogoInput, removeTenantLogo, setTenantLogo } from "@/server/modules/tenant/set-tenant-logo";
import { updateTenantSettings } from "@/server/modules/tenant/update-tenant-settings";

const read = tenantProcedure.meta({ permission: "settings:read" });
const manage = tenantProcedure.meta({ permission: "settings:manage" });

export const tenantRouter = router({
  current: tenantProcedure.meta({ permission: "tenant:read" }).query(({ ctx }) => currentTenant(ctx.tenant, ctx)),
  // Whoever may read invoices reads the seller they print (legal name, address, tax ID), API keys too:
  // it is on every invoice PDF they can fetch. The rest of the company settings stay person-only.
  seller: tenantProcedure.meta({ permission: "invoice:read" }).query(({ ctx }) => getSellerParty(ctx.scope, ctx.tenant.name)),
  security: router({
    get: read.query(({ ctx }) => getMfaRequirement(ctx.scope)),
    setMfaRequired: tenantProcedure
      .meta({ permission: "security:manage" })
      .input(setMfaRequirementInput)
      .mutation(({ ctx, input }) => setMfaRequirement(ctx.scope, input)),
  }),
  settings: router({
    get: read.query(({ ctx }) => getTenantSettings(ctx.scope)),
    update: manage.input(updateTenantSettingsInput).mutation(({ ctx, input }) => updateTenantSettings(ctx.scope, input)),
    setLogo: manage.input(checkedLogoInput).mutation(({ ctx, input }) => setTenantLogo(ctx.scope, input, ctx.afterCommit)),
    removeLogo: manage.mutation(({ ctx }) => removeTenantLogo(ctx.scope, ctx.afterCommit)),
  }),
});

import { updateTenantSettingsInput } from "@/lib/schemas/tenant-settings";
import { clearBrandingCache } from "@/server/branding";
import { directoryScopeOf, router, tenantProcedure, type TenantContext } from "@/server/api/trpc";
import { getSellerParty, getTenantSettings } from "@/server/modules/tenant/get-tenant-settings";
import { getMfaRequirement, setMfaRequirement, setMfaRequirementInput } from "@/server/modules/tenant/mfa-requirement";
import { checkedLogoInput, removeTenantLogo, setTenantLogo } from "@/server/modules/tenant/set-tenant-logo";
import { updateTenantSettings } from "@/server/modules/tenant/update-tenant-settings";

const read = tenantProcedure.meta({ permission: "settings:read" });
const manage = tenantProcedure.meta({ permission: "settings:manage" });

const scope = (ctx: TenantContext) => ({ tenantId: ctx.tenant.id, userId: ctx.userId, db: ctx.db });
// After commit: a read racing the transaction must not re-cache the logo it replaces.
const refreshBranding = (ctx: TenantContext) => ctx.afterCommit(() => Promise.resolve(clearBrandingCache(ctx.tenant.id)));

export const tenantRouter = router({
  current: tenantProcedure.meta({ permission: "tenant:read" }).query(({ ctx }) => ({
    id: ctx.tenant.id,
    slug: ctx.tenant.slug,
    name: ctx.tenant.name,
    status: ctx.tenant.status,
    /** The caller's role; null for an API key, which has scopes instead. */
    role: ctx.role,
    scopes: ctx.scopes ?? null,
  })),
  // Whoever may read invoices reads the seller they print (legal name, address, tax ID), API keys too:
  // it is on every invoice PDF they can fetch. The rest of the company settings stay person-only.
  seller: tenantProcedure
    .meta({ permission: "invoice:read" })
    .query(({ ctx }) => getSellerParty({ tenantId: ctx.tenant.id, db: ctx.db, tenantName: ctx.tenant.name })),
  security: router({
    get: read.query(({ ctx }) => getMfaRequirement({ tenantId: ctx.tenant.id, userId: ctx.userId, db: ctx.directoryDb })),
    setMfaRequired: tenantProcedure
      .meta({ permission: "security:manage" })
      .input(setMfaRequirementInput)
      .mutation(({ ctx, input }) => setMfaRequirement(directoryScopeOf(ctx), input)),
  }),
  settings: router({
    get: read.query(({ ctx }) => getTenantSettings(scope(ctx))),
    update: manage.input(updateTenantSettingsInput).mutation(({ ctx, input }) => updateTenantSettings(scope(ctx), input)),
    setLogo: manage.input(checkedLogoInput).mutation(async ({ ctx, input }) => {
      refreshBranding(ctx);
      return setTenantLogo(scope(ctx), input);
    }),
    removeLogo: manage.mutation(async ({ ctx }) => {
      refreshBranding(ctx);
      return removeTenantLogo(scope(ctx));
    }),
  }),
});

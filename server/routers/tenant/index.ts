import { router, tenantProcedure } from "@/server/trpc";

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
});

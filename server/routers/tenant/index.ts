import { router, tenantProcedure } from "@/server/trpc";

export const tenantRouter = router({
  current: tenantProcedure.meta({ permission: "tenant:read" }).query(({ ctx }) => ({
    id: ctx.tenant.id,
    slug: ctx.tenant.slug,
    name: ctx.tenant.name,
    status: ctx.tenant.status,
    role: ctx.role,
  })),
});

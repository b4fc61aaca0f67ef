import {
  adminSlugAvailableInput,
  changeTenantPlanInput,
  createTenantInput,
  deleteTenantInput,
  exportIdInput,
  importTenantInput,
  listExportsInput,
  listPlatformAuditInput,
  moveTenantInput,
  listTenantsInput,
  startSupportSessionInput,
  supportSessionIdInput,
  tenantIdInput,
} from "@/lib/schemas/admin";
import { platformAdminProcedure, router } from "@/server/api/trpc";
import { jobsRouter } from "@/server/api/routers/jobs";
import { changeTenantPlan, deleteTenant, getAdminTenant, purgeTenant, reactivateTenant, restoreTenant, suspendTenant } from "@/server/modules/admin/change-tenant";
import { adminSlugAvailability, createTenant } from "@/server/modules/admin/create-tenant";
import { listTenants, platformStats } from "@/server/modules/admin/list-tenants";
import { listPlatformAudit } from "@/server/modules/admin/platform-audit";
import { platformScopeOf as scope } from "@/server/modules/admin/platform-scope";
import { endSupportSession, startSupportSession } from "@/server/modules/admin/support-session";
import { loadByTenant } from "@/server/modules/admin/tenant-load";
import { getTenantPlacement, requestTenantMove } from "@/server/modules/admin/tenant-move";
import { getTenantExport, getTenantExportArchive, importTenantArchive, listTenantExports, requestTenantExport, runQueuedExportNow } from "@/server/modules/admin/tenant-archive";

const admin = platformAdminProcedure;

export const adminRouter = router({
  stats: admin.query(({ ctx }) => platformStats(scope(ctx))),
  jobs: jobsRouter,
  load: router({
    byTenant: admin.query(({ ctx }) => loadByTenant(scope(ctx))),
  }),
  audit: router({
    list: admin.input(listPlatformAuditInput).query(({ ctx, input }) => listPlatformAudit(scope(ctx), input)),
  }),
  tenants: router({
    list: admin.input(listTenantsInput).query(({ ctx, input }) => listTenants(scope(ctx), input)),
    byId: admin.input(tenantIdInput).query(({ ctx, input }) => getAdminTenant(scope(ctx), input.id)),
    slugAvailable: admin.input(adminSlugAvailableInput).query(({ ctx, input }) => adminSlugAvailability(scope(ctx), input.slug)),
    create: admin.input(createTenantInput).mutation(({ ctx, input }) => createTenant(scope(ctx), input)),
    suspend: admin.input(tenantIdInput).mutation(({ ctx, input }) => suspendTenant(scope(ctx), input.id)),
    reactivate: admin.input(tenantIdInput).mutation(({ ctx, input }) => reactivateTenant(scope(ctx), input.id)),
    changePlan: admin.input(changeTenantPlanInput).mutation(({ ctx, input }) => changeTenantPlan(scope(ctx), input.id, input.plan)),
    delete: admin.input(deleteTenantInput).mutation(({ ctx, input }) => deleteTenant(scope(ctx), input.id, input.purgeAfterDays)),
    restore: admin.input(tenantIdInput).mutation(({ ctx, input }) => restoreTenant(scope(ctx), input.id)),
    purge: admin.input(tenantIdInput).mutation(({ ctx, input }) => purgeTenant(scope(ctx), input.id)),
    export: admin.input(tenantIdInput).mutation(({ ctx, input }) => requestTenantExport(scope(ctx), input.id)),
    placement: admin.input(tenantIdInput).query(({ ctx, input }) => getTenantPlacement(scope(ctx), input.id)),
    move: admin.input(moveTenantInput).mutation(({ ctx, input }) => requestTenantMove(scope(ctx), input.id, input.target)),
    import: admin.input(importTenantInput).mutation(({ ctx, input }) => importTenantArchive(scope(ctx), input.archive)),
  }),
  support: router({
    start: admin.input(startSupportSessionInput).mutation(({ ctx, input }) => startSupportSession(scope(ctx), input)),
    end: admin.input(supportSessionIdInput).mutation(({ ctx, input }) => endSupportSession(scope(ctx), input.id)),
  }),
  exports: router({
    list: admin.input(listExportsInput).query(({ ctx, input }) => listTenantExports(scope(ctx), input.tenantId)),
    get: admin.input(exportIdInput).query(({ ctx, input }) => getTenantExport(scope(ctx), input.id)),
    archive: admin.input(exportIdInput).query(({ ctx, input }) => getTenantExportArchive(scope(ctx), input.id)),
    run: admin.input(exportIdInput).mutation(({ ctx, input }) => runQueuedExportNow(scope(ctx), input.id)),
  }),
});

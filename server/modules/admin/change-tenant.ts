import { sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { SHARED_PLACEMENT } from "@/db/placements";
import { withUser } from "@/db/tenant-transaction";
import { clearDirectoryCache } from "@/server/tenancy/directory";
import { AppError } from "@/server/errors";
import { planOf, type PlanId } from "@/lib/plans";
import type { PlatformAuditAction } from "@/lib/schemas/admin";
import { writePlatformAudit } from "@/server/modules/admin/platform-audit";
import type { PlatformScope } from "@/server/modules/admin/platform-scope";

type AdminTenantRow = {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  plan: string;
  created_at: string | Date;
  deleted_at: string | Date | null;
  purge_after: string | Date | null;
  [k: string]: unknown;
};

export async function findAdminTenant(tx: Transaction, id: string) {
  const [row] = await tx.execute<AdminTenantRow>(sql`select * from app_admin_tenant(${id})`);
  if (!row) return null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    plan: row.plan,
    createdAt: new Date(row.created_at),
    deletedAt: row.deleted_at === null ? null : new Date(row.deleted_at),
    purgeAfter: row.purge_after === null ? null : new Date(row.purge_after),
  };
}

/** Where the tenant's business rows live ("shared" or a dedicated database's name). */
export async function adminTenantPlacement(tx: Transaction, id: string): Promise<string> {
  const [row] = await tx.execute<{ placement: string | null }>(sql`select app_admin_tenant_placement(${id}) as placement`);
  return row?.placement ?? SHARED_PLACEMENT;
}

export async function getAdminTenant({ userId, directory }: PlatformScope, id: string) {
  const tenant = await withUser(directory, userId, (tx) => findAdminTenant(tx, id));
  if (!tenant) throw new AppError("NOT_FOUND", "Tenant not found");
  return tenant;
}

/**
 * Runs one lifecycle change and its platform audit entry in one transaction, then drops this
 * process's Host → tenant cache so the change shows at once here; the other servers hear of it
 * from the database (server/tenancy/directory.ts), the Edge middleware within its 1 s cache.
 */
async function lifecycle<T>({ userId, directory }: PlatformScope, tenantId: string, action: PlatformAuditAction, change: (tx: Transaction, tenant: NonNullable<Awaited<ReturnType<typeof findAdminTenant>>>) => Promise<{ result: T; details: Record<string, unknown> }>) {
  const result = await withUser(directory, userId, async (tx) => {
    const tenant = await findAdminTenant(tx, tenantId);
    if (!tenant) throw new AppError("NOT_FOUND", "Tenant not found");
    const outcome = await change(tx, tenant);
    await writePlatformAudit(tx, { actorUserId: userId, action, tenantId, details: { slug: tenant.slug, ...outcome.details } });
    return outcome.result;
  });
  clearDirectoryCache();
  return result;
}

async function setStatus(scope: PlatformScope, tenantId: string, status: "active" | "suspended") {
  return lifecycle(scope, tenantId, status === "suspended" ? "tenant.suspend" : "tenant.reactivate", async (tx, tenant) => {
    if (tenant.deletedAt) throw new AppError("INVALID_TRANSITION", "This tenant is deleted; restore it first");
    if (tenant.status === status) throw new AppError("INVALID_TRANSITION", status === "suspended" ? "This tenant is already suspended" : "This tenant is already active");
    await tx.execute(sql`select * from app_admin_set_tenant_status(${tenantId}, ${status})`);
    return { result: { id: tenantId, status }, details: { before: tenant.status, after: status } };
  });
}

export const suspendTenant = (scope: PlatformScope, tenantId: string) => setStatus(scope, tenantId, "suspended");
export const reactivateTenant = (scope: PlatformScope, tenantId: string) => setStatus(scope, tenantId, "active");

/**
 * Moves a tenant to another plan. A smaller plan is allowed even when the tenant is over its
 * quotas: nothing is removed, new rows are refused until it is back under them.
 */
export async function changeTenantPlan(scope: PlatformScope, tenantId: string, plan: PlanId) {
  return lifecycle(scope, tenantId, "tenant.plan", async (tx, tenant) => {
    if (tenant.deletedAt) throw new AppError("INVALID_TRANSITION", "This tenant is deleted; restore it first");
    if (tenant.plan === plan) throw new AppError("INVALID_TRANSITION", `This tenant is already on the ${planOf(plan).label} plan`);
    await tx.execute(sql`select * from app_admin_set_tenant_plan(${tenantId}, ${plan})`);
    return { result: { id: tenantId, plan }, details: { before: tenant.plan, after: plan } };
  });
}

const DAY_MS = 86_400_000;

/** Soft delete: the tenant stops resolving at once and can be restored until purgeAfter. */
export async function deleteTenant(scope: PlatformScope, tenantId: string, purgeAfterDays = 30) {
  return lifecycle(scope, tenantId, "tenant.delete", async (tx, tenant) => {
    if (tenant.deletedAt) throw new AppError("INVALID_TRANSITION", "This tenant is already deleted");
    const purgeAfter = new Date(Date.now() + purgeAfterDays * DAY_MS);
    await tx.execute(sql`select * from app_admin_delete_tenant(${tenantId}, ${purgeAfter.toISOString()}::timestamptz)`);
    return { result: { id: tenantId, purgeAfter }, details: { purgeAfter: purgeAfter.toISOString() } };
  });
}

export async function restoreTenant(scope: PlatformScope, tenantId: string) {
  return lifecycle(scope, tenantId, "tenant.restore", async (tx, tenant) => {
    if (!tenant.deletedAt) throw new AppError("INVALID_TRANSITION", "This tenant is not deleted");
    await tx.execute(sql`select * from app_admin_restore_tenant(${tenantId})`);
    return { result: { id: tenantId, status: tenant.status }, details: {} };
  });
}

/** Removes every row of the tenant (cascade). Only after a soft delete whose restore window has ended. */
export async function purgeTenant(scope: PlatformScope, tenantId: string) {
  return lifecycle(scope, tenantId, "tenant.purge", async (tx, tenant) => {
    if (!tenant.deletedAt || !tenant.purgeAfter) throw new AppError("INVALID_TRANSITION", "Delete the tenant before purging it");
    const placement = await adminTenantPlacement(tx, tenantId);
    if (placement !== SHARED_PLACEMENT) {
      throw new AppError("INVALID_TRANSITION", `Its rows live in "${placement}": move it back to the shared database first (npm run tenant:move -- ${tenant.slug} shared)`);
    }
    const purged = await tx.execute(sql`select * from app_admin_purge_tenant(${tenantId})`);
    if (purged.length === 0) {
      throw new AppError("INVALID_TRANSITION", `The restore window runs until ${tenant.purgeAfter.toISOString()}; purge is possible after that`);
    }
    return { result: { id: tenantId, purged: true }, details: { name: tenant.name } };
  });
}

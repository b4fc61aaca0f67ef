import { sql } from "drizzle-orm";
import type { PgTransactionConfig } from "drizzle-orm/pg-core";
import type { Database, Transaction } from "@/db/client";
import { SHARED_PLACEMENT } from "@/db/placements";
import { isPlacementMoved, withTenant, type TenantScope } from "@/db/tenant-transaction";
import { placementPools } from "./db";

/** The database holding the business rows of tenants with this placement. */
export function databaseFor(placement: string, shared: Database): Database {
  return placement === SHARED_PLACEMENT ? shared : placementPools().get(placement);
}

export type JobTenant = { id: string; status: string; deleted: boolean; placement: string };

/** A tenant's state and placement, read fresh from the shared directory (for jobs). */
export async function jobTenant(shared: Database, tenantId: string): Promise<JobTenant | null> {
  const [row] = await shared.execute<JobTenant>(sql`select id, status, deleted, placement from app_job_tenant(${tenantId})`);
  return row ?? null;
}

/**
 * Runs `fn` in the tenant's transaction on the database that holds its business rows (found in
 * the shared directory), through the move fence. If a move flips the placement between the look-up
 * and the transaction, the fence refuses before anything runs and the call goes to the new home.
 */
export async function withTenantData<T>(
  shared: Database,
  scope: Omit<TenantScope, "placement">,
  fn: (tx: Transaction, tenant: JobTenant) => Promise<T>,
  config?: PgTransactionConfig,
): Promise<T> {
  const attempt = async () => {
    const tenant = await jobTenant(shared, scope.tenantId);
    if (!tenant) throw new Error(`tenant ${scope.tenantId} not found`);
    return withTenant(databaseFor(tenant.placement, shared), { ...scope, placement: tenant.placement }, (tx) => fn(tx, tenant), config);
  };
  try {
    return await attempt();
  } catch (error) {
    if (!isPlacementMoved(error)) throw error;
    return attempt();
  }
}

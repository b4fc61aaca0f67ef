import { sql } from "drizzle-orm";
import type { PgTransactionConfig } from "drizzle-orm/pg-core";
import type { Database, Transaction } from "@/db/client";
import { SHARED_PLACEMENT } from "@/db/placements";
import { isPlacementMoved, withTenant, type TenantScope } from "@/db/tenant-transaction";
import { placementPools } from "@/server/tenancy/pools";

/** Runs `fn` on the database holding the business rows of tenants with this placement (a dedicated pool is leased for the duration). */
export function onPlacement<T>(placement: string, shared: Database, fn: (db: Database) => Promise<T>): Promise<T> {
  return placement === SHARED_PLACEMENT ? fn(shared) : placementPools().use(placement, fn);
}

export type JobTenant = { id: string; status: string; deleted: boolean; placement: string };

/** A tenant's state and placement, read fresh from the shared directory (a pool or a transaction on it). */
export async function jobTenant(shared: Database | Transaction, tenantId: string): Promise<JobTenant | null> {
  const [row] = await shared.execute<JobTenant>(sql`select id, status, deleted, placement from app_job_tenant(${tenantId})`);
  return row ?? null;
}

/**
 * Runs `fn` in the tenant's transaction on the database that holds its business rows (found in
 * the shared directory, or `opts.tenant` when the caller has just read it), through the move fence.
 * If a move flips the placement between the look-up and the transaction, the fence refuses before
 * anything runs and the call goes to the new home, read afresh.
 */
export async function withTenantData<T>(
  shared: Database,
  scope: Omit<TenantScope, "placement">,
  fn: (tx: Transaction, tenant: JobTenant) => Promise<T>,
  opts: { config?: PgTransactionConfig; tenant?: JobTenant } = {},
): Promise<T> {
  const attempt = async (known?: JobTenant) => {
    const tenant = known ?? (await jobTenant(shared, scope.tenantId));
    if (!tenant) throw new Error(`tenant ${scope.tenantId} not found`);
    return onPlacement(tenant.placement, shared, (data) =>
      withTenant(data, { ...scope, placement: tenant.placement }, (tx) => fn(tx, tenant), opts.config),
    );
  };
  try {
    return await attempt(opts.tenant);
  } catch (error) {
    if (!isPlacementMoved(error)) throw error;
    return attempt();
  }
}

/**
 * For directory work that also writes the tenant's business rows (an audit entry): runs `fn` on
 * `tx` itself when the tenant lives in the shared database (`tx` being a shared-database
 * transaction with app.tenant_id set), after passing the move fence there, else in a fenced
 * transaction on its dedicated database. Either way the entry lands where the tenant's rows are.
 */
export async function onTenantData<T>(shared: Database, tx: Transaction, tenantId: string, fn: (data: Transaction) => Promise<T>): Promise<T> {
  const placement = (await jobTenant(tx, tenantId))?.placement ?? SHARED_PLACEMENT;
  if (placement === SHARED_PLACEMENT) {
    await tx.execute(sql`select app_tenant_fence(${tenantId}::uuid, ${SHARED_PLACEMENT})`);
    return fn(tx);
  }
  return onPlacement(placement, shared, (data) => withTenant(data, { tenantId, placement }, fn));
}

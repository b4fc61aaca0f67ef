import { sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { SHARED_PLACEMENT } from "@/db/placements";
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

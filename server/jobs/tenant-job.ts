import { z } from "zod";
import type { Database, Transaction } from "@/db/client";
import { jobTenant, withTenantData } from "@/server/tenancy/placement";

/** Every tenant job's payload names its tenant explicitly; nothing is taken from ambient state. */
export const tenantJobPayload = z.looseObject({ tenantId: z.uuid() });
export type TenantJobPayload = z.infer<typeof tenantJobPayload>;

export class MissingTenantError extends Error {
  constructor(queue: string) {
    super(`A ${queue} job must carry a valid tenantId`);
    this.name = "MissingTenantError";
  }
}

/** Validates a tenant payload before anything else happens (enqueue and run both call it). */
export function parseTenantPayload<T extends Record<string, unknown>>(queue: string, data: unknown): T & TenantJobPayload {
  const parsed = tenantJobPayload.safeParse(data);
  if (!parsed.success) throw new MissingTenantError(queue);
  return parsed.data as T & TenantJobPayload;
}

export type TenantJobResult<T> = { status: "done"; value: T } | { status: "skipped"; reason: string };

/**
 * Runs work as one tenant, through the same transaction + set_config path the API uses, on the
 * database that holds the tenant's rows (its placement, through the move fence). A suspended or
 * deleted tenant is skipped (read from the shared directory first).
 */
export async function runAsTenant<T>(
  db: Database,
  queue: string,
  data: unknown,
  fn: (ctx: { tenantId: string; db: Transaction; payload: TenantJobPayload }) => Promise<T>,
): Promise<TenantJobResult<T>> {
  const payload = parseTenantPayload(queue, data);
  const tenant = await jobTenant(db, payload.tenantId);
  if (!tenant) return { status: "skipped", reason: "tenant not found" };
  if (tenant.deleted) return { status: "skipped", reason: "tenant deleted" };
  if (tenant.status !== "active") return { status: "skipped", reason: `tenant ${tenant.status}` };
  return withTenantData(db, { tenantId: payload.tenantId }, async (tx) => ({ status: "done", value: await fn({ tenantId: payload.tenantId, db: tx, payload }) }), { tenant });
}

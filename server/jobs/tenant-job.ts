import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database, Transaction } from "@/db/client";
import { tenants } from "@/db/schema/tenants";
import { withTenant } from "@/db/tenant-transaction";

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
 * Runs work as one tenant, through the same transaction + set_config path the API uses. A
 * suspended or deleted tenant is skipped; the tenant row itself is read under RLS, so a payload
 * naming another tenant than the one it is scoped to cannot happen.
 */
export async function runAsTenant<T>(
  db: Database,
  queue: string,
  data: unknown,
  fn: (ctx: { tenantId: string; db: Transaction; payload: TenantJobPayload }) => Promise<T>,
): Promise<TenantJobResult<T>> {
  const payload = parseTenantPayload(queue, data);
  return withTenant(db, { tenantId: payload.tenantId }, async (tx) => {
    const [tenant] = await tx.select({ status: tenants.status, deletedAt: tenants.deletedAt }).from(tenants).where(eq(tenants.id, payload.tenantId));
    if (!tenant) return { status: "skipped", reason: "tenant not found" };
    if (tenant.deletedAt) return { status: "skipped", reason: "tenant deleted" };
    if (tenant.status !== "active") return { status: "skipped", reason: `tenant ${tenant.status}` };
    return { status: "done", value: await fn({ tenantId: payload.tenantId, db: tx, payload }) };
  });
}

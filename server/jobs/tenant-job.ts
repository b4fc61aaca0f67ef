import { z } from "zod";
import type { Database } from "@/db/client";
import { enterTenant, type TenantScope } from "@/server/tenancy/enter-tenant";
import { jobTenant } from "@/server/tenancy/placement";

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
 * Runs a job's work as one tenant, entered like any request (server/tenancy/enter-tenant.ts) with
 * no person acting. A suspended or deleted tenant is skipped (read from the shared directory first).
 */
export async function runAsTenant<T>(
  db: Database,
  queue: string,
  data: unknown,
  fn: (ctx: { scope: TenantScope; payload: TenantJobPayload }) => Promise<T>,
): Promise<TenantJobResult<T>> {
  const payload = parseTenantPayload(queue, data);
  const tenant = await jobTenant(db, payload.tenantId);
  if (!tenant) return { status: "skipped", reason: "tenant not found" };
  if (tenant.deleted) return { status: "skipped", reason: "tenant deleted" };
  if (tenant.status !== "active") return { status: "skipped", reason: `tenant ${tenant.status}` };
  return enterTenant(db, { tenant }, async (scope) => ({ status: "done", value: await fn({ scope, payload }) }));
}

import { and, eq } from "drizzle-orm";
import { customers } from "@/db/schema/customers";
import { AppError } from "@/server/errors";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

/** One customer of the tenant, or NOT_FOUND (also for ids of other tenants: RLS hides them). */
export async function getCustomer({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, { id, lock = false }: { id: string; lock?: boolean }) {
  const query = data
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)))
    .limit(1);
  // Mutations lock the row they read, so two concurrent edits cannot both act on a stale 'before'.
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new AppError("NOT_FOUND", "Customer not found");
  return row;
}

import { and, eq } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { customers } from "@/db/schema/customers";
import { AppError } from "@/server/errors";

/** One customer of the tenant, or NOT_FOUND (also for ids of other tenants: RLS hides them). */
export async function getCustomer({ tenantId, db, id, lock = false }: { tenantId: string; db: Transaction; id: string; lock?: boolean }) {
  const query = db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)))
    .limit(1);
  // Mutations lock the row they read, so two concurrent edits cannot both act on a stale 'before'.
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new AppError("NOT_FOUND", "Customer not found");
  return row;
}

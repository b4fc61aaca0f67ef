import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { customers } from "@/db/schema/customers";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { getCustomer } from "@/server/modules/customer/get-customer";
import type { CreateCustomerInput, UpdateCustomerInput } from "@/lib/schemas/customer";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

/**
 * A field error before the insert: the unique index would also refuse it, but its error aborts
 * the transaction and could only say "That already exists". The index still settles races.
 */
async function assertNameFree({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, name: string, exceptId?: string) {
  const [taken] = await data
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), isNull(customers.archivedAt), sql`lower(${customers.name}) = lower(${name})`, exceptId ? ne(customers.id, exceptId) : undefined))
    .limit(1);
  if (taken) {
    const message = "A customer with this name already exists";
    throw new AppError("CONFLICT", message, { name: [message] });
  }
}

export async function createCustomer(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, input: CreateCustomerInput) {
  const { tenantId, userId, data } = scope;
  await assertNameFree(scope, input.name);
  const [row] = await data
    .insert(customers)
    .values({ tenantId, createdBy: userId, name: input.name, email: input.email, billingAddress: input.billingAddress, taxId: input.taxId, defaultCurrency: input.defaultCurrency })
    .returning();
  if (!row) throw new Error("insert returned no row");
  await writeAudit(data, { tenantId, actorUserId: userId, action: "customer.create", entityType: "customer", entityId: row.id, after: row });
  return row;
}

export async function updateCustomer(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, input: UpdateCustomerInput) {
  const { tenantId, userId, data } = scope;
  const before = await getCustomer(scope, { id: input.id, lock: true });
  if (!before.archivedAt) await assertNameFree(scope, input.name, input.id);
  const [row] = await data
    .update(customers)
    .set({ name: input.name, email: input.email, billingAddress: input.billingAddress, taxId: input.taxId, defaultCurrency: input.defaultCurrency })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, input.id)))
    .returning();
  if (!row) throw new AppError("NOT_FOUND", "Customer not found");
  await writeAudit(data, { tenantId, actorUserId: userId, action: "customer.update", entityType: "customer", entityId: row.id, before, after: row, keep: ["name"] });
  return row;
}

/** Archived customers leave the list and the invoice form's picker; invoices already linked keep them. */
export async function archiveCustomer(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, { id }: { id: string }) {
  const { tenantId, userId, data } = scope;
  const before = await getCustomer(scope, { id, lock: true });
  if (before.archivedAt) throw new AppError("INVALID_TRANSITION", "This customer is already archived");
  const [row] = await data
    .update(customers)
    .set({ archivedAt: new Date() })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)))
    .returning();
  if (!row) throw new AppError("NOT_FOUND", "Customer not found");
  await writeAudit(data, { tenantId, actorUserId: userId, action: "customer.archive", entityType: "customer", entityId: id, before, after: row, keep: ["name"] });
  return row;
}

import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { invoiceItems, invoices } from "@/db/schema/invoices";
import { AppError } from "@/server/errors";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

/** Sent and past due, judged by the database's date so every caller agrees on "today". */
export const overdueColumn = sql<boolean>`(${invoices.status} = 'sent' and ${invoices.dueDate} < current_date)`.as("overdue");

/** The invoice row alone, or NOT_FOUND (also for ids of other tenants: RLS hides them). */
export async function findInvoiceRow({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, { id, lock = false }: { id: string; lock?: boolean }) {
  const query = data
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, id)))
    .limit(1);
  // Transitions lock the row first: two concurrent calls cannot both see 'draft' and both act.
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new AppError("NOT_FOUND", "Invoice not found");
  return row;
}

export async function listInvoiceItems({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, invoiceId: string) {
  return data
    .select()
    .from(invoiceItems)
    .where(and(eq(invoiceItems.tenantId, tenantId), eq(invoiceItems.invoiceId, invoiceId)))
    .orderBy(asc(invoiceItems.position));
}

/** One invoice with its lines in order, or NOT_FOUND. */
export async function getInvoice(scope: Pick<TenantScope, "tenantId" | "data">, { id }: { id: string }) {
  const { tenantId, data } = scope;
  const [row] = await data
    .select({ ...getTableColumns(invoices), overdue: overdueColumn })
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, id)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "Invoice not found");
  return { ...row, items: await listInvoiceItems(scope, id) };
}

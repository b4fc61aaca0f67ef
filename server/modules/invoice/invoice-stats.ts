import { and, eq, sql } from "drizzle-orm";
import { invoices } from "@/db/schema/invoices";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

const sumWhere = (condition: ReturnType<typeof sql>) => sql<string>`coalesce(sum(${invoices.total}) filter (where ${condition}), 0)::text`;
const countWhere = (condition: ReturnType<typeof sql>) => sql<number>`(count(*) filter (where ${condition}))::int`;

const invoiced = sql`${invoices.status} in ('sent', 'paid')`;
const paid = sql`${invoices.status} = 'paid'`;
const outstanding = sql`${invoices.status} = 'sent'`;
const overdue = sql`${invoices.status} = 'sent' and ${invoices.dueDate} < current_date`;
/**
 * The day the money arrived: the payment date the user recorded, else (invoices paid before dates
 * were recorded) the day it was marked paid. Months are the database's clock (UTC by default).
 */
export const paidDay = sql`coalesce(${invoices.paidOn}, ${invoices.paidAt}::date)`;
const paidThisMonth = sql`${invoices.status} = 'paid' and ${paidDay} >= date_trunc('month', now())::date and ${paidDay} < (date_trunc('month', now()) + interval '1 month')::date`;

/** Totals per currency, of the whole tenant or one project (amounts in different currencies never add up). Sums come back as text so no bigint is lost. */
export async function getInvoiceStats({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, { projectId }: { projectId?: string | undefined } = {}) {
  const rows = await data
    .select({
      currency: invoices.currency,
      invoiced: sumWhere(invoiced),
      invoicedCount: countWhere(invoiced),
      paid: sumWhere(paid),
      paidCount: countWhere(paid),
      outstanding: sumWhere(outstanding),
      outstandingCount: countWhere(outstanding),
      overdue: sumWhere(overdue),
      overdueCount: countWhere(overdue),
      paidThisMonth: sumWhere(paidThisMonth),
      paidThisMonthCount: countWhere(paidThisMonth),
    })
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), projectId ? eq(invoices.projectId, projectId) : undefined))
    .groupBy(invoices.currency)
    .orderBy(invoices.currency);
  return {
    currencies: rows.map((r) => ({
      ...r,
      invoiced: BigInt(r.invoiced),
      paid: BigInt(r.paid),
      outstanding: BigInt(r.outstanding),
      overdue: BigInt(r.overdue),
      paidThisMonth: BigInt(r.paidThisMonth),
    })),
  };
}

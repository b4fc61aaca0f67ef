import { eq, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { invoices } from "@/db/schema/invoices";

const sumWhere = (condition: ReturnType<typeof sql>) => sql<string>`coalesce(sum(${invoices.total}) filter (where ${condition}), 0)::text`;
const countWhere = (condition: ReturnType<typeof sql>) => sql<number>`(count(*) filter (where ${condition}))::int`;

const outstanding = sql`${invoices.status} = 'sent'`;
const overdue = sql`${invoices.status} = 'sent' and ${invoices.dueDate} < current_date`;
// The month is the database's (UTC in a default deployment), the same clock that stamped paid_at.
const paidThisMonth = sql`${invoices.status} = 'paid' and ${invoices.paidAt} >= date_trunc('month', now()) and ${invoices.paidAt} < date_trunc('month', now()) + interval '1 month'`;

/** Totals per currency (amounts in different currencies never add up). Sums come back as text so no bigint is lost. */
export async function getInvoiceStats({ tenantId, db }: { tenantId: string; db: Transaction }) {
  const rows = await db
    .select({
      currency: invoices.currency,
      outstanding: sumWhere(outstanding),
      outstandingCount: countWhere(outstanding),
      overdue: sumWhere(overdue),
      overdueCount: countWhere(overdue),
      paidThisMonth: sumWhere(paidThisMonth),
      paidThisMonthCount: countWhere(paidThisMonth),
    })
    .from(invoices)
    .where(eq(invoices.tenantId, tenantId))
    .groupBy(invoices.currency)
    .orderBy(invoices.currency);
  return {
    currencies: rows.map((r) => ({
      ...r,
      outstanding: BigInt(r.outstanding),
      overdue: BigInt(r.overdue),
      paidThisMonth: BigInt(r.paidThisMonth),
    })),
  };
}

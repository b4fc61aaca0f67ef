import { sql } from "drizzle-orm";
import { paidDay } from "@/server/modules/invoice/invoice-stats";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

type Row = { month: string; currency: string | null; total: string | null; count: number; [k: string]: unknown };

/**
 * Paid totals per calendar month of the payment date (`paid_on`, else the day it was marked paid;
 * the database's clock, as for "paid this month") and currency,
 * for the current month and the 11 before it. Every month is present, with 0 where nothing was
 * paid, so a chart needs no gap-filling. Sums come back as text so no bigint is lost.
 */
export async function getRevenueByMonth({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">) {
  const rows = await data.execute<Row>(sql`
    with months as (
      select generate_series(date_trunc('month', now()) - interval '11 months', date_trunc('month', now()), interval '1 month') as month
    ),
    paid as (
      select date_trunc('month', paid_day) as month, currency, sum(total)::text as total, count(*)::int as count
      from (select currency, total, ${paidDay} as paid_day from invoices where tenant_id = ${tenantId} and status = 'paid') i
      where paid_day >= (date_trunc('month', now()) - interval '11 months')::date
      group by 1, 2
    )
    select to_char(m.month, 'YYYY-MM') as month, p.currency, p.total, coalesce(p.count, 0) as count
    from months m left join paid p on p.month = m.month
    order by m.month, p.currency`);

  const months = [...new Set(rows.map((r) => r.month))];
  const byCurrency = new Map<string, { currency: string; totals: bigint[]; counts: number[] }>();
  for (const r of rows) {
    if (!r.currency || r.total === null) continue;
    let series = byCurrency.get(r.currency);
    if (!series) {
      series = { currency: r.currency, totals: months.map(() => 0n), counts: months.map(() => 0) };
      byCurrency.set(r.currency, series);
    }
    const i = months.indexOf(r.month);
    series.totals[i] = BigInt(r.total);
    series.counts[i] = r.count;
  }
  return { months, currencies: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
}

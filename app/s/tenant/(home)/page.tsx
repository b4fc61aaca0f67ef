import type { Metadata } from "next";
import Link from "next/link";
import { formatMoney, type Currency } from "@/lib/money";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { workspacePrincipal } from "@/server/workspace-principal";
import { describeEntry } from "../_components/audit-format";
import { AuditSentenceText } from "../_components/audit-sentence";
import { EmptyState, PageHeader, TextLink, buttonClass } from "../_components/ui";
import { RevenueChart } from "../revenue-chart";

export const metadata: Metadata = { title: "Dashboard" };

const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function DashboardPage() {
  const caller = await serverCaller();
  const [{ tenant, allows }, stats, revenue] = await pageCall(() => Promise.all([workspacePrincipal(), caller.invoice.stats(), caller.invoice.revenueByMonth()]));
  const activity = allows("audit:read") ? await pageCall(() => caller.audit.list({ limit: 8 })) : null;

  return (
    <div className="space-y-8">
      <PageHeader
        title="Dashboard"
        description={tenant.name}
        actions={
          allows("invoice:write") ? (
            <Link href="/invoices/new" className={buttonClass()}>
              New invoice
            </Link>
          ) : null
        }
      />

      <section aria-labelledby="totals-heading">
        <h2 id="totals-heading" className="text-lg font-semibold">
          Totals
        </h2>
        {stats.currencies.length === 0 ? (
          <EmptyState title="No invoices yet" action={allows("invoice:write") ? <TextLink href="/invoices/new">Create your first invoice</TextLink> : null} />
        ) : (
          <div className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {stats.currencies.map((c) => {
              const currency = c.currency as Currency;
              return (
                <article key={c.currency} className="rounded-md border border-slate-200 bg-white p-4" aria-labelledby={`cur-${c.currency}`}>
                  <h3 id={`cur-${c.currency}`} className="text-sm font-semibold text-slate-500">
                    {c.currency}
                  </h3>
                  <dl className="mt-2 space-y-2">
                    <div className="flex items-baseline justify-between gap-2">
                      <dt className="text-sm text-slate-600">Outstanding ({c.outstandingCount})</dt>
                      <dd className="font-semibold tabular-nums" data-testid={`outstanding-${c.currency}`}>
                        {formatMoney(c.outstanding, currency)}
                      </dd>
                    </div>
                    <div className="flex items-baseline justify-between gap-2">
                      <dt className="text-sm text-slate-600">Overdue ({c.overdueCount})</dt>
                      <dd className={`font-semibold tabular-nums ${c.overdueCount > 0 ? "text-red-700" : ""}`} data-testid={`overdue-${c.currency}`}>
                        {formatMoney(c.overdue, currency)}
                      </dd>
                    </div>
                    <div className="flex items-baseline justify-between gap-2">
                      <dt className="text-sm text-slate-600">Paid this month ({c.paidThisMonthCount})</dt>
                      <dd className="font-semibold tabular-nums text-emerald-800" data-testid={`paid-this-month-${c.currency}`}>
                        {formatMoney(c.paidThisMonth, currency)}
                      </dd>
                    </div>
                  </dl>
                </article>
              );
            })}
          </div>
        )}
      </section>

      <section aria-labelledby="revenue-heading" className="rounded-md border border-slate-200 bg-white p-4">
        <h2 id="revenue-heading" className="mb-3 text-lg font-semibold">
          Revenue by month
        </h2>
        <RevenueChart
          months={revenue.months}
          series={revenue.currencies.map((s) => ({ currency: s.currency as Currency, totals: s.totals.map(String) }))}
        />
      </section>

      {activity ? (
        <section aria-labelledby="activity-heading">
          <div className="flex items-baseline justify-between">
            <h2 id="activity-heading" className="text-lg font-semibold">
              Recent activity
            </h2>
            <TextLink href="/audit">Full audit log</TextLink>
          </div>
          {activity.items.length === 0 ? (
            <EmptyState title="Nothing has happened yet" />
          ) : (
            <ol className="mt-3 divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
              {activity.items.map((entry) => (
                <li key={entry.id} className="flex flex-col gap-1 px-4 py-2 text-sm sm:flex-row sm:justify-between sm:gap-4">
                  <p className="min-w-0 break-words">
                    <AuditSentenceText sentence={describeEntry(entry)} />
                  </p>
                  <time dateTime={entry.createdAt.toISOString()} className="shrink-0 text-slate-600">
                    {dateTime.format(entry.createdAt)} UTC
                  </time>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
    </div>
  );
}

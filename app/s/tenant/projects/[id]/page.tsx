import type { Metadata } from "next";
import Link from "next/link";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { formatMoney, type Currency } from "@/lib/money";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { pageId, workspacePrincipal } from "@/server/workspace-principal";
import { EmptyState, PageHeader, StatusBadge, Truncated, buttonClass } from "../../_components/ui";
import { ProjectActions } from "../project-actions";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  const caller = await serverCaller();
  const [{ allows }, project, invoices, stats] = await pageCall(
    () =>
      Promise.all([
        workspacePrincipal(),
        caller.project.byId({ id }),
        caller.invoice.list({ projectId: id, sort: "number", direction: "desc", limit: 100 }),
        caller.invoice.stats({ projectId: id }),
      ]),
    `/projects/${id}`,
  );

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/projects" className="text-emerald-800 hover:underline">
          ← Projects
        </Link>
      </nav>
      <PageHeader
        title={project.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={project.status} />
            {project.description ? <span className="min-w-0">{project.description}</span> : null}
          </span>
        }
        actions={
          <>
            <ProjectActions project={project} canWrite={allows("project:write")} canDelete={allows("project:delete")} afterDelete="/projects" />
            {allows("invoice:write") && project.status === "active" ? (
              <Link href={`/invoices/new?project=${project.id}`} className={buttonClass()}>
                New invoice
              </Link>
            ) : null}
          </>
        }
      />

      <section aria-labelledby="project-totals">
        <h2 id="project-totals" className="text-lg font-semibold">
          Totals
        </h2>
        {stats.currencies.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No invoices yet.</p>
        ) : (
          <div className="mt-2 rounded-md border border-slate-200 bg-white">
            {/* Below sm each currency stacks its four sums, labelled, instead of scrolling them out of sight;
                the elements stay a table for screen readers. */}
            <table className="block w-full text-sm sm:table">
              <caption className="sr-only">Totals per currency for {project.name}</caption>
              <thead className="sr-only bg-slate-50 text-left text-slate-600 sm:not-sr-only sm:table-header-group">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Currency
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Invoiced
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Paid
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Outstanding
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Overdue
                  </th>
                </tr>
              </thead>
              <tbody className="block divide-y divide-slate-100 sm:table-row-group">
                {stats.currencies.map((c) => {
                  const cur = c.currency as Currency;
                  return (
                    <tr key={c.currency} className="grid gap-1 px-3 py-2 sm:table-row sm:p-0">
                      <th scope="row" className="text-left font-medium sm:px-3 sm:py-2">
                        {c.currency}
                      </th>
                      {(
                        [
                          ["Invoiced", c.invoiced, ""],
                          ["Paid", c.paid, ""],
                          ["Outstanding", c.outstanding, ""],
                          ["Overdue", c.overdue, c.overdueCount > 0 ? "text-red-700" : ""],
                        ] as const
                      ).map(([name, value, tone]) => (
                        <td key={name} className={`flex justify-between gap-3 tabular-nums sm:table-cell sm:px-3 sm:py-2 sm:text-right ${tone}`}>
                          <span aria-hidden className="text-slate-600 sm:hidden">
                            {name}
                          </span>
                          <span className="min-w-0 wrap-anywhere">{formatMoney(value, cur)}</span>
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <p className="mt-1 text-xs text-slate-500">Invoiced counts sent and paid invoices; drafts and void invoices are left out.</p>
      </section>

      <section aria-labelledby="project-invoices">
        <div className="flex items-baseline justify-between">
          <h2 id="project-invoices" className="text-lg font-semibold">
            Invoices
          </h2>
          {invoices.total > invoices.items.length ? (
            <Link href={`/invoices?project=${project.id}`} className="text-sm text-emerald-800 hover:underline">
              All {invoices.total} invoices
            </Link>
          ) : null}
        </div>
        {invoices.items.length === 0 ? (
          <EmptyState title="No invoices for this project" />
        ) : (
          <ul className="mt-2 divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
            {invoices.items.map((inv) => (
              <li key={inv.id} className="flex items-center gap-2 px-4 py-2 text-sm">
                <Link href={`/invoices/${inv.id}`} className="shrink-0 font-medium text-emerald-900 hover:underline">
                  {formatInvoiceNumber(inv.number, inv.numberPrefix)}
                </Link>
                {/* The customer gives way (cut, whole in title and to screen readers); number, status and total stay. */}
                <Truncated text={inv.customerName} className="min-w-0 flex-1" />
                <StatusBadge status={inv.overdue ? "overdue" : inv.status} />
                <span className="shrink-0 whitespace-nowrap tabular-nums">{formatMoney(inv.total, inv.currency as Currency)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { INVOICE_PAGE_SIZE, invoiceFiltersQuery, readInvoiceFilters, type InvoiceFilters } from "@/lib/invoice-list-params";
import { formatMoney, type Currency } from "@/lib/money";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { workspacePrincipal } from "@/server/workspace-principal";
import { EmptyState, PageHeader, StatusBadge, Truncated, buttonClass } from "../../_components/ui";
import { InvoiceFiltersForm } from "../invoice-filters";
import { projectChoices } from "../load-project-choices";

export const metadata: Metadata = { title: "Invoices" };

const columns: { key: InvoiceFilters["sort"] | null; label: string; className?: string }[] = [
  { key: "number", label: "Number" },
  { key: null, label: "Customer" },
  { key: null, label: "Status" },
  { key: "issueDate", label: "Issued", className: "hidden lg:table-cell" },
  { key: "dueDate", label: "Due" },
  { key: "total", label: "Total", className: "text-right" },
];

const shortDate = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" });

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { filters, page, ignored } = readInvoiceFilters(await searchParams);
  const caller = await serverCaller();
  const [{ allows }, list, projects] = await pageCall(
    () =>
      Promise.all([
        workspacePrincipal(),
        caller.invoice.list({ ...filters, limit: INVOICE_PAGE_SIZE, offset: (page - 1) * INVOICE_PAGE_SIZE }),
        projectChoices(caller, { selectedId: filters.projectId }),
      ]),
    "/invoices",
  );
  const pages = Math.max(1, Math.ceil(list.total / INVOICE_PAGE_SIZE));
  const filtered = Boolean(filters.status || filters.customer || filters.projectId || filters.issueDateFrom || filters.issueDateTo);
  const sortHref = (key: InvoiceFilters["sort"]) =>
    `/invoices${invoiceFiltersQuery({ ...filters, sort: key, direction: filters.sort === key && filters.direction === "desc" ? "asc" : "desc" })}`;

  return (
    <div className="space-y-4">
      <PageHeader
        title="Invoices"
        description={`${list.total} ${list.total === 1 ? "invoice" : "invoices"}${filtered ? " match these filters" : ""}`}
        actions={
          <>
            <a href={`/api/invoices/export${invoiceFiltersQuery(filters)}`} className={buttonClass("secondary")} download>
              Export CSV
            </a>
            {allows("invoice:write") ? (
              <Link href="/invoices/new" className={buttonClass()}>
                New invoice
              </Link>
            ) : null}
          </>
        }
      />
      <InvoiceFiltersForm key={JSON.stringify(filters)} filters={filters} projects={projects} />
      {ignored.length > 0 ? (
        <p role="status" className="text-sm text-amber-800">
          Ignored invalid filter{ignored.length > 1 ? "s" : ""}: {ignored.join(", ")}.
        </p>
      ) : null}

      {list.items.length === 0 ? (
        <EmptyState
          title={filtered ? "No invoices match these filters" : page > 1 ? "This page is empty" : "No invoices yet"}
          action={
            filtered || page > 1 ? (
              <Link href="/invoices" className="text-emerald-800 underline">
                Show all invoices
              </Link>
            ) : allows("invoice:write") ? (
              <Link href="/invoices/new" className={buttonClass()}>
                Create an invoice
              </Link>
            ) : null
          }
        />
      ) : (
        <>
          {/* Narrow screens: one card per invoice, so number, status and total never scroll out of sight. */}
          <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white md:hidden" aria-label="Invoices">
            {list.items.map((inv) => (
              <li key={inv.id} className="px-3 py-3 text-sm" data-testid="invoice-card">
                <div className="flex items-center gap-2">
                  <Link href={`/invoices/${inv.id}`} className="shrink-0 font-medium text-emerald-900 hover:underline">
                    {formatInvoiceNumber(inv.number, inv.numberPrefix)}
                  </Link>
                  <StatusBadge status={inv.overdue ? "overdue" : inv.status} />
                  <span className="ml-auto shrink-0 whitespace-nowrap font-medium tabular-nums">{formatMoney(inv.total, inv.currency as Currency)}</span>
                </div>
                <Truncated text={inv.customerName} className="mt-1 text-slate-800" />
                {inv.projectName ? <Truncated text={inv.projectName} className="text-xs text-slate-500" /> : null}
                <p className="mt-1 text-xs text-slate-600">
                  Issued {shortDate(inv.issueDate)} · Due <span className={inv.overdue ? "font-semibold text-red-700" : ""}>{shortDate(inv.dueDate)}</span>
                </p>
              </li>
            ))}
          </ul>
          <div className="hidden rounded-md border border-slate-200 bg-white md:block">
            <table className="w-full text-sm">
              <caption className="sr-only">Invoices, sorted by {filters.sort} {filters.direction === "asc" ? "ascending" : "descending"}</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  {columns.map((col) => (
                    <th
                      key={col.label}
                      scope="col"
                      className={`whitespace-nowrap px-3 py-2 font-medium ${col.className ?? ""}`}
                      aria-sort={col.key && filters.sort === col.key ? (filters.direction === "asc" ? "ascending" : "descending") : undefined}
                    >
                      {col.key ? (
                        <Link href={sortHref(col.key)} className="hover:underline">
                          {col.label}
                          {filters.sort === col.key ? <span aria-hidden>{filters.direction === "asc" ? " ↑" : " ↓"}</span> : null}
                        </Link>
                      ) : (
                        col.label
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.items.map((inv) => (
                  <tr key={inv.id} data-testid="invoice-row">
                    <td className="whitespace-nowrap px-3 py-2 font-medium">
                      <Link href={`/invoices/${inv.id}`} className="text-emerald-900 hover:underline">
                        {formatInvoiceNumber(inv.number, inv.numberPrefix)}
                      </Link>
                    </td>
                    {/* w-full with max-w-0: the customer takes what the other columns leave, and is cut there, not them. */}
                    <td className="w-full max-w-0 px-3 py-2">
                      <Truncated text={inv.customerName} />
                      {inv.projectName ? <Truncated text={inv.projectName} className="text-xs text-slate-500" /> : null}
                    </td>
                    <td className="px-3 py-2">
                      <StatusBadge status={inv.overdue ? "overdue" : inv.status} />
                    </td>
                    <td className="hidden whitespace-nowrap px-3 py-2 text-slate-600 lg:table-cell">{shortDate(inv.issueDate)}</td>
                    <td className="whitespace-nowrap px-3 py-2 text-slate-600">{shortDate(inv.dueDate)}</td>
                    <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatMoney(inv.total, inv.currency as Currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {list.total > INVOICE_PAGE_SIZE ? (
        <nav aria-label="Pagination" className="flex items-center justify-between gap-2 text-sm">
          {page > 1 ? (
            <Link href={`/invoices${invoiceFiltersQuery(filters, page - 1)}`} className={buttonClass("secondary")} rel="prev">
              Previous
            </Link>
          ) : (
            <span />
          )}
          <span className="text-slate-600">
            Page {page} of {pages}
          </span>
          {list.nextOffset !== null ? (
            <Link href={`/invoices${invoiceFiltersQuery(filters, page + 1)}`} className={buttonClass("secondary")} rel="next">
              Next
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { formatDay, utcDay } from "@/lib/calendar-day";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { billToDetails } from "@/lib/invoice-parties";
import { paymentMethodLabels } from "@/lib/schemas/invoice";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { pageId, workspacePrincipal } from "@/server/workspace-principal";
import { InvoiceLines } from "../../_components/invoice-lines";
import { InvoiceParties } from "../../_components/invoice-parties";
import { InvoiceHeading } from "../../_components/invoice-heading";
import { InvoiceActions } from "./invoice-actions";
import { PublicLinkPanel } from "./public-link-panel";

export const metadata: Metadata = { title: "Invoice" };

const day = formatDay;
const stamp = (d: Date) => d.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  const caller = await serverCaller();
  const [{ tenant, allows }, invoice, latest, seller] = await pageCall(
    () =>
      Promise.all([workspacePrincipal(), caller.invoice.byId({ id }), caller.invoice.list({ sort: "number", direction: "desc", limit: 1 }), caller.tenant.seller()]),
    `/invoices/${id}`,
  );
  const project = invoice.projectId ? await pageCall(() => caller.project.byId({ id: invoice.projectId! })) : null;
  const draftCustomer = invoice.status === "draft" && invoice.customerId ? await pageCall(() => caller.customer.byId({ id: invoice.customerId! })) : null;
  const billTo = billToDetails(invoice, draftCustomer);
  const label = formatInvoiceNumber(invoice.number, invoice.numberPrefix);
  const method = invoice.paymentMethod ? paymentMethodLabels[invoice.paymentMethod] : null;
  const paidOn = invoice.paidOn ?? (invoice.paidAt ? utcDay(invoice.paidAt) : null);
  // The server's rule (markInvoiceUnpaid): only a payment dated in the current month (UTC) can be undone.
  const canUndoPayment = invoice.status === "paid" && paidOn !== null && paidOn >= `${utcDay(new Date()).slice(0, 8)}01`;

  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm print:hidden">
        <Link href="/invoices" className="text-emerald-800 hover:underline">
          ← Invoices
        </Link>
      </nav>
      <div className="flex flex-wrap items-center justify-end gap-2 print:hidden">
        <InvoiceActions
          invoice={{ id: invoice.id, status: invoice.status, customerEmail: invoice.customerEmail, issueDate: invoice.issueDate }}
          label={label}
          canWrite={allows("invoice:write")}
          isLatest={latest.items[0]?.id === invoice.id}
          canUndoPayment={canUndoPayment}
          paymentSummary={invoice.paidOn ? `${day(invoice.paidOn)}${method ? `, ${method.toLowerCase()}` : ""}` : null}
        />
      </div>

      {invoice.status === "sent" || invoice.status === "paid" ? <PublicLinkPanel invoiceId={invoice.id} label={label} canWrite={allows("invoice:write")} /> : null}

      <article className="rounded-md border border-slate-200 bg-white p-4 sm:p-6 print:border-0 print:p-0" aria-labelledby="invoice-title">
        <header className="flex flex-wrap items-start justify-between gap-4">
          <InvoiceHeading
            eyebrow={tenant.name}
            label={label}
            status={invoice.status}
            overdue={invoice.overdue}
            testIds={{ number: "invoice-number" }}
            dates={[
              { term: "Issued", value: day(invoice.issueDate) },
              { term: "Due", value: day(invoice.dueDate), alert: invoice.overdue },
              ...(invoice.sentAt ? [{ term: "Sent", value: stamp(invoice.sentAt) }] : []),
              ...(invoice.paidOn
                ? [{ term: "Paid", value: day(invoice.paidOn), testId: "invoice-paid-on" }]
                : invoice.paidAt
                  ? [{ term: "Paid", value: stamp(invoice.paidAt) }]
                  : []),
              ...(method ? [{ term: "Method", value: method, testId: "invoice-payment-method" }] : []),
              ...(invoice.voidedAt ? [{ term: "Voided", value: stamp(invoice.voidedAt) }] : []),
            ]}
          />
        </header>

        <InvoiceParties
          seller={{ name: seller.name, address: seller.postalAddress, taxId: seller.taxId }}
          buyer={{
            name: invoice.customerId ? (
              <Link href={`/customers/${invoice.customerId}`} className="text-emerald-800 hover:underline print:text-slate-900 print:no-underline">
                {invoice.customerName}
              </Link>
            ) : (
              invoice.customerName
            ),
            address: billTo.address,
            taxId: billTo.taxId,
          }}
          buyerEmail={invoice.customerEmail}
          buyerNote={draftCustomer ? <p className="mt-1 text-xs text-slate-500 print:hidden">The customer’s details are copied onto the invoice when it is sent.</p> : null}
        >
          {project ? (
            <div className="min-w-0 wrap-anywhere">
              <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Project</h2>
              <p className="mt-1">
                <Link href={`/projects/${project.id}`} className="text-emerald-800 hover:underline print:text-slate-900 print:no-underline">
                  {project.name}
                </Link>
              </p>
            </div>
          ) : null}
        </InvoiceParties>

        <InvoiceLines label={label} currency={invoice.currency} items={invoice.items} subtotal={invoice.subtotal} taxTotal={invoice.taxTotal} total={invoice.total} totalTestId="invoice-total" />
      </article>
    </div>
  );
}

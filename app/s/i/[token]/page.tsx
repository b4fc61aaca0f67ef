import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { formatDay } from "@/lib/calendar-day";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { formatMoney, type Currency } from "@/lib/money";
import { getDb } from "@/server/tenancy/pools";
import { chargePublicView, publicInvoiceView } from "@/server/invoice-links/public-invoice";
import { requestAddress, requestHost } from "@/server/invoice-links/request";
import { InvoiceLines } from "@/app/s/tenant/_components/invoice-lines";
import { InvoiceParties } from "@/app/s/tenant/_components/invoice-parties";
import { InvoiceHeading } from "@/app/s/tenant/_components/invoice-heading";
import { buttonClass } from "@/app/s/tenant/_components/ui";

export const dynamic = "force-dynamic";
// The URL is a bearer token: keep it out of search engines (next.config also sends X-Robots-Tag and no-referrer for /i/).
export const metadata: Metadata = { title: "Invoice", robots: { index: false, follow: false } };

/**
 * An invoice as its customer sees it, opened by the link in the invoice email: no sign-in, read
 * only, this one invoice of this host's tenant. Outside the tenant layout on purpose (it refuses
 * non-members); the middleware rewrites `/i/*` on tenant hosts here and nowhere else.
 */
export default async function PublicInvoicePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const h = await headers();
  // Paid per client address before any look-up, so guessing tokens is throttled like other anonymous traffic.
  const wait = await chargePublicView(requestAddress(h));
  if (wait > 0) {
    return (
      <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center p-6">
        <h1 className="text-2xl font-bold">Too many requests</h1>
        <p className="mt-2 text-slate-600">Please wait {wait} seconds, then reload this page.</p>
      </main>
    );
  }
  const view = await publicInvoiceView(getDb(), requestHost(h), token);
  // Unknown, revoked, voided and another tenant's tokens all get this same answer.
  if (!view) notFound();
  const { seller, invoice } = view;
  const money = (v: bigint) => formatMoney(v, invoice.currency as Currency);
  const label = formatInvoiceNumber(invoice.number, invoice.numberPrefix);
  const amountDue = invoice.status === "paid" ? 0n : invoice.total;

  return (
    <main className="mx-auto max-w-3xl px-4 py-6 sm:py-10">
      <article className="rounded-md border border-slate-200 bg-white p-4 shadow-sm sm:p-8" aria-labelledby="invoice-title">
        <header className="flex flex-wrap items-start justify-between gap-4">
          <div className="flex items-center gap-3">
            {seller.logoUrl ? (
              <img src={seller.logoUrl} alt="" className="h-12 w-auto max-w-[10rem] object-contain" />
            ) : null}
            <p className="text-lg font-semibold" data-testid="public-invoice-seller">
              {seller.name}
            </p>
          </div>
          <a href={`/i/${token}/pdf`} className={buttonClass("secondary")} download>
            Download PDF
          </a>
        </header>

        <div className="mt-6 flex flex-wrap items-end justify-between gap-4">
          <InvoiceHeading
            eyebrow="Invoice"
            label={label}
            status={invoice.status}
            overdue={invoice.overdue}
            testIds={{ number: "public-invoice-number", status: "public-invoice-status" }}
            dates={[
              { term: "Issued", value: formatDay(invoice.issueDate) },
              { term: "Due", value: formatDay(invoice.dueDate), alert: invoice.overdue },
              ...(invoice.paidOn ? [{ term: "Paid", value: formatDay(invoice.paidOn) }] : []),
            ]}
          />
        </div>

        <InvoiceParties
          seller={{ name: seller.name, address: seller.postalAddress, taxId: seller.taxId }}
          buyer={{ name: invoice.customerName, address: invoice.customerAddress, taxId: invoice.customerTaxId }}
        />

        <InvoiceLines label={label} currency={invoice.currency} items={invoice.items} subtotal={invoice.subtotal} taxTotal={invoice.taxTotal} total={invoice.total}>
          <div className="flex justify-between text-base font-semibold">
            <dt>Amount due</dt>
            <dd className="tabular-nums" data-testid="public-invoice-due">
              {money(amountDue)}
            </dd>
          </div>
        </InvoiceLines>
      </article>
      <p className="mt-4 text-center text-xs text-slate-500">This page was shared with you by {seller.name}. Anyone with its link can view it.</p>
    </main>
  );
}

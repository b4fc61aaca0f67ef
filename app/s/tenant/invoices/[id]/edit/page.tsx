import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currencyDigits, type Currency } from "@/lib/money";
import { formatDecimal, formatQuantity, formatTaxRate } from "@/lib/schemas/invoice-form";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { serverCaller } from "@/server/caller";
import { pageCall } from "@/server/page-call";
import { PageHeader } from "../../../_components/ui";
import { InvoiceForm } from "../../invoice-form";

export const metadata: Metadata = { title: "Edit invoice" };

export default async function EditInvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const caller = await serverCaller();
  const [invoice, projects] = await pageCall(() => Promise.all([caller.invoice.byId({ id }), caller.project.list({ limit: 100 })]), `/invoices/${id}/edit`);
  if (invoice.status !== "draft") redirect(`/invoices/${id}`);
  const currency = invoice.currency as Currency;
  const digits = currencyDigits[currency];
  return (
    <div className="space-y-6">
      <PageHeader title={`Edit ${formatInvoiceNumber(invoice.number)}`} description="Only drafts can be edited." />
      <InvoiceForm
        invoiceId={invoice.id}
        projects={projects.items.filter((p) => p.status === "active" || p.id === invoice.projectId)}
        defaults={{
          projectId: invoice.projectId ?? "",
          customerName: invoice.customerName,
          customerEmail: invoice.customerEmail ?? "",
          currency,
          issueDate: invoice.issueDate,
          dueDate: invoice.dueDate,
          items: invoice.items.map((item) => ({
            description: item.description,
            quantity: formatQuantity(item.quantityMilli),
            unitPrice: formatDecimal(item.unitPrice, digits),
            taxRate: formatTaxRate(item.taxRateBp),
          })),
        }}
      />
    </div>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currencyDigits, type Currency } from "@/lib/money";
import { lineToFormText } from "@/lib/schemas/invoice-form";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { serverCaller } from "@/server/api/server-caller";
import { requestLocale } from "@/server/locale";
import { pageCall } from "@/server/api/page-call";
import { pageId, requirePagePermission } from "@/server/workspace-principal";
import { PageHeader } from "../../../_components/ui";
import { InvoiceForm } from "../../invoice-form";
import { customerChoices } from "../../load-customer-choices";
import { projectChoices } from "../../load-project-choices";

export const metadata: Metadata = { title: "Edit invoice" };

export default async function EditInvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  await requirePagePermission("invoice:write");
  const caller = await serverCaller();
  const invoice = await pageCall(() => caller.invoice.byId({ id }), `/invoices/${id}/edit`);
  if (invoice.status !== "draft") redirect(`/invoices/${id}`);
  // Active projects to choose from, and the invoice's own project even when archived or beyond the first page.
  const [projects, customers] = await pageCall(
    () => Promise.all([projectChoices(caller, { status: "active", selectedId: invoice.projectId }), customerChoices(caller, invoice.customerId)]),
    `/invoices/${id}/edit`,
  );
  const currency = invoice.currency as Currency;
  const digits = currencyDigits[currency];
  const locale = await requestLocale();
  return (
    <div className="space-y-6">
      <PageHeader title={`Edit ${formatInvoiceNumber(invoice.number, invoice.numberPrefix)}`} description="Only drafts can be edited." />
      <InvoiceForm
        invoiceId={invoice.id}
        projects={projects}
        customers={customers}
        locale={locale}
        defaults={{
          projectId: invoice.projectId ?? "",
          customerId: invoice.customerId ?? "",
          customerName: invoice.customerName,
          customerEmail: invoice.customerEmail ?? "",
          currency,
          issueDate: invoice.issueDate,
          dueDate: invoice.dueDate,
          items: invoice.items.map((item) => ({ description: item.description, ...lineToFormText(item, digits, locale) })),
        }}
      />
    </div>
  );
}

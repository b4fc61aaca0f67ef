import type { Metadata } from "next";
import { serverCaller } from "@/server/api/server-caller";
import { requestLocale } from "@/server/locale";
import { pageCall } from "@/server/api/page-call";
import { requirePagePermission } from "@/server/workspace-principal";
import { PageHeader } from "../../_components/ui";
import { newInvoiceDefaults } from "@/lib/schemas/invoice-form";
import { InvoiceForm } from "../invoice-form";
import { customerChoices } from "../load-customer-choices";
import { projectChoices } from "../load-project-choices";
import type { Currency } from "@/lib/money";

export const metadata: Metadata = { title: "New invoice" };

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export default async function NewInvoicePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePagePermission("invoice:write");
  const { project, customer } = await searchParams;
  const caller = await serverCaller();
  const [loaded, customersLoaded, settings] = await Promise.all([
    pageCall(() => projectChoices(caller, { status: "active", selectedId: typeof project === "string" ? project : null }), "/invoices/new"),
    pageCall(() => customerChoices(caller, typeof customer === "string" ? customer : null), "/invoices/new"),
    pageCall(() => caller.tenant.settings.get(), "/invoices/new"),
  ]);
  // `?project=` preselects an active project of this tenant; anything else starts with none.
  const projects = { ...loaded, selected: loaded.selected?.status === "active" ? loaded.selected : null };
  const today = new Date();
  // The tenant's payment terms: due that many days after the issue date (whole UTC days, like the dates themselves).
  const due = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + settings.paymentTermsDays));
  const projectId = projects.selected?.id ?? "";
  // `?customer=` preselects an active customer of this tenant, with its details and currency.
  const customers = { ...customersLoaded, selected: customersLoaded.selected?.archived ? null : customersLoaded.selected };
  const picked = customers.selected;
  const currency = (picked?.defaultCurrency ?? settings.defaultCurrency) as Currency;
  return (
    <div className="space-y-6">
      <PageHeader title="New invoice" description="Saved as a draft: you can edit it until you send it." />
      <InvoiceForm
        defaults={newInvoiceDefaults(isoDay(today), isoDay(due), currency, projectId, picked ?? undefined)}
        projects={projects}
        customers={customers}
        locale={await requestLocale()}
      />
    </div>
  );
}

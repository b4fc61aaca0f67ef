import type { Metadata } from "next";
import Link from "next/link";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { pageId, workspacePrincipal } from "@/server/workspace-principal";
import { PageHeader, StatusBadge, buttonClass } from "../../_components/ui";
import { CustomerActions } from "../customer-actions";

export const metadata: Metadata = { title: "Customer" };

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  const caller = await serverCaller();
  const [{ allows }, customer] = await pageCall(() => Promise.all([workspacePrincipal(), caller.customer.byId({ id })]), `/customers/${id}`);
  const rows: [string, string | null][] = [
    ["Email", customer.email],
    ["Billing address", customer.billingAddress],
    ["Tax ID", customer.taxId],
    ["Default currency", customer.defaultCurrency],
  ];

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/customers" className="text-emerald-800 hover:underline">
          ← Customers
        </Link>
      </nav>
      <PageHeader
        title={customer.name}
        description={customer.archivedAt ? <StatusBadge status="archived" /> : undefined}
        actions={
          <>
            <CustomerActions customer={customer} canWrite={allows("customer:write")} />
            {allows("invoice:write") && !customer.archivedAt ? (
              <Link href={`/invoices/new?customer=${customer.id}`} className={buttonClass()}>
                New invoice
              </Link>
            ) : null}
          </>
        }
      />
      <dl className="grid gap-4 rounded-md border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt className="font-medium text-slate-600">{label}</dt>
            <dd className={`mt-1 whitespace-pre-line break-words ${value ? "" : "text-slate-500"}`}>{value ?? "Not set"}</dd>
          </div>
        ))}
      </dl>
      <p className="text-sm text-slate-600">Invoices already sent keep the details they were sent with; edits here apply to drafts when they are sent, and to new invoices.</p>
    </div>
  );
}

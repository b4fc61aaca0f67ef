import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { projects } from "@/db/schema/projects";
import { tenants } from "@/db/schema/tenants";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { renderInvoicePdf } from "@/server/documents/invoice-pdf";
import { getInvoice } from "@/server/modules/invoice/get-invoice";
import { getSellerParty } from "@/server/modules/tenant/get-tenant-settings";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

const attachmentRefs = z.array(z.object({ type: z.literal("invoice-pdf"), invoiceId: z.uuid() })).nullable();

export type MailAttachment = { filename: string; content: Buffer; contentType: string };

/**
 * Attachments are stored as references and rendered at delivery, inside the tenant's
 * transaction: the outbox stays small, and the PDF is read under the same RLS as everything else.
 */
export async function resolveAttachments(scope: Pick<TenantScope, "tenantId" | "data" | "directory">, stored: unknown): Promise<MailAttachment[]> {
  const refs = attachmentRefs.parse(stored ?? null) ?? [];
  const out: MailAttachment[] = [];
  for (const ref of refs) out.push(await invoicePdfFile(scope, ref.invoiceId));
  return out;
}

/**
 * One invoice as its PDF file, rendered in the caller's tenant transaction (mail attachments, the
 * public view's download): the invoice and seller from `data`, the display name from `directory`. Both show sent invoices only, so the customer's details are the copy
 * taken when it was sent; the seller's are the company details as they are now.
 */
export async function invoicePdfFile(scope: Pick<TenantScope, "tenantId" | "data" | "directory">, invoiceId: string): Promise<MailAttachment> {
  const { tenantId, data, directory } = scope;
  const invoice = await getInvoice(scope, { id: invoiceId });
  const [tenant] = await directory.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  const [project] = invoice.projectId
    ? await data
        .select({ name: projects.name })
        .from(projects)
        .where(and(eq(projects.tenantId, tenantId), eq(projects.id, invoice.projectId)))
    : [];
  const tenantName = tenant?.name ?? "";
  const seller = await getSellerParty(scope, tenantName);
  const pdf = await renderInvoicePdf(invoice, { name: tenantName, seller }, project?.name ?? null);
  return { filename: `${formatInvoiceNumber(invoice.number, invoice.numberPrefix)}.pdf`, content: Buffer.from(pdf), contentType: "application/pdf" };
}

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Transaction } from "@/db/client";
import { projects } from "@/db/schema/projects";
import { tenants } from "@/db/schema/tenants";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { renderInvoicePdf } from "@/server/documents/invoice-pdf";
import { getInvoice } from "@/server/modules/invoice/get-invoice";
import { getSellerParty } from "@/server/modules/tenant/get-tenant-settings";

const attachmentRefs = z.array(z.object({ type: z.literal("invoice-pdf"), invoiceId: z.uuid() })).nullable();

export type MailAttachment = { filename: string; content: Buffer; contentType: string };

/**
 * Attachments are stored as references and rendered at delivery, inside the tenant's
 * transaction: the outbox stays small, and the PDF is read under the same RLS as everything else.
 */
export async function resolveAttachments(db: Transaction, tenantId: string, stored: unknown): Promise<MailAttachment[]> {
  const refs = attachmentRefs.parse(stored ?? null) ?? [];
  const out: MailAttachment[] = [];
  for (const ref of refs) out.push(await invoicePdfFile(db, tenantId, ref.invoiceId));
  return out;
}

/**
 * One invoice as its PDF file, rendered in the caller's tenant transaction (mail attachments, the
 * public view's download). Both show sent invoices only, so the customer's details are the copy
 * taken when it was sent; the seller's are the company details as they are now.
 */
export async function invoicePdfFile(db: Transaction, tenantId: string, invoiceId: string): Promise<MailAttachment> {
  const invoice = await getInvoice({ tenantId, db, id: invoiceId });
  const [tenant] = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  const [project] = invoice.projectId
    ? await db
        .select({ name: projects.name })
        .from(projects)
        .where(and(eq(projects.tenantId, tenantId), eq(projects.id, invoice.projectId)))
    : [];
  const tenantName = tenant?.name ?? "";
  const seller = await getSellerParty({ tenantId, db, tenantName });
  const pdf = await renderInvoicePdf(invoice, { name: tenantName, seller }, project?.name ?? null);
  return { filename: `${formatInvoiceNumber(invoice.number, invoice.numberPrefix)}.pdf`, content: Buffer.from(pdf), contentType: "application/pdf" };
}

import { and, eq, isNull, sql } from "drizzle-orm";
import { invoicePublicLinks } from "@/db/schema/invoice-links";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { newSecret, sha256Hex } from "@/server/tokens";
import { tenantPublicUrl } from "@/server/invoice-links/link-url";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { findInvoiceRow } from "@/server/modules/invoice/get-invoice";
import type { TenantScope } from "@/server/tenancy/enter-tenant";

/** The path of an invoice's public view on the tenant's hosts. */
export const publicInvoicePath = (token: string) => `/i/${token}`;

/** Ends the invoice's live link, if any (a revoke, a re-issue, a void). Returns whether one was live. */
export async function endPublicLink({ tenantId, data }: Pick<TenantScope, "tenantId" | "data">, invoiceId: string): Promise<boolean> {
  const ended = await data
    .update(invoicePublicLinks)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invoicePublicLinks.tenantId, tenantId), eq(invoicePublicLinks.invoiceId, invoiceId), isNull(invoicePublicLinks.revokedAt)))
    .returning({ id: invoicePublicLinks.id });
  return ended.length > 0;
}

/**
 * A new link for one invoice that has none live (the partial unique index refuses a second). The
 * token is returned once and only its SHA-256 is stored: a leaked database copy or backup opens no invoice.
 */
export async function createPublicLink({ tenantId, userId, data }: Pick<TenantScope, "tenantId" | "userId" | "data">, invoiceId: string): Promise<string> {
  const token = newSecret();
  await data.insert(invoicePublicLinks).values({ tenantId, invoiceId, tokenHash: sha256Hex(token), createdByUserId: userId });
  return token;
}

const linkable = ["sent", "paid"] as const;
const identity = (row: { number: number; numberPrefix: string; currency: string; customerName: string }) => ({
  number: row.number,
  numberPrefix: row.numberPrefix,
  currency: row.currency,
  customerName: row.customerName,
});

/** Whether the invoice has a live public link, and since when (never the token: it is not stored). */
export async function getPublicLink(scope: Pick<TenantScope, "tenantId" | "data">, { id: invoiceId }: { id: string }) {
  const { tenantId, data } = scope;
  await findInvoiceRow(scope, { id: invoiceId });
  const [live] = await data
    .select({ createdAt: invoicePublicLinks.createdAt })
    .from(invoicePublicLinks)
    .where(and(eq(invoicePublicLinks.tenantId, tenantId), eq(invoicePublicLinks.invoiceId, invoiceId), isNull(invoicePublicLinks.revokedAt)));
  return { active: Boolean(live), createdAt: live?.createdAt ?? null };
}

/** A member issues a fresh link (the old one stops working) and gets its URL once, to pass on. */
export async function issuePublicLink(scope: Pick<TenantScope, "tenantId" | "userId" | "data" | "directory">, { id: invoiceId }: { id: string }) {
  const { tenantId, userId, data, directory } = scope;
  const invoice = await findInvoiceRow(scope, { id: invoiceId, lock: true });
  if (!(linkable as readonly string[]).includes(invoice.status)) {
    throw new AppError("INVALID_TRANSITION", `Only sent or paid invoices have a public link; this invoice is ${invoice.status}`);
  }
  const replaced = await endPublicLink(scope, invoiceId);
  const token = await createPublicLink(scope, invoiceId);
  await writeAudit(data, { tenantId, actorUserId: userId, action: "invoice.publicLink.issue", entityType: "invoice", entityId: invoiceId, after: { ...identity(invoice), replaced } });
  return { url: await tenantPublicUrl(directory, tenantId, publicInvoicePath(token)), label: formatInvoiceNumber(invoice.number, invoice.numberPrefix) };
}

/** Ends the live link; revoking when none is live is a CONFLICT that says so. */
export async function revokePublicLink(scope: Pick<TenantScope, "tenantId" | "userId" | "data">, { id: invoiceId }: { id: string }) {
  const { tenantId, userId, data } = scope;
  const invoice = await findInvoiceRow(scope, { id: invoiceId, lock: true });
  if (!(await endPublicLink(scope, invoiceId))) throw new AppError("CONFLICT", `${formatInvoiceNumber(invoice.number, invoice.numberPrefix)} has no public link to revoke`);
  await writeAudit(data, { tenantId, actorUserId: userId, action: "invoice.publicLink.revoke", entityType: "invoice", entityId: invoiceId, before: identity(invoice) });
  return { active: false as const };
}

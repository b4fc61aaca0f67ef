import { and, eq, isNull, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { invoicePublicLinks } from "@/db/schema/invoice-links";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError } from "@/server/errors";
import { newSecret, sha256Hex } from "@/server/tokens";
import { tenantPublicUrl } from "@/server/invoice-links/link-url";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { findInvoiceRow } from "@/server/modules/invoice/get-invoice";

type Scope = { tenantId: string; userId: string | null; db: Transaction };
type DirectoryScope = Scope & { jobs: Transaction };

/** The path of an invoice's public view on the tenant's hosts. */
export const publicInvoicePath = (token: string) => `/i/${token}`;

/** Ends the invoice's live link, if any (a revoke, a re-issue, a void). Returns whether one was live. */
export async function endPublicLink(db: Transaction, tenantId: string, invoiceId: string): Promise<boolean> {
  const ended = await db
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
export async function createPublicLink(db: Transaction, tenantId: string, invoiceId: string, userId: string | null): Promise<string> {
  const token = newSecret();
  await db.insert(invoicePublicLinks).values({ tenantId, invoiceId, tokenHash: sha256Hex(token), createdByUserId: userId });
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
export async function getPublicLink({ tenantId, db }: Scope, invoiceId: string) {
  await findInvoiceRow({ tenantId, db, id: invoiceId });
  const [live] = await db
    .select({ createdAt: invoicePublicLinks.createdAt })
    .from(invoicePublicLinks)
    .where(and(eq(invoicePublicLinks.tenantId, tenantId), eq(invoicePublicLinks.invoiceId, invoiceId), isNull(invoicePublicLinks.revokedAt)));
  return { active: Boolean(live), createdAt: live?.createdAt ?? null };
}

/** A member issues a fresh link (the old one stops working) and gets its URL once, to pass on. */
export async function issuePublicLink({ tenantId, userId, db, jobs }: DirectoryScope, invoiceId: string) {
  const invoice = await findInvoiceRow({ tenantId, db, id: invoiceId, lock: true });
  if (!(linkable as readonly string[]).includes(invoice.status)) {
    throw new AppError("INVALID_TRANSITION", `Only sent or paid invoices have a public link; this invoice is ${invoice.status}`);
  }
  const replaced = await endPublicLink(db, tenantId, invoiceId);
  const token = await createPublicLink(db, tenantId, invoiceId, userId);
  await writeAudit(db, { tenantId, actorUserId: userId, action: "invoice.publicLink.issue", entityType: "invoice", entityId: invoiceId, after: { ...identity(invoice), replaced } });
  return { url: await tenantPublicUrl(jobs, tenantId, publicInvoicePath(token)), label: formatInvoiceNumber(invoice.number, invoice.numberPrefix) };
}

/** Ends the live link; revoking when none is live is a CONFLICT that says so. */
export async function revokePublicLink({ tenantId, userId, db }: Scope, invoiceId: string) {
  const invoice = await findInvoiceRow({ tenantId, db, id: invoiceId, lock: true });
  if (!(await endPublicLink(db, tenantId, invoiceId))) throw new AppError("CONFLICT", `${formatInvoiceNumber(invoice.number, invoice.numberPrefix)} has no public link to revoke`);
  await writeAudit(db, { tenantId, actorUserId: userId, action: "invoice.publicLink.revoke", entityType: "invoice", entityId: invoiceId, before: identity(invoice) });
  return { active: false as const };
}

import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invoicePublicLinks } from "@/db/schema/invoice-links";
import { tenantSettings } from "@/db/schema/tenant-settings";
import type { ClassifiedHost } from "@/lib/host";
import { resolveTenant, type TenantRef } from "@/server/tenancy/directory";
import { enterTenant, type TenantScope } from "@/server/tenancy/enter-tenant";
import { onPlacement } from "@/server/tenancy/placement";
import { rateLimiterFromEnv, type RateLimiter } from "@/server/rate-limit";
import { getInvoice } from "@/server/modules/invoice/get-invoice";
import { logoPath } from "@/server/modules/tenant/get-tenant-settings";
import { sha256Hex } from "@/server/tokens";
import { AppError } from "@/server/errors";

/** The token's shape (32 random bytes, base64url): anything else is refused before any database work. */
export const publicTokenPattern = /^[A-Za-z0-9_-]{43}$/;

let limiter: RateLimiter | null = null;
/**
 * Public views are paid by the client address, like other anonymous traffic (the client budget),
 * in a bucket of their own: guessing tokens from one address is throttled, and a visitor opening
 * an invoice never spends the budget of the API calls made from the same address.
 */
export async function chargePublicView(address: string | null): Promise<number> {
  // A prefix of its own: the same address's anonymous API budget ("canopy") is a different bucket.
  limiter ??= rateLimiterFromEnv({ keyPrefix: "canopy-public-view" });
  return limiter.chargeCaller({ kind: "address", address, apiKey: false }, 1);
}

type Found = { tenant: TenantRef; invoiceId: string };

/**
 * Token → the one invoice it opens, for the Host's own tenant only. The definer function answers
 * "whose invoice is this live token for" and nothing more; the token of another tenant (or of a
 * revoked link, or no link) is the same `null`, so the page answers 404 alike for all three.
 */
async function findLink(db: Database, host: ClassifiedHost | null, token: string): Promise<Found | null> {
  if (!publicTokenPattern.test(token)) return null;
  const tenant = await resolveTenant(db, host);
  if (!tenant || tenant.status !== "active") return null;
  // Looked up by the token's hash, never compared as a secret: an index search's timing can only tell
  // an attacker about bytes of a hash they cannot steer, which brings no real token closer.
  const hash = sha256Hex(token);
  const [link] = await onPlacement(tenant.placement, db, (data) =>
    data.execute<{ tenant_id: string; invoice_id: string }>(sql`select tenant_id, invoice_id from app_invoice_public_link(${hash})`),
  );
  // A token is scoped to one tenant: on any other tenant's host (or a custom domain of another) it opens nothing.
  if (!link || link.tenant_id !== tenant.id) return null;
  return { tenant, invoiceId: link.invoice_id };
}

/**
 * Runs `fn` on the token's invoice inside its tenant's ordinary RLS scope, or returns null. The
 * link is checked again in that scope, so a revoke that commits between the look-up and the read
 * is honoured.
 */
export async function withPublicInvoice<T>(
  db: Database,
  host: ClassifiedHost | null,
  token: string,
  fn: (ctx: { scope: TenantScope; tenant: TenantRef; invoice: Awaited<ReturnType<typeof getInvoice>> }) => Promise<T>,
): Promise<T | null> {
  const found = await findLink(db, host, token);
  if (!found) return null;
  const { tenant, invoiceId } = found;
  return enterTenant(db, { tenant }, async (scope) => {
    const [live] = await scope.data
      .select({ id: invoicePublicLinks.id })
      .from(invoicePublicLinks)
      .where(and(eq(invoicePublicLinks.tenantId, tenant.id), eq(invoicePublicLinks.tokenHash, sha256Hex(token)), sql`${invoicePublicLinks.revokedAt} is null`));
    if (!live) return null;
    let invoice;
    try {
      invoice = await getInvoice(scope, { id: invoiceId });
    } catch (error) {
      if (error instanceof AppError && error.code === "NOT_FOUND") return null;
      throw error;
    }
    // Only what was sent to the customer: a draft or a voided invoice has no public view.
    if (invoice.status !== "sent" && invoice.status !== "paid") return null;
    return fn({ scope, tenant, invoice });
  });
}

/** What the public page shows: the seller, and the invoice it was sent. */
export async function publicInvoiceView(db: Database, host: ClassifiedHost | null, token: string) {
  return withPublicInvoice(db, host, token, async ({ scope, tenant, invoice }) => {
    const [settings] = await scope.data
      .select({ legalName: tenantSettings.legalName, logoSha256: tenantSettings.logoSha256, postalAddress: tenantSettings.postalAddress, taxId: tenantSettings.taxId })
      .from(tenantSettings)
      .where(eq(tenantSettings.tenantId, tenant.id));
    return {
      seller: {
        name: settings?.legalName ?? tenant.name,
        logoUrl: settings?.logoSha256 ? logoPath(settings.logoSha256) : null,
        postalAddress: settings?.postalAddress ?? null,
        taxId: settings?.taxId ?? null,
      },
      invoice: {
        number: invoice.number,
        numberPrefix: invoice.numberPrefix,
        customerName: invoice.customerName,
        // Sent invoices only: the customer's details as copied when it was sent.
        customerAddress: invoice.customerAddress,
        customerTaxId: invoice.customerTaxId,
        currency: invoice.currency,
        status: invoice.status,
        overdue: invoice.overdue,
        issueDate: invoice.issueDate,
        dueDate: invoice.dueDate,
        paidOn: invoice.paidOn,
        subtotal: invoice.subtotal,
        taxTotal: invoice.taxTotal,
        total: invoice.total,
        items: invoice.items.map((i) => ({ description: i.description, quantityMilli: i.quantityMilli, unitPrice: i.unitPrice, taxRateBp: i.taxRateBp, amount: i.amount })),
      },
    };
  });
}

import { sql } from "drizzle-orm";
import { foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation } from "./_shared";
import { invoices } from "./invoices";

/**
 * Public, read-only links to one invoice (`/i/<token>` on the tenant's host). Only the SHA-256 of
 * the token is stored, so a copy of the database cannot open anyone's invoice. A link ends when it
 * is revoked (by a member, by a re-issue, or by voiding the invoice); at most one is live per invoice.
 */
export const invoicePublicLinks = pgTable(
  "invoice_public_links",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    invoiceId: uuid("invoice_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdByUserId: uuid("created_by_user_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: "invoice_public_links_pkey", columns: [t.tenantId, t.id] }),
    uniqueIndex("invoice_public_links_tenant_token_key").on(t.tenantId, t.tokenHash),
    // The public page knows only the token: the definer look-up searches by hash alone.
    index("invoice_public_links_token_idx").on(t.tokenHash),
    uniqueIndex("invoice_public_links_live_key").on(t.tenantId, t.invoiceId).where(sql`${t.revokedAt} is null`),
    foreignKey({ name: "invoice_public_links_invoice_fk", columns: [t.tenantId, t.invoiceId], foreignColumns: [invoices.tenantId, invoices.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
);

import { sql } from "drizzle-orm";
import { char, check, foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps } from "./_shared";
import { tenants } from "./tenants";

/**
 * The people and companies a tenant bills. An invoice may link one; its details are copied onto
 * the invoice when it is sent, so editing a customer never rewrites an issued invoice.
 */
export const customers = pgTable(
  "customers",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    email: text("email"),
    /** Multi-line, as printed on the invoice. */
    billingAddress: text("billing_address"),
    taxId: text("tax_id"),
    /** The currency a new invoice for this customer starts in. */
    defaultCurrency: char("default_currency", { length: 3 }),
    createdBy: uuid("created_by"),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: "customers_pkey", columns: [t.tenantId, t.id] }),
    // The list's order (name A–Z, then id) and prefix look-ups by name.
    index("customers_tenant_name_idx").on(t.tenantId, sql`lower(${t.name})`, t.id),
    // Two active customers with one name would be indistinguishable in the invoice form's picker.
    uniqueIndex("customers_tenant_active_name_key").on(t.tenantId, sql`lower(${t.name})`).where(sql`${t.archivedAt} is null`),
    check("customers_name_length", sql`char_length(${t.name}) between 1 and 200`),
    check("customers_email_length", sql`char_length(${t.email}) <= 320`),
    check("customers_billing_address_length", sql`char_length(${t.billingAddress}) <= 500`),
    check("customers_tax_id_length", sql`char_length(${t.taxId}) <= 50`),
    check("customers_default_currency_format", sql`${t.defaultCurrency} ~ '^[A-Z]{3}$'`),
    foreignKey({ name: "customers_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
);
export type Customer = typeof customers.$inferSelect;

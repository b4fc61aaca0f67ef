import { sql } from "drizzle-orm";
import { char, check, customType, foreignKey, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation, timestamps } from "./_shared";
import { tenants } from "./tenants";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * A tenant's company details (the seller on its invoices) and logo. One row per tenant, created
 * on the first save; until then the defaults in lib/schemas/tenant-settings.ts apply. Business
 * data: it lives in the tenant's placement and moves with it.
 */
export const tenantSettings = pgTable(
  "tenant_settings",
  {
    tenantId: uuid("tenant_id").primaryKey(),
    legalName: text("legal_name"),
    postalAddress: text("postal_address"),
    taxId: text("tax_id"),
    invoicePrefix: text("invoice_prefix").notNull().default("INV-"),
    defaultCurrency: char("default_currency", { length: 3 }).notNull().default("USD"),
    paymentTermsDays: integer("payment_terms_days").notNull().default(30),
    /** PNG, JPEG or WebP only, checked by magic bytes on upload (never SVG: see set-logo.ts). */
    logo: bytea("logo"),
    logoContentType: text("logo_content_type"),
    /** SHA-256 of the bytes, hex: the logo's URL, so a new logo is a new URL and caches never go stale. */
    logoSha256: text("logo_sha256"),
    ...timestamps,
  },
  (t) => [
    check("tenant_settings_legal_name_length", sql`char_length(${t.legalName}) <= 200`),
    check("tenant_settings_postal_address_length", sql`char_length(${t.postalAddress}) <= 500`),
    check("tenant_settings_tax_id_length", sql`char_length(${t.taxId}) <= 50`),
    check("tenant_settings_invoice_prefix_format", sql`${t.invoicePrefix} ~ '^[A-Za-z0-9-]{1,10}$'`),
    check("tenant_settings_default_currency_format", sql`${t.defaultCurrency} ~ '^[A-Z]{3}$'`),
    check("tenant_settings_payment_terms_range", sql`${t.paymentTermsDays} between 0 and 365`),
    check("tenant_settings_logo_content_type", sql`${t.logoContentType} in ('image/png', 'image/jpeg', 'image/webp')`),
    check("tenant_settings_logo_size", sql`octet_length(${t.logo}) <= 524288`),
    check(
      "tenant_settings_logo_complete",
      sql`(${t.logo} is null and ${t.logoContentType} is null and ${t.logoSha256} is null) or (${t.logo} is not null and ${t.logoContentType} is not null and ${t.logoSha256} ~ '^[0-9a-f]{64}$')`,
    ),
    foreignKey({ name: "tenant_settings_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
);

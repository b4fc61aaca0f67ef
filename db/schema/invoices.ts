import { sql } from "drizzle-orm";
import { bigint, char, check, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps } from "./_shared";
import { customers } from "./customers";
import { projects } from "./projects";
import { tenants } from "./tenants";

export const invoiceStatuses = ["draft", "sent", "paid", "void"] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

export const paymentMethods = ["bank_transfer", "card", "cash", "cheque", "other"] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export const invoices = pgTable(
  "invoices",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    number: integer("number").notNull(),
    /** The tenant's invoice prefix when the number was allocated: a later change of prefix never renumbers an issued invoice. */
    numberPrefix: text("number_prefix").notNull().default("INV-"),
    projectId: uuid("project_id"),
    /** The saved customer this invoice is for, if any; a one-off customer has only the fields below. */
    customerId: uuid("customer_id"),
    customerName: text("customer_name").notNull(),
    customerEmail: text("customer_email"),
    /** Copied from the customer when the invoice is sent: later edits of the customer leave it as issued. */
    customerAddress: text("customer_address"),
    customerTaxId: text("customer_tax_id"),
    currency: char("currency", { length: 3 }).notNull(),
    status: text("status", { enum: invoiceStatuses }).notNull().default("draft"),
    issueDate: date("issue_date", { mode: "string" }).notNull(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    // Money is integer minor units, computed on the server.
    subtotal: bigint("subtotal", { mode: "bigint" }).notNull().default(sql`0`),
    taxTotal: bigint("tax_total", { mode: "bigint" }).notNull().default(sql`0`),
    total: bigint("total", { mode: "bigint" }).notNull().default(sql`0`),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    /** The day the customer paid, as recorded by whoever marked it paid (paid_at is when that was recorded). */
    paidOn: date("paid_on", { mode: "string" }),
    paymentMethod: text("payment_method", { enum: paymentMethods }),
    voidedAt: timestamp("voided_at", { withTimezone: true }),
    /** Set by the overdue sweep the first time it finds the invoice past due. */
    overdueAt: timestamp("overdue_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: "invoices_pkey", columns: [t.tenantId, t.id] }),
    unique("invoices_tenant_number_key").on(t.tenantId, t.number),
    index("invoices_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("invoices_tenant_status_due_idx").on(t.tenantId, t.status, t.dueDate),
    index("invoices_tenant_project_idx").on(t.tenantId, t.projectId),
    index("invoices_tenant_customer_idx").on(t.tenantId, t.customerId),
    check("invoices_status_check", sql`${t.status} in ('draft', 'sent', 'paid', 'void')`),
    check("invoices_currency_format", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("invoices_number_positive", sql`${t.number} > 0`),
    check("invoices_customer_address_length", sql`char_length(${t.customerAddress}) <= 500`),
    check("invoices_customer_tax_id_length", sql`char_length(${t.customerTaxId}) <= 50`),
    check("invoices_number_prefix_format", sql`${t.numberPrefix} ~ '^[A-Za-z0-9-]{1,10}$'`),
    check("invoices_payment_method_check", sql`${t.paymentMethod} in ('bank_transfer', 'card', 'cash', 'cheque', 'other')`),
    // A payment is recorded only on a paid invoice, never dated before the invoice was issued.
    check("invoices_payment_only_when_paid", sql`${t.status} = 'paid' or (${t.paidOn} is null and ${t.paymentMethod} is null)`),
    check("invoices_paid_on_after_issue", sql`${t.paidOn} >= ${t.issueDate}`),
    foreignKey({ name: "invoices_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    // Composite: an invoice can only point at a project of its own tenant (FK checks ignore RLS).
    foreignKey({ name: "invoices_project_fk", columns: [t.tenantId, t.projectId], foreignColumns: [projects.tenantId, projects.id] }),
    foreignKey({ name: "invoices_customer_fk", columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    tenantIsolation(),
  ],
);

export const invoiceItems = pgTable(
  "invoice_items",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    invoiceId: uuid("invoice_id").notNull(),
    position: integer("position").notNull(),
    description: text("description").notNull(),
    /** Thousandths of a unit, so 1.5 hours is 1500. */
    quantityMilli: bigint("quantity_milli", { mode: "bigint" }).notNull(),
    unitPrice: bigint("unit_price", { mode: "bigint" }).notNull(),
    /** Basis points: 20% is 2000. */
    taxRateBp: integer("tax_rate_bp").notNull().default(0),
    amount: bigint("amount", { mode: "bigint" }).notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: "invoice_items_pkey", columns: [t.tenantId, t.id] }),
    index("invoice_items_tenant_invoice_idx").on(t.tenantId, t.invoiceId, t.position),
    check("invoice_items_quantity_positive", sql`${t.quantityMilli} > 0`),
    check("invoice_items_tax_rate_range", sql`${t.taxRateBp} between 0 and 10000`),
    foreignKey({ name: "invoice_items_invoice_fk", columns: [t.tenantId, t.invoiceId], foreignColumns: [invoices.tenantId, invoices.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
);

/** One row per tenant; `update ... returning` locks it, which makes numbers gap-free under concurrency. */
export const invoiceCounters = pgTable(
  "invoice_counters",
  {
    tenantId: uuid("tenant_id").primaryKey(),
    lastNumber: integer("last_number").notNull().default(0),
  },
  (t) => [
    foreignKey({ name: "invoice_counters_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
);

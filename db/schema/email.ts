import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation } from "./_shared";
import { tenants } from "./tenants";

export const emailStatuses = ["pending", "sent", "captured", "failed"] as const;
export type EmailStatus = (typeof emailStatuses)[number];

/**
 * Every email is written here first, in the transaction of the change that causes it. The
 * idempotency key (unique per tenant) makes a retried or duplicated send a no-op.
 * Without SMTP_URL, mail is "captured": kept here as the dev outbox that the app shows.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    idempotencyKey: text("idempotency_key").notNull(),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    attachments: jsonb("attachments"),
    status: text("status", { enum: emailStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "email_outbox_pkey", columns: [t.tenantId, t.id] }),
    uniqueIndex("email_outbox_tenant_key").on(t.tenantId, t.idempotencyKey),
    index("email_outbox_tenant_status_idx").on(t.tenantId, t.status, t.createdAt),
    check("email_outbox_status_check", sql`${t.status} in ('pending', 'sent', 'captured', 'failed')`),
    foreignKey({ name: "email_outbox_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
);

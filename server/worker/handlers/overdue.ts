import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invoices } from "@/db/schema/invoices";
import { formatMoney, type Currency } from "@/lib/money";
import { enqueueEmail } from "@/server/mail/enqueue-email";
import { formatInvoiceNumber } from "@/server/modules/invoice/allocate-number";
import { queues } from "@/server/jobs/queues";
import { runAsTenant } from "@/server/jobs/tenant-job";

type Send = (queue: string, data: object, options?: { singletonKey?: string }) => Promise<string | null>;

/** The scheduled sweep: one job per active tenant, never one job touching many tenants. */
export async function overdueSweepJob(db: Database, send: Send): Promise<number> {
  const tenants = await db.execute<{ id: string }>(sql`select id from app_job_active_tenants()`);
  const hour = new Date().toISOString().slice(0, 13);
  for (const t of tenants) await send(queues.overdueTenant, { tenantId: t.id }, { singletonKey: `${t.id}:${hour}` });
  return tenants.length;
}

/** One tenant: mark sent invoices past due, and queue one reminder per invoice (idempotent). */
export async function overdueTenantJob(db: Database, data: unknown, today = new Date().toISOString().slice(0, 10)) {
  return runAsTenant(db, queues.overdueTenant, data, async ({ scope: { tenantId, data: tx, directory } }) => {
    const marked = await tx
      .update(invoices)
      .set({ overdueAt: new Date() })
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.status, "sent"), lt(invoices.dueDate, today), isNull(invoices.overdueAt)))
      .returning();
    for (const invoice of marked) {
      if (!invoice.customerEmail) continue;
      const number = formatInvoiceNumber(invoice.number, invoice.numberPrefix);
      await enqueueEmail({ data: tx, directory }, {
        tenantId,
        idempotencyKey: `invoice:${invoice.id}:overdue-reminder`,
        kind: "invoice-overdue",
        to: invoice.customerEmail,
        subject: `Reminder: invoice ${number} is overdue`,
        text: [
          `Hello ${invoice.customerName},`,
          "",
          `Invoice ${number} for ${formatMoney(invoice.total, invoice.currency as Currency)} was due on ${invoice.dueDate}.`,
          "Please arrange payment at your earliest convenience.",
        ].join("\n"),
      });
    }
    return marked.map((i) => i.id);
  });
}

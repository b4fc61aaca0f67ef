import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { invoices } from "@/db/schema/invoices";
import { tenantSettings } from "@/db/schema/tenant-settings";
import { tenants } from "@/db/schema/tenants";
import { formatDay } from "@/lib/calendar-day";
import { env } from "@/lib/env";
import { tenantPublicUrl } from "@/server/invoice-links/link-url";
import { invoiceEmail } from "@/server/mail/invoice-email";
import { publicInvoicePath } from "@/server/modules/invoice/public-link";
import { formatMoney, type Currency } from "@/lib/money";
import { enqueueEmail } from "@/server/mail/enqueue-email";
import { formatInvoiceNumber } from "@/server/modules/invoice/allocate-number";
import { queues } from "@/server/jobs/queues";
import { runAsTenant } from "@/server/jobs/tenant-job";
import { log } from "@/lib/log.mjs";

/**
 * Test-only: lets the crash test stop the worker at a precise point (after the email and its
 * delivery job are committed, before pg-boss records this job as done). Inert unless NODE_ENV is "test".
 */
async function testCrashPoint(point: string): Promise<void> {
  const e = env();
  if (e.NODE_ENV === "test" && e.CANOPY_TEST_HANG_AT === point) {
    log.info("job test hang", { point });
    await new Promise(() => undefined);
  }
}

/** `linkToken`: the public view's token, minted in the send's transaction (absent for jobs queued before links existed). */
const payloadShape = z.object({ invoiceId: z.uuid(), linkToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional() });

/**
 * "Your invoice" email for an invoice that was marked sent. The outbox row's idempotency key
 * (invoice, kind) makes a retried or duplicated job store and deliver it at most once.
 */
export async function invoiceEmailJob(db: Database, data: unknown) {
  const result = await runAsTenant(db, queues.invoiceEmail, data, async ({ scope: { tenantId, data: tx, directory: dir }, payload }) => {
    const { invoiceId, linkToken } = payloadShape.parse(payload);
    const [invoice] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceId)));
    // Another tenant's id is simply not visible here (RLS): nothing to send, nothing changed.
    if (!invoice) return "not-found" as const;
    if (invoice.status !== "sent" || !invoice.customerEmail) return "not-applicable" as const;
    const [settings] = await tx.select({ legalName: tenantSettings.legalName }).from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId));
    // The directory (tenant name, routed domains) lives in the shared database, whatever the placement.
    const directory = {
      name: (await dir.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId)))[0]?.name ?? "",
      viewUrl: linkToken ? await tenantPublicUrl(dir, tenantId, publicInvoicePath(linkToken)) : null,
    };
    const mail = invoiceEmail({
      customerName: invoice.customerName,
      seller: settings?.legalName ?? directory.name,
      number: formatInvoiceNumber(invoice.number, invoice.numberPrefix),
      amountDue: formatMoney(invoice.total, invoice.currency as Currency),
      dueDate: formatDay(invoice.dueDate),
      viewUrl: directory.viewUrl,
    });
    await enqueueEmail({ data: tx, directory: dir }, {
      tenantId,
      idempotencyKey: `invoice:${invoice.id}:sent`,
      kind: "invoice",
      to: invoice.customerEmail,
      ...mail,
      attachments: [{ type: "invoice-pdf", invoiceId: invoice.id }],
    });
    return "queued" as const;
  });
  await testCrashPoint(`invoice-email:after-commit:${String((data as { invoiceId?: unknown }).invoiceId)}`);
  return result;
}

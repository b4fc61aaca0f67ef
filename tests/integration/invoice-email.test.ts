import { and, eq, sql } from "drizzle-orm";
import { createTransport } from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox } from "@/db/schema/email";
import { withTenant } from "@/db/tenant-transaction";
import { invoiceEmailJob } from "@/server/jobs/handlers/invoice-email";
import { queues } from "@/server/jobs/queues";
import { deliverPending } from "@/server/mail/deliver-pending";
import { enqueueEmail } from "@/server/mail/enqueue-email";
import { appDb, callerFor, closeDb, createTenant, type TenantFixture } from "../support/fixtures";

let t: TenantFixture;
beforeAll(async () => {
  t = await createTenant();
});
afterAll(closeDb);

describe("sending an invoice", () => {
  it("queues the email job in the same transaction, and the job stores exactly one email", async () => {
    const caller = callerFor(t.host, t.users.owner);
    const invoice = await caller.invoice.create({
      customerName: "Mail Me Ltd",
      customerEmail: "ap@mailme.test",
      currency: "EUR",
      issueDate: "2026-11-01",
      dueDate: "2026-12-01",
      items: [{ description: "Work", quantity: "2", unitPrice: 12_345, taxRateBp: 2000 }],
    });
    await caller.invoice.send({ id: invoice.id });
    const jobs = await appDb().execute<{ data: { tenantId: string; invoiceId: string; linkToken: string } }>(
      sql`select data from pgboss.job where name = ${queues.invoiceEmail} and data->>'invoiceId' = ${invoice.id}`,
    );
    expect(jobs.map((j) => j.data)).toEqual([{ tenantId: t.id, invoiceId: invoice.id, linkToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown }]);

    await invoiceEmailJob(appDb(), jobs[0]!.data);
    await invoiceEmailJob(appDb(), jobs[0]!.data);
    const mail = await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.select().from(emailOutbox).where(and(eq(emailOutbox.tenantId, t.id), eq(emailOutbox.kind, "invoice"))),
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ toAddress: "ap@mailme.test", status: "captured", attachments: [{ type: "invoice-pdf", invoiceId: invoice.id }] });
    expect(mail[0]?.subject).toMatch(/^Invoice INV-\d{6} from Tenant t-[a-z0-9]+ \(€296\.28\)$/);
  });

  it("delivers the invoice PDF as an attachment when mail really goes out", async () => {
    const invoiceId = t.invoiceIds[0]!;
    await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      enqueueEmail(tx, {
        tenantId: t.id,
        idempotencyKey: `test:${invoiceId}:pdf`,
        kind: "invoice",
        to: "pdf@customer.test",
        subject: "PDF",
        text: "See attached",
        attachments: [{ type: "invoice-pdf", invoiceId }],
      }),
    );
    const sent: string[] = [];
    const json = createTransport({ jsonTransport: true });
    const result = await deliverPending(appDb(), {
      tenantId: t.id,
      // nodemailer's own JSON transport: the whole message, serialized instead of sent.
      transport: {
        sendMail: async (m: Parameters<typeof json.sendMail>[0]) => {
          const info = await json.sendMail(m);
          sent.push(String(info.message));
          return info;
        },
      },
    });
    expect(result.sent).toBe(1);
    const message = JSON.parse(sent[0]!) as { attachments: { filename: string; contentType: string; content: string }[] };
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]?.filename).toMatch(/^INV-\d{6}\.pdf$/);
    expect(message.attachments[0]?.contentType).toBe("application/pdf");
    expect(Buffer.from(message.attachments[0]!.content, "base64").subarray(0, 5).toString()).toBe("%PDF-");
  });
});

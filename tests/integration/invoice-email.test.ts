import { and, eq, sql } from "drizzle-orm";
import { createTransport } from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox } from "@/db/schema/email";
import { withTenant } from "@/db/tenant-transaction";
import { invoiceEmailJob } from "@/server/worker/handlers/invoice-email";
import { queues } from "@/server/jobs/queues";
import { deliverPending } from "@/server/mail/deliver-pending";
import { enqueueEmail } from "@/server/mail/enqueue-email";
import { runMailJobs } from "../support/mail-jobs";
import { appDb, callerFor, closeDb, createTenant, keyCallerFor, type TenantFixture } from "../support/fixtures";
import { extractPdf, type PdfTextItem } from "../support/pdf-text";

let t: TenantFixture;
beforeAll(async () => {
  t = await createTenant();
});
afterAll(closeDb);

type SentMessage = { attachments: { filename: string; contentType: string; content: string }[] };

/** Delivers the tenant's pending mail through nodemailer's own JSON transport: each whole message, serialized instead of sent. */
async function deliverCaptured(tenantId: string): Promise<SentMessage[]> {
  const sent: SentMessage[] = [];
  const json = createTransport({ jsonTransport: true });
  const result = await deliverPending(appDb(), {
    tenantId,
    transport: {
      sendMail: async (m: Parameters<typeof json.sendMail>[0]) => {
        const info = await json.sendMail(m);
        sent.push(JSON.parse(String(info.message)) as SentMessage);
        return info;
      },
    },
  });
  expect(result.sent).toBe(sent.length);
  return sent;
}

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
    // Each run queues a delivery job; the idempotency key leaves one email for them to send.
    expect(await runMailJobs({ tenantId: t.id })).toBe(2);
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
      enqueueEmail({ data: tx, directory: tx }, {
        tenantId: t.id,
        idempotencyKey: `test:${invoiceId}:pdf`,
        kind: "invoice",
        to: "pdf@customer.test",
        subject: "PDF",
        text: "See attached",
        attachments: [{ type: "invoice-pdf", invoiceId }],
      }),
    );
    const [message] = await deliverCaptured(t.id);
    expect(message!.attachments).toHaveLength(1);
    expect(message!.attachments[0]?.filename).toMatch(/^INV-\d{6}\.pdf$/);
    expect(message!.attachments[0]?.contentType).toBe("application/pdf");
    expect(Buffer.from(message!.attachments[0]!.content, "base64").subarray(0, 5).toString()).toBe("%PDF-");
  });
});

describe("the parties on the invoice PDF", () => {
  it("prints the seller's legal name, address and tax ID beside the customer's copied bill-to details", async () => {
    const fresh = await createTenant();
    const owner = callerFor(fresh.host, fresh.users.owner);
    await owner.tenant.settings.update({
      legalName: "Seller Holdings GmbH",
      postalAddress: "Hauptstraße 1\n10115 Berlin",
      taxId: "DE123456789",
      invoicePrefix: "INV-",
      defaultCurrency: "EUR",
      paymentTermsDays: 30,
    });
    const customer = await owner.customer.create({ name: "Buyer Ltd", email: "ap@buyer.test", billingAddress: "9 Market Street\nLondon EC1A 1BB", taxId: "GB987654321" });
    const invoice = await owner.invoice.create({
      customerId: customer.id,
      customerName: "Buyer Ltd",
      customerEmail: "ap@buyer.test",
      currency: "EUR",
      issueDate: "2026-11-01",
      dueDate: "2026-12-01",
      items: [{ description: "Work", quantity: "1", unitPrice: 10_000, taxRateBp: 0 }],
    });
    await owner.invoice.send({ id: invoice.id });
    // Changed after sending: the PDF keeps the customer's details as sent.
    await owner.customer.update({ id: customer.id, name: "Buyer Ltd", billingAddress: "Moved away", taxId: "GB000" });
    // The attachment as the sent invoice's email carries it, rendered at delivery.
    await withTenant(appDb(), { tenantId: fresh.id }, (tx) =>
      enqueueEmail({ data: tx, directory: tx }, { tenantId: fresh.id, idempotencyKey: `test:${invoice.id}:parties`, kind: "invoice", to: "ap@buyer.test", subject: "PDF", text: "See attached", attachments: [{ type: "invoice-pdf", invoiceId: invoice.id }] }),
    );
    const [message] = await deliverCaptured(fresh.id);
    const { items, text } = await extractPdf(Buffer.from(message!.attachments[0]!.content, "base64"));
    const at = (str: string): PdfTextItem => {
      const item = items.find((i) => i.str === str);
      expect(item, str).toBeDefined();
      return item!;
    };
    for (const line of ["From", "Seller Holdings GmbH", "Hauptstraße 1", "10115 Berlin", "Tax ID: DE123456789"]) expect(at(line).x).toBeLessThan(at("Bill to").x);
    for (const line of ["Buyer Ltd", "ap@buyer.test", "9 Market Street", "London EC1A 1BB", "Tax ID: GB987654321"]) expect(at(line).x).toBe(at("Bill to").x);
    // Beside: both blocks start on the same baseline.
    expect(at("From").y).toBe(at("Bill to").y);
    expect(text).not.toContain("Moved away");
  });

  it("gives invoice readers, API keys too, the seller: the legal name, or the workspace's name while none is set", async () => {
    const fresh = await createTenant();
    const owner = callerFor(fresh.host, fresh.users.owner);
    const key = await owner.apiKey.create({ name: "Reader", scopes: ["invoices:read"], expiresInDays: null });
    const asKey = keyCallerFor(fresh.host, key.token);
    const { name } = await owner.tenant.current();
    expect(await asKey.tenant.seller()).toEqual({ name, postalAddress: null, taxId: null });
    await owner.tenant.settings.update({ legalName: "Legal Name AG", postalAddress: "Bahnhofstrasse 1\n8001 Zürich", taxId: "CHE-123.456.789", invoicePrefix: "INV-", defaultCurrency: "CHF", paymentTermsDays: 30 });
    expect(await asKey.tenant.seller()).toEqual({ name: "Legal Name AG", postalAddress: "Bahnhofstrasse 1\n8001 Zürich", taxId: "CHE-123.456.789" });
  });
});

import { TRPCError } from "@trpc/server";
import { and, asc, eq, sql } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema/audit";
import { invoices } from "@/db/schema/invoices";
import { withTenant } from "@/db/tenant-transaction";
import { queues } from "@/server/jobs/queues";
import { appDb, callerFor, closeDb, createTenant, errorOf, handleHttp, tenantFingerprint, type TenantFixture } from "../support/fixtures";

type Caller = ReturnType<typeof callerFor>;

let t: TenantFixture;
let caller: Caller;

/** Today and other days by the database's clock (UTC), the one the server judges payment dates by. */
async function dbDays() {
  // `latest`: the day it is now at UTC+14, the easternmost clock (tomorrow by UTC from 10:00 UTC on).
  const [row] = await appDb().execute<{ today: string; latest: string; afterLatest: string; lastMonth: string }>(sql`
    select (now() at time zone 'UTC')::date::text as "today",
           ((now() at time zone 'UTC') + interval '14 hours')::date::text as "latest",
           (((now() at time zone 'UTC') + interval '14 hours')::date + 1)::text as "afterLatest",
           (date_trunc('month', now() at time zone 'UTC')::date - 1)::text as "lastMonth"`);
  return row!;
}

const draftInvoice = (over: { issueDate?: string; customerEmail?: string | null } = {}) =>
  caller.invoice.create({
    customerName: "Acme Payables",
    customerEmail: over.customerEmail === undefined ? "ap@payables.test" : over.customerEmail,
    currency: "EUR",
    issueDate: over.issueDate ?? "2025-06-01",
    dueDate: "2099-12-31",
    items: [{ description: "Work", quantity: 1, unitPrice: 10_000, taxRateBp: 0 }],
  });

async function sentInvoice(over: { issueDate?: string } = {}) {
  const inv = await draftInvoice(over);
  await caller.invoice.send({ id: inv.id });
  return inv;
}

const auditOf = (id: string) =>
  withTenant(appDb(), { tenantId: t.id }, (tx) =>
    tx
      .select({ action: auditLog.action, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, t.id), eq(auditLog.entityId, id)))
      .orderBy(asc(auditLog.createdAt)),
  );

const emailJobs = async (invoiceId: string) =>
  (await appDb().execute(sql`select 1 from pgboss.job where name = ${queues.invoiceEmail} and data->>'invoiceId' = ${invoiceId}`)).length;

/** Through the HTTP adapter, so the errorFormatter's output (data.fieldErrors) is what a client sees. */
async function post(path: string, input: unknown) {
  const req = new Request(`http://${t.host}/api/trpc/${path}`, {
    method: "POST",
    body: JSON.stringify({ json: input }),
    headers: { host: t.host, "content-type": "application/json" },
  });
  const res = await handleHttp(req, t);
  const body = (await res.json()) as { error?: Parameters<typeof superjson.deserialize>[0] };
  const error = body.error ? superjson.deserialize<{ message: string; data: { code: string; fieldErrors: Record<string, string[]> | null } }>(body.error) : null;
  return { status: res.status, error };
}

beforeAll(async () => {
  t = await createTenant(appDb(), { invoices: 0 });
  caller = callerFor(t.host, t.users.member);
});
afterAll(closeDb);

describe("invoice.markPaid with a payment date and method", () => {
  it("stores the date and method, and the audit entry records them", async () => {
    const inv = await sentInvoice();
    const paid = await caller.invoice.markPaid({ id: inv.id, paidOn: "2026-02-03", method: "cheque" });
    expect(paid).toMatchObject({ status: "paid", paidOn: "2026-02-03", paymentMethod: "cheque" });
    expect(paid.paidAt).toBeInstanceOf(Date);
    const entry = (await auditOf(inv.id)).at(-1)!;
    expect(entry.action).toBe("invoice.markPaid");
    expect(entry.after).toMatchObject({ status: "paid", paidOn: "2026-02-03", paymentMethod: "cheque" });
  });

  it("defaults the date to the database's today and leaves the method unrecorded for older API clients", async () => {
    const inv = await sentInvoice();
    const paid = await caller.invoice.markPaid({ id: inv.id });
    expect(paid).toMatchObject({ status: "paid", paidOn: (await dbDays()).today, paymentMethod: null });
  });

  it("accepts the day it already is east of UTC (up to UTC+14) and refuses a later day as in the future, with a field message", async () => {
    const days = await dbDays();
    const early = await sentInvoice();
    expect((await caller.invoice.markPaid({ id: early.id, paidOn: days.latest, method: "card" })).paidOn).toBe(days.latest);

    const inv = await sentInvoice();
    const before = await tenantFingerprint(appDb(), t.id);
    const { status, error } = await post("invoice.markPaid", { id: inv.id, paidOn: days.afterLatest, method: "card" });
    expect(status).toBe(400);
    expect(error?.data.code).toBe("BAD_REQUEST");
    expect(error?.data.fieldErrors?.paidOn).toEqual(["The payment date cannot be in the future"]);
    expect(await tenantFingerprint(appDb(), t.id)).toBe(before);
  });

  it("refuses a date before the issue date, naming it", async () => {
    const inv = await sentInvoice({ issueDate: "2026-03-15" });
    const before = await tenantFingerprint(appDb(), t.id);
    const { error } = await post("invoice.markPaid", { id: inv.id, paidOn: "2026-03-14", method: "cash" });
    expect(error?.data.code).toBe("BAD_REQUEST");
    expect(error?.data.fieldErrors?.paidOn).toEqual(["The payment date cannot be before the issue date (March 15, 2026)"]);
    expect(await tenantFingerprint(appDb(), t.id)).toBe(before);
    // The issue date itself is fine.
    expect((await caller.invoice.markPaid({ id: inv.id, paidOn: "2026-03-15", method: "cash" })).status).toBe("paid");
  });

  it("refuses an unknown method and a malformed date as input errors", async () => {
    const inv = await sentInvoice();
    const unknown = await post("invoice.markPaid", { id: inv.id, paidOn: "2026-02-03", method: "bitcoin" });
    expect(unknown.error?.data.code).toBe("BAD_REQUEST");
    expect(unknown.error?.data.fieldErrors?.method).toEqual(["Choose how the invoice was paid"]);
    const badDate = await post("invoice.markPaid", { id: inv.id, paidOn: "2026-02-30", method: "card" });
    expect(badDate.error?.data.fieldErrors?.paidOn?.[0]).toMatch(/^Enter the payment date/);
    expect((await caller.invoice.byId({ id: inv.id })).status).toBe("sent");
  });

  it("the database refuses a method outside the list and a payment on an unpaid invoice, whatever the code does", async () => {
    const inv = await sentInvoice();
    const write = (values: Partial<typeof invoices.$inferInsert>) =>
      withTenant(appDb(), { tenantId: t.id }, (tx) => tx.update(invoices).set(values).where(and(eq(invoices.tenantId, t.id), eq(invoices.id, inv.id))));
    await expect(write({ status: "paid", paidOn: "2026-02-01", paymentMethod: "bitcoin" as "cash" })).rejects.toThrow();
    await expect(write({ paidOn: "2026-02-01" })).rejects.toThrow();
    await expect(write({ status: "paid", paidOn: "2025-05-31" })).rejects.toThrow();
  });

  it("a second mark paid is a CONFLICT that says when it was paid, and changes nothing", async () => {
    const inv = await sentInvoice();
    await caller.invoice.markPaid({ id: inv.id, paidOn: "2026-02-03", method: "card" });
    const before = await tenantFingerprint(appDb(), t.id);
    const err = await errorOf(caller.invoice.markPaid({ id: inv.id, paidOn: "2026-02-04", method: "cash" }));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toMatch(/^INV-\d{6} was already marked paid on February 3, 2026$/);
    expect(await tenantFingerprint(appDb(), t.id)).toBe(before);
  });
});

describe("invoice.markUnpaid", () => {
  it("undoes a payment dated this month: back to sent, payment cleared, audited with what was undone", async () => {
    const inv = await sentInvoice();
    const { today } = await dbDays();
    await caller.invoice.markPaid({ id: inv.id, paidOn: today, method: "bank_transfer" });
    const undone = await caller.invoice.markUnpaid({ id: inv.id });
    expect(undone).toMatchObject({ status: "sent", paidAt: null, paidOn: null, paymentMethod: null });
    const entry = (await auditOf(inv.id)).at(-1)!;
    expect(entry.action).toBe("invoice.markUnpaid");
    expect(entry.before).toMatchObject({ status: "paid", paidOn: today, paymentMethod: "bank_transfer" });
    expect(entry.after).toMatchObject({ status: "sent", paidOn: null, paymentMethod: null });
    // It can be paid again.
    expect((await caller.invoice.markPaid({ id: inv.id, paidOn: today, method: "card" })).paymentMethod).toBe("card");
  });

  it("refuses a payment dated in an earlier month (a closed period), changing nothing", async () => {
    const inv = await sentInvoice();
    const { lastMonth } = await dbDays();
    await caller.invoice.markPaid({ id: inv.id, paidOn: lastMonth, method: "cash" });
    const before = await tenantFingerprint(appDb(), t.id);
    const err = await errorOf(caller.invoice.markUnpaid({ id: inv.id }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toMatch(/is in a closed period; only payments dated this month can be undone$/);
    expect(await tenantFingerprint(appDb(), t.id)).toBe(before);
  });

  it("refuses anything that is not paid", async () => {
    const inv = await sentInvoice();
    const err = await errorOf(caller.invoice.markUnpaid({ id: inv.id }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toBe("Only paid invoices can be marked unpaid; this invoice is sent");
  });

  it("is refused to a viewer", async () => {
    const inv = await sentInvoice();
    await caller.invoice.markPaid({ id: inv.id, method: "card" });
    expect((await errorOf(callerFor(t.host, t.users.viewer).invoice.markUnpaid({ id: inv.id }))).code).toBe("FORBIDDEN");
  });
});

describe("invoice.send", () => {
  it("without a customer email: BAD_REQUEST with a field error, nothing written and no email queued", async () => {
    const draft = await draftInvoice({ customerEmail: null });
    const before = await tenantFingerprint(appDb(), t.id);
    const { status, error } = await post("invoice.send", { id: draft.id });
    expect(status).toBe(400);
    expect(error?.data.code).toBe("BAD_REQUEST");
    expect(error?.data.fieldErrors?.customerEmail).toEqual(["Enter the address to send this invoice to"]);
    expect(await tenantFingerprint(appDb(), t.id)).toBe(before);
    expect(await emailJobs(draft.id)).toBe(0);
  });

  it("with the address given: saves it and sends in one step, and queues the email", async () => {
    const draft = await draftInvoice({ customerEmail: null });
    const sent = await caller.invoice.send({ id: draft.id, customerEmail: "billing@late.test" });
    expect(sent).toMatchObject({ status: "sent", customerEmail: "billing@late.test" });
    expect(await emailJobs(draft.id)).toBe(1);
    const entry = (await auditOf(draft.id)).at(-1)!;
    expect(entry).toMatchObject({ action: "invoice.send", after: { status: "sent", customerEmail: "billing@late.test" } });
  });

  it("a malformed address is an input error on the field", async () => {
    const draft = await draftInvoice({ customerEmail: null });
    const { error } = await post("invoice.send", { id: draft.id, customerEmail: "not an address" });
    expect(error?.data.fieldErrors?.customerEmail).toEqual(["Enter an email address like name@example.com"]);
    expect((await caller.invoice.byId({ id: draft.id })).status).toBe("draft");
  });

  it("sending twice: the second is a CONFLICT that says it was already sent; one email, one audit entry", async () => {
    const draft = await draftInvoice({ customerEmail: null });
    await caller.invoice.update({ id: draft.id, customerEmail: "ap@twice.test" });
    const [first, second] = await Promise.allSettled([caller.invoice.send({ id: draft.id }), caller.invoice.send({ id: draft.id })]);
    const outcomes = [first, second].map((r) => (r.status === "fulfilled" ? "sent" : r.reason instanceof TRPCError ? r.reason.code : "other"));
    expect(outcomes.sort()).toEqual(["CONFLICT", "sent"]);
    const refused = [first, second].find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((refused.reason as TRPCError).message).toMatch(/^INV-\d{6} was already sent on .+; it is sent now$/);
    expect(await emailJobs(draft.id)).toBe(1);
    expect((await auditOf(draft.id)).filter((e) => e.action === "invoice.send")).toHaveLength(1);
  });
});

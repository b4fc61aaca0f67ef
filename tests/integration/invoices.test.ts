import { asc, eq } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema/audit";
import { invoiceCounters } from "@/db/schema/invoices";
import { withTenant } from "@/db/tenant-transaction";
import { appDb, callerFor, closeDb, createTenant, errorOf, handleHttp, tenantFingerprint, type TenantFixture } from "../support/fixtures";

type Caller = ReturnType<typeof callerFor>;
type CreateInput = Parameters<Caller["invoice"]["create"]>[0];

const item = (over: Record<string, unknown> = {}) => ({ description: "Consulting", quantity: "1.5", unitPrice: 10_000, taxRateBp: 2000, ...over });
const draftInput = (over: Partial<CreateInput> = {}): CreateInput => ({
  customerName: "Wayne Enterprises",
  customerEmail: "ap@wayne.test",
  currency: "USD",
  issueDate: "2026-03-01",
  dueDate: "2026-03-31",
  items: [item()],
  ...over,
});

/** Through the HTTP adapter, so the errorFormatter's output (data.fieldErrors) is what a client sees. */
async function postCreate(t: TenantFixture, input: unknown) {
  const req = new Request(`http://${t.host}/api/trpc/invoice.create`, {
    method: "POST",
    body: JSON.stringify({ json: input }),
    headers: { host: t.host, "content-type": "application/json" },
  });
  const res = await handleHttp(req, t);
  const body = (await res.json()) as { error?: Parameters<typeof superjson.deserialize>[0] };
  return { status: res.status, error: body.error ? superjson.deserialize<{ data: { code: string; fieldErrors: Record<string, string[]> | null } }>(body.error) : null };
}

const auditTrail = (tenantId: string) =>
  withTenant(appDb(), { tenantId }, (tx) =>
    tx.select({ action: auditLog.action, entityId: auditLog.entityId, before: auditLog.before, after: auditLog.after }).from(auditLog).orderBy(asc(auditLog.createdAt)),
  );

afterAll(closeDb);

describe("invoice.create", () => {
  let t: TenantFixture;
  beforeAll(async () => {
    t = await createTenant(appDb(), { invoices: 0 });
  });

  it("computes line amounts and totals on the server", async () => {
    const caller = callerFor(t.host, t.users.member);
    const created = await caller.invoice.create(
      draftInput({
        projectId: t.projectIds[0],
        items: [
          item(), // 1.5 × 100.00 = 150.00, tax 20% = 30.00
          item({ description: "Hosting", quantity: 3, unitPrice: 333, taxRateBp: 0 }), // 9.99
          item({ description: "Odd", quantity: "0.333", unitPrice: 1001, taxRateBp: 1250 }), // 333.333 → 333, tax 41.625 → 42
        ],
      }),
    );
    expect(created).toMatchObject({ tenantId: t.id, status: "draft", number: 1, subtotal: 16_332n, taxTotal: 3042n, total: 19_374n, overdue: false });
    const fetched = await caller.invoice.byId({ id: created.id });
    expect(fetched.items.map((i) => [i.position, i.description, i.quantityMilli, i.unitPrice, i.amount])).toEqual([
      [1, "Consulting", 1500n, 10_000n, 15_000n],
      [2, "Hosting", 3000n, 333n, 999n],
      [3, "Odd", 333n, 1001n, 333n],
    ]);
    expect(fetched.total).toBe(19_374n);
  });

  it("refuses a project that does not exist in the tenant, and writes nothing", async () => {
    const before = await tenantFingerprint(appDb(), t.id);
    const err = await errorOf(callerFor(t.host, t.users.owner).invoice.create(draftInput({ projectId: crypto.randomUUID() })));
    expect(err.code).toBe("NOT_FOUND");
    expect(err.message).toBe("Project not found");
    expect(await tenantFingerprint(appDb(), t.id)).toBe(before);
  });

  it("is refused to a viewer", async () => {
    expect((await errorOf(callerFor(t.host, t.users.viewer).invoice.create(draftInput()))).code).toBe("FORBIDDEN");
  });
});

describe("invoice numbers under concurrency", () => {
  it("50 concurrent creates get 50 distinct consecutive numbers; another tenant's counter is untouched", async () => {
    const t = await createTenant(appDb(), { invoices: 0 });
    const other = await createTenant(appDb(), { invoices: 2 });
    const otherBefore = await tenantFingerprint(appDb(), other.id);
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) => callerFor(t.host, t.users.member).invoice.create(draftInput({ customerName: `Concurrent ${i}` }))),
    );
    const numbers = created.map((c) => c.number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const [counter] = await withTenant(appDb(), { tenantId: t.id }, (tx) => tx.select().from(invoiceCounters).where(eq(invoiceCounters.tenantId, t.id)));
    expect(counter?.lastNumber).toBe(50);
    const [otherCounter] = await withTenant(appDb(), { tenantId: other.id }, (tx) =>
      tx.select().from(invoiceCounters).where(eq(invoiceCounters.tenantId, other.id)),
    );
    expect(otherCounter?.lastNumber).toBe(2);
    expect(await tenantFingerprint(appDb(), other.id)).toBe(otherBefore);
  });
});

describe("status transitions", () => {
  let t: TenantFixture;
  let caller: Caller;
  const ids: Record<"draft" | "sent" | "paid" | "void", string> = { draft: "", sent: "", paid: "", void: "" };

  beforeAll(async () => {
    t = await createTenant(appDb(), { invoices: 0 });
    caller = callerFor(t.host, t.users.member);
    for (const status of ["draft", "sent", "paid", "void"] as const) {
      const inv = await caller.invoice.create(draftInput({ customerName: `State ${status}` }));
      if (status !== "draft") await caller.invoice.send({ id: inv.id });
      if (status === "paid") await caller.invoice.markPaid({ id: inv.id });
      if (status === "void") await caller.invoice.void({ id: inv.id });
      ids[status] = inv.id;
    }
  });

  it("stamps the time of each allowed transition", async () => {
    const sent = await caller.invoice.byId({ id: ids.sent });
    expect(sent).toMatchObject({ status: "sent", paidAt: null, voidedAt: null });
    expect(sent.sentAt).toBeInstanceOf(Date);
    const paid = await caller.invoice.byId({ id: ids.paid });
    expect(paid.status).toBe("paid");
    expect(paid.paidAt).toBeInstanceOf(Date);
    const voided = await caller.invoice.byId({ id: ids.void });
    expect(voided.voidedAt).toBeInstanceOf(Date);
    const draftVoided = await caller.invoice.create(draftInput());
    expect((await caller.invoice.void({ id: draftVoided.id })).status).toBe("void");
  });

  const forbidden: Record<"draft" | "sent" | "paid" | "void", ("send" | "markPaid" | "void" | "update" | "delete")[]> = {
    draft: ["markPaid"],
    sent: ["send", "update", "delete"],
    paid: ["send", "markPaid", "void", "update", "delete"],
    void: ["send", "markPaid", "void", "update", "delete"],
  };
  for (const [status, ops] of Object.entries(forbidden) as [keyof typeof forbidden, (typeof forbidden)["draft"]][]) {
    for (const op of ops) {
      // Repeating what already happened (every non-draft here was sent) is a CONFLICT that says so.
      const repeat = (op === "send" && status !== "draft") || (op === "markPaid" && status === "paid");
      it(`${op} on a ${status} invoice → ${repeat ? "CONFLICT" : "BAD_REQUEST"}, nothing changes`, async () => {
        const id = ids[status];
        const before = await tenantFingerprint(appDb(), t.id);
        const call =
          op === "update" ? caller.invoice.update({ id, customerName: "Changed" }) : op === "delete" ? caller.invoice.delete({ id }) : caller.invoice[op]({ id });
        const err = await errorOf(call);
        expect(err.code).toBe(repeat ? "CONFLICT" : "BAD_REQUEST");
        expect(err.message).toMatch(repeat ? /^INV-\d{6} was already (sent|marked paid) on / : /^Only /);
        expect(await tenantFingerprint(appDb(), t.id)).toBe(before);
      });
    }
  }

  it("update edits a draft, replaces its lines and recomputes totals", async () => {
    const draft = await caller.invoice.create(draftInput());
    const updated = await caller.invoice.update({ id: draft.id, customerName: "Renamed", items: [item({ quantity: 2, unitPrice: 500, taxRateBp: 1000 })] });
    expect(updated).toMatchObject({ customerName: "Renamed", subtotal: 1000n, taxTotal: 100n, total: 1100n });
    expect(updated.items).toHaveLength(1);
    const err = await errorOf(caller.invoice.update({ id: draft.id, dueDate: "2026-01-01" }));
    expect(err.code).toBe("BAD_REQUEST");
  });

  it("delete removes a draft and its lines", async () => {
    const draft = await caller.invoice.create(draftInput());
    await caller.invoice.delete({ id: draft.id });
    expect((await errorOf(caller.invoice.byId({ id: draft.id }))).code).toBe("NOT_FOUND");
  });
});

describe("deleting drafts keeps numbers gap-free", () => {
  let t: TenantFixture;
  let caller: Caller;
  const counterOf = async (tenantId: string) => {
    const [row] = await withTenant(appDb(), { tenantId }, (tx) => tx.select().from(invoiceCounters).where(eq(invoiceCounters.tenantId, tenantId)));
    return row?.lastNumber;
  };
  beforeAll(async () => {
    t = await createTenant(appDb(), { invoices: 0 });
    caller = callerFor(t.host, t.users.member);
  });

  it("refuses a draft that is not the latest, and changes nothing", async () => {
    const older = await caller.invoice.create(draftInput({ customerName: "Older draft" }));
    await caller.invoice.create(draftInput({ customerName: "Newer draft" }));
    const before = await tenantFingerprint(appDb(), t.id);
    const err = await errorOf(caller.invoice.delete({ id: older.id }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toBe("Only the latest draft can be deleted; void it instead");
    expect(await tenantFingerprint(appDb(), t.id)).toBe(before);
  });

  it("deleting the latest draft gives its number back, and the next invoice takes it", async () => {
    const latest = await caller.invoice.create(draftInput({ customerName: "Latest draft" }));
    expect(await counterOf(t.id)).toBe(latest.number);
    await caller.invoice.delete({ id: latest.id });
    expect(await counterOf(t.id)).toBe(latest.number - 1);
    const next = await caller.invoice.create(draftInput({ customerName: "Takes the number" }));
    expect(next.number).toBe(latest.number);
    const numbers = (await caller.invoice.list({ sort: "number", direction: "asc", limit: 100 })).items.map((i) => i.number);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
  });

  it("the latest invoice, once sent, cannot be deleted either", async () => {
    const latest = await caller.invoice.create(draftInput());
    await caller.invoice.send({ id: latest.id });
    const err = await errorOf(caller.invoice.delete({ id: latest.id }));
    expect(err.message).toBe("Only draft invoices can be deleted; void it instead");
    expect(await counterOf(t.id)).toBe(latest.number);
  });

  it("concurrent creates and a delete of the latest draft leave consecutive numbers", async () => {
    const latest = await caller.invoice.create(draftInput({ customerName: "Raced" }));
    const results = await Promise.allSettled([
      caller.invoice.delete({ id: latest.id }),
      ...Array.from({ length: 10 }, (_, i) => caller.invoice.create(draftInput({ customerName: `Racer ${i}` }))),
    ]);
    expect(results.slice(1).every((r) => r.status === "fulfilled")).toBe(true);
    const numbers = (await caller.invoice.list({ sort: "number", direction: "asc", limit: 100 })).items.map((i) => i.number);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(await counterOf(t.id)).toBe(numbers.length);
  });
});

describe("bad input", () => {
  let t: TenantFixture;
  beforeAll(async () => {
    t = await createTenant(appDb(), { invoices: 1 });
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ["negative quantity", { ...draftInput(), items: [item({ quantity: "-1" })] }, "items"],
    ["zero quantity", { ...draftInput(), items: [item({ quantity: 0 })] }, "items"],
    ["quantity with 4 decimals", { ...draftInput(), items: [item({ quantity: "1.2345" })] }, "items"],
    ["unitPrice over range", { ...draftInput(), items: [item({ unitPrice: 10 ** 15 + 1 })] }, "items"],
    ["negative unitPrice", { ...draftInput(), items: [item({ unitPrice: -1 })] }, "items"],
    ["fractional unitPrice", { ...draftInput(), items: [item({ unitPrice: 1.5 })] }, "items"],
    ["tax rate over 100%", { ...draftInput(), items: [item({ taxRateBp: 10_001 })] }, "items"],
    ["unknown currency", { ...draftInput(), currency: "XXX" }, "currency"],
    ["malformed date", { ...draftInput(), issueDate: "2026-02-30x" }, "issueDate"],
    ["impossible date", { ...draftInput(), dueDate: "2026-02-30" }, "dueDate"],
    ["due before issue", { ...draftInput(), dueDate: "2026-02-01" }, "dueDate"],
    ["10k-char description", { ...draftInput(), items: [item({ description: "x".repeat(10_000) })] }, "items"],
    ["no line items", { ...draftInput(), items: [] }, "items"],
    ["101 line items", { ...draftInput(), items: Array.from({ length: 101 }, () => item()) }, "items"],
    ["bad email", { ...draftInput(), customerEmail: "not-an-email" }, "customerEmail"],
    ["empty customer", { ...draftInput(), customerName: "   " }, "customerName"],
    ["client-sent total (unknown field)", { ...draftInput(), total: 1 }, ""],
    ["unknown field on a line", { ...draftInput(), items: [item({ amount: 1 })] }, "items"],
  ];
  for (const [name, input, field] of cases) {
    it(`${name} → BAD_REQUEST with field errors, nothing written`, async () => {
      const before = await tenantFingerprint(appDb(), t.id);
      const { status, error } = await postCreate(t, input);
      expect(status).toBe(400);
      expect(error?.data.code).toBe("BAD_REQUEST");
      expect(error?.data.fieldErrors).not.toBeNull();
      if (field) expect(error?.data.fieldErrors?.[field]?.length, JSON.stringify(error?.data)).toBeGreaterThan(0);
      expect(await tenantFingerprint(appDb(), t.id)).toBe(before);
    });
  }

  it("a valid input through the same path succeeds (the harness is not what fails)", async () => {
    const { status, error } = await postCreate(t, draftInput());
    expect(error).toBeNull();
    expect(status).toBe(200);
  });
});

describe("list and stats", () => {
  let t: TenantFixture;
  let other: TenantFixture;
  let caller: Caller;
  beforeAll(async () => {
    t = await createTenant(appDb(), { invoices: 0 });
    other = await createTenant(appDb(), { invoices: 0 });
    caller = callerFor(t.host, t.users.owner);
    const past = { issueDate: "2020-01-01", dueDate: "2020-01-31" };
    const future = { issueDate: "2026-01-01", dueDate: "2099-01-31" };
    const one = (unitPrice: number) => [item({ quantity: 1, unitPrice, taxRateBp: 0 })];
    const overdue = await caller.invoice.create(draftInput({ ...past, currency: "EUR", customerName: "100% Pure_Co", items: one(1000) }));
    await caller.invoice.send({ id: overdue.id });
    const outstanding = await caller.invoice.create(draftInput({ ...future, currency: "EUR", customerName: "Initech", items: one(2500) }));
    await caller.invoice.send({ id: outstanding.id });
    const paid = await caller.invoice.create(draftInput({ ...future, currency: "USD", customerName: "Hooli", items: one(7000) }));
    await caller.invoice.send({ id: paid.id });
    await caller.invoice.markPaid({ id: paid.id });
    const voided = await caller.invoice.create(draftInput({ ...past, currency: "EUR", customerName: "Pure Co", items: one(99_999) }));
    await caller.invoice.send({ id: voided.id });
    await caller.invoice.void({ id: voided.id });
    await caller.invoice.create(draftInput({ ...past, currency: "USD", customerName: "Draft Co", items: one(5) }));
    // The other tenant has money in the same currencies; none of it may show up in t's numbers.
    const o = callerFor(other.host, other.users.owner);
    for (const currency of ["EUR", "USD"] as const) {
      const inv = await o.invoice.create(draftInput({ ...past, currency, items: one(1_000_000) }));
      await o.invoice.send({ id: inv.id });
      const paidInv = await o.invoice.create(draftInput({ currency, items: one(3_000_000) }));
      await o.invoice.send({ id: paidInv.id });
      await o.invoice.markPaid({ id: paidInv.id });
    }
  });

  it("stats sums per currency, this tenant only", async () => {
    const stats = await caller.invoice.stats();
    expect(stats.currencies).toEqual([
      { currency: "EUR", invoiced: 3500n, invoicedCount: 2, paid: 0n, paidCount: 0, outstanding: 3500n, outstandingCount: 2, overdue: 1000n, overdueCount: 1, paidThisMonth: 0n, paidThisMonthCount: 0 },
      { currency: "USD", invoiced: 7000n, invoicedCount: 1, paid: 7000n, paidCount: 1, outstanding: 0n, outstandingCount: 0, overdue: 0n, overdueCount: 0, paidThisMonth: 7000n, paidThisMonthCount: 1 },
    ]);
  });

  it("filters, flags overdue, sorts and pages", async () => {
    const all = await caller.invoice.list({ limit: 100 });
    expect(all.total).toBe(5);
    expect(all.items.every((i) => i.tenantId === t.id)).toBe(true);
    expect(all.items.filter((i) => i.overdue).map((i) => i.customerName)).toEqual(["100% Pure_Co"]);

    // % and _ are literal: "0% P" matches only the name that contains it, "e_C" does not match "Pure Co".
    expect((await caller.invoice.list({ customer: "0% p" })).items.map((i) => i.customerName)).toEqual(["100% Pure_Co"]);
    expect((await caller.invoice.list({ customer: "e_C" })).items.map((i) => i.customerName)).toEqual(["100% Pure_Co"]);
    expect((await caller.invoice.list({ status: "sent" })).items.map((i) => i.customerName).sort()).toEqual(["100% Pure_Co", "Initech"]);
    expect((await caller.invoice.list({ issueDateFrom: "2025-01-01", issueDateTo: "2026-12-31" })).total).toBe(2);

    const byTotal = await caller.invoice.list({ sort: "total", direction: "asc", limit: 2 });
    // By currency first (EUR, then USD), by total within it: amounts in different currencies never interleave.
    expect(byTotal.items.map((i) => i.total)).toEqual([1000n, 2500n]);
    expect(byTotal.nextOffset).toBe(2);
    const page2 = await caller.invoice.list({ sort: "total", direction: "asc", limit: 2, offset: 2 });
    expect(page2.items.map((i) => `${i.currency} ${i.total}`)).toEqual(["EUR 99999", "USD 5"]);
    const page3 = await caller.invoice.list({ sort: "total", direction: "asc", limit: 2, offset: 4 });
    expect(page3.items.map((i) => i.total)).toEqual([7000n]);
    expect(page3.nextOffset).toBeNull();
    expect((await caller.invoice.list({ sort: "number", direction: "asc" })).items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("invoices of one project", () => {
  it("stats narrow to one project", async () => {
    const t = await createTenant(appDb(), { invoices: 1 });
    const caller = callerFor(t.host, t.users.member);
    const project = await caller.project.create({ name: "Stats project" });
    const inv = await caller.invoice.create(draftInput({ projectId: project.id, currency: "EUR", dueDate: "2099-01-01", items: [item({ quantity: 1, unitPrice: 4200, taxRateBp: 0 })] }));
    await caller.invoice.send({ id: inv.id });
    const stats = await caller.invoice.stats({ projectId: project.id });
    expect(stats.currencies).toEqual([
      { currency: "EUR", invoiced: 4200n, invoicedCount: 1, paid: 0n, paidCount: 0, outstanding: 4200n, outstandingCount: 1, overdue: 0n, overdueCount: 0, paidThisMonth: 0n, paidThisMonthCount: 0 },
    ]);
    expect((await caller.invoice.stats({ projectId: crypto.randomUUID() })).currencies).toEqual([]);
  });

  it("the list names each row's project as it is now, and none for an invoice without one", async () => {
    const t = await createTenant(appDb(), { invoices: 0 });
    const caller = callerFor(t.host, t.users.member);
    const project = await caller.project.create({ name: "Before" });
    const linked = await caller.invoice.create(draftInput({ projectId: project.id }));
    const loose = await caller.invoice.create(draftInput({}));
    await caller.project.update({ id: project.id, name: "After" });
    const names = new Map((await caller.invoice.list({ limit: 100 })).items.map((i) => [i.id, i.projectName]));
    expect(names).toEqual(new Map([[linked.id, "After"], [loose.id, null]]));
  });
});

describe("the audit log", () => {
  it("has exactly one entry per successful mutation, and none for refused ones", async () => {
    const t = await createTenant(appDb(), { invoices: 0 });
    const caller = callerFor(t.host, t.users.admin);
    const before = await auditTrail(t.id);
    expect(before).toEqual([]);
    const expected: [string, string][] = [];

    const a = await caller.invoice.create(draftInput());
    expected.push(["invoice.create", a.id]);
    await caller.invoice.update({ id: a.id, items: [item({ unitPrice: 20_000 })] });
    expected.push(["invoice.update", a.id]);
    await caller.invoice.send({ id: a.id });
    expected.push(["invoice.send", a.id]);
    await errorOf(caller.invoice.send({ id: a.id }));
    await errorOf(caller.invoice.update({ id: a.id, customerName: "x" }));
    await caller.invoice.markPaid({ id: a.id });
    expected.push(["invoice.markPaid", a.id]);
    await errorOf(caller.invoice.void({ id: a.id }));
    const b = await caller.invoice.create(draftInput());
    expected.push(["invoice.create", b.id]);
    await caller.invoice.void({ id: b.id });
    expected.push(["invoice.void", b.id]);
    const c = await caller.invoice.create(draftInput());
    expected.push(["invoice.create", c.id]);
    await caller.invoice.delete({ id: c.id });
    expected.push(["invoice.delete", c.id]);
    await errorOf(caller.invoice.create(draftInput({ projectId: crypto.randomUUID() })));

    const trail = await auditTrail(t.id);
    expect(trail.map((r) => [r.action, r.entityId])).toEqual(expected);
    const update = trail[1]!;
    expect(update.before).toMatchObject({ subtotal: "15000", total: "18000" });
    expect(update.after).toMatchObject({ subtotal: "30000", total: "36000" });
    expect(trail[2]!.before).toMatchObject({ status: "draft" });
    expect(trail[2]!.after).toMatchObject({ status: "sent" });
  });
});

describe("invoice.list filters and order", () => {
  it("status=overdue lists sent invoices past due by the database's date, and nothing else", async () => {
    const t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const caller = callerFor(t.host, t.users.owner);
    const today = new Date().toISOString().slice(0, 10);
    const late = await caller.invoice.create(draftInput({ customerName: "Late", issueDate: "2026-01-01", dueDate: "2026-01-15" }));
    await caller.invoice.send({ id: late.id });
    const notDue = await caller.invoice.create(draftInput({ customerName: "Not due", issueDate: today, dueDate: "2099-12-31" }));
    await caller.invoice.send({ id: notDue.id });
    const paidLate = await caller.invoice.create(draftInput({ customerName: "Paid late", issueDate: "2026-01-01", dueDate: "2026-01-15" }));
    await caller.invoice.send({ id: paidLate.id });
    await caller.invoice.markPaid({ id: paidLate.id });
    await caller.invoice.create(draftInput({ customerName: "Draft late", issueDate: "2026-01-01", dueDate: "2026-01-15" }));
    const overdue = await caller.invoice.list({ status: "overdue" });
    expect(overdue.items.map((i) => i.customerName)).toEqual(["Late"]);
    expect(overdue.items.every((i) => i.overdue)).toBe(true);
    expect((await caller.invoice.list({ status: "sent" })).items.map((i) => i.customerName).sort()).toEqual(["Late", "Not due"]);
  });

  it("sorting by total never mixes currencies: by currency, then total within it", async () => {
    const t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const caller = callerFor(t.host, t.users.owner);
    for (const [currency, unitPrice] of [["USD", 500], ["JPY", 100_000], ["USD", 90_000], ["EUR", 1_000], ["JPY", 50]] as const) {
      await caller.invoice.create(draftInput({ customerName: `${currency} ${unitPrice}`, currency, items: [item({ unitPrice, quantity: "1", taxRateBp: 0 })] }));
    }
    const asc = await caller.invoice.list({ sort: "total", direction: "asc" });
    expect(asc.items.map((i) => `${i.currency} ${i.total}`)).toEqual(["EUR 1000", "JPY 50", "JPY 100000", "USD 500", "USD 90000"]);
    const desc = await caller.invoice.list({ sort: "total", direction: "desc" });
    expect(desc.items.map((i) => `${i.currency} ${i.total}`)).toEqual(["EUR 1000", "JPY 100000", "JPY 50", "USD 90000", "USD 500"]);
  });

  it("sorts by issue date", async () => {
    const t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const caller = callerFor(t.host, t.users.owner);
    for (const day of ["2026-02-10", "2026-01-05", "2026-03-01"]) await caller.invoice.create(draftInput({ customerName: day, issueDate: day, dueDate: "2026-04-01" }));
    expect((await caller.invoice.list({ sort: "issueDate", direction: "asc" })).items.map((i) => i.issueDate)).toEqual(["2026-01-05", "2026-02-10", "2026-03-01"]);
  });
});

import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoices } from "@/db/schema/invoices";
import { withTenant } from "@/db/tenant-transaction";
import { appDb, callerFor, closeDb, createTenant, type TenantFixture } from "../support/fixtures";

type Caller = ReturnType<typeof callerFor>;

const input = (currency: "USD" | "EUR", unitPrice: number, customerName = "Customer") => ({
  customerName,
  customerEmail: "ap@revenue.test",
  currency,
  // Long ago: a payment date may not be before the issue date, and the test pays up to 12 months back.
  issueDate: "2020-01-01",
  dueDate: "2099-01-01",
  items: [{ description: "Work", quantity: 1, unitPrice, taxRateBp: 0 }],
});

async function paid(caller: Caller, currency: "USD" | "EUR", unitPrice: number) {
  const inv = await caller.invoice.create(input(currency, unitPrice));
  await caller.invoice.send({ id: inv.id });
  await caller.invoice.markPaid({ id: inv.id });
  return inv.id;
}

/** Moves paid_at to a day in the month `monthsAgo` before the database's current month. */
async function backdate(t: TenantFixture, id: string, monthsAgo: number) {
  await withTenant(appDb(), { tenantId: t.id }, (tx) =>
    tx
      .update(invoices)
      .set({
        paidAt: sql`date_trunc('month', now()) - make_interval(months => ${monthsAgo}) + interval '2 days'`,
        paidOn: sql`(date_trunc('month', now()) - make_interval(months => ${monthsAgo}) + interval '2 days')::date`,
      })
      .where(and(eq(invoices.tenantId, t.id), eq(invoices.id, id))),
  );
}

afterAll(closeDb);

describe("invoice.revenueByMonth", () => {
  let t: TenantFixture;
  let caller: Caller;
  beforeAll(async () => {
    t = await createTenant(appDb(), { invoices: 0 });
    caller = callerFor(t.host, t.users.member);
    await paid(caller, "USD", 1000);
    await paid(caller, "USD", 250);
    await backdate(t, await paid(caller, "USD", 7000), 3);
    await backdate(t, await paid(caller, "EUR", 900), 11);
    await backdate(t, await paid(caller, "EUR", 123_456), 12);
    const sent = await caller.invoice.create(input("USD", 50_000));
    await caller.invoice.send({ id: sent.id });
    const voided = await caller.invoice.create(input("EUR", 60_000));
    await caller.invoice.void({ id: voided.id });
    await caller.invoice.create(input("USD", 70_000));

    const other = await createTenant(appDb(), { invoices: 0 });
    await paid(callerFor(other.host, other.users.owner), "USD", 999_999);
  });

  it("returns the last 12 months, oldest first, ending with the current month", async () => {
    const { months } = await caller.invoice.revenueByMonth();
    expect(months).toHaveLength(12);
    for (const m of months) expect(m).toMatch(/^\d{4}-\d{2}$/);
    expect([...months].sort()).toEqual(months);
    expect(new Set(months).size).toBe(12);
  });

  it("sums paid invoices per month and currency, this tenant only; sent, void, draft and older ones are left out", async () => {
    const { currencies } = await caller.invoice.revenueByMonth();
    expect(currencies.map((c) => c.currency)).toEqual(["EUR", "USD"]);
    const [eur, usd] = currencies;
    const zeros = (over: Record<number, bigint>) => Array.from({ length: 12 }, (_, i) => over[i] ?? 0n);
    expect(usd!.totals).toEqual(zeros({ 8: 7000n, 11: 1250n }));
    expect(usd!.counts[11]).toBe(2);
    expect(eur!.totals).toEqual(zeros({ 0: 900n }));
  });

  it("counts a payment in the month of its payment date, not the month it was recorded in", async () => {
    const x = await createTenant(appDb(), { invoices: 0 });
    const owner = callerFor(x.host, x.users.owner);
    const [row] = await withTenant(appDb(), { tenantId: x.id }, (tx) =>
      tx.execute<{ day: string }>(sql`select to_char(date_trunc('month', now()) - interval '1 month' + interval '4 days', 'YYYY-MM-DD') as day`),
    );
    const day = row!.day;
    const inv = await owner.invoice.create(input("USD", 4_200));
    await owner.invoice.send({ id: inv.id });
    // Recorded today, paid last month (a bank statement read late).
    await owner.invoice.markPaid({ id: inv.id, paidOn: day, method: "bank_transfer" });
    const { currencies } = await owner.invoice.revenueByMonth();
    expect(currencies[0]!.totals.slice(10)).toEqual([4_200n, 0n]);
    const stats = await owner.invoice.stats();
    expect(stats.currencies[0]).toMatchObject({ paid: 4_200n, paidThisMonth: 0n, paidThisMonthCount: 0 });
  });

  it("is empty, with all twelve months, for a tenant with nothing paid", async () => {
    const empty = await createTenant(appDb(), { invoices: 2 });
    const result = await callerFor(empty.host, empty.users.viewer).invoice.revenueByMonth();
    expect(result.months).toHaveLength(12);
    expect(result.currencies).toEqual([]);
  });
});

import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plans } from "@/lib/plans";
import { clearDirectoryCache } from "@/server/tenancy/directory";
import { appDb, callerFor, closeDb, createTenant, setTenantPlan, type TenantFixture } from "../support/fixtures";

/* Plan quotas (lib/plans.ts) through the real procedures; fixture tenants start on the free plan. */

let t: TenantFixture;
beforeAll(async () => {
  t = await createTenant(appDb(), { projects: plans.free.maxProjects! - 5, invoices: plans.free.maxInvoicesPerMonth! - 1 });
});
afterAll(closeDb);

const asOwner = () => callerFor(t.host, t.users.owner);

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string } | null> {
  try {
    await call;
    return null;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { code: error.code, message: error.message };
  }
}

const draft = () => ({
  customerName: "Quota Ltd",
  currency: "USD" as const,
  issueDate: "2026-11-01",
  dueDate: "2026-12-01",
  items: [{ description: "Work", quantity: "1", unitPrice: 1000 }],
});

describe("plan quotas", () => {
  it("projects: concurrent creates stop exactly at the plan's limit, with a message naming it", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => refusal(asOwner().project.create({ name: `Quota ${i}` }))));
    expect(results.filter((r) => r === null)).toHaveLength(5);
    const refused = results.filter((r) => r !== null);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect(r).toEqual({ code: "PAYMENT_REQUIRED", message: expect.stringMatching(/^Your plan \(Free\) allows 50 projects/) as string });
    }
    expect((await asOwner().project.list({ limit: 100 })).items).toHaveLength(plans.free.maxProjects!);
  });

  it("invoices: the month's quota counts invoices created this month", async () => {
    expect(await refusal(asOwner().invoice.create(draft()))).toBeNull();
    expect(await refusal(asOwner().invoice.create(draft()))).toMatchObject({ code: "PAYMENT_REQUIRED", message: expect.stringMatching(/allows 500 new invoices a month/) as string });
  });

  it("members: members and pending invitations hold the seats", async () => {
    const free = plans.free.maxMembers! - 4;
    for (let i = 0; i < free; i++) expect(await refusal(asOwner().member.invite({ email: `seat-${i}-${t.slug}@example.test`, role: "member" }))).toBeNull();
    expect(await refusal(asOwner().member.invite({ email: `one-too-many-${t.slug}@example.test`, role: "member" }))).toMatchObject({
      code: "PAYMENT_REQUIRED",
      message: expect.stringMatching(/allows 10 members \(pending invitations included\)/) as string,
    });
  });

  it("a larger plan lifts the limits", async () => {
    await setTenantPlan(t.id, "enterprise");
    clearDirectoryCache();
    expect(await refusal(asOwner().project.create({ name: "Beyond free" }))).toBeNull();
    expect(await refusal(asOwner().member.invite({ email: `enterprise-${t.slug}@example.test`, role: "member" }))).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transactionCounts } from "@/db/tenant-transaction";
import { PageTenant } from "@/server/api/page-tenant";
import type { Admitted } from "@/server/api/trpc";
import { addMember, callerFor, closeDb, codeOf, createTenant, type TenantFixture, type UserFixture } from "../support/fixtures";

let a: TenantFixture;
let b: TenantFixture;
let viewer: UserFixture;
beforeAll(async () => {
  a = await createTenant(undefined, { projects: 3, invoices: 3 });
  b = await createTenant(undefined, { projects: 2, invoices: 2 });
  viewer = await addMember(a, "viewer");
});
afterAll(closeDb);

/** The tenant transactions `fn` opens (nothing else runs in this file meanwhile). */
async function tenantTransactions(fn: () => Promise<void>): Promise<number> {
  const before = transactionCounts.tenant;
  await fn();
  return transactionCounts.tenant - before;
}

/** What the invoice list page reads: the layout's workspace and support banner, then the page's own reads. */
async function invoicePageReads(caller: ReturnType<typeof callerFor>) {
  const [tenant] = await Promise.all([caller.tenant.current(), caller.support.current()]);
  const again = await caller.tenant.current();
  const [invoices, projects] = await Promise.all([caller.invoice.list({}), caller.project.list({})]);
  return { tenant, again, invoices, projects };
}

/** A page's reads end when its response is sent: close, then wait for the commit to be done. */
async function closed(page: PageTenant<Admitted>) {
  page.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe("a server-rendered page's reads", () => {
  it("share one tenant transaction, where each call alone opens its own", async () => {
    const perCall = await tenantTransactions(async () => void (await invoicePageReads(callerFor(a.host, a.users.owner))));
    expect(perCall).toBeGreaterThanOrEqual(5);

    const page = new PageTenant<Admitted>();
    let read: Awaited<ReturnType<typeof invoicePageReads>> | undefined;
    const shared = await tenantTransactions(async () => {
      read = await invoicePageReads(callerFor(a.host, a.users.owner, undefined, { pageTenant: page }));
      await closed(page);
    });
    expect(shared).toBe(1);
    // The same answers as one transaction per call: the tenant's own rows, and the repeated read is the same.
    expect(read!.tenant.id).toBe(a.id);
    expect(read!.again).toBe(read!.tenant);
    expect(read!.invoices.items.map((i) => i.tenantId)).toEqual(a.invoiceIds.map(() => a.id));
    expect(read!.projects.items).toHaveLength(3);
  });

  it("still checks each read's own permission, and a refused read ends the sharing", async () => {
    const page = new PageTenant<Admitted>();
    const caller = callerFor(a.host, viewer, undefined, { pageTenant: page });
    expect((await caller.tenant.current()).role).toBe("viewer");
    // audit:read is not a viewer's: refused inside the shared transaction as it would be alone.
    expect(await codeOf(caller.audit.list({}))).toBe("FORBIDDEN");
    // After a failed read the transaction may be aborted: later reads enter on their own.
    expect(await tenantTransactions(async () => void (await caller.project.list({})))).toBe(1);
    await closed(page);
  });

  it("are refused alike when the caller is not a member, and never see another tenant's rows", async () => {
    const page = new PageTenant<Admitted>();
    const outsider = callerFor(b.host, a.users.owner, undefined, { pageTenant: page });
    expect(await codeOf(outsider.tenant.current())).toBe("FORBIDDEN");
    expect(await codeOf(outsider.invoice.list({}))).toBe("FORBIDDEN");
    await closed(page);

    const own = new PageTenant<Admitted>();
    const list = await callerFor(b.host, b.users.owner, undefined, { pageTenant: own }).invoice.list({});
    expect(new Set(list.items.map((i) => i.tenantId))).toEqual(new Set([b.id]));
    await closed(own);
  });

  it("never carry a mutation: a write commits in its own transaction, whatever the page's does", async () => {
    const page = new PageTenant<Admitted>();
    const caller = callerFor(a.host, a.users.owner, undefined, { pageTenant: page });
    await caller.tenant.current();
    const opened = await tenantTransactions(async () => void (await caller.project.create({ name: "written from a page" })));
    expect(opened).toBe(1);
    await closed(page);
    const names = (await callerFor(a.host, a.users.owner).project.list({})).items.map((p) => p.name);
    expect(names).toContain("written from a page");
  });

  it("enter on their own once the page's transaction has closed", async () => {
    const page = new PageTenant<Admitted>();
    const caller = callerFor(a.host, a.users.owner, undefined, { pageTenant: page });
    await caller.tenant.current();
    await closed(page);
    expect(await tenantTransactions(async () => void (await caller.project.list({})))).toBe(1);
    expect(await tenantTransactions(async () => void (await caller.invoice.list({})))).toBe(1);
  });
});

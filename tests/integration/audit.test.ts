import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, callerFor, closeDb, createTenant, type TenantFixture, codeOf } from "../support/fixtures";

type Caller = ReturnType<typeof callerFor>;

const invoiceInput = {
  customerName: "Audited customer",
  customerEmail: "ap@audited.test",
  currency: "USD" as const,
  issueDate: "2026-01-01",
  dueDate: "2026-02-01",
  items: [{ description: "Work", quantity: 1, unitPrice: 100, taxRateBp: 0 }],
};

afterAll(closeDb);

describe("audit.list", () => {
  let t: TenantFixture;
  let owner: Caller;
  let projectId: string;
  let invoiceId: string;

  beforeAll(async () => {
    t = await createTenant(appDb(), { invoices: 0 });
    owner = callerFor(t.host, t.users.owner);
    const admin = callerFor(t.host, t.users.admin);
    const member = callerFor(t.host, t.users.member);
    const project = await admin.project.create({ name: "Audited project" });
    projectId = project.id;
    await admin.project.update({ id: project.id, name: "Renamed project" });
    await member.project.archive({ id: project.id });
    const invoice = await member.invoice.create({ ...invoiceInput, projectId: null });
    invoiceId = invoice.id;
    await member.invoice.send({ id: invoice.id });
    // Another tenant's activity must never show up.
    const other = await createTenant(appDb(), { invoices: 0 });
    await callerFor(other.host, other.users.owner).project.create({ name: "Other tenant's project" });
  });

  it("lists every mutation newest first, with who, what and the changed fields", async () => {
    const { items, nextCursor } = await owner.audit.list({});
    expect(nextCursor).toBeNull();
    expect(items.map((i) => i.action)).toEqual(["invoice.send", "invoice.create", "project.archive", "project.update", "project.create"]);
    expect(items.every((i) => i.tenantId === t.id)).toBe(true);
    const update = items.find((i) => i.action === "project.update")!;
    expect(update).toMatchObject({
      entityType: "project",
      entityId: projectId,
      actorUserId: t.users.admin.id,
      actorName: t.users.admin.name,
      actorEmail: t.users.admin.email,
      before: { name: "Audited project" },
      after: { name: "Renamed project" },
    });
    expect(update.createdAt).toBeInstanceOf(Date);
  });

  it("filters by action, entity type, entity, actor and date range", async () => {
    const actions = async (input: Parameters<Caller["audit"]["list"]>[0]) => (await owner.audit.list(input)).items.map((i) => i.action);
    expect(await actions({ action: "project.update" })).toEqual(["project.update"]);
    expect(await actions({ entityType: "invoice" })).toEqual(["invoice.send", "invoice.create"]);
    expect(await actions({ entityId: invoiceId })).toEqual(["invoice.send", "invoice.create"]);
    expect(await actions({ actorUserId: t.users.member.id })).toEqual(["invoice.send", "invoice.create", "project.archive"]);
    expect(await actions({ actorUserId: t.users.owner.id })).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await actions({ from: today, to: today })).toHaveLength(5);
    expect(await actions({ to: "2000-01-01" })).toEqual([]);
    expect(await actions({ from: "2999-01-01" })).toEqual([]);
  });

  it("pages with a cursor without repeating or skipping entries", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await owner.audit.list({ limit: 2, cursor });
      seen.push(...page.items.map((r) => r.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const all = await owner.audit.list({ limit: 100 });
    expect(seen).toEqual(all.items.map((r) => r.id));
  });

  it("is for owners and admins only", async () => {
    expect(await codeOf(callerFor(t.host, t.users.admin).audit.list({}))).toBe("OK");
    expect(await codeOf(callerFor(t.host, t.users.member).audit.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(t.host, t.users.viewer).audit.list({}))).toBe("FORBIDDEN");
  });

  it("rejects bad filters with BAD_REQUEST", async () => {
    expect(await codeOf(owner.audit.list({ from: "2026-02-30" }))).toBe("BAD_REQUEST");
    expect(await codeOf(owner.audit.list({ from: "2026-02-01", to: "2026-01-01" }))).toBe("BAD_REQUEST");
    expect(await codeOf(owner.audit.list({ actorUserId: "not-a-uuid" }))).toBe("BAD_REQUEST");
    expect(await codeOf(owner.audit.list({ limit: 1000 }))).toBe("BAD_REQUEST");
  });
});

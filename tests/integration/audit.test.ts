import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEntry, sentenceText } from "@/app/s/tenant/_components/audit-format";
import { auditLog } from "@/db/schema/audit";
import { withTenant } from "@/db/tenant-transaction";
import { appDb, callerFor, closeDb, createTenant, keyCallerFor, type TenantFixture, codeOf } from "../support/fixtures";

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

describe("audit.list gives each entry what its sentence needs", () => {
  let t: TenantFixture;
  let other: TenantFixture;
  let owner: Caller;
  let byNumber: Map<string, string>;

  beforeAll(async () => {
    t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    other = await createTenant(appDb(), { projects: 0, invoices: 0 });
    owner = callerFor(t.host, t.users.owner);
    const member = callerFor(t.host, t.users.member);
    const key = await owner.apiKey.create({ name: "CI deploy", scopes: ["invoices:write", "invoices:read"], expiresInDays: null });
    const viaKey = keyCallerFor(t.host, key.token);
    const invoice = await member.invoice.create({ ...invoiceInput, currency: "EUR", projectId: null, items: [{ description: "Design work", quantity: 2, unitPrice: 12_000, taxRateBp: 0 }] });
    await member.invoice.update({ id: invoice.id, items: [{ description: "Design work", quantity: "1.5", unitPrice: 12_000, taxRateBp: 0 }] });
    await viaKey.invoice.send({ id: invoice.id });
    await member.invoice.void({ id: invoice.id });
    const project = await member.project.create({ name: "Short-lived project" });
    await member.project.archive({ id: project.id });
    await owner.project.delete({ id: project.id });
    byNumber = new Map([[invoice.id, `INV-${String(invoice.number).padStart(6, "0")}`]]);
  });

  const sentences = async (input: Parameters<Caller["audit"]["list"]>[0] = {}) => (await owner.audit.list(input)).items.map((e) => sentenceText(describeEntry(e)));

  it("names the invoice, the API key that acted and the project, linking only what still exists", async () => {
    const [number] = [...byNumber.values()];
    expect(await sentences({ entityType: "invoice" })).toEqual([
      `member voided invoice ${number}`,
      `API key ‘CI deploy’ sent invoice ${number} to ap@audited.test`,
      `member edited draft invoice ${number}`,
      `member created invoice ${number} for Audited customer (€240.00)`,
    ]);
    const { items } = await owner.audit.list({ entityType: "project" });
    expect(items.map((e) => sentenceText(describeEntry(e)))).toEqual([
      "owner deleted project Short-lived project",
      "member archived project Short-lived project",
      "member created project Short-lived project",
    ]);
    // The project is gone: no entry about it links anywhere.
    for (const e of items) expect(describeEntry(e).parts.every((p) => typeof p === "string" || !p.href)).toBe(true);
    const voided = (await owner.audit.list({ action: "invoice.void" })).items[0]!;
    expect(voided.subject).toMatchObject({ currency: "EUR" });
    expect(describeEntry(voided).parts).toContainEqual({ text: number, href: `/invoices/${voided.entityId}` });
    expect(describeEntry(voided).details).toEqual([]);
    const edited = (await owner.audit.list({ action: "invoice.update" })).items[0]!;
    expect(describeEntry(edited).details).toEqual(["Lines were: 2 × Design work at €120.00", "Lines now: 1.5 × Design work at €120.00", "Total: €240.00 → €180.00"]);
  });

  it("names the invoice for entries written before the log recorded its number", async () => {
    const [[invoiceId, number]] = [...byNumber.entries()] as [[string, string]];
    await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.insert(auditLog).values({ tenantId: t.id, actorUserId: t.users.admin.id, action: "invoice.markPaid", entityType: "invoice", entityId: invoiceId, before: { status: "sent" }, after: { status: "paid", items: [] } }),
    );
    expect((await sentences({ action: "invoice.markPaid" }))[0]).toBe(`admin marked invoice ${number} as paid`);
  });

  it("names a platform admin who acted through a support session as support, not as a former member", async () => {
    const admin = crypto.randomUUID();
    const [invoiceId] = [...byNumber.keys()] as [string];
    await withTenant(appDb(), { tenantId: t.id }, async (tx) => {
      await tx.insert(auditLog).values({ tenantId: t.id, actorUserId: admin, action: "support.start", entityType: "support_session", entityId: crypto.randomUUID(), after: { reason: "Ticket 42", readOnly: false } });
      await tx.insert(auditLog).values({ tenantId: t.id, actorUserId: admin, action: "invoice.markPaid", entityType: "invoice", entityId: invoiceId, before: { status: "sent" }, after: { status: "paid" } });
    });
    const [paid] = (await owner.audit.list({ action: "invoice.markPaid", actorUserId: admin })).items;
    expect(paid).toMatchObject({ actorName: null, actorIsSupport: true });
    expect(sentenceText(describeEntry(paid!))).toBe(`Canopy support marked invoice ${byNumber.get(invoiceId)} as paid`);
    const [member] = (await owner.audit.list({ actorUserId: t.users.member.id, limit: 1 })).items;
    expect(member).toMatchObject({ actorIsSupport: false });
  });

  it("resolves nothing of another tenant's, even from ids planted in this tenant's log", async () => {
    const theirs = callerFor(other.host, other.users.owner);
    const theirInvoice = await theirs.invoice.create({ ...invoiceInput, customerName: "Their customer" });
    const theirProject = await theirs.project.create({ name: "Their secret project" });
    const theirKey = await theirs.apiKey.create({ name: "Their secret key", scopes: ["projects:read"], expiresInDays: null });
    await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.insert(auditLog).values([
        { tenantId: t.id, actorUserId: other.users.owner.id, action: "invoice.void", entityType: "invoice", entityId: theirInvoice.id },
        { tenantId: t.id, actorApiKeyId: theirKey.id, action: "project.archive", entityType: "project", entityId: theirProject.id },
        { tenantId: t.id, actorUserId: t.users.owner.id, action: "apiKey.revoke", entityType: "api_key", entityId: theirKey.id, after: { endedByRevokingApiKey: theirKey.id } },
        { tenantId: t.id, actorUserId: t.users.owner.id, action: "member.updateRole", entityType: "member", entityId: other.users.owner.id },
      ]),
    );
    // Written in one statement, so with one timestamp: compared in action order.
    const items = (await owner.audit.list({ limit: 4 })).items.sort((x, y) => x.action.localeCompare(y.action));
    expect(items.map((e) => [e.action, e.subject, e.actorName, e.actorApiKeyName, e.causeApiKeyName])).toEqual([
      ["apiKey.revoke", null, "owner", null, null],
      ["invoice.void", null, null, null, null],
      ["member.updateRole", null, "owner", null, null],
      ["project.archive", null, null, null, null],
    ]);
    const text = JSON.stringify(items) + items.map((e) => sentenceText(describeEntry(e))).join("\n");
    for (const secret of ["Their customer", "Their secret project", "Their secret key", other.users.owner.email, `INV-${String(theirInvoice.number).padStart(6, "0")}`]) {
      expect(text).not.toContain(secret);
    }
    expect(items.map((e) => sentenceText(describeEntry(e)))).toEqual([
      "owner revoked an API key, because an API key was revoked",
      "A former member voided an invoice",
      "owner changed the role of a member",
      "An API key archived a project",
    ]);
  });
});

import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema/audit";
import { withTenant } from "@/db/tenant-transaction";
import { settleAfterCommit } from "@/server/after-commit";
import { AppError } from "@/server/errors";
import { appDb, callerFor, closeDb, codeOf, createTenant, errorOf, keyCallerFor, type TenantFixture } from "../support/fixtures";

let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  a = await createTenant();
  b = await createTenant();
});
afterAll(async () => {
  await settleAfterCommit();
  await closeDb();
});

const owner = () => callerFor(a.host, a.users.owner);
const rand = () => crypto.randomUUID().slice(0, 8);
const fieldErrors = (e: { cause?: unknown }) => (e.cause instanceof AppError ? e.cause.fieldErrors : undefined);

const draftFor = (customerId: string | null, customerName = "Typed name", customerEmail: string | null = "typed@example.test") =>
  owner().invoice.create({
    customerId,
    customerName,
    customerEmail,
    currency: "EUR",
    issueDate: "2026-01-01",
    dueDate: "2026-02-01",
    items: [{ description: "Work", quantity: 1, unitPrice: 1000, taxRateBp: 0 }],
  });

describe("customer CRUD", () => {
  it("creates a customer with blanks stored as nothing and the email in lower case", async () => {
    const c = await owner().customer.create({ name: "  Initech  ", email: "AP@Initech.TEST", billingAddress: "1 Initech Way\nAustin, TX", taxId: "", defaultCurrency: "" });
    expect(c).toMatchObject({ tenantId: a.id, name: "Initech", email: "ap@initech.test", billingAddress: "1 Initech Way\nAustin, TX", taxId: null, defaultCurrency: null, archivedAt: null });
    expect(await owner().customer.byId({ id: c.id })).toMatchObject({ id: c.id, name: "Initech" });
  });

  it("refuses bad input with a message per field and writes nothing", async () => {
    const before = await owner().customer.list({ includeArchived: true, limit: 100 });
    const e = await errorOf(owner().customer.create({ name: " ", email: "not-an-email", taxId: "x".repeat(51), defaultCurrency: "XXX" as "EUR" }));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.message).toMatch(/name/i);
    const after = await owner().customer.list({ includeArchived: true, limit: 100 });
    expect(after.items.length).toBe(before.items.length);
  });

  it("refuses a second active customer with the same name (any case) as a field error, allows it once the first is archived", async () => {
    const name = `Globex ${rand()}`;
    const first = await owner().customer.create({ name });
    const e = await errorOf(owner().customer.create({ name: name.toUpperCase() }));
    expect(e.code).toBe("CONFLICT");
    expect(fieldErrors(e)).toEqual({ name: ["A customer with this name already exists"] });
    const other = await owner().customer.create({ name: `${name} Europe` });
    expect(fieldErrors(await errorOf(owner().customer.update({ id: other.id, name })))).toEqual({ name: ["A customer with this name already exists"] });
    // Renaming a customer to its own name (another case) is no clash with itself.
    expect((await owner().customer.update({ id: first.id, name: name.toLowerCase() })).name).toBe(name.toLowerCase());
    await owner().customer.archive({ id: first.id });
    expect((await owner().customer.create({ name })).name).toBe(name);
  });

  it("updates every field, a blank clearing it, and audits create, update and archive with the name", async () => {
    const c = await owner().customer.create({ name: `Hooli ${rand()}`, email: "ap@hooli.test", billingAddress: "1 Hooli Rd", taxId: "US-1", defaultCurrency: "USD" });
    const updated = await owner().customer.update({ id: c.id, name: c.name, email: "", billingAddress: "2 Hooli Rd\nPalo Alto", taxId: "US-2", defaultCurrency: "EUR" });
    expect(updated).toMatchObject({ email: null, billingAddress: "2 Hooli Rd\nPalo Alto", taxId: "US-2", defaultCurrency: "EUR" });
    await owner().customer.archive({ id: c.id });
    expect(await codeOf(owner().customer.archive({ id: c.id }))).toBe("BAD_REQUEST");
    const entries = await withTenant(appDb(), { tenantId: a.id }, (tx) =>
      tx
        .select({ action: auditLog.action, before: auditLog.before, after: auditLog.after })
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, a.id), eq(auditLog.entityId, c.id)))
        .orderBy(asc(auditLog.createdAt), asc(auditLog.id)),
    );
    expect(entries.map((e) => e.action)).toEqual(["customer.create", "customer.update", "customer.archive"]);
    expect(entries[1]!.before).toMatchObject({ name: c.name, email: "ap@hooli.test", billingAddress: "1 Hooli Rd" });
    expect(entries[1]!.after).toMatchObject({ name: c.name, email: null, billingAddress: "2 Hooli Rd\nPalo Alto" });
    expect(entries[2]!.after).toMatchObject({ name: c.name });
  });
});

describe("customer.list", () => {
  let t: TenantFixture;
  beforeAll(async () => {
    t = await createTenant();
    const c = callerFor(t.host, t.users.owner);
    for (const name of ["delta", "Alpha", "charlie", "Bravo", "echo"]) await c.customer.create({ name, email: `${name.toLowerCase()}@mail.test` });
    await c.customer.create({ name: "Foxtrot 100%_off", email: "billing@special.test" });
    const gone = await c.customer.create({ name: "Archived Co", email: "old@mail.test" });
    await c.customer.archive({ id: gone.id });
  });
  const list = (input: Parameters<ReturnType<typeof callerFor>["customer"]["list"]>[0]) => callerFor(t.host, t.users.viewer).customer.list(input);

  it("pages A–Z regardless of case, without repeats or gaps, hiding archived customers", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(["Alpha", "Bravo", "charlie", "delta", "echo", "Foxtrot 100%_off"]);
    expect((await list({ includeArchived: true, limit: 100 })).items.map((c) => c.name)).toContain("Archived Co");
  });

  it("searches name and email anywhere, case-insensitively, with % and _ taken literally", async () => {
    expect((await list({ search: "ALP" })).items.map((c) => c.name)).toEqual(["Alpha"]);
    expect((await list({ search: "special.test" })).items.map((c) => c.name)).toEqual(["Foxtrot 100%_off"]);
    expect((await list({ search: "%" })).items.map((c) => c.name)).toEqual(["Foxtrot 100%_off"]);
    expect((await list({ search: "o_d" })).items).toEqual([]);
    expect((await list({ search: "old@" })).items).toEqual([]);
    expect((await list({ search: "old@", includeArchived: true })).items.map((c) => c.name)).toEqual(["Archived Co"]);
  });

  it("treats a forged cursor as the first page", async () => {
    expect((await list({ cursor: "not-a-cursor", limit: 1 })).items.map((c) => c.name)).toEqual(["Alpha"]);
  });
});

describe("permissions and isolation", () => {
  it("lets a viewer read and refuses it writes; a member writes", async () => {
    const c = await owner().customer.create({ name: `Viewer test ${rand()}` });
    const viewer = callerFor(a.host, a.users.viewer);
    expect((await viewer.customer.byId({ id: c.id })).id).toBe(c.id);
    expect(await codeOf(viewer.customer.create({ name: `No ${rand()}` }))).toBe("FORBIDDEN");
    expect(await codeOf(viewer.customer.archive({ id: c.id }))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(a.host, a.users.member).customer.update({ id: c.id, name: `${c.name} 2` }))).toBe("OK");
  });

  it("gives API keys customers with the invoice scopes only", async () => {
    const make = async (scopes: ("projects:write" | "invoices:read" | "invoices:write")[]) =>
      keyCallerFor(a.host, (await owner().apiKey.create({ name: `Key ${rand()}`, scopes, expiresInDays: 7 })).token);
    const reader = await make(["invoices:read"]);
    const writer = await make(["invoices:write"]);
    const projects = await make(["projects:write"]);
    expect(await codeOf(reader.customer.list({}))).toBe("OK");
    expect(await codeOf(reader.customer.create({ name: `Key ${rand()}` }))).toBe("FORBIDDEN");
    expect(await codeOf(writer.customer.create({ name: `Key ${rand()}` }))).toBe("OK");
    expect(await codeOf(projects.customer.list({}))).toBe("FORBIDDEN");
  });

  it("never lists, reads, links or changes another tenant's customer", async () => {
    const theirs = await callerFor(b.host, b.users.owner).customer.create({ name: `B only ${rand()}`, email: "secret@b.test" });
    expect((await owner().customer.list({ search: "B only", includeArchived: true })).items).toEqual([]);
    expect(await codeOf(owner().customer.byId({ id: theirs.id }))).toBe("NOT_FOUND");
    expect(await codeOf(owner().customer.update({ id: theirs.id, name: "x" }))).toBe("NOT_FOUND");
    expect(await codeOf(draftFor(theirs.id))).toBe("NOT_FOUND");
    const mine = await draftFor(null);
    expect(await codeOf(owner().invoice.update({ id: mine.id, customerId: theirs.id }))).toBe("NOT_FOUND");
    expect((await callerFor(b.host, b.users.owner).customer.byId({ id: theirs.id })).name).toBe(theirs.name);
  });
});

describe("invoices and customers", () => {
  it("links a customer to a draft; an archived customer cannot be newly linked", async () => {
    const c = await owner().customer.create({ name: `Linked ${rand()}` });
    const invoice = await draftFor(c.id, c.name);
    expect(invoice.customerId).toBe(c.id);
    // A one-off customer: no saved customer at all.
    expect((await draftFor(null, "Walk-in")).customerId).toBeNull();
    await owner().customer.archive({ id: c.id });
    const e = await errorOf(draftFor(c.id, c.name));
    expect(e.code).toBe("BAD_REQUEST");
    expect(Object.keys(fieldErrors(e) ?? {})).toEqual(["customerId"]);
    // A draft already linked keeps its customer through other edits.
    expect((await owner().invoice.update({ id: invoice.id, customerName: "Still linked" })).customerId).toBe(c.id);
  });

  it("copies the customer's details onto the invoice when it is sent; later edits of the customer leave it as sent", async () => {
    const c = await owner().customer.create({ name: `Snapshot ${rand()}`, email: "ap@snapshot.test", billingAddress: "1 Old Street\nOldtown", taxId: "OLD-1", defaultCurrency: "EUR" });
    // The draft was filled in before the customer's address book entry changed.
    const draft = await draftFor(c.id, "Stale name", null);
    expect(draft.customerAddress).toBeNull();
    const sent = await owner().invoice.send({ id: draft.id });
    expect(sent).toMatchObject({ status: "sent", customerName: c.name, customerEmail: "ap@snapshot.test", customerAddress: "1 Old Street\nOldtown", customerTaxId: "OLD-1" });

    await owner().customer.update({ id: c.id, name: `${c.name} Renamed`, email: "new@snapshot.test", billingAddress: "9 New Avenue", taxId: "NEW-9", defaultCurrency: "USD" });
    await owner().customer.archive({ id: c.id });
    const later = await owner().invoice.byId({ id: draft.id });
    expect(later).toMatchObject({ customerId: c.id, customerName: c.name, customerEmail: "ap@snapshot.test", customerAddress: "1 Old Street\nOldtown", customerTaxId: "OLD-1" });
  });

  it("sends to the address given in the send dialog or on the draft before the customer's, and a one-off customer keeps what was typed", async () => {
    const c = await owner().customer.create({ name: `Override ${rand()}`, email: "ap@override.test" });
    const linked = await draftFor(c.id, c.name);
    expect((await owner().invoice.send({ id: linked.id, customerEmail: "finance@override.test" })).customerEmail).toBe("finance@override.test");
    const contact = await draftFor(c.id, c.name, "jane@override.test");
    expect((await owner().invoice.send({ id: contact.id })).customerEmail).toBe("jane@override.test");
    const oneOff = await draftFor(null, "Walk-in customer", "walkin@example.test");
    expect(await owner().invoice.send({ id: oneOff.id })).toMatchObject({ customerName: "Walk-in customer", customerEmail: "walkin@example.test", customerAddress: null, customerTaxId: null });
  });

  it("asks for an address when neither the invoice nor its customer has one", async () => {
    const c = await owner().customer.create({ name: `No email ${rand()}` });
    const draft = await draftFor(c.id, c.name, null);
    const e = await errorOf(owner().invoice.send({ id: draft.id }));
    expect(e.code).toBe("BAD_REQUEST");
    expect(Object.keys(fieldErrors(e) ?? {})).toEqual(["customerEmail"]);
    expect((await owner().invoice.byId({ id: draft.id })).status).toBe("draft");
  });
});

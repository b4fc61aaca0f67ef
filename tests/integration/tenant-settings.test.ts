import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as logoRoute } from "@/app/api/logo/[sha256]/route";
import { auditLog } from "@/db/schema/audit";
import { withTenant } from "@/db/tenant-transaction";
import { formatInvoiceNumber } from "@/lib/invoice-number";
import { classifyHost } from "@/lib/host";
import { MAX_LOGO_BYTES, logoTooBig, logoWrongType } from "@/lib/schemas/tenant-settings";
import { settleAfterCommit } from "@/server/after-commit";
import { hostBranding, hostLogo } from "@/server/branding";
import { getSellerDetails } from "@/server/modules/tenant/get-tenant-settings";
import { appDb, callerFor, closeDb, codeOf, createTenant, handleHttp, keyCallerFor, ROOT, type TenantFixture } from "../support/fixtures";
import { base64, pngBytes } from "../support/images";

const details = {
  legalName: "Acme Widgets Ltd",
  postalAddress: "1 High Street\nLondon\nEC1A 1AA",
  taxId: "GB 123 456 789",
  invoicePrefix: "ACME-",
  defaultCurrency: "GBP",
  paymentTermsDays: 14,
} as const;

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const host = (h: string) => classifyHost(h, ROOT);

/** Through the HTTP adapter, so the errorFormatter's field errors are what a browser would get. */
async function post(t: TenantFixture, path: string, input: unknown) {
  const req = new Request(`http://${t.host}/api/trpc/${path}`, { method: "POST", body: JSON.stringify({ json: input }), headers: { host: t.host, "content-type": "application/json" } });
  const res = await handleHttp(req, t);
  const body = (await res.json()) as { error?: Parameters<typeof superjson.deserialize>[0] };
  return { status: res.status, error: body.error ? superjson.deserialize<{ message: string; data: { code: string; fieldErrors: Record<string, string[]> | null } }>(body.error) : null };
}

const settingsAudit = (tenantId: string) =>
  withTenant(appDb(), { tenantId }, (tx) =>
    tx
      .select({ action: auditLog.action, before: auditLog.before, after: auditLog.after, actor: auditLog.actorUserId })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), sql`${auditLog.action} like 'tenant.%'`))
      .orderBy(asc(auditLog.createdAt), asc(auditLog.id)),
  );

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

describe("company details", () => {
  it("start from the defaults, save, and read back for every member", async () => {
    const fresh = await createTenant();
    const owner = callerFor(fresh.host, fresh.users.owner);
    expect(await owner.tenant.settings.get()).toEqual({
      legalName: null,
      postalAddress: null,
      taxId: null,
      invoicePrefix: "INV-",
      defaultCurrency: "USD",
      paymentTermsDays: 30,
      logo: null,
    });
    const saved = await owner.tenant.settings.update(details);
    expect(saved).toMatchObject(details);
    for (const role of ["admin", "member", "viewer"] as const) {
      expect(await callerFor(fresh.host, fresh.users[role]).tenant.settings.get()).toMatchObject(details);
    }
    // Blank optional fields are cleared, not stored as empty strings.
    const cleared = await callerFor(fresh.host, fresh.users.admin).tenant.settings.update({ ...details, taxId: "  ", postalAddress: "" });
    expect(cleared).toMatchObject({ taxId: null, postalAddress: null, legalName: details.legalName });
  });

  it("write an audit entry with what changed and who changed it", async () => {
    const fresh = await createTenant();
    const owner = callerFor(fresh.host, fresh.users.owner);
    await owner.tenant.settings.update(details);
    await owner.tenant.settings.update({ ...details, paymentTermsDays: 45 });
    const entries = await settingsAudit(fresh.id);
    expect(entries.map((e) => e.action)).toEqual(["tenant.settings.update", "tenant.settings.update"]);
    expect(entries[0]!.before).toMatchObject({ legalName: null, invoicePrefix: "INV-" });
    expect(entries[0]!.after).toMatchObject({ legalName: details.legalName, invoicePrefix: "ACME-" });
    expect(entries[1]!.before).toEqual({ paymentTermsDays: 14 });
    expect(entries[1]!.after).toEqual({ paymentTermsDays: 45 });
    expect(entries[1]!.actor).toBe(fresh.users.owner.id);
  });

  it("refuse members, viewers and every API key, and change nothing", async () => {
    const key = await callerFor(a.host, a.users.owner).apiKey.create({ name: "full", scopes: ["projects:write", "invoices:write"], expiresInDays: 7 });
    const png = base64(await pngBytes());
    const before = await callerFor(a.host, a.users.owner).tenant.settings.get();
    for (const caller of [callerFor(a.host, a.users.member), callerFor(a.host, a.users.viewer), keyCallerFor(a.host, key.token)]) {
      expect(await codeOf(caller.tenant.settings.update(details))).toBe("FORBIDDEN");
      expect(await codeOf(caller.tenant.settings.setLogo({ image: png }))).toBe("FORBIDDEN");
      expect(await codeOf(caller.tenant.settings.removeLogo())).toBe("FORBIDDEN");
    }
    // A key cannot even read them: the seller's details are for the tenant's people.
    expect(await codeOf(keyCallerFor(a.host, key.token).tenant.settings.get())).toBe("FORBIDDEN");
    expect(await callerFor(a.host, a.users.owner).tenant.settings.get()).toEqual(before);
  });

  it("are the tenant's own: B's saved details never show at A, and A's save leaves B's alone", async () => {
    await callerFor(b.host, b.users.owner).tenant.settings.update({ ...details, legalName: "Globex Holdings" });
    await callerFor(a.host, a.users.owner).tenant.settings.update({ ...details, legalName: "A Ltd", invoicePrefix: "A-" });
    expect((await callerFor(b.host, b.users.owner).tenant.settings.get()).legalName).toBe("Globex Holdings");
    expect((await callerFor(a.host, a.users.owner).tenant.settings.get()).legalName).toBe("A Ltd");
    // A's owner on B's host is not a member there.
    expect(await codeOf(callerFor(b.host, a.users.owner).tenant.settings.get())).toBe("FORBIDDEN");
    // Without the tenant setting the table shows nothing (FORCE RLS applies to every role).
    const rows = await appDb().execute(sql`select count(*)::int as n from tenant_settings`);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it("refuse a bad invoice prefix, currency or payment terms with field errors, and save nothing", async () => {
    const fresh = await createTenant();
    const bad: [Record<string, unknown>, string][] = [
      [{ invoicePrefix: "" }, "invoicePrefix"],
      [{ invoicePrefix: "INV 1" }, "invoicePrefix"],
      [{ invoicePrefix: "INV_" }, "invoicePrefix"],
      [{ invoicePrefix: "ÄB-" }, "invoicePrefix"],
      [{ invoicePrefix: "ABCDEFGHIJK" }, "invoicePrefix"],
      [{ invoicePrefix: "<script>" }, "invoicePrefix"],
      [{ defaultCurrency: "XXX" }, "defaultCurrency"],
      [{ paymentTermsDays: -1 }, "paymentTermsDays"],
      [{ paymentTermsDays: 366 }, "paymentTermsDays"],
      [{ paymentTermsDays: 1.5 }, "paymentTermsDays"],
      [{ legalName: "x".repeat(201) }, "legalName"],
      [{ postalAddress: Array.from({ length: 9 }, (_, i) => `line ${i}`).join("\n") }, "postalAddress"],
      [{ taxId: "GB<123>" }, "taxId"],
    ];
    for (const [change, field] of bad) {
      const res = await post(fresh, "tenant.settings.update", { ...details, ...change });
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(res.error?.data.fieldErrors?.[field]?.length, JSON.stringify(change)).toBeGreaterThan(0);
    }
    expect(await post(fresh, "tenant.settings.update", { ...details, invoicePrefix: "2026-acme" })).toMatchObject({ status: 200 });
    expect(await settingsAudit(fresh.id)).toHaveLength(1);
  });
});

describe("invoice number prefix", () => {
  it("numbers new invoices with the current prefix; issued ones keep theirs", async () => {
    const fresh = await createTenant();
    const owner = callerFor(fresh.host, fresh.users.owner);
    const invoice = { customerName: "Customer", currency: "USD" as const, issueDate: "2026-01-01", dueDate: "2026-01-31", items: [{ description: "Work", quantity: 1, unitPrice: 100, taxRateBp: 0 }] };
    const first = await owner.invoice.create(invoice);
    expect(first.numberPrefix).toBe("INV-");
    await owner.tenant.settings.update({ ...details, invoicePrefix: "ACME-" });
    const second = await owner.invoice.create(invoice);
    expect(formatInvoiceNumber(second.number, second.numberPrefix)).toBe(`ACME-${String(second.number).padStart(6, "0")}`);
    await owner.tenant.settings.update({ ...details, invoicePrefix: "AW-" });
    const listed = await owner.invoice.list({ limit: 100, sort: "number", direction: "asc" });
    const ours = listed.items.filter((i) => i.id === first.id || i.id === second.id);
    expect(ours.map((i) => formatInvoiceNumber(i.number, i.numberPrefix))).toEqual([
      `INV-${String(first.number).padStart(6, "0")}`,
      `ACME-${String(second.number).padStart(6, "0")}`,
    ]);
    // A prefix the settings would refuse cannot reach an invoice either.
    const refused = await codeOf(withTenant(appDb(), { tenantId: fresh.id }, (tx) => tx.execute(sql`update invoices set number_prefix = 'a b' where tenant_id = ${fresh.id}`)));
    expect(refused).not.toBe("OK");
  });
});

describe("logo", () => {
  it("is stored, served only on the tenant's own hosts under its content hash, and audited", async () => {
    const fresh = await createTenant();
    const bytes = await pngBytes(64, 32);
    const saved = await callerFor(fresh.host, fresh.users.owner).tenant.settings.setLogo({ image: base64(bytes) });
    expect(saved.logo).toEqual({ sha256: sha256(bytes), contentType: "image/png", url: `/api/logo/${sha256(bytes)}` });

    const served = await hostLogo(appDb(), host(fresh.host), sha256(bytes));
    expect(served?.contentType).toBe("image/png");
    expect(Buffer.compare(served!.bytes, bytes)).toBe(0);
    expect(await hostBranding(appDb(), host(fresh.host))).toEqual({ name: expect.any(String) as string, logoUrl: `/api/logo/${sha256(bytes)}` });
    // On another tenant's host, the root and an unknown host: nothing of this tenant.
    expect(await hostLogo(appDb(), host(b.host), sha256(bytes))).toBeNull();
    expect((await hostBranding(appDb(), host(b.host)))?.logoUrl ?? null).not.toBe(`/api/logo/${sha256(bytes)}`);
    expect(await hostBranding(appDb(), host(ROOT))).toBeNull();
    expect(await hostBranding(appDb(), host(`admin.${ROOT}`))).toBeNull();
    expect(await hostBranding(appDb(), host(`nobody-${crypto.randomUUID().slice(0, 8)}.${ROOT}`))).toBeNull();
    expect(await hostBranding(appDb(), host("unknown-domain.example.test"))).toBeNull();

    const res = await logoRoute(new Request(`http://${fresh.host}/api/logo/${sha256(bytes)}`, { headers: { host: fresh.host } }), { params: Promise.resolve({ sha256: sha256(bytes) }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), bytes)).toBe(0);
    const elsewhere = await logoRoute(new Request(`http://${b.host}/api/logo/${sha256(bytes)}`, { headers: { host: b.host } }), { params: Promise.resolve({ sha256: sha256(bytes) }) });
    expect(elsewhere.status).toBe(404);

    // A new logo is a new URL; the old one stops answering.
    const next = await pngBytes(48, 48, "#b91c1c");
    await callerFor(fresh.host, fresh.users.admin).tenant.settings.setLogo({ image: base64(next) });
    expect(await hostLogo(appDb(), host(fresh.host), sha256(bytes))).toBeNull();
    expect(await hostLogo(appDb(), host(fresh.host), sha256(next))).not.toBeNull();

    const removed = await callerFor(fresh.host, fresh.users.owner).tenant.settings.removeLogo();
    expect(removed.logo).toBeNull();
    expect(await hostLogo(appDb(), host(fresh.host), sha256(next))).toBeNull();
    const entries = await settingsAudit(fresh.id);
    expect(entries.map((e) => e.action)).toEqual(["tenant.logo.set", "tenant.logo.set", "tenant.logo.remove"]);
    expect(entries[0]!.after).toMatchObject({ logoSha256: sha256(bytes), contentType: "image/png", width: 64, height: 32 });
  });

  it("refuses too big, wrong magic bytes, SVG, a lying header and tiny images, with a field error and nothing written", async () => {
    const fresh = await createTenant();
    const good = await pngBytes();
    await callerFor(fresh.host, fresh.users.owner).tenant.settings.setLogo({ image: base64(good) });
    const png = await pngBytes(16, 16);
    const oversized = Buffer.concat([png, Buffer.alloc(MAX_LOGO_BYTES + 1 - png.length)]);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(document.cookie)</script></svg>`;
    const cases: [string, string, string | RegExp][] = [
      ["too big", base64(oversized), logoTooBig],
      ["far too big", "A".repeat(800_000), logoTooBig],
      ["SVG", base64(svg), logoWrongType],
      ["SVG after blank lines", base64(`\n\n${svg}`), logoWrongType],
      ["GIF", base64(Buffer.concat([Buffer.from("GIF89a"), Buffer.alloc(64)])), logoWrongType],
      ["HTML", base64("<!doctype html><script>alert(1)</script>"), logoWrongType],
      ["a PNG signature on garbage", base64(Buffer.concat([png.subarray(0, 8), Buffer.alloc(200, 7)])), /could not be read/],
      ["too small", base64(await pngBytes(8, 8)), /at least 16/],
      ["not base64", "%%%not-base64%%%", logoWrongType],
    ];
    for (const [label, image, message] of cases) {
      const res = await post(fresh, "tenant.settings.setLogo", { image });
      expect(res.status, label).toBe(400);
      const field = res.error?.data.fieldErrors?.image?.[0];
      if (typeof message === "string") expect(field, label).toBe(message);
      else expect(field, label).toMatch(message);
    }
    expect((await callerFor(fresh.host, fresh.users.owner).tenant.settings.get()).logo?.sha256).toBe(sha256(good));
    expect(await settingsAudit(fresh.id)).toHaveLength(1);
  });

  it("accepts JPEG and WebP, typed by their bytes", async () => {
    const fresh = await createTenant();
    const sharp = (await import("sharp")).default;
    const img = sharp({ create: { width: 20, height: 20, channels: 3, background: "#123456" } });
    for (const [bytes, type] of [
      [await img.clone().jpeg().toBuffer(), "image/jpeg"],
      [await img.clone().webp().toBuffer(), "image/webp"],
    ] as const) {
      const saved = await callerFor(fresh.host, fresh.users.owner).tenant.settings.setLogo({ image: base64(bytes) });
      expect(saved.logo?.contentType).toBe(type);
    }
  });
});

describe("seller details", () => {
  it("fall back to the workspace name and carry the logo's bytes", async () => {
    const fresh = await createTenant();
    const read = () => withTenant(appDb(), { tenantId: fresh.id }, (tx) => getSellerDetails({ tenantId: fresh.id, data: tx }, "Display name"));
    expect(await read()).toEqual({ name: "Display name", postalAddress: null, taxId: null, logo: null });
    const bytes = await pngBytes();
    await callerFor(fresh.host, fresh.users.owner).tenant.settings.update(details);
    await callerFor(fresh.host, fresh.users.owner).tenant.settings.setLogo({ image: base64(bytes) });
    const seller = await read();
    expect(seller).toMatchObject({ name: details.legalName, postalAddress: details.postalAddress, taxId: details.taxId });
    expect(seller.logo?.contentType).toBe("image/png");
    expect(Buffer.compare(seller.logo!.bytes, bytes)).toBe(0);
  });
});

import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema/audit";
import { emailOutbox } from "@/db/schema/email";
import { invoicePublicLinks } from "@/db/schema/invoice-links";
import { withTenant } from "@/db/tenant-transaction";
import { formatDay } from "@/lib/calendar-day";
import { classifyHost } from "@/lib/host";
import { invoiceEmailJob } from "@/server/worker/handlers/invoice-email";
import { queues } from "@/server/jobs/queues";
import { publicInvoiceView } from "@/server/invoice-links/public-invoice";
import { sha256Hex } from "@/server/tokens";
import { appDb, callerFor, closeDb, codeOf, createTenant, ownerSql, ROOT, type TenantFixture } from "../support/fixtures";

let t: TenantFixture;
let other: TenantFixture;
beforeAll(async () => {
  [t, other] = await Promise.all([createTenant(), createTenant()]);
});
afterAll(closeDb);

const view = (host: string, token: string) => publicInvoiceView(appDb(), classifyHost(host, ROOT), token);
const tokenOf = (url: string) => /\/i\/([A-Za-z0-9_-]{43})$/.exec(url)?.[1] ?? "";

/** Creates and sends an invoice of `f`; returns it with the token its email job carries. */
async function sendOne(f: TenantFixture, customerEmail = "ap@links.test") {
  const caller = callerFor(f.host, f.users.owner);
  const invoice = await caller.invoice.create({
    customerName: "Links Ltd",
    customerEmail,
    currency: "EUR",
    issueDate: "2026-11-01",
    dueDate: "2026-12-01",
    items: [{ description: "Consulting", quantity: "2", unitPrice: 12_345, taxRateBp: 2000 }],
  });
  await caller.invoice.send({ id: invoice.id });
  const [job] = await appDb().execute<{ data: { tenantId: string; invoiceId: string; linkToken: string } }>(
    sql`select data from pgboss.job where name = ${queues.invoiceEmail} and data->>'invoiceId' = ${invoice.id}`,
  );
  return { invoice, caller, job: job!.data, token: job!.data.linkToken };
}

const linkRows = (f: TenantFixture, invoiceId: string) =>
  withTenant(appDb(), { tenantId: f.id }, (tx) =>
    tx.select().from(invoicePublicLinks).where(and(eq(invoicePublicLinks.tenantId, f.id), eq(invoicePublicLinks.invoiceId, invoiceId))),
  );

describe("public invoice links", () => {
  it("are minted in the send's transaction and stored only as a hash", async () => {
    const { invoice, token } = await sendOne(t);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await linkRows(t, invoice.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tokenHash: sha256Hex(token), revokedAt: null, createdByUserId: t.users.owner.id });
    // Nowhere in the row (nor anywhere in the table, read as the owner) is the token itself.
    const dump = await ownerSql()<{ row: string }[]>`select row_to_json(l)::text as row from invoice_public_links l`;
    expect(dump.some((r) => r.row.includes(token))).toBe(false);
  });

  it("go out in the invoice email with a summary, on the tenant's verified custom domain", async () => {
    const { invoice, job, token } = await sendOne(t, "summary@links.test");
    await invoiceEmailJob(appDb(), job);
    const [mail] = await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.select().from(emailOutbox).where(and(eq(emailOutbox.tenantId, t.id), eq(emailOutbox.idempotencyKey, `invoice:${invoice.id}:sent`))),
    );
    expect(mail?.subject).toMatch(new RegExp(`^Invoice INV-\\d{6} from Tenant ${t.slug} \\(€296\\.28\\)$`));
    expect(mail?.textBody).toContain("Amount due: €296.28");
    expect(mail?.textBody).toContain(`Due date: ${formatDay("2026-12-01")}`);
    expect(mail?.textBody).toContain(`View the invoice online: http://${t.domain}/i/${token}`);
    expect(mail?.htmlBody).toContain(`href="http://${t.domain}`);
  });

  it("open exactly their own invoice, on the tenant's subdomain and custom domain only", async () => {
    const { invoice, token } = await sendOne(t);
    const seen = await view(t.host, token);
    expect(seen?.invoice).toMatchObject({ number: invoice.number, customerName: "Links Ltd", total: 29_628n, status: "sent" });
    expect(seen?.invoice.items.map((i) => i.description)).toEqual(["Consulting"]);
    expect(seen?.seller.name).toBe(`Tenant ${t.slug}`);
    expect((await view(t.domain, token))?.invoice.number).toBe(invoice.number);
    // Another tenant's subdomain or custom domain, the root and the admin host: nothing.
    expect(await view(other.host, token)).toBeNull();
    expect(await view(other.domain, token)).toBeNull();
    expect(await view(ROOT, token)).toBeNull();
    expect(await view(`admin.${ROOT}`, token)).toBeNull();
    // A malformed token or one that was never issued: the same nothing.
    expect(await view(t.host, `${token.slice(0, 42)}x`)).toBeNull();
    expect(await view(t.host, "not-a-token")).toBeNull();
  });

  it("end when revoked, and a re-issue gives a new one that works instead", async () => {
    const { invoice, caller, token } = await sendOne(t);
    expect(await caller.invoice.publicLink.get({ id: invoice.id })).toMatchObject({ active: true });
    await caller.invoice.publicLink.revoke({ id: invoice.id });
    expect(await view(t.host, token)).toBeNull();
    expect(await caller.invoice.publicLink.get({ id: invoice.id })).toEqual({ active: false, createdAt: null });
    expect(await codeOf(caller.invoice.publicLink.revoke({ id: invoice.id }))).toBe("CONFLICT");

    const issued = await caller.invoice.publicLink.issue({ id: invoice.id });
    expect(issued.url.startsWith(`http://${t.domain}`)).toBe(true);
    const fresh = tokenOf(issued.url);
    expect(fresh).not.toBe(token);
    expect((await view(t.host, fresh))?.invoice.number).toBe(invoice.number);
    expect(await view(t.host, token)).toBeNull();

    // Issuing again replaces the live link: the one just issued stops working.
    const again = tokenOf((await caller.invoice.publicLink.issue({ id: invoice.id })).url);
    expect(await view(t.host, fresh)).toBeNull();
    expect(await view(t.host, again)).not.toBeNull();
    expect((await linkRows(t, invoice.id)).filter((r) => r.revokedAt === null)).toHaveLength(1);

    const actions = await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx
        .select({ action: auditLog.action, after: auditLog.after })
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, t.id), eq(auditLog.entityId, invoice.id)))
        .orderBy(asc(auditLog.createdAt)),
    );
    expect(actions.map((a) => a.action).filter((a) => a.startsWith("invoice.publicLink"))).toEqual([
      "invoice.publicLink.revoke",
      "invoice.publicLink.issue",
      "invoice.publicLink.issue",
    ]);
    expect(JSON.stringify(actions)).not.toContain(again);
  });

  it("end when the invoice is voided, and a void invoice cannot get a new one", async () => {
    const { invoice, caller, token } = await sendOne(t);
    await caller.invoice.void({ id: invoice.id });
    expect(await view(t.host, token)).toBeNull();
    expect(await codeOf(caller.invoice.publicLink.issue({ id: invoice.id }))).toBe("BAD_REQUEST");
  });

  it("are managed only by members who may write invoices, and only for their own tenant's invoices", async () => {
    const { invoice } = await sendOne(t);
    expect(await codeOf(callerFor(t.host, t.users.viewer).invoice.publicLink.revoke({ id: invoice.id }))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(t.host, t.users.viewer).invoice.publicLink.issue({ id: invoice.id }))).toBe("FORBIDDEN");
    expect(await callerFor(t.host, t.users.viewer).invoice.publicLink.get({ id: invoice.id })).toMatchObject({ active: true });
    const stranger = callerFor(other.host, other.users.owner);
    expect(await codeOf(stranger.invoice.publicLink.get({ id: invoice.id }))).toBe("NOT_FOUND");
    expect(await codeOf(stranger.invoice.publicLink.revoke({ id: invoice.id }))).toBe("NOT_FOUND");
    expect(await codeOf(stranger.invoice.publicLink.issue({ id: invoice.id }))).toBe("NOT_FOUND");
  });

  it("resolve through a definer function that reveals one live link's tenant and invoice, and nothing else", async () => {
    const { invoice, caller, token } = await sendOne(t);
    const fn = (hash: string) => appDb().execute<Record<string, unknown>>(sql`select * from app_invoice_public_link(${hash})`);
    expect(await fn(sha256Hex(token))).toEqual([{ tenant_id: t.id, invoice_id: invoice.id }]);
    // Not a pattern, not a prefix, not a listing.
    expect(await fn("%")).toEqual([]);
    expect(await fn(sha256Hex(token).slice(0, 63))).toEqual([]);
    expect(await fn("")).toEqual([]);
    await caller.invoice.publicLink.revoke({ id: invoice.id });
    expect(await fn(sha256Hex(token))).toEqual([]);
    // The app role, without a tenant set, sees no link rows at all (RLS), only what the function answers.
    expect(await appDb().execute(sql`select count(*)::int as n from invoice_public_links`)).toEqual([{ n: 0 }]);
    // The function's owner reads only live links' four columns: the creator and timestamps stay hidden from it.
    const grants = await ownerSql()<{ column_name: string }[]>`select column_name from information_schema.column_privileges
      where table_name = 'invoice_public_links' and grantee = 'canopy_directory' and privilege_type = 'SELECT' order by column_name`;
    expect(grants.map((g) => g.column_name)).toEqual(["invoice_id", "revoked_at", "tenant_id", "token_hash"]);
  });
});

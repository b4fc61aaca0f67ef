import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { supportSessions } from "@/db/schema/platform";
import { withUser } from "@/db/tenant-transaction";
import { ADMIN_HOST, createPlatformAdmin } from "../support/admin";
import { appDb, callerFor, closeDb, createTenant, type TenantFixture, type UserFixture, codeOf } from "../support/fixtures";

let admin: UserFixture;
let t: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  admin = await createPlatformAdmin();
  t = await createTenant(appDb(), { projects: 2, invoices: 1 });
  other = await createTenant(appDb(), { projects: 1, invoices: 0 });
});
afterAll(closeDb);

describe("view as tenant", () => {
  it("needs a reason, admits the admin read-only to that tenant only, is audited, and ends", async () => {
    const asAdminThere = () => callerFor(t.host, admin);
    expect(await codeOf(asAdminThere().tenant.current())).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(ADMIN_HOST, admin).admin.support.start({ tenantId: t.id, reason: "hm" }))).toBe("BAD_REQUEST");

    const started = await callerFor(ADMIN_HOST, admin).admin.support.start({ tenantId: t.id, reason: "Customer ticket #42: invoices look wrong" });
    expect(started.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(started.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);

    expect(await asAdminThere().tenant.current()).toMatchObject({ id: t.id, role: "viewer" });
    expect((await asAdminThere().project.list({ limit: 10 })).items).toHaveLength(2);
    expect(await codeOf(asAdminThere().project.create({ name: "Support wrote this" }))).toBe("FORBIDDEN");
    expect(await codeOf(asAdminThere().domain.list())).toBe("FORBIDDEN");
    expect(await asAdminThere().support.current()).toMatchObject({ id: started.id, readOnly: true, reason: "Customer ticket #42: invoices look wrong" });
    // Only the tenant the session names.
    expect(await codeOf(callerFor(other.host, admin).tenant.current())).toBe("FORBIDDEN");
    // Members do not see a banner.
    expect(await callerFor(t.host, t.users.member).support.current()).toBeNull();

    // The tenant's own audit log says who looked and why.
    const log = await callerFor(t.host, t.users.owner).audit.list({ limit: 20 });
    const entry = (log.items as { action: string; actorUserId: string | null; after: Record<string, unknown> | null }[]).find((e) => e.action === "support.start");
    expect(entry).toMatchObject({ actorUserId: admin.id, after: expect.objectContaining({ reason: "Customer ticket #42: invoices look wrong" }) as unknown });

    await callerFor(ADMIN_HOST, admin).admin.support.end({ id: started.id });
    expect(await codeOf(asAdminThere().tenant.current())).toBe("FORBIDDEN");
  });

  it("ends from the tenant's own pages: closed, audited in both logs, the admin is out, and the console's address comes back", async () => {
    const started = await callerFor(ADMIN_HOST, admin).admin.support.start({ tenantId: t.id, reason: "Ticket #77: totals look off" });
    // A member ending "their" support view ends nothing, and never the admin's.
    expect(await callerFor(t.host, t.users.owner).support.end()).toMatchObject({ ended: false });
    expect(await codeOf(callerFor(t.host, admin).tenant.current())).toBe("OK");

    const ended = await callerFor(t.host, admin).support.end();
    expect(ended).toEqual({ ended: true, consoleUrl: expect.stringMatching(new RegExp(`^https?://admin\\.[^/]+/tenants/${t.id}$`)) as unknown });
    expect(await codeOf(callerFor(t.host, admin).tenant.current())).toBe("FORBIDDEN");
    const [row] = await withUser(appDb(), admin.id, (tx) => tx.select().from(supportSessions).where(eq(supportSessions.id, started.id)));
    expect(row?.endedAt).toBeInstanceOf(Date);
    const log = await callerFor(t.host, t.users.owner).audit.list({ limit: 50 });
    expect(log.items.filter((e) => e.action === "support.end" && e.entityId === started.id)).toHaveLength(1);
    const platform = await callerFor(ADMIN_HOST, admin).admin.audit.list({ tenantId: t.id, limit: 50 });
    expect(platform.items.filter((e) => e.action === "support.end" && e.details?.sessionId === started.id)).toHaveLength(1);
  });

  it("an expired session admits nobody", async () => {
    const started = await callerFor(ADMIN_HOST, admin).admin.support.start({ tenantId: t.id, reason: "Checking a report", minutes: 5 });
    expect(await codeOf(callerFor(t.host, admin).tenant.current())).toBe("OK");
    await withUser(appDb(), admin.id, (tx) => tx.update(supportSessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(supportSessions.id, started.id)));
    expect(await codeOf(callerFor(t.host, admin).tenant.current())).toBe("FORBIDDEN");
  });

  it("a non-admin cannot start one, and a tenant member gains nothing from another admin's session", async () => {
    expect(await codeOf(callerFor(ADMIN_HOST, t.users.owner).admin.support.start({ tenantId: other.id, reason: "Let me in please" }))).toBe("FORBIDDEN");
    await callerFor(ADMIN_HOST, admin).admin.support.start({ tenantId: other.id, reason: "Looking at other" });
    expect(await codeOf(callerFor(other.host, t.users.owner).tenant.current())).toBe("FORBIDDEN");
  });
});

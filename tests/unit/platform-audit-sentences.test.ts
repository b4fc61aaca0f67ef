import { describe, expect, it } from "vitest";
import { describePlatformEntry, platformSentenceText, type PlatformAuditEntry } from "@/app/s/admin/_components/audit-format";
import { platformAuditActions, type PlatformAuditAction } from "@/lib/schemas/admin";

const tenantId = "c5b47dc0-1111-4222-8333-944445555666";
const base: PlatformAuditEntry = { action: "", tenantId, actorEmail: "admin@canopy.test", details: null, tenant: { name: "Acme Corp", slug: "acme" } };

/** As today's writers record each action; typed by the action list, so a new action needs one here. */
const written: Record<PlatformAuditAction, Partial<PlatformAuditEntry>> = {
  "tenant.create": { details: { slug: "acme", name: "Acme Corp", plan: "pro", owner: "owner@acme.test", ownerKind: "invitation" } },
  "tenant.suspend": { details: { slug: "acme", before: "active", after: "suspended" } },
  "tenant.reactivate": { details: { slug: "acme", before: "suspended", after: "active" } },
  "tenant.plan": { details: { slug: "acme", before: "free", after: "pro" } },
  "tenant.delete": { details: { slug: "acme", purgeAfter: "2026-02-01T10:00:00.000Z" } },
  "tenant.restore": { details: { slug: "acme" } },
  "tenant.purge": { tenant: null, details: { slug: "acme", name: "Acme Corp" } },
  "tenant.move": { details: { slug: "acme", source: "shared", target: "eu1", moveId: tenantId } },
  "tenant.export": { details: { slug: "acme", exportId: tenantId } },
  "tenant.import": { details: { slug: "acme", exportedAt: "2026-01-05T08:00:00.000Z", dropped: { invitations: 1, auth_handoffs: 2 } } },
  "support.start": { details: { slug: "acme", reason: "Ticket 1234", readOnly: true, expiresAt: "2026-01-01T15:30:00.000Z" } },
  "support.end": { details: { sessionId: tenantId } },
  "job.retry": { tenantId: null, tenant: null, details: { queue: "invoice-email", id: tenantId } },
};

function expectPlainWords(line: string, action: string) {
  expect(line).not.toContain(action);
  expect(line).not.toMatch(/[0-9a-f]{8}-?[0-9a-f]{4}|\b[0-9a-f]{8}\b/i);
  expect(line).not.toMatch(/undefined|null|NaN|\[object|[{}"]|\s{2}|\s[,.:;)]/);
}

describe("platform audit sentences", () => {
  it.each(platformAuditActions)("%s reads as a sentence, with and without recorded details", (action) => {
    const entry = { ...base, action, ...written[action] };
    const full = describePlatformEntry(entry);
    expectPlainWords(platformSentenceText(full), action);
    for (const line of full.details) expectPlainWords(line, action);
    expectPlainWords(platformSentenceText(describePlatformEntry({ ...entry, details: null, tenant: null, actorEmail: null })), action);
  });

  it("names plans by their labels", () => {
    expect(platformSentenceText(describePlatformEntry({ ...base, action: "tenant.plan", ...written["tenant.plan"] }))).toBe("admin@canopy.test moved tenant Acme Corp (acme) to the Pro plan (was Free)");
  });

  it("has an example for every action", () => {
    expect(Object.keys(written).sort()).toEqual([...platformAuditActions].sort());
  });

  const say = (action: PlatformAuditAction, extra: Partial<PlatformAuditEntry> = {}) => describePlatformEntry({ ...base, action, ...written[action], ...extra });

  it("names the tenant and links it while it exists, never by a piece of its id", () => {
    const suspended = say("tenant.suspend");
    expect(platformSentenceText(suspended)).toBe("admin@canopy.test suspended tenant Acme Corp (acme)");
    expect(suspended.parts).toContainEqual({ text: "Acme Corp (acme)", href: `/tenants/${tenantId}` });
    // support.end records no slug; a tenant that is gone and recorded nothing is still words.
    expect(platformSentenceText(say("support.end", { tenant: null }))).toBe("admin@canopy.test ended a support view of a tenant that no longer exists");
    const purged = say("tenant.purge");
    expect(platformSentenceText(purged)).toBe("admin@canopy.test purged tenant Acme Corp (acme): every row of it is gone");
    expect(purged.parts).toContainEqual({ text: "Acme Corp (acme)", href: null });
  });

  it("says what each action did in words", () => {
    expect(platformSentenceText(say("tenant.create"))).toBe("admin@canopy.test created tenant Acme Corp (acme) on the pro plan, inviting owner@acme.test as owner");
    expect(platformSentenceText(say("tenant.delete"))).toBe("admin@canopy.test deleted tenant Acme Corp (acme); it can be restored until Feb 1, 2026, 10:00 AM UTC");
    expect(platformSentenceText(say("tenant.move"))).toBe("admin@canopy.test started moving tenant Acme Corp (acme) from the shared database to the eu1 database");
    expect(say("tenant.import").details).toEqual(["Left out: 1 invitations and 2 auth handoffs"]);
    expect(platformSentenceText(say("job.retry"))).toBe("admin@canopy.test retried a failed job in the invoice-email queue");
  });

  it("names other admins by the address their entry recorded", () => {
    expect(say("tenant.restore", { actorEmail: null, details: { slug: "acme", actorEmail: "ops@canopy.test" } }).actor).toBe("ops@canopy.test");
    expect(say("tenant.restore", { actorEmail: null, details: { slug: "acme" } }).actor).toBe("Another platform admin");
  });
});

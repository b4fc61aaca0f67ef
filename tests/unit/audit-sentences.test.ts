import { describe, expect, it } from "vitest";
import { describeEntry, sentenceText, actionLabels, type AuditEntry } from "@/app/s/tenant/_components/audit-format";
import { auditActions, type AuditAction } from "@/lib/schemas/audit";

const invoiceId = "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const projectId = "7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e";
const customerId = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const keyId = "c5b47dc0-1111-4222-8333-944445555666";
const userId = "0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a";

const base: AuditEntry = {
  action: "",
  entityType: "invoice",
  entityId: invoiceId,
  actorUserId: userId,
  actorName: "Dana Owner",
  actorApiKeyId: null,
  actorApiKeyName: null,
  actorIsSupport: false,
  before: null,
  after: null,
  subject: null,
  causeApiKeyName: null,
};

const invoice = { number: 42, currency: "EUR", customerName: "Initech", customerEmail: "ap@initech.test" };
const lines = [{ description: "Design work", quantityMilli: "2000", unitPrice: "12000", taxRateBp: 2000, amount: "24000" }];
const caused = { endedByRevokingApiKey: keyId };

/**
 * One entry per action as today's writers record it. Typed by the action list, so a new action
 * needs an example here; the walk below then needs a sentence for it.
 */
const written: Record<AuditAction, Partial<AuditEntry>> = {
  "project.create": { entityType: "project", entityId: projectId, after: { name: "Website relaunch", description: "" }, subject: { name: "Website relaunch", number: null, currency: null } },
  "project.update": { entityType: "project", entityId: projectId, before: { name: "Website" }, after: { name: "Website relaunch" }, subject: { name: "Website relaunch", number: null, currency: null } },
  "project.archive": { entityType: "project", entityId: projectId, before: { name: "Website", status: "active" }, after: { name: "Website", status: "archived" } },
  "project.restore": { entityType: "project", entityId: projectId, before: { name: "Website", status: "archived" }, after: { name: "Website", status: "active" } },
  "project.delete": { entityType: "project", entityId: projectId, before: { name: "Website", status: "active" } },
  "invoice.create": { after: { ...invoice, status: "draft", total: "28800", items: lines }, subject: { name: null, number: 42, currency: "EUR" } },
  "invoice.update": {
    before: { ...invoice, dueDate: "2026-02-01", total: "28800", items: lines },
    after: { ...invoice, dueDate: "2026-03-01", total: "14400", items: [{ ...lines[0], quantityMilli: "1000", amount: "12000" }] },
    subject: { name: null, number: 42, currency: "EUR" },
  },
  "invoice.send": { before: { ...invoice, status: "draft" }, after: { ...invoice, status: "sent" }, subject: { name: null, number: 42, currency: "EUR" } },
  "invoice.markPaid": { before: { ...invoice, status: "sent" }, after: { ...invoice, status: "paid", paidOn: "2026-11-03", paymentMethod: "bank_transfer" }, subject: { name: null, number: 42, currency: "EUR" } },
  "invoice.markUnpaid": { before: { ...invoice, status: "paid", paidOn: "2026-11-03", paymentMethod: "card" }, after: { ...invoice, status: "sent" }, subject: { name: null, number: 42, currency: "EUR" } },
  "invoice.void": { before: { ...invoice, status: "sent" }, after: { ...invoice, status: "void" }, subject: { name: null, number: 42, currency: "EUR" } },
  "invoice.delete": { before: { ...invoice, status: "draft", items: lines } },
  "customer.create": { entityType: "customer", entityId: customerId, after: { name: "Initech", email: "ap@initech.test", billingAddress: "1 Initech Way\nAustin", taxId: null, defaultCurrency: "EUR" }, subject: { name: "Initech", number: null, currency: null } },
  "customer.update": {
    entityType: "customer",
    entityId: customerId,
    before: { name: "Initech", billingAddress: "1 Initech Way\nAustin", taxId: null },
    after: { name: "Initech", billingAddress: "2 Initech Plaza\nAustin", taxId: "US-123" },
    subject: { name: "Initech", number: null, currency: null },
  },
  "customer.archive": { entityType: "customer", entityId: customerId, before: { name: "Initech", archivedAt: null }, after: { name: "Initech", archivedAt: "2026-11-20T10:00:00Z" } },
  "invoice.publicLink.issue": { after: { number: 42, numberPrefix: "INV-", currency: "EUR", customerName: "Initech", replaced: true }, subject: { name: null, number: 42, currency: "EUR" } },
  "invoice.publicLink.revoke": { before: { number: 42, numberPrefix: "INV-", currency: "EUR", customerName: "Initech" }, subject: { name: null, number: 42, currency: "EUR" } },
  "invitation.create": { entityType: "invitation", after: { email: "new@example.test", role: "admin" } },
  "invitation.resend": { entityType: "invitation", before: { email: "new@example.test", expiresAt: "2026-01-01T00:00:00Z" }, after: { email: "new@example.test", expiresAt: "2026-01-08T00:00:00Z" } },
  "invitation.revoke": { entityType: "invitation", before: { email: "new@example.test", role: "admin" }, after: caused, causeApiKeyName: "CI deploy" },
  "invitation.accept": { entityType: "invitation", after: { email: "new@example.test", role: "member" } },
  "member.updateRole": { entityType: "member", entityId: keyId, before: { role: "member", email: "sam@example.test" }, after: { role: "admin", email: "sam@example.test" }, subject: { name: "Sam", number: null, currency: null } },
  "member.remove": { entityType: "member", entityId: keyId, before: { role: "member", email: "sam@example.test" }, after: caused, causeApiKeyName: "CI deploy" },
  "member.removeSkipped": { entityType: "member", entityId: keyId, after: { role: "owner", email: "sam@example.test", reason: "the last owner", ...caused } },
  "apiKey.create": { entityType: "api_key", entityId: keyId, after: { name: "CI deploy", scopes: ["invoices:read", "invoices:write"], expiresAt: "2026-06-01T12:00:00Z", prefix: "cnp_abcdefgh" } },
  "apiKey.revoke": { entityType: "api_key", entityId: keyId, before: { name: "CI deploy", prefix: "cnp_abcdefgh" } },
  "domain.add": { entityType: "domain", after: { domain: "billing.acme.test" } },
  "domain.verify": { entityType: "domain", before: { domain: "billing.acme.test", status: "pending" }, after: { domain: "billing.acme.test", status: "verified" } },
  "domain.remove": { entityType: "domain", before: { domain: "billing.acme.test", status: "verified" } },
  "domain.disable": { entityType: "domain", actorUserId: null, after: { domain: "billing.acme.test", failingSince: "2026-01-01T00:00:00Z", problems: ["The TXT record is missing"] } },
  "domain.reenable": { entityType: "domain", actorUserId: null, after: { domain: "billing.acme.test" } },
  "tenant.create": { entityType: "tenant", after: { slug: "acme", name: "Acme Corp", plan: "free" } },
  "tenant.settings.update": { entityType: "tenant", before: { legalName: null, postalAddress: "1 Road", numberPrefix: "INV-" }, after: { legalName: "Acme Corporation Ltd", postalAddress: "1 Road\nSpringfield", numberPrefix: "ACME-" } },
  "tenant.logo.set": { entityType: "tenant", before: { logoSha256: null }, after: { logoSha256: "ab", contentType: "image/png" } },
  "tenant.logo.remove": { entityType: "tenant", before: { logoSha256: "ab" }, after: { logoSha256: null } },
  "tenant.mfaRequirement": { entityType: "tenant", before: { mfaRequired: false }, after: { mfaRequired: true } },
  "support.start": { entityType: "support_session", actorName: null, after: { reason: "Ticket 1234: totals look wrong", readOnly: true, expiresAt: "2026-01-01T15:30:00Z" } },
  "support.end": { entityType: "support_session", actorName: null },
  "account.passwordChange": { entityType: "member", entityId: userId, after: { device: "Chrome 131 on Linux", host: "canopy.test" } },
  "account.passwordReset": { entityType: "member", entityId: userId, after: { device: null, host: "canopy.test" } },
  "account.emailChange": { entityType: "member", entityId: userId, after: { device: "Safari 17 on iOS", host: "canopy.test" } },
  "account.newDeviceSignIn": { entityType: "member", entityId: userId, after: { device: "Firefox 140 on Windows", host: "acme.canopy.test" } },
  "sso.configure": { entityType: "tenant", before: { issuer: "https://old.example.test", clientId: "canopy" }, after: { issuer: "https://login.example.test", clientId: "canopy-2", clientSecret: "replaced" } },
  "sso.remove": { entityType: "tenant", before: { issuer: "https://login.example.test" }, after: null },
  "sso.require": { entityType: "tenant", before: { required: false }, after: { required: true } },
  "sso.domain.add": { entityType: "sso_domain", after: { domain: "acme.example" } },
  "sso.domain.verify": { entityType: "sso_domain", before: { domain: "acme.example", status: "pending" }, after: { domain: "acme.example", status: "verified" } },
  "sso.domain.remove": { entityType: "sso_domain", before: { domain: "acme.example", status: "verified" } },
  "member.joinViaSso": { entityType: "member", entityId: userId, after: { email: "new@acme.example", role: "member", newAccount: true } },
  "account.mfaEnable": { entityType: "member", entityId: userId, after: { device: "Chrome 131 on Linux", host: "canopy.test" } },
  "account.mfaDisable": { entityType: "member", entityId: userId, after: { device: "Chrome 131 on Linux", host: "canopy.test" } },
  "account.mfaRecoveryCodeUse": { entityType: "member", entityId: userId, after: { device: "Safari 17 on iOS", host: "acme.canopy.test" } },
};

const uuid = /[0-9a-f]{8}-?[0-9a-f]{4}|\b[0-9a-f]{8}\b/i;
/** What a log line looks like and a sentence must not. */
function expectPlainWords(line: string, action: string) {
  expect(line).not.toContain(action);
  expect(line).not.toMatch(uuid);
  expect(line).not.toMatch(/undefined|null|NaN|\[object|quantityMilli|unitPrice|taxRateBp|[{}"]/);
  // Gaps where a value was missing ("the domain  back on", "as a role").
  expect(line).not.toMatch(/\s{2}|\s[,.:)]|\ba role\b/);
}

describe("audit sentences", () => {
  it.each(auditActions)("%s reads as a sentence, as written today and from an entry that recorded nothing", (action) => {
    const entry = { ...base, action, ...written[action] };
    const full = describeEntry(entry);
    expectPlainWords(sentenceText(full), action);
    for (const line of full.details) expectPlainWords(line, action);
    const bare = describeEntry({ ...entry, before: null, after: null, subject: null, causeApiKeyName: null });
    expectPlainWords(sentenceText(bare), action);
    expect(actionLabels[action]).toBeTruthy();
  });

  it("has a sentence for every action and nothing else", () => {
    expect(Object.keys(written).sort()).toEqual([...auditActions].sort());
    expect(Object.keys(actionLabels).sort()).toEqual([...auditActions].sort());
  });

  const say = (action: AuditAction, extra: Partial<AuditEntry> = {}) => describeEntry({ ...base, action, ...written[action], ...extra });

  it("names the invoice a void, send or payment was about, and links it", () => {
    const voided = say("invoice.void");
    expect(sentenceText(voided)).toBe("Dana Owner voided invoice INV-000042");
    expect(voided.parts).toContainEqual({ text: "INV-000042", href: `/invoices/${invoiceId}` });
    expect(voided.details).toEqual([]);
    expect(sentenceText(say("invoice.send"))).toBe("Dana Owner sent invoice INV-000042 to ap@initech.test");
    expect(sentenceText(say("invoice.markPaid"))).toBe("Dana Owner marked invoice INV-000042 as paid, paid on Nov 3, 2026 by bank transfer");
    expect(sentenceText(say("invoice.markPaid", { after: { status: "paid" } }))).toBe("Dana Owner marked invoice INV-000042 as paid");
    expect(sentenceText(say("invoice.markUnpaid"))).toBe("Dana Owner marked invoice INV-000042 as unpaid, undoing the payment of Nov 3, 2026");
  });

  it("names the invoice whose public link was issued or revoked", () => {
    expect(sentenceText(say("invoice.publicLink.issue"))).toBe("Dana Owner issued a new public link to invoice INV-000042, ending the previous one");
    expect(sentenceText(say("invoice.publicLink.issue", { after: { number: 42, replaced: false } }))).toBe("Dana Owner issued a public link to invoice INV-000042");
    expect(sentenceText(say("invoice.publicLink.revoke"))).toBe("Dana Owner revoked the public link to invoice INV-000042");
  });

  it("says what changed in single sign-on, never the secret itself", () => {
    const entry = say("sso.configure");
    expect(sentenceText(entry)).toBe("Dana Owner changed the single sign-on settings");
    expect(entry.details).toEqual(["Issuer: “https://old.example.test” → “https://login.example.test”", "Client ID: “canopy” → “canopy-2”", "Client secret: replaced"]);
    expect(sentenceText(say("sso.configure", { before: null, after: { issuer: "https://login.example.test", clientId: "canopy", defaultRole: "member", clientSecret: "set" } }))).toBe("Dana Owner set up single sign-on");
    expect(sentenceText(say("sso.require", { before: { required: true }, after: { required: false } }))).toBe("Dana Owner stopped requiring single sign-on");
    expect(sentenceText(say("member.joinViaSso"))).toBe("Dana Owner joined the workspace through single sign-on as member, with a new Canopy account");
  });

  it("says which company details changed, in words", () => {
    const entry = say("tenant.settings.update");
    expect(sentenceText(entry)).toBe("Dana Owner updated the company details");
    expect(entry.details).toEqual(["Legal name: none → “Acme Corporation Ltd”", "Address: “1 Road” → “1 Road, Springfield”", "Invoice number prefix: “INV-” → “ACME-”"]);
  });

  it("names the customer and says which of its details changed, in words", () => {
    const added = say("customer.create");
    expect(sentenceText(added)).toBe("Dana Owner added customer Initech");
    expect(added.parts).toContainEqual({ text: "Initech", href: `/customers/${customerId}` });
    const edited = say("customer.update");
    expect(sentenceText(edited)).toBe("Dana Owner edited customer Initech");
    expect(edited.details).toEqual(["Billing address: “1 Initech Way, Austin” → “2 Initech Plaza, Austin”", "Tax ID: none → “US-123”"]);
    expect(sentenceText(say("customer.update", { before: { name: "Initech" }, after: { name: "Initech Inc" } }))).toBe("Dana Owner renamed customer Initech to Initech Inc");
    expect(sentenceText(say("customer.archive"))).toBe("Dana Owner archived customer Initech");
    expect(say("invoice.update", { before: { ...invoice, customerId: null }, after: { ...invoice, customerId } }).details).toEqual(["Linked to a saved customer"]);
  });

  it("writes the number with the prefix it was issued under", () => {
    expect(sentenceText(say("invoice.void", { after: { status: "void", number: 42, numberPrefix: "ACME-" } }))).toBe("Dana Owner voided invoice ACME-000042");
    expect(sentenceText(say("invoice.void", { subject: { name: null, number: 9, numberPrefix: "GLX-", currency: "EUR" }, before: null, after: null }))).toBe("Dana Owner voided invoice GLX-000009");
  });

  it("falls back to the invoice's number today for entries that did not record it, and to no link once it is gone", () => {
    const old = say("invoice.void", { before: { status: "sent" }, after: { status: "void", items: [] }, subject: { name: null, number: 7, currency: "USD" } });
    expect(sentenceText(old)).toBe("Dana Owner voided invoice INV-000007");
    const gone = say("invoice.void", { before: { status: "sent" }, after: { status: "void" }, subject: null });
    expect(sentenceText(gone)).toBe("Dana Owner voided an invoice");
    expect(gone.parts).toContainEqual({ text: "an invoice", href: null });
  });

  it("writes money in the invoice's currency and lines as people read them", () => {
    expect(sentenceText(say("invoice.create"))).toBe("Dana Owner created invoice INV-000042 for Initech (€288.00)");
    expect(say("invoice.update").details).toEqual([
      "Due date: Feb 1, 2026 → Mar 1, 2026",
      "Lines were: 2 × Design work at €120.00 (20% tax)",
      "Lines now: 1 × Design work at €120.00 (20% tax)",
      "Total: €288.00 → €144.00",
    ]);
    const yen = say("invoice.update", {
      before: { number: 1, currency: "JPY", total: "1500", items: [] },
      after: { number: 1, currency: "JPY", total: "3000", items: [{ description: "Hours", quantityMilli: "1500", unitPrice: "2000", taxRateBp: 0 }] },
    });
    expect(yen.details).toEqual(["Lines were: none", "Lines now: 1.5 × Hours at ¥2,000", "Total: ¥1,500 → ¥3,000"]);
  });

  it("names a deleted object without linking it", () => {
    const deleted = say("project.delete", { subject: null });
    expect(sentenceText(deleted)).toBe("Dana Owner deleted project Website");
    expect(deleted.parts).toContainEqual({ text: "Website", href: null });
    const deletedInvoice = say("invoice.delete");
    expect(sentenceText(deletedInvoice)).toBe("Dana Owner deleted draft invoice INV-000042 for Initech");
    expect(deletedInvoice.parts.some((p) => typeof p !== "string" && p.href)).toBe(false);
    expect(say("project.archive", { subject: null }).parts).toContainEqual({ text: "Website", href: null });
    expect(say("project.archive", { subject: { name: "Website", number: null, currency: null } }).parts).toContainEqual({ text: "Website", href: `/projects/${projectId}` });
  });

  it("names API keys, support, the system and former members as actors", () => {
    const byKey = say("invoice.void", { actorUserId: null, actorName: null, actorApiKeyId: keyId, actorApiKeyName: "CI deploy" });
    expect(byKey.actor).toEqual({ kind: "words", text: "API key ‘CI deploy’" });
    expect(sentenceText(byKey)).toBe("API key ‘CI deploy’ voided invoice INV-000042");
    expect(sentenceText(say("support.start"))).toBe(
      "Canopy support opened a read-only support session until Jan 1, 2026, 3:30 PM UTC, giving the reason “Ticket 1234: totals look wrong”",
    );
    expect(say("domain.disable").actor).toEqual({ kind: "words", text: "Canopy" });
    expect(say("project.archive", { actorName: null, actorIsSupport: true }).actor).toEqual({ kind: "words", text: "Canopy support" });
    expect(say("project.create", { actorName: null }).actor).toEqual({ kind: "words", text: "A former member" });
    expect(say("project.create").actor).toEqual({ kind: "member", userId, name: "Dana Owner" });
  });

  it("says what people, invitations and keys an action touched, and why when a key's revocation caused it", () => {
    expect(sentenceText(say("project.update"))).toBe("Dana Owner renamed project Website to Website relaunch");
    expect(sentenceText(say("member.updateRole"))).toBe("Dana Owner changed the role of Sam from member to admin");
    expect(sentenceText(say("member.remove", { subject: null }))).toBe("Dana Owner removed sam@example.test (member) from the workspace, because API key ‘CI deploy’ was revoked");
    expect(sentenceText(say("invitation.revoke"))).toBe("Dana Owner withdrew the invitation to new@example.test, because API key ‘CI deploy’ was revoked");
    expect(sentenceText(say("apiKey.create"))).toBe("Dana Owner created API key ‘CI deploy’ to read invoices and write invoices, expiring Jun 1, 2026, 12:00 PM UTC");
    expect(sentenceText(say("apiKey.revoke"))).toBe("Dana Owner revoked API key ‘CI deploy’");
    expect(sentenceText(say("invitation.resend"))).toBe("Dana Owner sent the invitation to new@example.test again");
  });

  it("still reads for an action this build does not know", () => {
    const line = sentenceText(describeEntry({ ...base, action: "report.export" }));
    expect(line).toBe("Dana Owner made a change (report export)");
  });
});

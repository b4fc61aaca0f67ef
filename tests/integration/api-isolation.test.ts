import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settleAfterCommit } from "@/server/after-commit";
import { appRouter } from "@/server/api/root";
import { base64, pngBytes } from "../support/images";
import { appDb, callerFor, closeDb, createTenant, keyCallerFor, onCustomHost, tenantFingerprint, type TenantFixture, codeOf } from "../support/fixtures";

type Caller = ReturnType<typeof callerFor>;
type Case = {
  /** Runs the procedure as A's owner on A's host, aimed at B's rows where the input takes ids. */
  call: (c: Caller, b: TenantFixture) => Promise<unknown>;
  /** What must come back: NOT_FOUND for B's ids, or a check on the result (only A's rows). */
  expect: "NOT_FOUND" | ((result: unknown, a: TenantFixture, b: TenantFixture) => void);
};

const onlyTenant = (result: unknown, a: TenantFixture) => {
  const items = (result as { items: { tenantId: string }[] }).items;
  expect(items.length).toBeGreaterThan(0);
  for (const row of items) expect(row.tenantId).toBe(a.id);
};

/** One entry per tenant procedure. The walk below fails when a procedure has none. */
const cases: Record<string, Case> = {
  "tenant.current": { call: (c) => c.tenant.current(), expect: (r, a) => expect((r as { id: string }).id).toBe(a.id) },
  "tenant.seller": {
    call: (c) => c.tenant.seller(),
    expect: (r) => {
      const s = r as { name: string; postalAddress: string | null; taxId: string | null };
      expect(s.name).not.toBe("B's legal name");
      expect(s.postalAddress).not.toBe("B street");
      expect(s.taxId).not.toBe("B-1");
    },
  },
  // B saved its company details and logo in beforeAll: none of it may show at A or change.
  "tenant.settings.get": {
    call: (c) => c.tenant.settings.get(),
    expect: (r) => {
      const s = r as { legalName: string | null; logo: unknown };
      expect(s.legalName).not.toBe("B's legal name");
      expect(s.logo).toBeNull();
    },
  },
  "tenant.settings.update": {
    call: (c) => c.tenant.settings.update({ legalName: "A's legal name", postalAddress: null, taxId: null, invoicePrefix: "A-", defaultCurrency: "USD", paymentTermsDays: 7 }),
    expect: (r) => expect((r as { legalName: string }).legalName).toBe("A's legal name"),
  },
  "tenant.settings.setLogo": {
    call: async (c) => c.tenant.settings.setLogo({ image: base64(await pngBytes(20, 20, "#000000")) }),
    expect: (r) => expect((r as { logo: { sha256: string } }).logo.sha256).not.toBe(bLogoSha),
  },
  "tenant.settings.removeLogo": { call: (c) => c.tenant.settings.removeLogo(), expect: (r) => expect((r as { logo: unknown }).logo).toBeNull() },
  "tenant.security.get": { call: (c) => c.tenant.security.get(), expect: (r) => expect(r).toEqual({ mfaRequired: false, callerHasMfa: false }) },
  "tenant.security.setMfaRequired": {
    call: (c) => c.tenant.security.setMfaRequired({ required: false }),
    expect: (r) => expect(r).toEqual({ mfaRequired: false }),
  },
  "project.list": { call: (c) => c.project.list({ limit: 100 }), expect: onlyTenant },
  "project.byId": { call: (c, b) => c.project.byId({ id: b.projectIds[0]! }), expect: "NOT_FOUND" },
  "project.create": {
    call: (c) => c.project.create({ name: "Created by A" }),
    expect: (r, a) => expect((r as { tenantId: string }).tenantId).toBe(a.id),
  },
  "project.update": { call: (c, b) => c.project.update({ id: b.projectIds[0]!, name: "hijacked" }), expect: "NOT_FOUND" },
  "project.archive": { call: (c, b) => c.project.archive({ id: b.projectIds[0]! }), expect: "NOT_FOUND" },
  "project.restore": { call: (c, b) => c.project.restore({ id: b.projectIds[0]! }), expect: "NOT_FOUND" },
  "project.delete": { call: (c, b) => c.project.delete({ id: b.projectIds[1]! }), expect: "NOT_FOUND" },
  "customer.list": {
    call: async (c) => {
      await c.customer.create({ name: "A's customer" });
      return c.customer.list({ includeArchived: true, limit: 100 });
    },
    expect: onlyTenant,
  },
  "customer.byId": { call: (c) => c.customer.byId({ id: bCustomerId }), expect: "NOT_FOUND" },
  // B's customer has this name: a name is unique per tenant, never across tenants.
  "customer.create": {
    call: (c) => c.customer.create({ name: "B's customer" }),
    expect: (r, a) => expect((r as { tenantId: string }).tenantId).toBe(a.id),
  },
  "customer.update": { call: (c) => c.customer.update({ id: bCustomerId, name: "hijacked" }), expect: "NOT_FOUND" },
  "customer.archive": { call: (c) => c.customer.archive({ id: bCustomerId }), expect: "NOT_FOUND" },
  "invoice.list": { call: (c) => c.invoice.list({ limit: 100 }), expect: onlyTenant },
  "invoice.byId": { call: (c, b) => c.invoice.byId({ id: b.invoiceIds[0]! }), expect: "NOT_FOUND" },
  "invoice.create": {
    call: (c, b) =>
      c.invoice.create({
        projectId: b.projectIds[0]!,
        customerName: "A's customer",
        currency: "USD",
        issueDate: "2026-01-01",
        dueDate: "2026-02-01",
        items: [{ description: "Work", quantity: 1, unitPrice: 100, taxRateBp: 0 }],
      }),
    expect: "NOT_FOUND",
  },
  "invoice.update": { call: (c, b) => c.invoice.update({ id: b.invoiceIds[0]!, customerName: "hijacked" }), expect: "NOT_FOUND" },
  "invoice.send": { call: (c, b) => c.invoice.send({ id: b.invoiceIds[0]! }), expect: "NOT_FOUND" },
  "invoice.markPaid": { call: (c, b) => c.invoice.markPaid({ id: b.invoiceIds[0]!, paidOn: "2026-01-02", method: "cash" }), expect: "NOT_FOUND" },
  // B's third invoice is paid this month: undoing it would succeed for B's own owner.
  "invoice.markUnpaid": { call: (c, b) => c.invoice.markUnpaid({ id: b.invoiceIds[2]! }), expect: "NOT_FOUND" },
  "invoice.void": { call: (c, b) => c.invoice.void({ id: b.invoiceIds[0]! }), expect: "NOT_FOUND" },
  "invoice.publicLink.get": { call: (c, b) => c.invoice.publicLink.get({ id: b.invoiceIds[2]! }), expect: "NOT_FOUND" },
  "invoice.publicLink.issue": { call: (c, b) => c.invoice.publicLink.issue({ id: b.invoiceIds[2]! }), expect: "NOT_FOUND" },
  "invoice.publicLink.revoke": { call: (c, b) => c.invoice.publicLink.revoke({ id: b.invoiceIds[2]! }), expect: "NOT_FOUND" },
  "invoice.delete": { call: (c, b) => c.invoice.delete({ id: b.invoiceIds[1]! }), expect: "NOT_FOUND" },
  // A's fixture invoices are all drafts: any sent or paid money in A's stats would be B's. (invoices.test.ts
  // checks the sums against a second tenant that has sent and paid invoices.)
  "invoice.stats": {
    call: (c) => c.invoice.stats(),
    expect: (r) => {
      const { currencies } = r as { currencies: { currency: string; outstandingCount: number; overdueCount: number; paidThisMonthCount: number }[] };
      expect(currencies.map((x) => x.currency)).toEqual(["USD"]);
      for (const x of currencies) expect([x.outstandingCount, x.overdueCount, x.paidThisMonthCount]).toEqual([0, 0, 0]);
    },
  },
  // B has a paid invoice (see beforeAll); A has none, so any revenue here would be B's.
  "invoice.revenueByMonth": {
    call: (c) => c.invoice.revenueByMonth(),
    expect: (r) => {
      const { months, currencies } = r as { months: string[]; currencies: unknown[] };
      expect(months).toHaveLength(12);
      expect(currencies).toEqual([]);
    },
  },
  // B's log has entries (beforeAll); A's gets one here. Aimed at B's actor, A must see nothing.
  "audit.list": {
    call: async (c, b) => {
      await c.project.create({ name: "Audited in A" });
      return { all: await c.audit.list({ limit: 100 }), aimedAtB: await c.audit.list({ actorUserId: b.users.owner.id }) };
    },
    expect: (r, a) => {
      const { all, aimedAtB } = r as { all: { items: { tenantId: string }[] }; aimedAtB: { items: unknown[] } };
      onlyTenant(all, a);
      expect(aimedAtB.items).toEqual([]);
    },
  },
  "member.list": {
    call: (c) => c.member.list(),
    expect: (r, a, b) => {
      const ids = (r as { userId: string }[]).map((m) => m.userId);
      expect(ids.sort()).toEqual(Object.values(a.users).map((u) => u.id).sort());
      for (const u of Object.values(b.users)) expect(ids).not.toContain(u.id);
    },
  },
  "member.invitations": {
    call: (c) => c.member.invitations(),
    expect: (r) => expect((r as { id: string }[]).map((i) => i.id)).not.toContain(bInvitation.id),
  },
  // Inviting B's owner into A creates A's invitation (and A's email), nothing in B.
  "member.invite": {
    call: (c, b) => c.member.invite({ email: b.users.owner.email, role: "member" }),
    expect: (r, _a, b) => expect((r as { email: string }).email).toBe(b.users.owner.email),
  },
  "member.resendInvitation": { call: (c) => c.member.resendInvitation({ id: bInvitation.id }), expect: "NOT_FOUND" },
  "member.revokeInvitation": { call: (c) => c.member.revokeInvitation({ id: bInvitation.id }), expect: "NOT_FOUND" },
  "member.updateRole": { call: (c, b) => c.member.updateRole({ userId: b.users.member.id, role: "viewer" }), expect: "NOT_FOUND" },
  "member.remove": { call: (c, b) => c.member.remove({ userId: b.users.member.id }), expect: "NOT_FOUND" },
  "apiKey.list": {
    call: async (c) => {
      await c.apiKey.create({ name: "A's key", scopes: ["projects:read"], expiresInDays: 30 });
      return c.apiKey.list();
    },
    expect: (r) => {
      const ids = (r as { id: string }[]).map((k) => k.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids).not.toContain(bKeyId);
    },
  },
  "apiKey.create": {
    call: (c) => c.apiKey.create({ name: "Created by A", scopes: ["projects:write"], expiresInDays: null }),
    expect: (r) => expect((r as { token: string }).token).toMatch(/^cnp_/),
  },
  "apiKey.revoke": { call: (c) => c.apiKey.revoke({ id: bKeyId }), expect: "NOT_FOUND" },
  // A's fixture has a verified domain; B's is verified too, so adding it from A is refused.
  // A's owner is a member, not a support admin: no session, and never B's.
  "support.current": { call: (c) => c.support.current(), expect: (r) => expect(r).toBeNull() },
  // A's owner has no support session anywhere: nothing of B's (or A's) is closed.
  "support.end": { call: (c) => c.support.end(), expect: (r) => expect(r).toMatchObject({ ended: false }) },
  "domain.list": {
    call: (c) => c.domain.list(),
    expect: (r, a) => {
      const rows = r as { tenantId: string }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.tenantId).toBe(a.id);
    },
  },
  "domain.add": { call: (c, b) => codeOf(c.domain.add({ domain: b.domain })), expect: (r) => expect(r).toBe("CONFLICT") },
  "domain.verify": { call: async (c, b) => c.domain.verify({ id: (await callerFor(b.host, b.users.owner).domain.list())[0]!.id }), expect: "NOT_FOUND" },
  "domain.remove": { call: async (c, b) => c.domain.remove({ id: (await callerFor(b.host, b.users.owner).domain.list())[0]!.id }), expect: "NOT_FOUND" },
  // B claimed an SSO email domain in beforeAll (pending): A neither sees nor touches it.
  "sso.get": { call: (c) => c.sso.get(), expect: (r) => expect((r as { domains: { domain: string }[] }).domains.map((d) => d.domain)).not.toContain(bSsoDomain.domain) },
  // A has no provider of its own: B's is never used, tested or removed from A's host.
  "sso.save": { call: (c) => codeOf(c.sso.save({ issuer: "http://127.0.0.1:9", clientId: "a", clientSecret: "a", defaultRole: "member" })), expect: (r) => expect(r).toBe("BAD_REQUEST") },
  "sso.test": { call: (c) => c.sso.test(), expect: "NOT_FOUND" },
  "sso.remove": { call: (c) => c.sso.remove(), expect: "NOT_FOUND" },
  "sso.setRequired": { call: (c) => codeOf(c.sso.setRequired({ required: true })), expect: (r) => expect(r).toBe("BAD_REQUEST") },
  // A pending claim blocks nobody: A may claim the same name, as its own row.
  "sso.addDomain": { call: (c) => c.sso.addDomain({ domain: bSsoDomain.domain }), expect: (r) => expect((r as { id: string }).id).not.toBe(bSsoDomain.id) },
  "sso.verifyDomain": { call: (c) => c.sso.verifyDomain({ id: bSsoDomain.id }), expect: "NOT_FOUND" },
  "sso.removeDomain": { call: (c) => c.sso.removeDomain({ id: bSsoDomain.id }), expect: "NOT_FOUND" },
};

type ProcedureDef = { _def: { type: string; meta?: { permission?: string } } };
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, ProcedureDef> }).procedures);
const tenantProcedures = procedures.filter(([, p]) => p._def.meta?.permission).map(([path]) => path);
/** Procedures that are deliberately not tenant-scoped, each with the reason. */
const notTenantScoped: Record<string, string> = {
  "me.workspaces": "lists the caller's own memberships through app_my_workspaces(), keyed on app.user_id",
  "invitation.accept":
    "the caller is not a member yet (tenantJoinProcedure); gated by the token, looked up by hash under the Host's tenant (RLS): invitations.test.ts",
  "invitation.preview": "the same rung and token look-up as invitation.accept, read-only",
  "account.signUp": "creates a user row; no tenant exists yet",
  "account.status": "reads the signed-in user's own row (users_self policy)",
  "account.confirmEmail": "consumes the signed-in user's own address proof through app_confirm_email()",
  "account.resendVerification": "mails the signed-in user's own address a new proof",
  "account.slugAvailable": "answers only whether a slug is free, through app_tenant_by_slug()",
  "account.createWorkspace": "creates a new tenant and its owner membership inside that new tenant's scope",
  "account.requestPasswordReset": "mails a reset link to an address's own account, found through app_user_for_sign_in(); same answer for any address",
  "account.resetPassword": "the link's hash names the one account (app_password_reset_user()); everything else runs in that user's own scope",
  "account.updateName": "updates the signed-in user's own row (users_self policy)",
  "account.changePassword": "updates the signed-in user's own row and sessions (users_self, user_sessions_self)",
  "account.requestEmailChange": "mails a proof for the signed-in user's own account (email_verifications_self)",
  "account.confirmEmailChange": "consumes the signed-in user's own proof through app_confirm_email_change()",
  "account.sessions": "lists the signed-in user's own sessions (user_sessions_self policy)",
  "account.revokeSession": "revokes one of the signed-in user's own sessions (user_sessions_self policy): identity.test.ts",
  "account.revokeOtherSessions": "revokes the signed-in user's own other sessions (user_sessions_self policy)",
  "account.mfa.status": "reads the signed-in user's own authenticator and recovery codes (user_mfa_self, mfa_recovery_codes_self)",
  "account.mfa.beginEnrolment": "writes the signed-in user's own authenticator row (user_mfa_self)",
  "account.mfa.confirmEnrolment": "switches on the signed-in user's own authenticator and replaces their own recovery codes (user_mfa_self, mfa_recovery_codes_self)",
  "account.mfa.regenerateRecoveryCodes": "replaces the signed-in user's own recovery codes (mfa_recovery_codes_self)",
  "account.mfa.disable": "deletes the signed-in user's own authenticator and recovery codes (user_mfa_self, mfa_recovery_codes_self)",
  // Every admin.* path: platformAdminProcedure (FORBIDDEN for anyone else, walked in admin.test.ts);
  // reads go through the app_admin_* definer functions (directory rows and counts only), and
  // tenant rows are read only inside that tenant's own scope (export, onboarding).
  ...Object.fromEntries(procedures.filter(([p]) => p.startsWith("admin.")).map(([p]) => [p, "platform admin only, through app_admin_* functions: admin.test.ts"])),
};

function invoke(caller: Caller, path: string): (input?: unknown) => Promise<unknown> {
  let target: unknown = caller;
  for (const key of path.split(".")) target = (target as Record<string, unknown>)[key];
  return target as (input?: unknown) => Promise<unknown>;
}

let a: TenantFixture;
let b: TenantFixture;
let bInvitation: { id: string; email: string };
let bKeyId: string;
let bCustomerId: string;
let bLogoSha: string;
let bSsoDomain: { id: string; domain: string };
/** A key of A with every scope. */
let aKey: string;

beforeAll(async () => {
  a = await createTenant();
  b = await createTenant(appDb(), { invoices: 3 });
  // Gives B paid revenue and audit entries that A's reads must never surface.
  const asB = callerFor(b.host, b.users.owner);
  await asB.invoice.send({ id: b.invoiceIds[2]! });
  await asB.invoice.markPaid({ id: b.invoiceIds[2]! });
  // B's invitation, email and API key: A must neither see nor touch them.
  bInvitation = await asB.member.invite({ email: `b-invitee-${crypto.randomUUID()}@example.test`, role: "member" });
  await asB.tenant.settings.update({ legalName: "B's legal name", postalAddress: "B street", taxId: "B-1", invoicePrefix: "B-", defaultCurrency: "EUR", paymentTermsDays: 10 });
  bLogoSha = (await asB.tenant.settings.setLogo({ image: base64(await pngBytes()) })).logo!.sha256;
  bCustomerId = (await asB.customer.create({ name: "B's customer", email: "ap@b.test", billingAddress: "B street", taxId: "B-1" })).id;
  bSsoDomain = await asB.sso.addDomain({ domain: `b-sso-${crypto.randomUUID().slice(0, 8)}.example.test` });
  bKeyId = (await asB.apiKey.create({ name: "B's key", scopes: ["projects:read", "invoices:write"], expiresInDays: null })).id;
  aKey = (await callerFor(a.host, a.users.owner).apiKey.create({ name: "A's full key", scopes: ["projects:write", "invoices:write"], expiresInDays: null })).token;
  await settleAfterCommit();
});
afterAll(async () => {
  await settleAfterCommit();
  await closeDb();
});

describe("the router walk", () => {
  it("finds tenant procedures", () => {
    expect(tenantProcedures.length).toBeGreaterThanOrEqual(8);
  });

  it("has an isolation case for every tenant procedure", () => {
    const missing = tenantProcedures.filter((p) => !(p in cases));
    expect(missing, `tenant procedures without an isolation case: ${missing.join(", ")}`).toEqual([]);
  });

  it("classifies every procedure as tenant-scoped or explains why not", () => {
    const unclassified = procedures.map(([path]) => path).filter((p) => !tenantProcedures.includes(p) && !(p in notTenantScoped));
    expect(unclassified).toEqual([]);
  });
});

describe("as a member of A, B's rows are out of reach", () => {
  for (const path of Object.keys(cases)) {
    it(`${path}`, async () => {
      const testCase = cases[path]!;
      const before = await tenantFingerprint(appDb(), b.id);
      const caller = callerFor(a.host, a.users.owner);
      if (testCase.expect === "NOT_FOUND") {
        expect(await codeOf(testCase.call(caller, b))).toBe("NOT_FOUND");
      } else {
        testCase.expect(await testCase.call(caller, b), a, b);
      }
      expect(await tenantFingerprint(appDb(), b.id)).toBe(before);
    });
  }
});

describe("on B's host, A's member is refused before any handler runs", () => {
  for (const path of tenantProcedures) {
    it(`${path} → FORBIDDEN`, async () => {
      const before = await tenantFingerprint(appDb(), b.id);
      const fn = invoke(callerFor(b.host, a.users.owner), path);
      expect(await codeOf(fn({ id: b.projectIds[0], name: "x", limit: 10 }))).toBe("FORBIDDEN");
      expect(await tenantFingerprint(appDb(), b.id)).toBe(before);
    });
  }
});

describe("on B's host, A's API key is unknown before any handler runs", () => {
  for (const path of tenantProcedures) {
    it(`${path} → UNAUTHORIZED`, async () => {
      const before = await tenantFingerprint(appDb(), b.id);
      const fn = invoke(keyCallerFor(b.host, aKey), path);
      expect(await codeOf(fn({ id: b.projectIds[0], name: "x", limit: 10 }))).toBe("UNAUTHORIZED");
      expect(await tenantFingerprint(appDb(), b.id)).toBe(before);
    });
  }
});

describe("without a session or on a host with no tenant", () => {
  for (const path of tenantProcedures) {
    it(`${path} → UNAUTHORIZED without a session, NOT_FOUND on an unknown host`, async () => {
      expect(await codeOf(invoke(callerFor(a.host, null), path)({ id: a.projectIds[0], name: "x" }))).toBe("UNAUTHORIZED");
      expect(await codeOf(invoke(callerFor("nobody-here.unknown.test", a.users.owner), path)({ id: a.projectIds[0], name: "x" }))).toBe("NOT_FOUND");
    });
  }
});

describe("a verified custom domain is the same tenant", () => {
  it("project.list on A's custom domain returns A's rows only", async () => {
    // A session issued on that domain: a root-family one is refused there (session-binding tests).
    const member = await onCustomHost(a.users.member, a.domain);
    const result = await callerFor(a.domain, member).project.list({ limit: 100 });
    onlyTenant(result, a);
  });
});

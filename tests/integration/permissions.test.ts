import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemberRole } from "@/db/schema/users";
import { apiKeyScopes, personOnlyPermissions, type ApiKeyScope } from "@/lib/api-key-scopes";
import { can, permissions, type Permission } from "@/lib/permissions";
import { settleAfterCommit } from "@/server/after-commit";
import { appRouter } from "@/server/api/root";
import { ssoCallbackUrl } from "@/server/sso/sso-sign-in";
import { base64, pngBytes } from "../support/images";
import { startTestProvider, type TestProvider } from "../support/oidc-provider";
import { addMember, callerFor, closeDb, createTenant, keyCallerFor, setTenantPlan, type TenantFixture } from "../support/fixtures";

/**
 * Generated from the permission table: every tenant procedure × every role. A role the table
 * allows must succeed; a role it does not must get FORBIDDEN. The table and the tests cannot drift.
 */

type Caller = ReturnType<typeof callerFor>;
/** A valid input for one call, creating whatever fresh rows the call consumes (as the owner). */
type InputFor = (t: TenantFixture, owner: Caller) => Promise<unknown>;

const none: InputFor = () => Promise.resolve(undefined);
const rand = () => crypto.randomUUID().slice(0, 8);
const draftInvoice = (t: TenantFixture, owner: Caller) =>
  owner.invoice.create({
    projectId: t.projectIds[0]!,
    customerName: `Customer ${rand()}`,
    customerEmail: `ap-${rand()}@customer.test`,
    currency: "USD",
    issueDate: "2026-01-01",
    dueDate: "2026-02-01",
    items: [{ description: "Work", quantity: 1, unitPrice: 100, taxRateBp: 0 }],
  });
const freshInvitation = (owner: Caller) => owner.member.invite({ email: `perm-${rand()}@example.test`, role: "member" });

/** A real OpenID provider on loopback: saving SSO settings fetches its discovery document. */
let idp: TestProvider;
const ssoSettings = () => ({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, defaultRole: "member" as const });
const withSso: InputFor = async (_t, o) => {
  await o.sso.save(ssoSettings());
  return undefined;
};

/** One entry per tenant procedure; the walk below fails when a procedure has none. */
const inputs: Record<string, InputFor> = {
  "tenant.current": none,
  "tenant.seller": none,
  "tenant.settings.get": none,
  "tenant.settings.update": () =>
    Promise.resolve({ legalName: `Company ${rand()}`, postalAddress: "1 Road\nTown", taxId: "GB123", invoicePrefix: "PERM-", defaultCurrency: "EUR", paymentTermsDays: 14 }),
  "tenant.settings.setLogo": async () => ({ image: base64(await pngBytes()) }),
  "tenant.settings.removeLogo": none,
  "tenant.security.get": none,
  // Off needs no MFA of the caller's own (turning it on does, see mfa.test.ts): the walk checks the role only.
  "tenant.security.setMfaRequired": () => Promise.resolve({ required: false }),
  "project.list": () => Promise.resolve({ limit: 10 }),
  "project.byId": (t) => Promise.resolve({ id: t.projectIds[0] }),
  "project.create": () => Promise.resolve({ name: `Project ${rand()}` }),
  "project.update": (t) => Promise.resolve({ id: t.projectIds[0], name: `Renamed ${rand()}` }),
  "project.archive": async (_t, o) => ({ id: (await o.project.create({ name: "To archive" })).id }),
  "project.restore": async (_t, o) => {
    const { id } = await o.project.create({ name: "To restore" });
    await o.project.archive({ id });
    return { id };
  },
  "project.delete": async (_t, o) => ({ id: (await o.project.create({ name: "To delete" })).id }),
  "invoice.list": () => Promise.resolve({ limit: 10 }),
  "invoice.byId": (t) => Promise.resolve({ id: t.invoiceIds[0] }),
  "invoice.stats": none,
  "invoice.revenueByMonth": none,
  "invoice.create": (t) =>
    Promise.resolve({
      projectId: t.projectIds[0],
      customerName: "New customer",
      currency: "USD",
      issueDate: "2026-01-01",
      dueDate: "2026-02-01",
      items: [{ description: "Work", quantity: 2, unitPrice: 500, taxRateBp: 0 }],
    }),
  "invoice.update": async (t, o) => ({ id: (await draftInvoice(t, o)).id, customerName: "Updated customer" }),
  "invoice.send": async (t, o) => ({ id: (await draftInvoice(t, o)).id }),
  "invoice.markPaid": async (t, o) => {
    const { id } = await draftInvoice(t, o);
    await o.invoice.send({ id });
    return { id, paidOn: "2026-01-15", method: "bank_transfer" };
  },
  "invoice.markUnpaid": async (t, o) => {
    const { id } = await draftInvoice(t, o);
    await o.invoice.send({ id });
    await o.invoice.markPaid({ id, method: "card" });
    return { id };
  },
  "invoice.void": async (t, o) => ({ id: (await draftInvoice(t, o)).id }),
  "invoice.publicLink.get": async (t, o) => ({ id: (await draftInvoice(t, o)).id }),
  // Sent, so it has a link to revoke and may be given a new one.
  "invoice.publicLink.issue": async (t, o) => {
    const { id } = await draftInvoice(t, o);
    await o.invoice.send({ id });
    return { id };
  },
  "invoice.publicLink.revoke": async (t, o) => {
    const { id } = await draftInvoice(t, o);
    await o.invoice.send({ id });
    return { id };
  },
  // Only the latest draft can be deleted: create it right before the call.
  "invoice.delete": async (t, o) => ({ id: (await draftInvoice(t, o)).id }),
  "customer.list": () => Promise.resolve({ search: "a", limit: 10 }),
  "customer.byId": async (_t, o) => ({ id: (await o.customer.create({ name: `Customer ${rand()}` })).id }),
  "customer.create": () => Promise.resolve({ name: `Customer ${rand()}`, email: `ap-${rand()}@customer.test`, billingAddress: "1 Road\nTown", taxId: "GB123", defaultCurrency: "EUR" }),
  "customer.update": async (_t, o) => ({ id: (await o.customer.create({ name: `Customer ${rand()}` })).id, name: `Renamed ${rand()}` }),
  "customer.archive": async (_t, o) => ({ id: (await o.customer.create({ name: `Customer ${rand()}` })).id }),
  "audit.list": () => Promise.resolve({ limit: 10 }),
  "member.list": none,
  "member.invitations": none,
  "member.invite": () => Promise.resolve({ email: `invitee-${rand()}@example.test`, role: "member" }),
  "member.resendInvitation": async (_t, o) => ({ id: (await freshInvitation(o)).id }),
  "member.revokeInvitation": async (_t, o) => ({ id: (await freshInvitation(o)).id }),
  "member.updateRole": async (t) => ({ userId: (await addMember(t, "member")).id, role: "viewer" }),
  "member.remove": async (t) => ({ userId: (await addMember(t, "viewer")).id }),
  "apiKey.list": none,
  "apiKey.create": () => Promise.resolve({ name: `Key ${rand()}`, scopes: ["projects:read"], expiresInDays: 30 }),
  "apiKey.revoke": async (_t, o) => ({ id: (await o.apiKey.create({ name: "To revoke", scopes: ["projects:read"], expiresInDays: 30 })).id }),
  "domain.list": none,
  "domain.add": () => Promise.resolve({ domain: `perm-${rand()}.example.test` }),
  "domain.verify": async (_t, o) => ({ id: (await o.domain.add({ domain: `verify-${rand()}.example.test` })).id }),
  "domain.remove": async (_t, o) => ({ id: (await o.domain.add({ domain: `remove-${rand()}.example.test` })).id }),
  "support.current": none,
  "support.end": none,
  "sso.get": none,
  "sso.save": () => Promise.resolve(ssoSettings()),
  "sso.test": withSso,
  "sso.remove": withSso,
  "sso.setRequired": async (t, o) => {
    await withSso(t, o);
    return { required: false };
  },
  "sso.addDomain": () => Promise.resolve({ domain: `perm-${rand()}.example.test` }),
  "sso.verifyDomain": async (_t, o) => ({ id: (await o.sso.addDomain({ domain: `verify-${rand()}.example.test` })).id }),
  "sso.removeDomain": async (_t, o) => ({ id: (await o.sso.addDomain({ domain: `remove-${rand()}.example.test` })).id }),
};

/** Permissions in the table that no procedure uses yet, each with the reason. */
const notUsedYet: Partial<Record<Permission, string>> = {};

type ProcedureDef = { _def: { meta?: { permission?: Permission } } };
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, ProcedureDef> }).procedures);
const tenantProcedures = procedures.flatMap(([path, p]) => (p._def.meta?.permission ? [{ path, permission: p._def.meta.permission }] : []));
const roles = ["owner", "admin", "member", "viewer"] as const satisfies readonly MemberRole[];

function invoke(caller: Caller, path: string): (input?: unknown) => Promise<unknown> {
  let target: unknown = caller;
  for (const key of path.split(".")) target = (target as Record<string, unknown>)[key];
  return target as (input?: unknown) => Promise<unknown>;
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? `${e.code}: ${e.message}` : `non-tRPC error: ${String(e)}`;
  }
}

let t: TenantFixture;
beforeAll(async () => {
  idp = await startTestProvider({ redirectUris: [ssoCallbackUrl()] });
  t = await createTenant();
  // Every role's calls create invitations and projects in this one tenant: roles are tested here, not quotas (plan-limits.test.ts).
  await setTenantPlan(t.id, "enterprise");
});
afterAll(async () => {
  await settleAfterCommit();
  await idp.close();
  await closeDb();
});

describe("the permission table", () => {
  it("names every permission a procedure uses, and every permission is used", () => {
    const used = new Set(tenantProcedures.map((p) => p.permission));
    const expected = Object.keys(permissions).filter((p) => !(p in notUsedYet));
    expect([...used].sort()).toEqual(expected.sort());
  });

  it("has an input generator for every tenant procedure", () => {
    const missing = tenantProcedures.filter((p) => !(p.path in inputs)).map((p) => p.path);
    expect(missing, `tenant procedures without an input generator: ${missing.join(", ")}`).toEqual([]);
  });
});

describe.each(roles)("as %s", (role) => {
  for (const { path, permission } of tenantProcedures) {
    const allowed = can(role, permission);
    it(`${path} (${permission}) → ${allowed ? "allowed" : "FORBIDDEN"}`, async () => {
      const makeInput = inputs[path];
      expect(makeInput, `no input generator for ${path}`).toBeDefined();
      const owner = callerFor(t.host, t.users.owner);
      const input = await makeInput!(t, owner);
      const result = await outcome(invoke(callerFor(t.host, t.users[role]), path)(input));
      if (allowed) expect(result).toBe("OK");
      else expect(result).toMatch(/^FORBIDDEN: /);
    });
  }
});

/**
 * The same walk for API keys: every tenant procedure × each scope set a key can be created with.
 * A key gets FORBIDDEN exactly where its scopes (lib/api-key-scopes.ts) say no, and always for
 * the person-only permissions, whatever the role table says.
 */
const keyScopeSets: ApiKeyScope[][] = [...apiKeyScopes.map((s) => [s]), [...apiKeyScopes]];

describe("the scope table", () => {
  it("gives no key a person-only permission, whatever its scopes", () => {
    for (let mask = 1; mask < 1 << apiKeyScopes.length; mask++) {
      const scopes = apiKeyScopes.filter((_, i) => mask & (1 << i));
      for (const permission of personOnlyPermissions) expect(can({ scopes }, permission), `${scopes.join(",")} → ${permission}`).toBe(false);
    }
  });
});

describe.each(keyScopeSets.map((scopes) => [scopes.join(" "), scopes] as const))("as an API key with %s", (_label, requested) => {
  let key: { token: string; scopes: string[] };
  beforeAll(async () => {
    key = await callerFor(t.host, t.users.owner).apiKey.create({ name: `Matrix ${rand()}`, scopes: requested, expiresInDays: 7 });
  });
  for (const { path, permission } of tenantProcedures) {
    it(`${path} (${permission})`, async () => {
      const allowed = can({ scopes: key.scopes }, permission);
      if ((personOnlyPermissions as readonly Permission[]).includes(permission)) expect(allowed).toBe(false);
      const input = await inputs[path]!(t, callerFor(t.host, t.users.owner));
      const result = await outcome(invoke(keyCallerFor(t.host, key.token), path)(input));
      if (allowed) expect(result).toBe("OK");
      else expect(result).toMatch(/^FORBIDDEN: /);
    });
  }
});

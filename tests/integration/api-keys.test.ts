import { base64, pngBytes } from "../support/images";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, invitations } from "@/db/schema/accounts";
import { auditLog } from "@/db/schema/audit";
import { memberships } from "@/db/schema/users";
import { withTenant } from "@/db/tenant-transaction";
import { apiKeyScopes, personOnlyPermissions } from "@/lib/api-key-scopes";
import { settleAfterCommit } from "@/server/after-commit";
import { appRouter } from "@/server/api/root";
import { newSecret, sha256Hex } from "@/server/tokens";
import {
  addMember,
  appDb,
  asOwnerInTenant,
  callerFor,
  closeDb,
  codeOf,
  createTenant,
  handleHttp,
  handleRequest,
  tenantFingerprint,
  type TenantFixture,
  type UserFixture,
} from "../support/fixtures";

type TrpcResponse = { status: number; code: string | null; message: string | null; data: unknown };

/** One call through the real HTTP adapter, with the context built by createContext from these headers. */
async function call(host: string, path: string, opts: { key?: string; cookie?: string; input?: unknown; mutation?: boolean } = {}): Promise<TrpcResponse> {
  const headers: Record<string, string> = { host, "content-type": "application/json" };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  const payload = JSON.stringify({ json: opts.input ?? null });
  const url = `http://${host}/api/trpc/${path}${opts.mutation ? "" : `?input=${encodeURIComponent(payload)}`}`;
  const res = await handleRequest(new Request(url, { method: opts.mutation ? "POST" : "GET", headers, body: opts.mutation ? payload : undefined }));
  const body = (await res.json()) as { result?: { data: { json: unknown } }; error?: { json: { message: string; data: { code: string } } } };
  return { status: res.status, code: body.error?.json.data.code ?? null, message: body.error?.json.message ?? null, data: body.result?.data.json };
}

type Key = { id: string; token: string; prefix: string; scopes: string[] };

let a: TenantFixture;
let b: TenantFixture;
let fullKey: Key;
let readKey: Key;
beforeAll(async () => {
  a = await createTenant();
  b = await createTenant();
  const owner = callerFor(a.host, a.users.owner);
  fullKey = await owner.apiKey.create({ name: "CI", scopes: [...apiKeyScopes], expiresInDays: null });
  readKey = await owner.apiKey.create({ name: "Dashboard", scopes: ["projects:read", "invoices:read"], expiresInDays: 30 });
});
afterAll(async () => {
  await settleAfterCommit();
  await closeDb();
});

describe("creating and listing keys", () => {
  it("shows the key once: cnp_ + 32 random bytes, stored as SHA-256 with a 12-character prefix", async () => {
    expect(fullKey.token).toMatch(/^cnp_[A-Za-z0-9_-]{43}$/);
    expect(fullKey.prefix).toBe(fullKey.token.slice(0, 12));
    const list = await callerFor(a.host, a.users.admin).apiKey.list();
    expect(JSON.stringify(list)).not.toContain(fullKey.token);
    expect(list.find((k) => k.id === fullKey.id)).toMatchObject({ name: "CI", scopes: [...apiKeyScopes], expiresAt: null, status: "active", revokedAt: null });
    const rows = await withTenant(appDb(), { tenantId: a.id }, (tx) => tx.select().from(apiKeys).where(eq(apiKeys.id, fullKey.id)));
    expect(rows[0]?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(fullKey.token.slice(12));
  });

  it("stores the chosen expiry, counted by the database's clock", async () => {
    const [row] = await withTenant(appDb(), { tenantId: a.id }, (tx) =>
      tx
        .select({ days: sql<number>`round(extract(epoch from ${apiKeys.expiresAt} - ${apiKeys.createdAt}) / 86400)::int` })
        .from(apiKeys)
        .where(eq(apiKeys.id, readKey.id)),
    );
    expect(row?.days).toBe(30);
    const listed = (await callerFor(a.host, a.users.owner).apiKey.list()).find((k) => k.id === readKey.id);
    expect(listed?.status).toBe("active");
    expect(listed?.expiresAt).toBeInstanceOf(Date);
  });

  it("a write scope brings its read scope", async () => {
    const key = await callerFor(a.host, a.users.owner).apiKey.create({ name: "Writer", scopes: ["invoices:write"], expiresInDays: 7 });
    expect(key.scopes).toEqual(["invoices:read", "invoices:write"]);
  });

  it("refuses roles, unknown or no scopes and expiries off the list, with field errors", async () => {
    const create = (input: unknown) =>
      handleHttp(
        new Request(`http://${a.host}/api/trpc/apiKey.create`, { method: "POST", headers: { host: a.host, "content-type": "application/json" }, body: JSON.stringify({ json: input }) }),
        a,
      ).then(async (res) => ({ status: res.status, body: (await res.json()) as { error?: { json: { data: { fieldErrors: Record<string, string[]> | null } } } } }));
    const base = { name: "x", scopes: ["projects:read"], expiresInDays: 30 };
    const cases: [unknown, string][] = [
      [{ ...base, scopes: [] }, "scopes"],
      [{ ...base, scopes: ["admin"] }, "scopes"],
      [{ ...base, scopes: ["members:write"] }, "scopes"],
      [{ ...base, expiresInDays: 36500 }, "expiresInDays"],
      [{ ...base, expiresInDays: -1 }, "expiresInDays"],
      [{ name: "x", scopes: ["projects:read"] }, "expiresInDays"],
    ];
    for (const [input, field] of cases) {
      const res = await create(input);
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body.error?.json.data.fieldErrors?.[field]?.length, JSON.stringify(input)).toBeGreaterThan(0);
    }
    // A role is no longer a thing a key can have.
    expect((await create({ ...base, role: "admin" })).status).toBe(400);
  });

  it("the scope list is the database's check constraint", async () => {
    const [row] = await asOwnerInTenant(a.id, (tx) => tx<{ def: string }[]>`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'api_keys_scopes_check'`);
    const inDb = [...(row?.def ?? "").matchAll(/'([a-z]+:[a-z]+)'/g)].map((m) => m[1]);
    expect(inDb.sort()).toEqual([...apiKeyScopes].sort());
  });
});

describe("Bearer authentication through /api/trpc", () => {
  it("reaches the tenant's procedures with the key's scopes, on the same RLS path", async () => {
    const res = await call(a.host, "project.list", { key: readKey.token, input: { limit: 100 } });
    expect(res.status).toBe(200);
    const items = (res.data as { items: { tenantId: string }[] }).items;
    expect(items.length).toBeGreaterThan(0);
    for (const row of items) expect(row.tenantId).toBe(a.id);
    expect((await call(a.host, "tenant.current", { key: readKey.token })).data).toMatchObject({ id: a.id, role: null, scopes: ["projects:read", "invoices:read"] });
  });

  it("a read-only key cannot write; a read-write key can", async () => {
    for (const [path, input] of [
      ["project.create", { name: "by read key" }],
      ["project.update", { id: a.projectIds[0], name: "renamed by read key" }],
      ["project.archive", { id: a.projectIds[1] }],
      ["invoice.send", { id: a.invoiceIds[0] }],
      ["invoice.void", { id: a.invoiceIds[0] }],
    ] as const) {
      expect((await call(a.host, path, { key: readKey.token, input, mutation: true })).code, path).toBe("FORBIDDEN");
    }
    const ok = await call(a.host, "project.create", { key: fullKey.token, input: { name: "by full key" }, mutation: true });
    expect(ok.status).toBe(200);
  });

  it("a projects-only key cannot touch invoices, and no key deletes a project", async () => {
    const key = await callerFor(a.host, a.users.owner).apiKey.create({ name: "Projects", scopes: ["projects:write"], expiresInDays: 7 });
    expect((await call(a.host, "invoice.list", { key: key.token, input: {} })).code).toBe("FORBIDDEN");
    expect((await call(a.host, "project.list", { key: key.token, input: {} })).status).toBe(200);
    const { id } = await callerFor(a.host, a.users.owner).project.create({ name: "Not for keys to delete" });
    expect((await call(a.host, "project.delete", { key: fullKey.token, input: { id }, mutation: true })).code).toBe("FORBIDDEN");
  });

  it("attributes audit entries to the key, not to a user", async () => {
    const res = await call(a.host, "project.create", { key: fullKey.token, input: { name: "audited" }, mutation: true });
    const id = (res.data as { id: string }).id;
    const [entry] = await withTenant(appDb(), { tenantId: a.id }, (tx) =>
      tx.select().from(auditLog).where(and(eq(auditLog.tenantId, a.id), eq(auditLog.entityId, id))),
    );
    expect(entry).toMatchObject({ action: "project.create", actorUserId: null, actorApiKeyId: fullKey.id });
    // A session's entries carry no key, even on a pooled connection a key used before.
    const mine = await callerFor(a.host, a.users.owner).project.create({ name: "by a person" });
    const [personal] = await withTenant(appDb(), { tenantId: a.id }, (tx) => tx.select().from(auditLog).where(eq(auditLog.entityId, mine.id)));
    expect(personal).toMatchObject({ actorUserId: a.users.owner.id, actorApiKeyId: null });
  });

  it("records last use at most once a minute", async () => {
    await call(a.host, "tenant.current", { key: readKey.token });
    const read = () =>
      withTenant(appDb(), { tenantId: a.id }, async (tx) => (await tx.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, readKey.id)))[0]?.at);
    const first = await read();
    expect(first).toBeInstanceOf(Date);
    await call(a.host, "tenant.current", { key: readKey.token });
    expect(await read()).toEqual(first);
    await withTenant(appDb(), { tenantId: a.id }, (tx) =>
      tx.update(apiKeys).set({ lastUsedAt: sql`now() - interval '2 minutes'` }).where(and(eq(apiKeys.tenantId, a.id), eq(apiKeys.id, readKey.id))),
    );
    await call(a.host, "tenant.current", { key: readKey.token });
    expect((await read())!.getTime()).toBeGreaterThan(first!.getTime());
  });

  it("a key of tenant A is UNAUTHORIZED at tenant B, and changes nothing there", async () => {
    const before = await tenantFingerprint(appDb(), b.id);
    expect((await call(b.host, "project.list", { key: fullKey.token, input: {} })).code).toBe("UNAUTHORIZED");
    expect((await call(b.host, "project.create", { key: fullKey.token, input: { name: "x" }, mutation: true })).code).toBe("UNAUTHORIZED");
    expect((await call(b.domain, "project.list", { key: fullKey.token, input: {} })).code).toBe("UNAUTHORIZED");
    expect(await tenantFingerprint(appDb(), b.id)).toBe(before);
  });

  it("an unknown or malformed key is UNAUTHORIZED", async () => {
    expect((await call(a.host, "project.list", { key: `cnp_${"A".repeat(43)}`, input: {} })).code).toBe("UNAUTHORIZED");
    expect((await call(a.host, "project.list", { key: "not-a-key", input: {} })).code).toBe("UNAUTHORIZED");
  });

  it("does not reach session-only procedures", async () => {
    expect((await call(a.host, "me.workspaces", { key: fullKey.token })).code).toBe("UNAUTHORIZED");
    expect((await call(a.host, "invitation.preview", { key: fullKey.token, input: { token: "x".repeat(43) } })).code).toBe("UNAUTHORIZED");
  });

  it("with a Bearer header, the cookie is ignored", async () => {
    // A garbage cookie next to a valid key: the key decides. A bad key next to any cookie: refused.
    expect((await call(a.host, "tenant.current", { key: readKey.token, cookie: "canopy.session-token=whatever" })).data).toMatchObject({ role: null });
    expect((await call(a.host, "tenant.current", { key: "cnp_bad", cookie: "canopy.session-token=whatever" })).code).toBe("UNAUTHORIZED");
  });
});

describe("no key manages members, invitations, keys or domains, or reads mail or the audit log", () => {
  // Hand-picked from the issue, so they stay named even if the permission table were edited; the
  // generated matrix in permissions.test.ts walks every procedure.
  const personOnly: [string, (t: TenantFixture, victim: UserFixture, pending: { id: string }) => unknown][] = [
    ["member.list", () => undefined],
    ["member.invitations", () => undefined],
    ["member.invite", () => ({ email: `mallory-${crypto.randomUUID().slice(0, 8)}@example.test`, role: "admin" })],
    ["member.resendInvitation", (_t, _v, p) => ({ id: p.id })],
    ["member.revokeInvitation", (_t, _v, p) => ({ id: p.id })],
    ["member.updateRole", (_t, v) => ({ userId: v.id, role: "admin" })],
    ["member.remove", (_t, v) => ({ userId: v.id })],
    ["apiKey.list", () => undefined],
    ["apiKey.create", () => ({ name: "persistence", scopes: [...apiKeyScopes], expiresInDays: null })],
    ["apiKey.revoke", () => ({ id: readKey.id })],
    ["domain.list", () => undefined],
    ["domain.add", () => ({ domain: `key-${crypto.randomUUID().slice(0, 8)}.example.test` })],
    ["domain.verify", () => ({ id: crypto.randomUUID() })],
    ["domain.remove", () => ({ id: crypto.randomUUID() })],
    ["audit.list", () => ({ limit: 10 })],
    ["tenant.settings.get", () => undefined],
    ["tenant.settings.update", () => ({ legalName: "Key Corp", postalAddress: null, taxId: null, invoicePrefix: "KEY-", defaultCurrency: "USD", paymentTermsDays: 7 })],
    ["tenant.settings.setLogo", async () => ({ image: base64(await pngBytes()) })],
    ["tenant.settings.removeLogo", () => undefined],
    // Who may enter the workspace and how: single sign-on and the two-factor requirement.
    ["sso.get", () => undefined],
    ["sso.save", () => ({ issuer: "https://login.example.test", clientId: "key", clientSecret: "key-secret", defaultRole: "admin" })],
    ["sso.test", () => undefined],
    ["sso.remove", () => undefined],
    ["sso.setRequired", () => ({ required: false })],
    ["sso.addDomain", () => ({ domain: `key-sso-${crypto.randomUUID().slice(0, 8)}.example.test` })],
    ["sso.verifyDomain", () => ({ id: crypto.randomUUID() })],
    ["sso.removeDomain", () => ({ id: crypto.randomUUID() })],
    ["tenant.security.get", () => undefined],
    ["tenant.security.setMfaRequired", () => ({ required: true })],
  ];
  const queries = new Set(Object.entries((appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures).filter(([, p]) => p._def.type === "query").map(([path]) => path));

  it("covers every procedure behind a person-only permission", () => {
    const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, { _def: { meta?: { permission?: string } } }> }).procedures);
    const guarded = procedures.filter(([, p]) => (personOnlyPermissions as readonly string[]).includes(p._def.meta?.permission ?? "")).map(([path]) => path);
    expect(guarded.sort()).toEqual(personOnly.map(([path]) => path).sort());
  });

  for (const which of ["read-only", "all scopes"] as const) {
    it(`a key with ${which} gets FORBIDDEN from each, and the tenant is unchanged`, async () => {
      const key = which === "read-only" ? readKey : fullKey;
      const victim = await addMember(a, "viewer");
      const pending = await callerFor(a.host, a.users.owner).member.invite({ email: `pending-${crypto.randomUUID().slice(0, 8)}@example.test`, role: "member" });
      await settleAfterCommit();
      // Records last use now, so the fingerprint below compares only what the refused calls might change.
      await call(a.host, "tenant.current", { key: key.token });
      const before = await tenantFingerprint(appDb(), a.id);
      for (const [path, input] of personOnly) {
        const res = await call(a.host, path, { key: key.token, input: await input(a, victim, pending), mutation: !queries.has(path) });
        expect(`${path}: ${res.code}`).toBe(`${path}: FORBIDDEN`);
      }
      expect(await tenantFingerprint(appDb(), a.id)).toBe(before);
    });
  }
});

describe("expiry", () => {
  it("an expired key is refused with the same answer as an unknown one, and listed as expired", async () => {
    const owner = callerFor(a.host, a.users.owner);
    const key = await owner.apiKey.create({ name: "Soon gone", scopes: ["projects:read"], expiresInDays: 7 });
    expect((await call(a.host, "project.list", { key: key.token, input: {} })).status).toBe(200);
    // Time moves on: set as the owner role, as no app path can.
    await asOwnerInTenant(a.id, (tx) => tx`update api_keys set expires_at = now() - interval '1 second' where tenant_id = ${a.id} and id = ${key.id}`);
    const expired = await call(a.host, "project.list", { key: key.token, input: {} });
    const unknown = await call(a.host, "project.list", { key: `cnp_${"B".repeat(43)}`, input: {} });
    expect(expired).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(expired.message).toBe(unknown.message);
    expect((await owner.apiKey.list()).find((k) => k.id === key.id)).toMatchObject({ status: "expired", revokedAt: null });
  });
});

describe("revocation", () => {
  it("a revoked key is refused on its very next request, with the unknown key's answer", async () => {
    const owner = callerFor(a.host, a.users.owner);
    const key = await owner.apiKey.create({ name: "short-lived", scopes: ["projects:read"], expiresInDays: 7 });
    expect((await call(a.host, "project.list", { key: key.token, input: {} })).status).toBe(200);
    const revoked = await owner.apiKey.revoke({ id: key.id });
    expect(revoked).toMatchObject({ status: "revoked", ended: { apiKeys: 0, invitations: 0, members: 0 } });
    const res = await call(a.host, "project.list", { key: key.token, input: {} });
    expect(res.code).toBe("UNAUTHORIZED");
    expect(res.message).toBe((await call(a.host, "project.list", { key: `cnp_${"C".repeat(43)}`, input: {} })).message);
    expect((await owner.apiKey.list()).find((k) => k.id === key.id)?.revokedAt).toBeInstanceOf(Date);
    await expect(owner.apiKey.revoke({ id: key.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  /**
   * What an admin key could do before keys had scopes, written as it was then: an invitation with
   * the key as its author in the audit log (and, if `column`, in invited_by_api_key_id too).
   */
  async function keyInvitation(t: TenantFixture, keyId: string, role: "admin" | "member", opts: { column: boolean }) {
    const email = `key-invitee-${crypto.randomUUID().slice(0, 8)}@example.test`;
    return withTenant(appDb(), { tenantId: t.id }, async (tx) => {
      await tx.execute(sql`select set_config('app.api_key_id', ${keyId}, true)`);
      const [row] = await tx
        .insert(invitations)
        .values({ tenantId: t.id, email, role, tokenHash: sha256Hex(newSecret()), invitedByApiKeyId: opts.column ? keyId : null, expiresAt: sql`now() + interval '7 days'` })
        .returning({ id: invitations.id, email: invitations.email });
      await tx.insert(auditLog).values({ tenantId: t.id, actorApiKeyId: keyId, action: "invitation.create", entityType: "invitation", entityId: row!.id, after: { email, role } });
      return row!;
    });
  }

  /** Accepting, as invitation.accept records it: the invitation names who accepted, and they are a member. */
  async function accept(t: TenantFixture, invitation: { id: string }, role: "admin" | "member"): Promise<UserFixture> {
    const user = await addMember(t, role);
    await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.update(invitations).set({ acceptedAt: new Date(), acceptedBy: user.id }).where(and(eq(invitations.tenantId, t.id), eq(invitations.id, invitation.id))),
    );
    return user;
  }

  const membershipOf = (t: TenantFixture, userId: string) =>
    withTenant(appDb(), { tenantId: t.id }, async (tx) => (await tx.select().from(memberships).where(and(eq(memberships.tenantId, t.id), eq(memberships.userId, userId))))[0] ?? null);

  it("ends everything the key started: its invitations, the people who joined through them, and what they made", async () => {
    const t = await createTenant();
    const owner = callerFor(t.host, t.users.owner);
    const key = await owner.apiKey.create({ name: "Leaked", scopes: [...apiKeyScopes], expiresInDays: null });
    const bystanderKey = await owner.apiKey.create({ name: "Innocent", scopes: ["projects:read"], expiresInDays: null });
    const humanInvite = await owner.member.invite({ email: `colleague-${crypto.randomUUID().slice(0, 8)}@example.test`, role: "member" });
    // The issue's chain: the key invites an admin, the attacker accepts (the link was in the outbox the
    // key could read), and the new admin mints a key and invites more.
    const joinedInvite = await keyInvitation(t, key.id, "admin", { column: true });
    const pendingByColumn = await keyInvitation(t, key.id, "member", { column: true });
    const pendingByLogOnly = await keyInvitation(t, key.id, "member", { column: false });
    const mallory = await accept(t, joinedInvite, "admin");
    const asMallory = callerFor(t.host, mallory);
    const mintedKey = await asMallory.apiKey.create({ name: "Backdoor", scopes: [...apiKeyScopes], expiresInDays: null });
    const malloryInvite = await asMallory.member.invite({ email: `mallory2-${crypto.randomUUID().slice(0, 8)}@example.test`, role: "admin" });
    await settleAfterCommit();
    expect((await call(t.host, "project.list", { key: mintedKey.token, input: {} })).status).toBe(200);

    const revoked = await callerFor(t.host, t.users.admin).apiKey.revoke({ id: key.id });
    expect(revoked.ended).toEqual({ apiKeys: 1, invitations: 3, members: 1 });

    expect(await membershipOf(t, mallory.id)).toBeNull();
    expect(await codeOf(asMallory.project.list({}))).toBe("FORBIDDEN");
    expect((await call(t.host, "project.list", { key: mintedKey.token, input: {} })).code).toBe("UNAUTHORIZED");
    expect((await call(t.host, "project.list", { key: bystanderKey.token, input: {} })).status).toBe(200);
    const pending = (await owner.member.invitations()).map((i) => i.id);
    expect(pending).toContain(humanInvite.id);
    for (const gone of [pendingByColumn.id, pendingByLogOnly.id, malloryInvite.id]) expect(pending).not.toContain(gone);
    for (const role of ["owner", "admin", "member", "viewer"] as const) expect(await membershipOf(t, t.users[role].id)).not.toBeNull();

    const entries = await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx
        .select({ action: auditLog.action, entityId: auditLog.entityId, actorUserId: auditLog.actorUserId, after: auditLog.after })
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, t.id), inArray(auditLog.action, ["apiKey.revoke", "invitation.revoke", "member.remove"]))),
    );
    const caused = { endedByRevokingApiKey: key.id };
    expect(entries).toEqual(
      expect.arrayContaining([
        { action: "apiKey.revoke", entityId: key.id, actorUserId: t.users.admin.id, after: null },
        { action: "apiKey.revoke", entityId: mintedKey.id, actorUserId: t.users.admin.id, after: caused },
        { action: "invitation.revoke", entityId: pendingByColumn.id, actorUserId: t.users.admin.id, after: caused },
        { action: "invitation.revoke", entityId: pendingByLogOnly.id, actorUserId: t.users.admin.id, after: caused },
        { action: "invitation.revoke", entityId: malloryInvite.id, actorUserId: t.users.admin.id, after: caused },
        { action: "member.remove", entityId: mallory.id, actorUserId: t.users.admin.id, after: caused },
      ]),
    );
    expect(entries).toHaveLength(6);
  });

  it("never removes the last owner, and writes down the membership it kept", async () => {
    const t = await createTenant();
    const owner = callerFor(t.host, t.users.owner);
    const key = await owner.apiKey.create({ name: "Old admin key", scopes: [...apiKeyScopes], expiresInDays: null });
    const invite = await keyInvitation(t, key.id, "admin", { column: false });
    const joined = await accept(t, invite, "admin");
    // Promoted since, and the original owner stepped down: the key's invitee is now the only owner.
    await owner.member.updateRole({ userId: joined.id, role: "owner" });
    await callerFor(t.host, joined).member.updateRole({ userId: t.users.owner.id, role: "admin" });

    const revoked = await callerFor(t.host, t.users.owner).apiKey.revoke({ id: key.id });
    expect(revoked.ended).toEqual({ apiKeys: 0, invitations: 0, members: 0 });
    expect(await membershipOf(t, joined.id)).toMatchObject({ role: "owner" });
    const [kept] = await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.select().from(auditLog).where(and(eq(auditLog.tenantId, t.id), eq(auditLog.action, "member.removeSkipped"))),
    );
    expect(kept).toMatchObject({ entityId: joined.id, after: { role: "owner", reason: "the last owner", endedByRevokingApiKey: key.id } });
  });
});

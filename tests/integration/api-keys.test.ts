import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "@/db/schema/accounts";
import { auditLog } from "@/db/schema/audit";
import { withTenant } from "@/db/tenant-transaction";
import { settleAfterCommit } from "@/server/after-commit";
import { appDb, callerFor, closeDb, createTenant, handleRequest, tenantFingerprint, type TenantFixture } from "../support/fixtures";

type TrpcResponse = { status: number; code: string | null; data: unknown };

/** One call through the real HTTP adapter, with the context built by createContext from these headers. */
async function call(host: string, path: string, opts: { key?: string; cookie?: string; input?: unknown; mutation?: boolean } = {}): Promise<TrpcResponse> {
  const headers: Record<string, string> = { host, "content-type": "application/json" };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  const payload = JSON.stringify({ json: opts.input ?? null });
  const url = `http://${host}/api/trpc/${path}${opts.mutation ? "" : `?input=${encodeURIComponent(payload)}`}`;
  const res = await handleRequest(new Request(url, { method: opts.mutation ? "POST" : "GET", headers, body: opts.mutation ? payload : undefined }));
  const body = (await res.json()) as { result?: { data: { json: unknown } }; error?: { json: { data: { code: string } } } };
  return { status: res.status, code: body.error?.json.data.code ?? null, data: body.result?.data.json };
}

let a: TenantFixture;
let b: TenantFixture;
let adminKey: { id: string; token: string; prefix: string };
let viewerKey: { id: string; token: string };
beforeAll(async () => {
  a = await createTenant();
  b = await createTenant();
  const owner = callerFor(a.host, a.users.owner);
  adminKey = await owner.apiKey.create({ name: "CI", role: "admin" });
  viewerKey = await owner.apiKey.create({ name: "Dashboard", role: "viewer" });
});
afterAll(async () => {
  await settleAfterCommit();
  await closeDb();
});

describe("creating and listing keys", () => {
  it("shows the key once: cnp_ + 32 random bytes, stored as SHA-256 with a 12-character prefix", async () => {
    expect(adminKey.token).toMatch(/^cnp_[A-Za-z0-9_-]{43}$/);
    expect(adminKey.prefix).toBe(adminKey.token.slice(0, 12));
    const list = await callerFor(a.host, a.users.admin).apiKey.list();
    expect(JSON.stringify(list)).not.toContain(adminKey.token);
    expect(list.find((k) => k.id === adminKey.id)).toMatchObject({ name: "CI", role: "admin", prefix: adminKey.prefix, revokedAt: null });
    const rows = await withTenant(appDb(), { tenantId: a.id }, (tx) => tx.select().from(apiKeys).where(eq(apiKeys.id, adminKey.id)));
    expect(rows[0]?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(adminKey.token.slice(12));
  });

  it("never issues an owner key", async () => {
    await expect(callerFor(a.host, a.users.owner).apiKey.create({ name: "x", role: "owner" as "admin" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("Bearer authentication through /api/trpc", () => {
  it("reaches the tenant's procedures with the key's role, on the same RLS path", async () => {
    const res = await call(a.host, "project.list", { key: viewerKey.token, input: { limit: 100 } });
    expect(res.status).toBe(200);
    const items = (res.data as { items: { tenantId: string }[] }).items;
    expect(items.length).toBeGreaterThan(0);
    for (const row of items) expect(row.tenantId).toBe(a.id);
    expect((await call(a.host, "tenant.current", { key: viewerKey.token })).data).toMatchObject({ id: a.id, role: "viewer" });
  });

  it("applies the permission table to the key's role", async () => {
    const res = await call(a.host, "project.create", { key: viewerKey.token, input: { name: "by viewer key" }, mutation: true });
    expect(res.code).toBe("FORBIDDEN");
    const ok = await call(a.host, "project.create", { key: adminKey.token, input: { name: "by admin key" }, mutation: true });
    expect(ok.status).toBe(200);
  });

  it("attributes audit entries to the key, not to a user", async () => {
    const res = await call(a.host, "project.create", { key: adminKey.token, input: { name: "audited" }, mutation: true });
    const id = (res.data as { id: string }).id;
    const [entry] = await withTenant(appDb(), { tenantId: a.id }, (tx) =>
      tx.select().from(auditLog).where(and(eq(auditLog.tenantId, a.id), eq(auditLog.entityId, id))),
    );
    expect(entry).toMatchObject({ action: "project.create", actorUserId: null, actorApiKeyId: adminKey.id });
    // A session's entries carry no key, even on a pooled connection a key used before.
    const mine = await callerFor(a.host, a.users.owner).project.create({ name: "by a person" });
    const [personal] = await withTenant(appDb(), { tenantId: a.id }, (tx) => tx.select().from(auditLog).where(eq(auditLog.entityId, mine.id)));
    expect(personal).toMatchObject({ actorUserId: a.users.owner.id, actorApiKeyId: null });
  });

  it("records last use at most once a minute", async () => {
    await call(a.host, "tenant.current", { key: viewerKey.token });
    const read = () =>
      withTenant(appDb(), { tenantId: a.id }, async (tx) => (await tx.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, viewerKey.id)))[0]?.at);
    const first = await read();
    expect(first).toBeInstanceOf(Date);
    await call(a.host, "tenant.current", { key: viewerKey.token });
    expect(await read()).toEqual(first);
    await withTenant(appDb(), { tenantId: a.id }, (tx) =>
      tx.update(apiKeys).set({ lastUsedAt: sql`now() - interval '2 minutes'` }).where(and(eq(apiKeys.tenantId, a.id), eq(apiKeys.id, viewerKey.id))),
    );
    await call(a.host, "tenant.current", { key: viewerKey.token });
    expect((await read())!.getTime()).toBeGreaterThan(first!.getTime());
  });

  it("a key of tenant A is UNAUTHORIZED at tenant B, and changes nothing there", async () => {
    const before = await tenantFingerprint(appDb(), b.id);
    expect((await call(b.host, "project.list", { key: adminKey.token, input: {} })).code).toBe("UNAUTHORIZED");
    expect((await call(b.host, "project.create", { key: adminKey.token, input: { name: "x" }, mutation: true })).code).toBe("UNAUTHORIZED");
    expect((await call(b.domain, "project.list", { key: adminKey.token, input: {} })).code).toBe("UNAUTHORIZED");
    expect(await tenantFingerprint(appDb(), b.id)).toBe(before);
  });

  it("an unknown or malformed key is UNAUTHORIZED", async () => {
    expect((await call(a.host, "project.list", { key: `cnp_${"A".repeat(43)}`, input: {} })).code).toBe("UNAUTHORIZED");
    expect((await call(a.host, "project.list", { key: "not-a-key", input: {} })).code).toBe("UNAUTHORIZED");
  });

  it("does not reach session-only procedures", async () => {
    expect((await call(a.host, "me.workspaces", { key: adminKey.token })).code).toBe("UNAUTHORIZED");
    expect((await call(a.host, "invitation.preview", { key: adminKey.token, input: { token: "x".repeat(43) } })).code).toBe("UNAUTHORIZED");
  });

  it("cannot mint more keys, so a leaked key cannot outlive its revocation", async () => {
    const res = await call(a.host, "apiKey.create", { key: adminKey.token, input: { name: "persistence", role: "admin" }, mutation: true });
    expect(res.code).toBe("FORBIDDEN");
  });

  it("with a Bearer header, the cookie is ignored", async () => {
    // A garbage cookie next to a valid key: the key decides. A bad key next to any cookie: refused.
    expect((await call(a.host, "tenant.current", { key: viewerKey.token, cookie: "canopy.session-token=whatever" })).data).toMatchObject({ role: "viewer" });
    expect((await call(a.host, "tenant.current", { key: "cnp_bad", cookie: "canopy.session-token=whatever" })).code).toBe("UNAUTHORIZED");
  });

  it("a revoked key is refused on its very next request", async () => {
    const owner = callerFor(a.host, a.users.owner);
    const key = await owner.apiKey.create({ name: "short-lived", role: "member" });
    expect((await call(a.host, "project.list", { key: key.token, input: {} })).status).toBe(200);
    await owner.apiKey.revoke({ id: key.id });
    expect((await call(a.host, "project.list", { key: key.token, input: {} })).code).toBe("UNAUTHORIZED");
    expect((await owner.apiKey.list()).find((k) => k.id === key.id)?.revokedAt).toBeInstanceOf(Date);
    await expect(owner.apiKey.revoke({ id: key.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

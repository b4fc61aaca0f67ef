import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/db/client";
import { withTenant } from "@/db/tenant-transaction";
import { env } from "@/lib/env";
import { clearDirectoryCache, resolveTenant } from "@/server/tenancy/directory";
import { reverifyDomains } from "@/server/modules/domain/reverify-domains";
import { tlsCertificateAllowed } from "@/server/modules/domain/tls-ask";
import { classifyHost } from "@/lib/host";
import { startTestDns, type TestDns } from "../support/dns-server";
import { appDb, callerFor, closeDb, createTenant, onCustomHost, ROOT, type TenantFixture } from "../support/fixtures";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? `${e.code}: ${e.message}` : `non-tRPC error: ${String(e)}`;
  }
}

const rand = () => Math.random().toString(36).slice(2, 8);
let dns: TestDns;
let a: TenantFixture;
let b: TenantFixture;
const asA = () => callerFor(a.host, a.users.owner);
const asB = () => callerFor(b.host, b.users.owner);
const target = `cname.${ROOT}`;

/** Publishes the records Canopy asked for, as the tenant would at their DNS provider. */
function publish(records: { type: string; name: string; value: string }[]) {
  for (const r of records) {
    if (r.type === "TXT") dns.set(r.name, { txt: [r.value] });
    else dns.set(r.name, { cname: r.value });
  }
}

beforeAll(async () => {
  dns = await startTestDns();
  // Read by env() on its first call in this worker (the domain code calls it lazily).
  process.env.DNS_SERVERS = dns.server;
  expect(env().DNS_SERVERS).toEqual([dns.server]);
  a = await createTenant(appDb(), { projects: 1, invoices: 0 });
  b = await createTenant(appDb(), { projects: 1, invoices: 0 });
});
afterAll(async () => {
  await dns.close();
  await closeDb();
});

const routes = async (domain: string) => {
  clearDirectoryCache();
  return (await resolveTenant(appDb(), classifyHost(domain, ROOT)))?.id ?? null;
};

describe("adding a domain", () => {
  it("normalises the host and shows the records to create", async () => {
    const added = await asA().domain.add({ domain: ` Shop-${rand()}.Example.TEST. ` });
    expect(added.domain).toMatch(/^shop-[a-z0-9]+\.example\.test$/);
    expect(added.status).toBe("pending");
    expect(added.records.map((r) => [r.type, r.name])).toEqual([
      ["TXT", `_canopy-challenge.${added.domain}`],
      ["CNAME", added.domain],
    ]);
    expect(added.records[0]!.value).toMatch(/^[0-9a-f]{32}$/);
    expect(added.records[1]!.value).toBe(target);
    const idn = await asA().domain.add({ domain: `bücher-${rand()}.example.test` });
    expect(idn.domain).toMatch(/^xn--bcher-.*\.example\.test$/);
  });

  it("refuses Canopy's own names, malformed input and duplicates", async () => {
    expect(await codeOf(asA().domain.add({ domain: ROOT }))).toMatch(/^BAD_REQUEST/);
    expect(await codeOf(asA().domain.add({ domain: `evil.${ROOT}` }))).toMatch(/^BAD_REQUEST/);
    expect(await codeOf(asA().domain.add({ domain: "not a domain" }))).toMatch(/^BAD_REQUEST/);
    expect(await codeOf(asA().domain.add({ domain: "10.0.0.1" }))).toMatch(/^BAD_REQUEST/);
    expect(await codeOf(asA().domain.add({ domain: "localhost" }))).toMatch(/^BAD_REQUEST/);
    const domain = `dup-${rand()}.example.test`;
    await asA().domain.add({ domain });
    expect(await codeOf(asA().domain.add({ domain: domain.toUpperCase() }))).toMatch(/^CONFLICT/);
  });

  it("a member (not owner or admin) cannot manage domains", async () => {
    expect(await codeOf(callerFor(a.host, a.users.member).domain.list())).toMatch(/^FORBIDDEN/);
  });
});

describe("verification over DNS", () => {
  it("fails without the records, succeeds with them, and only then routes", async () => {
    const added = await asA().domain.add({ domain: `shop-${rand()}.example.test` });
    const failed = await asA().domain.verify({ id: added.id });
    expect(failed.verified).toBe(false);
    expect(failed.problems).toHaveLength(2);
    expect(await routes(added.domain)).toBeNull();
    expect(await tlsCertificateAllowed(appDb(), added.domain)).toBe(false);

    // The TXT alone is not enough: traffic must reach Canopy too.
    publish(added.records.filter((r) => r.type === "TXT"));
    expect((await asA().domain.verify({ id: added.id })).problems).toEqual([`CNAME ${added.domain} does not point to ${target}`]);
    dns.set(added.domain, { cname: "elsewhere.example.net" });
    expect((await asA().domain.verify({ id: added.id })).verified).toBe(false);

    publish(added.records);
    const ok = await asA().domain.verify({ id: added.id });
    expect(ok.verified).toBe(true);
    expect(ok.domain.status).toBe("verified");
    expect(await routes(added.domain)).toBe(a.id);
    expect(await tlsCertificateAllowed(appDb(), added.domain.toUpperCase() + ".")).toBe(true);
    const current = await callerFor(added.domain, await onCustomHost(a.users.member, added.domain)).tenant.current();
    expect(current.id).toBe(a.id);
  });

  it("a domain verified by one tenant cannot be claimed by another", async () => {
    const domain = `contested-${rand()}.example.test`;
    // Unverified claims do not block anyone: both may add it; the first to verify wins.
    const byA = await asA().domain.add({ domain });
    const byB = await asB().domain.add({ domain });
    publish(byA.records);
    expect((await asA().domain.verify({ id: byA.id })).verified).toBe(true);
    // B publishes its own token too: DNS would pass, the verified-domain unique index still refuses.
    dns.set(`_canopy-challenge.${domain}`, { txt: [byA.records[0]!.value, byB.records[0]!.value] });
    expect(await codeOf(asB().domain.verify({ id: byB.id }))).toBe("CONFLICT: This domain is already in use by another workspace");
    expect(await codeOf(asB().domain.add({ domain: `other-${rand()}.example.test` }))).toBe("OK");
    await asB().domain.remove({ id: byB.id });
    expect(await codeOf(asB().domain.add({ domain }))).toBe("CONFLICT: This domain is already in use by another workspace");
    expect(await routes(domain)).toBe(a.id);
  });

  it("removing a verified domain stops routing at once", async () => {
    const added = await asA().domain.add({ domain: `gone-${rand()}.example.test` });
    publish(added.records);
    await asA().domain.verify({ id: added.id });
    expect(await routes(added.domain)).toBe(a.id);
    await asA().domain.remove({ id: added.id });
    expect(await resolveTenant(appDb(), classifyHost(added.domain, ROOT))).toBeNull();
  });
});

describe("verification holds no transaction while DNS answers", () => {
  /** Starts `verify` on a pool of its own (one connection, named) with DNS answering slowly; resolves once DNS has been asked. */
  async function slowVerify(domain: { id: string; domain: string }, delayMs = 1000) {
    const name = `verify-${rand()}`;
    const solo = createDatabase(process.env.DATABASE_URL!, { max: 1, driver: { connection: { application_name: name } } });
    dns.setDelay(delayMs);
    const asked = dns.nextQuery(`_canopy-challenge.${domain.domain}`);
    const result = codeOf(callerFor(a.host, a.users.owner, solo.db).domain.verify({ id: domain.id })).finally(async () => {
      dns.setDelay(0);
      await solo.client.end();
    });
    await asked;
    return { name, result };
  }
  const lockNowait = (id: string) =>
    codeOf(withTenant(appDb(), { tenantId: a.id }, (tx) => tx.execute(sql`select id from tenant_domains where tenant_id = ${a.id} and id = ${id} for update nowait`)));
  const verifyEntries = async (id: string) => {
    const rows = await withTenant(appDb(), { tenantId: a.id }, (tx) => tx.execute(sql`select 1 from audit_log where tenant_id = ${a.id} and entity_id = ${id} and action = 'domain.verify'`));
    return rows.length;
  };

  it("during the look-up the call's connection is idle and the row can be locked; then the result is written", async () => {
    const added = await asA().domain.add({ domain: `slow-${rand()}.example.test` });
    publish(added.records);
    const { name, result } = await slowVerify(added);
    const activity = await appDb().execute<{ state: string }>(sql`select state from pg_stat_activity where application_name = ${name}`);
    expect(activity.map((r) => r.state)).toEqual(["idle"]);
    expect(await lockNowait(added.id)).toBe("OK");
    expect(await result).toBe("OK");
    const mine = (await asA().domain.list()).find((d) => d.id === added.id)!;
    expect(mine.status).toBe("verified");
    expect(await routes(added.domain)).toBe(a.id);
    expect(await verifyEntries(added.id)).toBe(1);
  });

  it("a domain removed during the look-up is NOT_FOUND, never verified", async () => {
    const added = await asA().domain.add({ domain: `removed-${rand()}.example.test` });
    publish(added.records);
    const { result } = await slowVerify(added);
    await asA().domain.remove({ id: added.id });
    expect(await result).toBe("NOT_FOUND: Domain not found");
    expect(await routes(added.domain)).toBeNull();
    expect(await verifyEntries(added.id)).toBe(0);
  });

  it("a token changed during the look-up is not verified by the old token's records", async () => {
    const added = await asA().domain.add({ domain: `retoken-${rand()}.example.test` });
    publish(added.records);
    const { result } = await slowVerify(added);
    await withTenant(appDb(), { tenantId: a.id }, (tx) => tx.execute(sql`update tenant_domains set verification_token = md5(random()::text) where tenant_id = ${a.id} and id = ${added.id}`));
    expect(await result).toMatch(/^CONFLICT: The domain changed/);
    expect((await asA().domain.list()).find((d) => d.id === added.id)!.status).toBe("pending");
    expect(await routes(added.domain)).toBeNull();
  });

  it("two verifies at once both succeed and write one audit entry", async () => {
    const added = await asA().domain.add({ domain: `twice-${rand()}.example.test` });
    publish(added.records);
    const first = await slowVerify(added, 500);
    expect(await codeOf(asA().domain.verify({ id: added.id }))).toBe("OK");
    expect(await first.result).toBe("OK");
    expect(await verifyEntries(added.id)).toBe(1);
  });

  it("re-verification holds no row lock during its look-ups either", async () => {
    const t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    dns.setDelay(800);
    try {
      const asked = dns.nextQuery(`_canopy-challenge.${t.domain}`);
      const running = reverifyDomains(appDb(), { now: new Date(Date.now() + 1000 * 3_600_000), tenantId: t.id, graceHours: 72 });
      await asked;
      const locked = await codeOf(withTenant(appDb(), { tenantId: t.id }, (tx) => tx.execute(sql`select id from tenant_domains where tenant_id = ${t.id} for update nowait`)));
      expect(locked).toBe("OK");
      expect(await running).toMatchObject({ checked: 1, failing: 1 });
    } finally {
      dns.setDelay(0);
    }
  });
});

describe("re-verification", () => {
  it("flags a failing domain, disables it after the grace period, and a success clears both", async () => {
    const t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const owner = () => callerFor(t.host, t.users.owner);
    const added = await owner().domain.add({ domain: `lapsed-${rand()}.example.test` });
    publish(added.records);
    await owner().domain.verify({ id: added.id });
    // The fixture's own domain has no DNS records: it is the "failing" one alongside ours below.
    const start = new Date(Date.now() + 60_000);

    expect(await reverifyDomains(appDb(), { now: start, tenantId: t.id, graceHours: 72 })).toMatchObject({ ok: 1, failing: 1, disabled: 0 });
    dns.clear(added.domain);
    dns.clear(`_canopy-challenge.${added.domain}`);
    await reverifyDomains(appDb(), { now: new Date(start.getTime() + 3_600_000), tenantId: t.id, graceHours: 72 });
    let mine = (await owner().domain.list()).find((d) => d.id === added.id)!;
    expect(mine.status).toBe("failing");
    expect(mine.failingSince?.getTime()).toBe(start.getTime() + 3_600_000);
    expect(await routes(added.domain)).toBe(t.id);

    // Within the grace period: still routing, failing_since kept from the first failure.
    await reverifyDomains(appDb(), { now: new Date(start.getTime() + 50 * 3_600_000), tenantId: t.id, graceHours: 72 });
    mine = (await owner().domain.list()).find((d) => d.id === added.id)!;
    expect(mine.status).toBe("failing");
    expect(mine.failingSince?.getTime()).toBe(start.getTime() + 3_600_000);

    const late = await reverifyDomains(appDb(), { now: new Date(start.getTime() + 74 * 3_600_000), tenantId: t.id, graceHours: 72 });
    expect(late.disabled).toBe(2);
    mine = (await owner().domain.list()).find((d) => d.id === added.id)!;
    expect(mine.status).toBe("disabled");
    expect(await routes(added.domain)).toBeNull();
    expect(await tlsCertificateAllowed(appDb(), added.domain)).toBe(false);

    publish(added.records);
    const back = await reverifyDomains(appDb(), { now: new Date(start.getTime() + 75 * 3_600_000), tenantId: t.id, graceHours: 72 });
    expect(back.recovered).toBe(1);
    mine = (await owner().domain.list()).find((d) => d.id === added.id)!;
    expect(mine).toMatchObject({ status: "verified", failingSince: null, disabledAt: null });
    expect(await routes(added.domain)).toBe(t.id);
  });

  it("a resolver that does not answer changes nothing", async () => {
    const t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const { Resolver } = await import("node:dns/promises");
    const dead = new Resolver({ timeout: 200, tries: 1 });
    dead.setServers(["127.0.0.1:9"]);
    const summary = await reverifyDomains(appDb(), { now: new Date(Date.now() + 1000 * 3_600_000), tenantId: t.id, resolver: dead });
    expect(summary).toMatchObject({ checked: 1, inconclusive: 1, failing: 0, disabled: 0 });
    expect((await callerFor(t.host, t.users.owner).domain.list())[0]).toMatchObject({ status: "verified", failingSince: null });
  });
});

describe("the TLS ask endpoint's rule", () => {
  it("says no for Canopy's own names and unknown or malformed domains", async () => {
    for (const host of [ROOT, a.host, `admin.${ROOT}`, "unknown-domain.example.test", "", "a b", null]) {
      expect(await tlsCertificateAllowed(appDb(), host), String(host)).toBe(false);
    }
    expect(await tlsCertificateAllowed(appDb(), a.domain)).toBe(true);
  });
});

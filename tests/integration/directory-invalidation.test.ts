import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyHost } from "@/lib/host";
import { DirectoryCache, type TenantRef } from "@/server/tenancy/directory";
import { ADMIN_HOST, createPlatformAdmin } from "../support/admin";
import { appDb, callerFor, closeDb, createTenant, ROOT, type TenantFixture, type UserFixture } from "../support/fixtures";

/*
 * Two directory caches, each listening on a connection of its own, stand for two app servers.
 * A change made through the product's own paths (here, in this test process: neither cache is the
 * one those paths clear) must reach both within a second, long before the 5 s TTL would.
 */

let admin: UserFixture;
let t: TenantFixture;
const listeners: postgres.Sql[] = [];
const servers: DirectoryCache[] = [];

beforeAll(async () => {
  admin = await createPlatformAdmin();
  t = await createTenant();
  for (let i = 0; i < 2; i++) {
    const listener = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => undefined });
    const cache = new DirectoryCache();
    await cache.listen(listener);
    listeners.push(listener);
    servers.push(cache);
  }
});
afterAll(async () => {
  for (const listener of listeners) await listener.end();
  await closeDb();
});

const asAdmin = () => callerFor(ADMIN_HOST, admin);
const resolveOn = (server: DirectoryCache, host: string) => server.resolve(appDb(), classifyHost(host, ROOT));

/** Polls until `ok` holds or one second has passed; true if it held. */
async function withinOneSecond(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 1000;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
}

const everyServer = (host: string, ok: (tenant: TenantRef | null) => boolean) => () =>
  Promise.all(servers.map((server) => resolveOn(server, host))).then((answers) => answers.every(ok));

describe("cross-server directory invalidation", () => {
  it("a suspension stops every server serving the tenant within a second, and a reactivation lets it back", async () => {
    for (const server of servers) expect(await resolveOn(server, t.host)).toMatchObject({ id: t.id, status: "active" });
    await asAdmin().admin.tenants.suspend({ id: t.id });
    expect(await withinOneSecond(everyServer(t.host, (tenant) => tenant?.status === "suspended"))).toBe(true);
    await asAdmin().admin.tenants.reactivate({ id: t.id });
    expect(await withinOneSecond(everyServer(t.host, (tenant) => tenant?.status === "active"))).toBe(true);
  });

  it("a removed custom domain stops routing on every server within a second", async () => {
    for (const server of servers) expect(await resolveOn(server, t.domain)).toMatchObject({ id: t.id });
    const [domain] = (await callerFor(t.host, t.users.owner).domain.list()).filter((d) => d.domain === t.domain);
    await callerFor(t.host, t.users.owner).domain.remove({ id: domain!.id });
    expect(await withinOneSecond(everyServer(t.domain, (tenant) => tenant === null))).toBe(true);
  });

  it("without a notification the cached answer stands until its TTL: the listener is what makes it prompt", async () => {
    const deaf = new DirectoryCache();
    const other = await createTenant();
    expect(await resolveOn(deaf, other.host)).toMatchObject({ status: "active" });
    await asAdmin().admin.tenants.suspend({ id: other.id });
    expect(await withinOneSecond(everyServer(other.host, (tenant) => tenant?.status === "suspended"))).toBe(true);
    expect(await resolveOn(deaf, other.host)).toMatchObject({ status: "active" });
  });
});

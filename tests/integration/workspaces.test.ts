import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_HOST, createPlatformAdmin } from "../support/admin";
import { appDb, callerFor, closeDb, codeOf, createTenant, createUser, ROOT } from "../support/fixtures";

afterAll(closeDb);

const rand = () => Math.random().toString(36).slice(2, 8);

describe("self-serve workspaces", () => {
  it("creates the tenant with its owner in one go, then the address is taken", async () => {
    const user = await createUser(appDb(), "founder");
    const root = callerFor(ROOT, user);
    const slug = `ws-${rand()}`;
    expect(await root.account.slugAvailable({ slug })).toEqual({ available: true, reason: null });
    const created = await root.account.createWorkspace({ name: "My Team", slug });
    expect(created.slug).toBe(slug);
    expect(await callerFor(`${slug}.${ROOT}`, user).tenant.current()).toMatchObject({ slug, role: "owner" });
    expect(await root.account.slugAvailable({ slug })).toEqual({ available: false, reason: "That address is taken" });
    expect(await codeOf(root.account.createWorkspace({ name: "Again", slug }))).toBe("CONFLICT");
  });

  it("refuses reserved and malformed addresses with the reason", async () => {
    const root = callerFor(ROOT, await createUser(appDb(), "founder"));
    expect(await root.account.slugAvailable({ slug: "admin" })).toEqual({ available: false, reason: "That address is reserved" });
    expect((await root.account.slugAvailable({ slug: "xn--abc" })).available).toBe(false);
    expect(await codeOf(root.account.createWorkspace({ name: "Bad", slug: "-bad-" }))).toBe("BAD_REQUEST");
  });

  it("counts a soft-deleted tenant's address as taken until it is purged", async () => {
    const admin = await createPlatformAdmin();
    const tenant = await createTenant();
    await callerFor(ADMIN_HOST, admin).admin.tenants.delete({ id: tenant.id });
    const root = callerFor(ROOT, await createUser(appDb(), "founder"));
    expect(await root.account.slugAvailable({ slug: tenant.slug })).toEqual({ available: false, reason: "That address is taken" });
  });
});

import { eq } from "drizzle-orm";
import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userSessions } from "@/db/schema/accounts";
import { withUser } from "@/db/tenant-transaction";
import { authOptions } from "@/server/auth";
import { ADMIN_HOST, createPlatformAdmin } from "../support/admin";
import { appDb, callerFor, closeDb, codeOf, createTenant, ROOT, type TenantFixture, type UserFixture } from "../support/fixtures";

/** A password sign-in as next-auth runs it on `host`: the jwt callback creates the session row. */
async function signInOn(host: string, user: UserFixture): Promise<UserFixture> {
  const jwt = authOptions(host).callbacks!.jwt!;
  const token = (await jwt({ token: { sub: user.id }, user: { id: user.id, email: user.email, name: user.name }, account: null, trigger: "signIn" })) as JWT & { sid: string };
  return { ...user, sessionId: token.sid };
}

let t: TenantFixture;
let admin: UserFixture;
beforeAll(async () => {
  t = await createTenant(appDb(), { projects: 1, invoices: 0 });
  admin = await createPlatformAdmin();
});
afterAll(closeDb);

describe("a session is valid only where it was issued", () => {
  it("records the custom host for a sign-in on a custom domain, and the root family elsewhere", async () => {
    for (const [host, expected] of [
      [t.domain, t.domain],
      [t.host, null],
      [ROOT, null],
      [ADMIN_HOST, null],
    ] as const) {
      const s = await signInOn(host, t.users.owner);
      const [row] = await withUser(appDb(), s.id, (tx) => tx.select({ host: userSessions.host }).from(userSessions).where(eq(userSessions.id, s.sessionId)));
      expect(row?.host, host).toBe(expected);
    }
  });

  it("a platform admin's custom-domain session is refused on the admin host (the reported escalation)", async () => {
    const captured = await signInOn(t.domain, admin);
    expect(await codeOf(callerFor(ADMIN_HOST, captured).admin.stats())).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(ADMIN_HOST, captured).admin.tenants.list({}))).toBe("UNAUTHORIZED");
    // The same admin signed in on the root family is an admin there (positive control).
    const rooted = await signInOn(ROOT, admin);
    expect(await codeOf(callerFor(ADMIN_HOST, rooted).admin.stats())).toBe("OK");
  });

  it("a custom-domain session works on that host only", async () => {
    const s = await signInOn(t.domain, t.users.owner);
    expect(await codeOf(callerFor(t.domain, s).project.list({ limit: 5 }))).toBe("OK");
    expect(await codeOf(callerFor(t.host, s).project.list({ limit: 5 }))).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(ROOT, s).me.workspaces())).toBe("UNAUTHORIZED");
    const other = await createTenant(appDb(), { projects: 0, invoices: 0 });
    expect(await codeOf(callerFor(other.domain, s).tenant.current())).toBe("UNAUTHORIZED");
  });

  it("a root-family session is refused on a custom domain", async () => {
    const s = await signInOn(ROOT, t.users.owner);
    expect(await codeOf(callerFor(t.host, s).project.list({ limit: 5 }))).toBe("OK");
    expect(await codeOf(callerFor(t.domain, s).project.list({ limit: 5 }))).toBe("UNAUTHORIZED");
  });

  it("platform procedures answer only on Canopy's own admin and root hosts", async () => {
    const rooted = await signInOn(ROOT, admin);
    expect(await codeOf(callerFor(t.host, rooted).admin.stats())).toBe("FORBIDDEN");
  });
});

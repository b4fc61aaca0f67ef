import { and, eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema/audit";
import { memberships } from "@/db/schema/users";
import { withTenant } from "@/db/tenant-transaction";
import { settleAfterCommit } from "@/server/after-commit";
import { addMember, appDb, callerFor, closeDb, createTenant, tenantFingerprint, type TenantFixture, codeOf } from "../support/fixtures";

const roleOf = (t: TenantFixture, userId: string) =>
  withTenant(appDb(), { tenantId: t.id }, async (tx) => {
    const [row] = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.tenantId, t.id), eq(memberships.userId, userId)));
    return row?.role ?? null;
  });

const auditActions = (t: TenantFixture) =>
  withTenant(appDb(), { tenantId: t.id }, async (tx) => (await tx.select({ action: auditLog.action, actor: auditLog.actorUserId }).from(auditLog)).map((r) => r.action));

let t: TenantFixture;
beforeEach(async () => {
  t = await createTenant(appDb(), { projects: 1, invoices: 0 });
});
afterAll(async () => {
  await settleAfterCommit();
  await closeDb();
});

describe("member.list", () => {
  it("lists every member with name, email and role, owners first, for every role", async () => {
    const list = await callerFor(t.host, t.users.viewer).member.list();
    expect(list.map((m) => m.role)).toEqual(["owner", "admin", "member", "viewer"]);
    expect(list[0]).toMatchObject({ userId: t.users.owner.id, email: t.users.owner.email, name: "owner" });
  });
});

describe("changing roles", () => {
  it("an admin changes a member's role, with an audit entry in the same transaction", async () => {
    await callerFor(t.host, t.users.admin).member.updateRole({ userId: t.users.member.id, role: "viewer" });
    expect(await roleOf(t, t.users.member.id)).toBe("viewer");
    expect(await auditActions(t)).toContain("member.updateRole");
  });

  it("only an owner grants the owner role or changes an owner", async () => {
    const admin = callerFor(t.host, t.users.admin);
    const before = await tenantFingerprint(appDb(), t.id);
    expect(await codeOf(admin.member.updateRole({ userId: t.users.member.id, role: "owner" }))).toBe("FORBIDDEN");
    expect(await codeOf(admin.member.updateRole({ userId: t.users.owner.id, role: "admin" }))).toBe("FORBIDDEN");
    expect(await codeOf(admin.member.remove({ userId: t.users.owner.id }))).toBe("FORBIDDEN");
    expect(await codeOf(admin.member.invite({ email: "new-owner@example.test", role: "owner" }))).toBe("FORBIDDEN");
    expect(await tenantFingerprint(appDb(), t.id)).toBe(before);

    await callerFor(t.host, t.users.owner).member.updateRole({ userId: t.users.admin.id, role: "owner" });
    expect(await roleOf(t, t.users.admin.id)).toBe("owner");
  });

  it("the last owner can be neither demoted nor removed, and nothing changes", async () => {
    const owner = callerFor(t.host, t.users.owner);
    const before = await tenantFingerprint(appDb(), t.id);
    await expect(owner.member.updateRole({ userId: t.users.owner.id, role: "admin" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/at least one owner/) as unknown,
    });
    expect(await codeOf(owner.member.remove({ userId: t.users.owner.id }))).toBe("CONFLICT");
    expect(await tenantFingerprint(appDb(), t.id)).toBe(before);
  });

  it("two owners demoting each other at the same time leave exactly one owner", async () => {
    const second = await addMember(t, "owner");
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([
        codeOf(callerFor(t.host, t.users.owner).member.updateRole({ userId: second.id, role: "admin" })),
        codeOf(callerFor(t.host, second).member.updateRole({ userId: t.users.owner.id, role: "admin" })),
      ]);
      const roles = [await roleOf(t, t.users.owner.id), await roleOf(t, second.id)];
      expect(roles.filter((r) => r === "owner")).toHaveLength(1);
      // One wins; the loser's change is refused (CONFLICT), or it lost its own owner role first (FORBIDDEN).
      expect(results.filter((r) => r === "OK")).toHaveLength(1);
      // Back to two owners for the next round, by whoever is still the owner.
      const stillOwner = roles[0] === "owner" ? t.users.owner : second;
      const demoted = stillOwner === second ? t.users.owner : second;
      await callerFor(t.host, stillOwner).member.updateRole({ userId: demoted.id, role: "owner" });
    }
  });

  it("two owners removing each other at the same time leave exactly one", async () => {
    const second = await addMember(t, "owner");
    const results = await Promise.all([
      codeOf(callerFor(t.host, t.users.owner).member.remove({ userId: second.id })),
      codeOf(callerFor(t.host, second).member.remove({ userId: t.users.owner.id })),
    ]);
    expect(results.filter((r) => r === "OK")).toHaveLength(1);
    const owners = [await roleOf(t, t.users.owner.id), await roleOf(t, second.id)].filter((r) => r === "owner");
    expect(owners).toHaveLength(1);
  });

  it("an owner may step down while another owner remains", async () => {
    const second = await addMember(t, "owner");
    await callerFor(t.host, second).member.updateRole({ userId: second.id, role: "member" });
    expect(await roleOf(t, second.id)).toBe("member");
  });

  it("a member of another tenant is NOT_FOUND", async () => {
    const other = await createTenant(appDb(), { projects: 0, invoices: 0 });
    expect(await codeOf(callerFor(t.host, t.users.owner).member.remove({ userId: other.users.member.id }))).toBe("NOT_FOUND");
  });
});

describe("removing a member", () => {
  it("takes effect on their very next request", async () => {
    const member = callerFor(t.host, t.users.member);
    expect((await member.project.list({ limit: 10 })).items.length).toBeGreaterThan(0);
    await callerFor(t.host, t.users.admin).member.remove({ userId: t.users.member.id });
    expect(await codeOf(member.project.list({ limit: 10 }))).toBe("FORBIDDEN");
    expect(await codeOf(member.tenant.current())).toBe("FORBIDDEN");
    expect(await auditActions(t)).toContain("member.remove");
  });
});

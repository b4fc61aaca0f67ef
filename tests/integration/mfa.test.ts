import { and, desc, eq } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, describe, expect, it } from "vitest";
import { accountEmails } from "@/db/schema/accounts";
import { auditLog } from "@/db/schema/audit";
import { mfaChallenges, mfaRecoveryCodes, userMfa } from "@/db/schema/mfa";
import { users } from "@/db/schema/users";
import { withTenant, withUser } from "@/db/tenant-transaction";
import { hashPassword } from "@/lib/password";
import { mfaCodeInput, MFA_MESSAGES } from "@/lib/mfa";
import { settleAfterCommit } from "@/server/after-commit";
import { authenticate } from "@/server/auth";
import { AppError } from "@/server/errors";
import { completeMfaChallenge, createMfaChallenge } from "@/server/mfa/challenge";
import { openTotpSecret } from "@/server/mfa/secret-box";
import { hasMfa } from "@/server/mfa/second-factor";
import { appDb, callerFor, closeDb, codeOf, createTenant, createUser, errorOf, keyCallerFor, ownerSql, ROOT, type UserFixture } from "../support/fixtures";

const PASSWORD = "a long sign-in passphrase";

afterAll(async () => {
  await settleAfterCommit();
  await closeDb();
});

const octet = () => Math.floor(Math.random() * 250) + 1;

/**
 * Codes for the previous, current and next 30-second step: with one step of tolerance all three
 * are accepted now, each only after the one before it (the replay rule). Started at least 3 s
 * into a step, so the "previous" code does not fall out of the window while a test runs.
 */
async function threeCodes(secret: string): Promise<[string, string, string]> {
  const into = (Date.now() / 1000) % 30;
  if (into < 3 || into > 27) await new Promise((r) => setTimeout(r, (into > 27 ? 33 - into : 3 - into) * 1000));
  const now = Math.floor(Date.now() / 1000);
  return [await generate({ secret, epoch: now - 30 }), await generate({ secret, epoch: now }), await generate({ secret, epoch: now + 30 })];
}

async function withPassword(user: UserFixture): Promise<UserFixture> {
  const passwordHash = await hashPassword(PASSWORD);
  await withUser(appDb(), user.id, (tx) => tx.update(users).set({ passwordHash }).where(eq(users.id, user.id)));
  return user;
}

/** Enrols `user` through the procedures; returns the secret as the page shows it and the recovery codes. */
async function enrol(user: UserFixture): Promise<{ secret: string; codes: [string, string, string]; recoveryCodes: string[] }> {
  const caller = callerFor(ROOT, user);
  const { secret } = await caller.account.mfa.beginEnrolment();
  const codes = await threeCodes(secret);
  const { recoveryCodes } = await caller.account.mfa.confirmEnrolment({ code: codes[0] });
  return { secret, codes, recoveryCodes };
}

async function inbox(userId: string) {
  await settleAfterCommit();
  return withUser(appDb(), userId, (tx) => tx.select().from(accountEmails).where(eq(accountEmails.userId, userId)).orderBy(desc(accountEmails.createdAt)));
}

async function auditActions(tenantId: string, action: string) {
  await settleAfterCommit();
  return withTenant(appDb(), { tenantId }, (tx) => tx.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, action as "account.mfaEnable"))));
}

/** The code step of a sign-in on the root family, as the "mfa" provider runs it; the AppError's field message or the identity. */
async function codeStep(cookie: string | null, code: string, place: string | null = null) {
  try {
    return await completeMfaChallenge(appDb(), { cookie, code: mfaCodeInput.parse(code), place, ip: `192.0.2.${octet()}`, origin: { device: "Firefox 140 on Linux", host: ROOT } });
  } catch (error) {
    if (error instanceof AppError) return { refused: error.code, message: error.fieldErrors?.code?.[0] };
    throw error;
  }
}

describe("enrolment", () => {
  it("stores the secret sealed, turns MFA on only with a right code, returns 10 recovery codes stored hashed, and tells the user and their workspaces", async () => {
    const t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const user = t.users.member;
    const caller = callerFor(ROOT, user);
    const started = await caller.account.mfa.beginEnrolment();
    expect(started.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.otpauthUri).toContain(`secret=${started.secret}`);
    expect(started.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);

    const [row] = await withUser(appDb(), user.id, (tx) => tx.select().from(userMfa).where(eq(userMfa.userId, user.id)));
    expect(row?.secretCiphertext).not.toContain(started.secret);
    expect(openTotpSecret(user.id, row!.secretCiphertext)).toBe(started.secret);
    // Bound to its user: the same ciphertext does not open as anyone else's.
    expect(() => openTotpSecret(t.users.owner.id, row!.secretCiphertext)).toThrow();
    expect(row?.enabledAt).toBeNull();

    const wrong = await errorOf(caller.account.mfa.confirmEnrolment({ code: "000000" }));
    expect(wrong.code).toBe("BAD_REQUEST");
    expect((wrong.cause as AppError).fieldErrors?.code?.[0]).toBe(MFA_MESSAGES.wrong);
    expect(await caller.account.mfa.status()).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    expect(await hasMfa(appDb(), user.id)).toBe(false);

    const [code] = await threeCodes(started.secret);
    const { recoveryCodes } = await caller.account.mfa.confirmEnrolment({ code });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(await caller.account.mfa.status()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    const stored = await withUser(appDb(), user.id, (tx) => tx.select({ hash: mfaRecoveryCodes.codeHash }).from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id)));
    expect(stored.map((s) => s.hash).join()).not.toMatch(new RegExp(recoveryCodes.map((c) => c.replace("-", "")).join("|")));

    expect((await inbox(user.id)).map((m) => m.kind)).toContain("security:mfa.enabled");
    expect(await auditActions(t.id, "account.mfaEnable")).toHaveLength(1);
    // Enrolling again while on is refused; the authenticator stays as it is.
    expect(await codeOf(caller.account.mfa.beginEnrolment())).toBe("CONFLICT");
    const [after] = await withUser(appDb(), user.id, (tx) => tx.select().from(userMfa).where(eq(userMfa.userId, user.id)));
    expect(after?.secretCiphertext).toBe(row?.secretCiphertext);
  });

  it("regenerates recovery codes only for a current authenticator code, and the old ones stop working", async () => {
    const user = await createUser(appDb(), "regen");
    const { codes, recoveryCodes } = await enrol(user);
    const caller = callerFor(ROOT, user);
    expect(await codeOf(caller.account.mfa.regenerateRecoveryCodes({ code: "123456" }))).toBe("BAD_REQUEST");
    // A recovery code is not an authenticator code.
    expect(await codeOf(caller.account.mfa.regenerateRecoveryCodes({ code: recoveryCodes[0]! }))).toBe("BAD_REQUEST");
    // The code that confirmed enrolment is spent.
    expect((await errorOf(caller.account.mfa.regenerateRecoveryCodes({ code: codes[0] }))).message).toBe(MFA_MESSAGES.replayed);
    const fresh = await caller.account.mfa.regenerateRecoveryCodes({ code: codes[1] });
    expect(fresh.recoveryCodes).toHaveLength(10);
    expect(fresh.recoveryCodes).not.toContain(recoveryCodes[0]);
    const cookie = await createMfaChallenge(appDb(), user.id, null);
    expect(await codeStep(cookie, recoveryCodes[0]!)).toMatchObject({ refused: "BAD_REQUEST", message: MFA_MESSAGES.wrong });
    expect(await codeStep(cookie, fresh.recoveryCodes[0]!.toUpperCase())).toMatchObject({ method: "recovery" });
  });

  it("removes MFA only with the password and a code; a wrong one changes nothing", async () => {
    const t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const user = await withPassword(t.users.viewer);
    const { codes } = await enrol(user);
    const caller = callerFor(ROOT, user);
    const wrongPassword = await errorOf(caller.account.mfa.disable({ currentPassword: "not it", code: codes[1] }));
    expect((wrongPassword.cause as AppError).fieldErrors?.currentPassword?.[0]).toBe("Your current password is not correct");
    const wrongCode = await errorOf(caller.account.mfa.disable({ currentPassword: PASSWORD, code: "999999" }));
    expect((wrongCode.cause as AppError).fieldErrors?.code?.[0]).toBe(MFA_MESSAGES.wrong);
    expect(await caller.account.mfa.status()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expect(await caller.account.mfa.disable({ currentPassword: PASSWORD, code: codes[1] })).toEqual({ disabled: true });
    expect(await caller.account.mfa.status()).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    expect(await withUser(appDb(), user.id, (tx) => tx.select().from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id)))).toHaveLength(0);
    expect((await inbox(user.id)).map((m) => m.kind)).toContain("security:mfa.disabled");
    expect(await auditActions(t.id, "account.mfaDisable")).toHaveLength(1);
  });
});

describe("sign-in step-up", () => {
  it("a right password earns no session, only a challenge; the code completes it once, and a replayed code is refused", async () => {
    const user = await withPassword(await createUser(appDb(), "stepup"));
    const { codes } = await enrol(user);
    expect(await authenticate(user.email, PASSWORD, { ip: "192.0.2.10" })).toMatchObject({ userId: user.id });
    expect(await hasMfa(appDb(), user.id)).toBe(true);

    const cookie = await createMfaChallenge(appDb(), user.id, null);
    expect(await codeStep(cookie, "000000")).toMatchObject({ refused: "BAD_REQUEST", message: MFA_MESSAGES.wrong });
    // The enrolment's code is spent already: a replay inside its window is refused.
    expect(await codeStep(cookie, codes[0])).toMatchObject({ refused: "BAD_REQUEST", message: MFA_MESSAGES.replayed });
    expect(await codeStep(cookie, codes[1])).toMatchObject({ userId: user.id, email: user.email, method: "totp" });
    // Used up: the same challenge is worth nothing now, even with a fresh code.
    expect(await codeStep(cookie, codes[2])).toMatchObject({ refused: "UNAUTHORIZED", message: MFA_MESSAGES.expired });
    // A new challenge with the code just used is a replay.
    const again = await createMfaChallenge(appDb(), user.id, null);
    expect(await codeStep(again, codes[1])).toMatchObject({ refused: "BAD_REQUEST", message: MFA_MESSAGES.replayed });
    expect(await codeStep(again, codes[2])).toMatchObject({ method: "totp" });
  });

  it("refuses an expired challenge, one from another host, a forged cookie, and none at all, all with the expired message", async () => {
    const user = await createUser(appDb(), "expiry");
    const { codes } = await enrol(user);
    const old = await createMfaChallenge(appDb(), user.id, null);
    await ownerSql().begin(async (tx) => {
      await tx`select set_config('app.user_id', ${user.id}, true)`;
      await tx`update mfa_challenges set expires_at = now() - interval '1 second' where user_id = ${user.id}`;
    });
    const expired = { refused: "UNAUTHORIZED", message: MFA_MESSAGES.expired };
    expect(await codeStep(old, codes[1])).toMatchObject(expired);
    const custom = await createMfaChallenge(appDb(), user.id, "billing.example.test");
    expect(await codeStep(custom, codes[1], null)).toMatchObject(expired);
    const other = await createUser(appDb(), "other");
    const [, token] = custom.split(".");
    expect(await codeStep(`${other.id}.${token}`, codes[1], "billing.example.test")).toMatchObject(expired);
    expect(await codeStep(null, codes[1])).toMatchObject(expired);
    expect(await codeStep("garbage", codes[1])).toMatchObject(expired);
    // Nothing was used up along the way: the right host still completes with the same code.
    expect(await codeStep(custom, codes[1], "billing.example.test")).toMatchObject({ method: "totp" });
  });

  it("a recovery code works once, is reported to the user and their workspaces, and is refused the second time", async () => {
    const t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const user = t.users.admin;
    const { recoveryCodes } = await enrol(user);
    const first = await createMfaChallenge(appDb(), user.id, null);
    expect(await codeStep(first, recoveryCodes[3]!)).toMatchObject({ method: "recovery", userId: user.id });
    expect(await callerFor(ROOT, user).account.mfa.status()).toMatchObject({ recoveryCodesLeft: 9 });
    const second = await createMfaChallenge(appDb(), user.id, null);
    expect(await codeStep(second, recoveryCodes[3]!)).toMatchObject({ refused: "BAD_REQUEST", message: MFA_MESSAGES.recoveryUsed });
    const [challenge] = await withUser(appDb(), user.id, (tx) => tx.select().from(mfaChallenges).where(eq(mfaChallenges.userId, user.id)).orderBy(desc(mfaChallenges.createdAt)));
    expect(challenge?.usedAt).toBeNull();
    expect((await inbox(user.id)).map((m) => m.kind)).toContain("security:mfa.recovery_used");
  });

  it("throttles wrong codes like passwords: 5 per account, then even the right code is refused", async () => {
    const user = await createUser(appDb(), "guess");
    const { codes } = await enrol(user);
    const cookie = await createMfaChallenge(appDb(), user.id, null);
    for (let i = 0; i < 5; i++) expect(await codeStep(cookie, `00000${i}`)).toMatchObject({ refused: "BAD_REQUEST" });
    expect(await codeStep(cookie, codes[1])).toMatchObject({ refused: "TOO_MANY_REQUESTS", message: MFA_MESSAGES.throttled });
  });
});

describe("a workspace that requires MFA", () => {
  it("only its owner may require it, after enrolling; members without MFA are refused every tenant call until they enrol; API keys are not asked", async () => {
    const t = await createTenant(appDb(), { projects: 1, invoices: 0 });
    const owner = callerFor(t.host, t.users.owner);
    expect(await codeOf(callerFor(t.host, t.users.admin).tenant.security.setMfaRequired({ required: true }))).toBe("FORBIDDEN");
    const early = await errorOf(owner.tenant.security.setMfaRequired({ required: true }));
    expect(early.code).toBe("BAD_REQUEST");
    expect((early.cause as AppError).fieldErrors?.required?.[0]).toMatch(/your own account first/);
    const key = await owner.apiKey.create({ name: "CI", scopes: ["projects:read"], expiresInDays: null });

    await enrol(t.users.owner);
    expect(await owner.tenant.security.setMfaRequired({ required: true })).toEqual({ mfaRequired: true });
    const entries = await auditActions(t.id, "tenant.mfaRequirement");
    expect(entries.map((e) => [e.actorUserId, e.after])).toEqual([[t.users.owner.id, { mfaRequired: true }]]);

    const member = callerFor(t.host, t.users.member);
    const refused = await errorOf(member.project.list({ limit: 5 }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.cause).toBeInstanceOf(AppError);
    expect((refused.cause as AppError).code).toBe("MFA_REQUIRED");
    expect(refused.message).toMatch(/requires two-factor authentication/);
    expect(await codeOf(member.tenant.current())).toBe("FORBIDDEN");
    // The account pages stay open: that is where the member sets it up.
    expect(await codeOf(callerFor(ROOT, t.users.member).account.mfa.status())).toBe("OK");
    expect(await codeOf(keyCallerFor(t.host, key.token).project.list({ limit: 5 }))).toBe("OK");
    expect(await codeOf(owner.project.list({ limit: 5 }))).toBe("OK");

    await enrol(t.users.member);
    expect(await codeOf(member.project.list({ limit: 5 }))).toBe("OK");

    expect(await owner.tenant.security.setMfaRequired({ required: false })).toEqual({ mfaRequired: false });
    expect(await codeOf(callerFor(t.host, t.users.viewer).project.list({ limit: 5 }))).toBe("OK");
    expect(await auditActions(t.id, "tenant.mfaRequirement")).toHaveLength(2);
  });
});

describe("row-level security", () => {
  it("another user cannot read, change or delete your MFA rows; without a user nobody sees any", async () => {
    const alice = await createUser(appDb(), "alice");
    const mallory = await createUser(appDb(), "mallory");
    await enrol(alice);
    await createMfaChallenge(appDb(), alice.id, null);
    await withUser(appDb(), mallory.id, async (tx) => {
      expect(await tx.select().from(userMfa).where(eq(userMfa.userId, alice.id))).toHaveLength(0);
      expect(await tx.select().from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, alice.id))).toHaveLength(0);
      expect(await tx.select().from(mfaChallenges).where(eq(mfaChallenges.userId, alice.id))).toHaveLength(0);
      expect(await tx.update(userMfa).set({ lastUsedStep: 0 }).where(eq(userMfa.userId, alice.id)).returning()).toHaveLength(0);
      expect(await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, alice.id)).returning()).toHaveLength(0);
    });
    // Planting a row for someone else is refused by WITH CHECK.
    await expect(withUser(appDb(), mallory.id, (tx) => tx.insert(mfaRecoveryCodes).values({ userId: alice.id, codeHash: "x" }))).rejects.toThrow();
    const rows = await appDb().select().from(userMfa);
    expect(rows).toHaveLength(0);
    expect(await callerFor(ROOT, alice).account.mfa.status()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // FORCE: the owner role is filtered too.
    const owned = await ownerSql()`select count(*)::int as n from user_mfa`;
    expect(owned[0]?.n).toBe(0);
  });
});

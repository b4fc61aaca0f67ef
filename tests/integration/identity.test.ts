import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { and, desc, eq, sql } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, describe, expect, it } from "vitest";
import { accountEmails, userSessions } from "@/db/schema/accounts";
import { auditLog } from "@/db/schema/audit";
import { users } from "@/db/schema/users";
import { withTenant, withUser } from "@/db/tenant-transaction";
import { classifyHost } from "@/lib/host";
import { hashPassword, verifyPassword } from "@/lib/password";
import { settleAfterCommit } from "@/server/after-commit";
import { appRouter } from "@/server/api/root";
import { createUserSession } from "@/server/sessions";
import { queueAccountEmail } from "@/server/mail/account-email";
import { mailJobCount, runMailJobs } from "../support/mail-jobs";
import { appDb, callerFor, closeDb, codeOf, createTenant, createUser, onCustomHost, ownerSql, ROOT, type UserFixture } from "../support/fixtures";

const OLD_PASSWORD = "old password that works";
const NEW_PASSWORD = "a brand new passphrase";

afterAll(async () => {
  await settleAfterCommit();
  await closeDb();
});

const rand = () => Math.random().toString(36).slice(2, 10);

async function withPassword(user: UserFixture, password = OLD_PASSWORD): Promise<UserFixture> {
  const passwordHash = await hashPassword(password);
  await withUser(appDb(), user.id, (tx) => tx.update(users).set({ passwordHash }).where(eq(users.id, user.id)));
  return user;
}

async function passwordIs(userId: string, password: string): Promise<boolean> {
  const [row] = await withUser(appDb(), userId, (tx) => tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)));
  return row?.hash ? verifyPassword(password, row.hash) : false;
}

/** The recipient's account mail, newest first (readable only in their own transaction). */
async function inbox(userId: string) {
  await settleAfterCommit();
  return withUser(appDb(), userId, (tx) => tx.select().from(accountEmails).where(eq(accountEmails.userId, userId)).orderBy(desc(accountEmails.createdAt)));
}

const resetTokenIn = (text: string) => /\/reset-password\?token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];
const changeTokenIn = (text: string) => /\/confirm-email-change\?token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];

async function latestResetToken(userId: string): Promise<string> {
  const mail = (await inbox(userId)).find((m) => m.kind === "password-reset");
  const token = mail && resetTokenIn(mail.textBody);
  if (!token) throw new Error("no reset mail");
  return token;
}

/** As the owner role (the tests' operator), in `userId`'s scope: FORCE RLS applies to the owner too. */
async function asOwner<T extends object>(userId: string, query: string, params: string[] = []): Promise<T[]> {
  const rows: T[] = [];
  await ownerSql().begin(async (tx) => {
    await tx`select set_config('app.user_id', ${userId}, true)`;
    rows.push(...((await tx.unsafe(query, params)) as unknown as T[]));
  });
  return rows;
}
const ownerCount = async (userId: string, query: string, ...params: string[]) => Number((await asOwner<{ n: string }>(userId, query, params))[0]!.n);

/** The database error under drizzle's "Failed query" wrapper. */
const causeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
    return "no error";
  } catch (error) {
    return String((error as { cause?: unknown }).cause ?? error);
  }
};

/** Through the real HTTP adapter, so the errorFormatter's fieldErrors are what a browser gets. */
async function overHttp(path: string, input: unknown, user: UserFixture | null) {
  const req = new Request(`http://${ROOT}/api/trpc/${path}`, { method: "POST", body: JSON.stringify({ json: input }), headers: { host: ROOT, "content-type": "application/json" } });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => ({
      directory: appDb(),
      host: classifyHost(ROOT, ROOT),
      session: user ? { userId: user.id, sessionId: user.sessionId, email: user.email, name: user.name } : null,
      apiKey: null,
      clientAddress: `198.51.100.${Math.floor(Math.random() * 250)}`,
    }),
  });
  const body = (await res.json()) as { error?: Parameters<typeof superjson.deserialize>[0] };
  const error = body.error ? superjson.deserialize<{ message: string; data: { code: string; fieldErrors: Record<string, string[]> | null } }>(body.error) : null;
  return { status: res.status, error };
}

const live = (user: UserFixture) => codeOf(callerFor(ROOT, user).account.status());
const anon = (clientAddress = `203.0.113.${Math.floor(Math.random() * 250)}`) => callerFor(ROOT, null, appDb(), { clientAddress });

describe("password reset", () => {
  it("answers the same for an unknown address, and mails only a known one", async () => {
    const user = await withPassword(await createUser(appDb(), "reset"));
    const unknown = `nobody-${rand()}@example.test`;
    expect(await anon().account.requestPasswordReset({ email: unknown })).toEqual({ email: unknown });
    expect(await anon().account.requestPasswordReset({ email: user.email.toUpperCase() })).toEqual({ email: user.email });
    expect(Number((await ownerSql()`select count(*) as n from account_emails where to_address = ${unknown}`)[0]!.n)).toBe(0);
    const [mail] = await inbox(user.id);
    expect(mail?.kind).toBe("password-reset");
    // Not sent from the request: its delivery job, queued with it, sends it.
    expect(mail?.status).toBe("pending");
    expect(await runMailJobs({ userId: user.id })).toBe(1);
    expect((await inbox(user.id)).map((m) => m.status)).toEqual(["captured"]);
    expect(mail?.toAddress).toBe(user.email);
    expect(resetTokenIn(mail!.textBody)).toBeTruthy();
    // Only the hash is stored.
    expect(await ownerCount(user.id, "select count(*) as n from password_resets where user_id = $1 and token_hash = encode(sha256(convert_to($2, 'UTF8')), 'hex')", user.id, resetTokenIn(mail!.textBody)!)).toBe(1);
    expect(await ownerCount(user.id, "select count(*) as n from password_resets where token_hash = $1", resetTokenIn(mail!.textBody)!)).toBe(0);
  });

  it("sets the new password, ends every session of the account on every host, and works once", async () => {
    const user = await withPassword(await createUser(appDb(), "reset"));
    const custom = await onCustomHost(user, `x-${rand()}.custom.test`);
    const second = { ...user, sessionId: await createUserSession(appDb(), { userId: user.id }) };
    await anon().account.requestPasswordReset({ email: user.email });
    const token = await latestResetToken(user.id);

    expect(await anon().account.resetPassword({ token, password: NEW_PASSWORD })).toEqual({ reset: true });
    expect(await passwordIs(user.id, NEW_PASSWORD)).toBe(true);
    expect(await live(user)).toBe("UNAUTHORIZED");
    expect(await live(second)).toBe("UNAUTHORIZED");
    expect(await ownerCount(user.id, "select count(*) as n from user_sessions where id = $1 and revoked_at is not null", custom.sessionId)).toBe(1);

    const again = await overHttp("account.resetPassword", { token, password: "yet another passphrase" }, null);
    expect(again.error?.data.code).toBe("BAD_REQUEST");
    expect(again.error?.data.fieldErrors?.token?.[0]).toMatch(/already used|expired/);
    expect(await passwordIs(user.id, NEW_PASSWORD)).toBe(true);
    expect((await inbox(user.id)).map((m) => m.kind)).toContain("security:password.reset");
    // One delivery job with the link, one with the notice.
    expect(await runMailJobs({ userId: user.id })).toBe(2);
    expect((await inbox(user.id)).map((m) => [m.kind, m.status])).toEqual([
      ["security:password.reset", "captured"],
      ["password-reset", "captured"],
    ]);
  });

  it("leaves neither the mail nor its delivery job when the change rolls back", async () => {
    const user = await createUser(appDb(), "rollback");
    await expect(
      withUser(appDb(), user.id, async (tx) => {
        await queueAccountEmail(tx, { userId: user.id, kind: "password-reset", to: user.email, subject: "Reset", text: "Body" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await inbox(user.id)).toEqual([]);
    expect(await mailJobCount({ userId: user.id })).toBe(0);
  });

  it("voids every other outstanding link of the account once one is used", async () => {
    const user = await withPassword(await createUser(appDb(), "reset"));
    await anon().account.requestPasswordReset({ email: user.email });
    const first = await latestResetToken(user.id);
    await anon().account.requestPasswordReset({ email: user.email });
    const second = await latestResetToken(user.id);
    expect(second).not.toBe(first);
    await anon().account.resetPassword({ token: second, password: NEW_PASSWORD });
    expect(await codeOf(anon().account.resetPassword({ token: first, password: "an attacker's passphrase" }))).toBe("BAD_REQUEST");
    expect(await passwordIs(user.id, NEW_PASSWORD)).toBe(true);
  });

  it("refuses an expired link and changes nothing", async () => {
    const user = await withPassword(await createUser(appDb(), "reset"));
    await anon().account.requestPasswordReset({ email: user.email });
    const token = await latestResetToken(user.id);
    await asOwner(user.id, "update password_resets set expires_at = now() - interval '1 second' where user_id = $1", [user.id]);
    expect(await codeOf(anon().account.resetPassword({ token, password: NEW_PASSWORD }))).toBe("BAD_REQUEST");
    expect(await passwordIs(user.id, OLD_PASSWORD)).toBe(true);
    expect(await live(user)).toBe("OK");
  });

  it("refuses a short or common password with a field message, and the link still works afterwards", async () => {
    const user = await withPassword(await createUser(appDb(), "reset"));
    await anon().account.requestPasswordReset({ email: user.email });
    const token = await latestResetToken(user.id);
    const short = await overHttp("account.resetPassword", { token, password: "short pass" }, null);
    expect(short.error?.data.fieldErrors?.password?.[0]).toBe("Use at least 12 characters");
    const common = await overHttp("account.resetPassword", { token, password: "password1234" }, null);
    expect(common.error?.data.fieldErrors?.password?.[0]).toMatch(/too common/);
    expect(await passwordIs(user.id, OLD_PASSWORD)).toBe(true);
    expect(await live(user)).toBe("OK");
    expect(await anon().account.resetPassword({ token, password: NEW_PASSWORD })).toEqual({ reset: true });
  });

  it("is throttled per address and per client, whether or not the account exists", async () => {
    const unknown = `nobody-${rand()}@example.test`;
    for (let i = 0; i < 3; i++) await anon().account.requestPasswordReset({ email: unknown });
    expect(await codeOf(anon().account.requestPasswordReset({ email: unknown }))).toBe("TOO_MANY_REQUESTS");
    const client = anon(`192.0.2.${Math.floor(Math.random() * 250)}`);
    for (let i = 0; i < 10; i++) await client.account.requestPasswordReset({ email: `sweep-${i}-${rand()}@example.test` });
    expect(await codeOf(client.account.requestPasswordReset({ email: `sweep-last-${rand()}@example.test` }))).toBe("TOO_MANY_REQUESTS");
  });

  it("keeps reset links out of the app role's reach", async () => {
    const user = await withPassword(await createUser(appDb(), "reset"));
    await anon().account.requestPasswordReset({ email: user.email });
    expect(await causeOf(withUser(appDb(), user.id, (tx) => tx.execute(sql`select token_hash from password_resets`)))).toMatch(/permission denied/);
    expect(await causeOf(appDb().execute(sql`update password_resets set used_at = null`))).toMatch(/permission denied/);
  });
});

describe("account settings", () => {
  it("changes the name", async () => {
    const user = await createUser(appDb(), "name");
    expect(await callerFor(ROOT, user).account.updateName({ name: "  Ada Lovelace " })).toEqual({ name: "Ada Lovelace" });
    expect((await callerFor(ROOT, user).account.status()).name).toBe("Ada Lovelace");
    expect(await codeOf(callerFor(ROOT, user).account.updateName({ name: " " }))).toBe("BAD_REQUEST");
  });

  it("changes the password with the current one: other sessions end, this one stays, old reset links die, the tenants' audit logs record it", async () => {
    const t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const user = await withPassword(t.users.member);
    const other = { ...user, sessionId: await createUserSession(appDb(), { userId: user.id }) };
    await anon().account.requestPasswordReset({ email: user.email });
    const pending = await latestResetToken(user.id);

    expect(await callerFor(ROOT, user).account.changePassword({ currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD })).toEqual({ changed: true });
    expect(await passwordIs(user.id, NEW_PASSWORD)).toBe(true);
    expect(await live(user)).toBe("OK");
    expect(await live(other)).toBe("UNAUTHORIZED");
    expect(await codeOf(anon().account.resetPassword({ token: pending, password: "an attacker's passphrase" }))).toBe("BAD_REQUEST");
    expect((await inbox(user.id)).map((m) => m.kind)).toContain("security:password.changed");
    const entries = await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.select().from(auditLog).where(and(eq(auditLog.tenantId, t.id), eq(auditLog.action, "account.passwordChange"))),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]?.actorUserId).toBe(user.id);
  });

  it("refuses a wrong current password or a weak new one, with field messages, and changes nothing", async () => {
    const user = await withPassword(await createUser(appDb(), "pw"));
    const other = { ...user, sessionId: await createUserSession(appDb(), { userId: user.id }) };
    const wrong = await overHttp("account.changePassword", { currentPassword: "not my password", newPassword: NEW_PASSWORD }, user);
    expect(wrong.error?.data.code).toBe("BAD_REQUEST");
    expect(wrong.error?.data.fieldErrors?.currentPassword?.[0]).toBe("Your current password is not correct");
    const weak = await overHttp("account.changePassword", { currentPassword: OLD_PASSWORD, newPassword: "qwertyuiop123" }, user);
    expect(weak.error?.data.fieldErrors?.newPassword?.[0]).toMatch(/too common/);
    expect(await passwordIs(user.id, OLD_PASSWORD)).toBe(true);
    expect(await live(other)).toBe("OK");
  });

  it("moves to a new address only once the link mailed there is used; the old address is told", async () => {
    const user = await withPassword(await createUser(appDb(), "mail"));
    const next = `moved-${rand()}@example.test`;
    expect(await codeOf(callerFor(ROOT, user).account.requestEmailChange({ email: next, currentPassword: "wrong password" }))).toBe("BAD_REQUEST");
    expect(await callerFor(ROOT, user).account.requestEmailChange({ email: next.toUpperCase(), currentPassword: OLD_PASSWORD })).toEqual({ email: next });
    expect((await callerFor(ROOT, user).account.status()).email).toBe(user.email);
    const mail = (await inbox(user.id)).find((m) => m.kind === "email-change");
    expect(mail?.toAddress).toBe(next);
    const token = changeTokenIn(mail!.textBody)!;

    // The plain address proof cannot use a change link, nor can another account.
    expect(await codeOf(callerFor(ROOT, user).account.confirmEmail({ token }))).toBe("BAD_REQUEST");
    const stranger = await createUser(appDb(), "stranger");
    expect(await codeOf(callerFor(ROOT, stranger).account.confirmEmailChange({ token }))).toBe("BAD_REQUEST");

    expect(await callerFor(ROOT, user).account.confirmEmailChange({ token })).toEqual({ email: next });
    const status = await callerFor(ROOT, user).account.status();
    expect(status).toMatchObject({ email: next, emailVerified: true });
    const notice = (await inbox(user.id)).find((m) => m.kind === "security:email.changed");
    expect(notice?.toAddress).toBe(user.email);
    expect(await codeOf(callerFor(ROOT, user).account.confirmEmailChange({ token }))).toBe("BAD_REQUEST");
  });

  it("refuses an address another account took in the meantime, and keeps the old one", async () => {
    const user = await withPassword(await createUser(appDb(), "mail"));
    const next = `contested-${rand()}@example.test`;
    await callerFor(ROOT, user).account.requestEmailChange({ email: next, currentPassword: OLD_PASSWORD });
    const token = changeTokenIn((await inbox(user.id)).find((m) => m.kind === "email-change")!.textBody)!;
    await anon().account.signUp({ name: "Quick", email: next, password: "someone else entirely" });
    expect(await codeOf(callerFor(ROOT, user).account.confirmEmailChange({ token }))).toBe("CONFLICT");
    expect((await callerFor(ROOT, user).account.status()).email).toBe(user.email);
  });

  it("never lets the app role set an address directly", async () => {
    const user = await createUser(appDb(), "mail");
    expect(await causeOf(withUser(appDb(), user.id, (tx) => tx.update(users).set({ email: `direct-${rand()}@example.test` }).where(eq(users.id, user.id))))).toMatch(
      /permission denied/,
    );
  });
});

describe("sessions", () => {
  it("lists live sessions with device, host and last seen, marking the current one", async () => {
    const user = await createUser(appDb(), "sessions");
    const ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
    const phone = await createUserSession(appDb(), { userId: user.id, userAgent: ua });
    const custom = await onCustomHost(user, `s-${rand()}.custom.test`);
    const list = await callerFor(ROOT, user).account.sessions();
    expect(list.map((s) => s.id).sort()).toEqual([user.sessionId, phone, custom.sessionId].sort());
    expect(list.filter((s) => s.current).map((s) => s.id)).toEqual([user.sessionId]);
    expect(list.find((s) => s.id === phone)?.device).toBe("Safari 17 on iOS");
    expect(list.find((s) => s.id === custom.sessionId)?.host).toMatch(/\.custom\.test$/);
    expect(list.every((s) => s.lastSeenAt instanceof Date)).toBe(true);
  });

  it("signs out one other session, never the current one or someone else's", async () => {
    const user = await createUser(appDb(), "sessions");
    const other = { ...user, sessionId: await createUserSession(appDb(), { userId: user.id }) };
    const stranger = await createUser(appDb(), "stranger");
    expect(await callerFor(ROOT, user).account.revokeSession({ id: other.sessionId })).toEqual({ id: other.sessionId });
    expect(await live(other)).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(ROOT, user).account.revokeSession({ id: user.sessionId }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerFor(ROOT, user).account.revokeSession({ id: stranger.sessionId }))).toBe("NOT_FOUND");
    expect(await live(stranger)).toBe("OK");
    expect(await live(user)).toBe("OK");
  });

  it("signs out every other session at once", async () => {
    const user = await createUser(appDb(), "sessions");
    const others = [
      { ...user, sessionId: await createUserSession(appDb(), { userId: user.id }) },
      await onCustomHost(user, `o-${rand()}.custom.test`),
    ];
    expect(await callerFor(ROOT, user).account.revokeOtherSessions()).toEqual({ revoked: 2 });
    expect(await live(user)).toBe("OK");
    const stillLive = await withUser(appDb(), user.id, (tx) =>
      tx.select({ id: userSessions.id }).from(userSessions).where(and(eq(userSessions.userId, user.id), sql`${userSessions.revokedAt} is null`)),
    );
    expect(stillLive.map((r) => r.id)).toEqual([user.sessionId]);
    for (const other of others) expect(await ownerCount(user.id, "select count(*) as n from user_sessions where id = $1 and revoked_at is not null", other.sessionId)).toBe(1);
  });
});

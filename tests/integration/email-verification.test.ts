import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { accountEmails, emailVerifications, invitations } from "@/db/schema/accounts";
import { emailOutbox } from "@/db/schema/email";
import { memberships, users } from "@/db/schema/users";
import { withTenant, withUser } from "@/db/tenant-transaction";
import { settleAfterCommit } from "@/server/after-commit";
import { appRouter } from "@/server/api/root";
import { createUserSession } from "@/server/sessions";
import { appDb, callerFor, closeDb, codeOf, createTenant, createUser, ownerSql, ROOT, type TenantFixture, type UserFixture } from "../support/fixtures";

const rand = () => Math.random().toString(36).slice(2, 10);
const PASSWORD = "correct horse battery";

/** The recipient's inbox: account mail is readable only in the recipient's own transaction. */
async function inbox(userId: string) {
  await settleAfterCommit();
  return withUser(appDb(), userId, (tx) =>
    tx.select().from(accountEmails).where(eq(accountEmails.userId, userId)).orderBy(desc(accountEmails.createdAt)),
  );
}

const tokenIn = (text: string) => /\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];

async function userIdOf(email: string): Promise<string> {
  const [row] = await appDb().execute<{ id: string }>(sql`select id from app_user_for_sign_in(${email})`);
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

/** Signs up through the API, as the form does, and returns the new account as a signed-in fixture. */
async function signUpAs(email: string, host = ROOT, next?: string): Promise<UserFixture> {
  const result = await callerFor(host, null).account.signUp({ name: "New Person", email, password: PASSWORD, next });
  expect(result).toEqual({ email });
  const id = await userIdOf(email);
  return { id, email, name: "New Person", sessionId: await createUserSession(appDb(), { userId: id }) };
}

const roleOf = (t: TenantFixture, userId: string) =>
  withTenant(appDb(), { tenantId: t.id }, async (tx) => {
    const [row] = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.tenantId, t.id), eq(memberships.userId, userId)));
    return row?.role ?? null;
  });

/** The app role cannot set an address (only a proof of it can: identity.test.ts); an operator can, and the trigger still applies. */
async function changeEmailAsOperator(userId: string, email: string): Promise<void> {
  await ownerSql().begin(async (tx) => {
    await tx`select set_config('app.user_id', ${userId}, true)`;
    await tx`update users set email = ${email} where id = ${userId}`;
  });
}

let t: TenantFixture;
beforeEach(async () => {
  t = await createTenant(appDb(), { projects: 1, invoices: 0 });
});
afterAll(async () => {
  await settleAfterCommit();
  await closeDb();
});

describe("the admin → owner escalation", () => {
  it("no tenant procedure returns mail bodies: the outbox is not part of the API", () => {
    const paths = Object.keys(appRouter._def.procedures);
    expect(paths.filter((p) => p.startsWith("outbox."))).toEqual([]);
  });

  it("an admin who signs up as the invited owner's unregistered address cannot accept the owner invitation", async () => {
    const target = `future-owner-${rand()}@example.test`;
    await callerFor(t.host, t.users.owner).member.invite({ email: target, role: "owner" });
    await settleAfterCommit();
    // Suppose the admin got hold of the link anyway (this was the outbox's doing): read it as the owner role.
    const [mail] = await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.select({ text: emailOutbox.textBody }).from(emailOutbox).where(and(eq(emailOutbox.tenantId, t.id), eq(emailOutbox.toAddress, target))),
    );
    const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(mail!.text)![1]!;

    const squatter = await signUpAs(target, t.host);
    expect(await codeOf(callerFor(t.host, squatter).invitation.accept({ token }))).toBe("FORBIDDEN");
    expect(await roleOf(t, squatter.id)).toBeNull();
    const [invitation] = await withTenant(appDb(), { tenantId: t.id }, (tx) =>
      tx.select({ acceptedAt: invitations.acceptedAt }).from(invitations).where(and(eq(invitations.tenantId, t.id), eq(invitations.email, target))),
    );
    expect(invitation?.acceptedAt).toBeNull();
    // Nor can they create a workspace with the borrowed address.
    expect(await codeOf(callerFor(ROOT, squatter).account.createWorkspace({ name: "Borrowed", slug: `b-${rand()}` }))).toBe("FORBIDDEN");
  });
});

describe("proving an address", () => {
  it("signs up unverified and mails a single-use link to the address; confirming needs the account's session", async () => {
    const email = `verify-${rand()}@example.test`;
    const me = await signUpAs(email, t.host, "/invite/abc");
    const [mail, ...rest] = await inbox(me.id);
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ kind: "email-verification", toAddress: email });
    // The link points back at the host the person signed up on.
    expect(mail!.textBody).toContain(`http://${t.host}${process.env.PUBLIC_PORT ? `:${process.env.PUBLIC_PORT}` : ""}/verify-email?token=`);
    const token = tokenIn(mail!.textBody)!;
    // Only the hash is stored.
    const stored = await withUser(appDb(), me.id, (tx) => tx.select().from(emailVerifications).where(eq(emailVerifications.userId, me.id)));
    expect(stored.map((s) => s.tokenHash)).not.toContain(token);

    // Someone else's session (the mailbox owner without the password, say) cannot use it.
    const stranger = await createUser(appDb(), "stranger");
    expect(await codeOf(callerFor(ROOT, stranger).account.confirmEmail({ token }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerFor(ROOT, null).account.confirmEmail({ token }))).toBe("UNAUTHORIZED");
    expect(await callerFor(ROOT, me).account.status()).toMatchObject({ emailVerified: false });

    expect(await callerFor(ROOT, me).account.confirmEmail({ token })).toEqual({ email, nextPath: "/invite/abc" });
    expect(await callerFor(ROOT, me).account.status()).toMatchObject({ emailVerified: true });
    // Single use.
    expect(await codeOf(callerFor(ROOT, me).account.confirmEmail({ token }))).toBe("BAD_REQUEST");
  });

  it("refuses an expired link, and a link for an address the account no longer has", async () => {
    const me = await signUpAs(`expire-${rand()}@example.test`);
    const token = tokenIn((await inbox(me.id))[0]!.textBody)!;
    await ownerSql().begin(async (tx) => {
      await tx`select set_config('app.user_id', ${me.id}, true)`;
      await tx`update email_verifications set expires_at = now() - interval '1 second' where user_id = ${me.id}`;
    });
    expect(await codeOf(callerFor(ROOT, me).account.confirmEmail({ token }))).toBe("BAD_REQUEST");

    await callerFor(ROOT, me).account.resendVerification({});
    const fresh = tokenIn((await inbox(me.id))[0]!.textBody)!;
    expect(fresh).not.toBe(token);
    // The account's email changes before the link is used: the link proves the old address only.
    await changeEmailAsOperator(me.id, `changed-${rand()}@example.test`);
    expect(await codeOf(callerFor(ROOT, me).account.confirmEmail({ token: fresh }))).toBe("BAD_REQUEST");
    expect(await callerFor(ROOT, me).account.status()).toMatchObject({ emailVerified: false });
  });

  it("changing a proven address makes it unproven again", async () => {
    const me = await createUser(appDb(), "proven");
    expect(await callerFor(ROOT, me).account.status()).toMatchObject({ emailVerified: true });
    await changeEmailAsOperator(me.id, `moved-${rand()}@example.test`);
    expect(await callerFor(ROOT, me).account.status()).toMatchObject({ emailVerified: false });
  });

  it("the app role can neither set email_verified_at nor create a user that already has it", async () => {
    const me = await createUser(appDb(), "self-verify", { verified: false });
    await expect(withUser(appDb(), me.id, (tx) => tx.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, me.id)))).rejects.toMatchObject({
      cause: { code: "42501" },
    });
    const id = crypto.randomUUID();
    await expect(
      withUser(appDb(), id, (tx) => tx.insert(users).values({ id, email: `pre-${rand()}@example.test`, name: "Pre", emailVerifiedAt: new Date() })),
    ).rejects.toMatchObject({ cause: { code: "42501" } });
  });

  it("a workspace needs a proven address", async () => {
    const me = await signUpAs(`ws-${rand()}@example.test`);
    const slug = `ws-${rand()}`;
    expect(await codeOf(callerFor(ROOT, me).account.createWorkspace({ name: "Mine", slug }))).toBe("FORBIDDEN");
    await callerFor(ROOT, me).account.confirmEmail({ token: tokenIn((await inbox(me.id))[0]!.textBody)! });
    expect(await callerFor(ROOT, me).account.createWorkspace({ name: "Mine", slug })).toMatchObject({ slug });
  });

  it("onboarding adds an existing account as owner directly only when its address is proven", async () => {
    const { createPlatformAdmin, ADMIN_HOST } = await import("../support/admin");
    const admin = await createPlatformAdmin();
    const unproven = await createUser(appDb(), "unproven-owner", { verified: false });
    const created = await callerFor(ADMIN_HOST, admin).admin.tenants.create({
      name: "Onboarded",
      slug: `onb-${rand()}`,
      plan: "free",
      owner: { kind: "existing", email: unproven.email },
    }).catch((e: unknown) => e);
    expect(created).toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("sign-up does not tell who has an account", () => {
  it("answers an existing address exactly like a new one, changes nothing, and mails its owner a notice", async () => {
    const existing = t.users.member;
    const before = await withUser(appDb(), existing.id, (tx) => tx.select().from(users).where(eq(users.id, existing.id)));
    const answer = await callerFor(ROOT, null).account.signUp({ name: "Impostor", email: existing.email.toUpperCase(), password: "another password 1" });
    const fresh = `fresh-${rand()}@example.test`;
    const other = await callerFor(ROOT, null).account.signUp({ name: "Fresh", email: fresh, password: "another password 1" });
    expect(Object.keys(answer)).toEqual(Object.keys(other));
    expect(answer).toEqual({ email: existing.email });
    const after = await withUser(appDb(), existing.id, (tx) => tx.select().from(users).where(eq(users.id, existing.id)));
    expect(after).toEqual(before);
    const [notice] = await inbox(existing.id);
    expect(notice).toMatchObject({ kind: "account-exists", toAddress: existing.email });
    expect(notice!.textBody).not.toMatch(/verify-email/);
  });

  it("an existing but unproven account gets a fresh link, which still needs that account's own session", async () => {
    const first = await signUpAs(`twice-${rand()}@example.test`);
    await callerFor(ROOT, null).account.signUp({ name: "Again", email: first.email, password: "someone elses pass" });
    const mails = await inbox(first.id);
    expect(mails.map((m) => m.kind)).toEqual(["email-verification", "email-verification"]);
  });

  it("is throttled per client address and per target address", async () => {
    const address = `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const caller = callerFor(ROOT, null, appDb(), { clientAddress: address });
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) codes.push(await codeOf(caller.account.signUp({ name: "Spray", email: `spray-${rand()}@example.test`, password: PASSWORD })));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill("OK"));
    expect(codes[10]).toBe("TOO_MANY_REQUESTS");

    const victim = `bombed-${rand()}@example.test`;
    const perEmail: string[] = [];
    for (let i = 0; i < 4; i++) {
      const from = callerFor(ROOT, null, appDb(), { clientAddress: `10.78.${i}.${Math.floor(Math.random() * 250)}` });
      perEmail.push(await codeOf(from.account.signUp({ name: "Bomb", email: victim, password: PASSWORD })));
    }
    expect(perEmail).toEqual(["OK", "OK", "OK", "TOO_MANY_REQUESTS"]);
  });
});

describe("invitation preview", () => {
  it("tells a signed-in non-invitee neither the workspace's name nor the role", async () => {
    await callerFor(t.host, t.users.owner).member.invite({ email: `someone-${rand()}@example.test`, role: "admin" });
    await settleAfterCommit();
    const [mail] = await withTenant(appDb(), { tenantId: t.id }, (tx) => tx.select({ text: emailOutbox.textBody }).from(emailOutbox).where(eq(emailOutbox.tenantId, t.id)));
    const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(mail!.text)![1]!;
    const outsider = await createUser(appDb(), "outsider");
    const preview = await callerFor(t.host, outsider).invitation.preview({ token });
    expect(preview).toMatchObject({ state: "wrong_email", role: null, tenantName: null });
    const unknown = await callerFor(t.host, outsider).invitation.preview({ token: "x".repeat(43) });
    expect(unknown).toMatchObject({ state: "not_found", role: null, tenantName: null });
  });
});

import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { hashPassword } from "@/lib/password";
import { settleAfterCommit } from "@/server/after-commit";
import { authenticate } from "@/server/auth";
import { SsoRequiredError } from "@/server/sso/password-rule";
import { SsoError } from "@/server/sso/sso-error";
import { beginSsoSignIn, completeSsoSignIn, ssoCallbackUrl } from "@/server/sso/sso-sign-in";
import { startTestDns, type TestDns } from "../support/dns-server";
import { appDb, callerFor, closeDb, createTenant, ownerSql, type TenantFixture } from "../support/fixtures";
import { loginAtProvider, startTestProvider, type TestProvider } from "../support/oidc-provider";

const rand = () => crypto.randomUUID().slice(0, 8);
let dns: TestDns;
let idp: TestProvider;
let a: TenantFixture;
let b: TenantFixture;
let corp: string;
const asA = () => callerFor(a.host, a.users.owner);
const asB = () => callerFor(b.host, b.users.owner);

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected a refusal");
}
const ssoCode = async (promise: Promise<unknown>) => {
  const e = await errorOf(promise);
  return e instanceof SsoError ? e.code : `not an SsoError: ${String(e)}`;
};

/** Claims and verifies an email domain for a tenant, publishing the TXT record as its DNS admin would. */
async function claim(caller: ReturnType<typeof callerFor>, domain: string) {
  const added = await caller.sso.addDomain({ domain });
  dns.set(added.record.name, { txt: [added.record.value] });
  const verified = await caller.sso.verifyDomain({ id: added.id });
  expect(verified.verified).toBe(true);
  return added;
}

/** A whole sign-in as one browser: start, log in at the provider as `login`, come back. */
async function signInAs(email: string, login = email) {
  const began = await beginSsoSignIn(appDb(), email);
  const back = await loginAtProvider(began.authorizationUrl, login);
  return completeSsoSignIn(appDb(), { cookie: began.cookie, callbackUrl: back });
}

/** The owner role is under FORCE RLS too: it reads and writes as the tenant or user it names. */
function asTenantOwner<T>(tenantId: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return ownerSql().begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
    return fn(tx);
  }) as Promise<T>;
}
function asUserOwner<T>(userId: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return ownerSql().begin(async (tx) => {
    await tx`select set_config('app.user_id', ${userId}, true)`;
    return fn(tx);
  }) as Promise<T>;
}
/** What a refused sign-in must not leave behind in the workspace: links and memberships. */
const counts = (tenantId = a.id) =>
  asTenantOwner(tenantId, async (tx) => {
    const [row] = await tx<{ links: number; members: number }[]>`select (select count(*)::int from sso_identities) as links, (select count(*)::int from memberships) as members`;
    return row!;
  });
/** Whether any account holds the address (the sign-in look-up, as the app role may do it). */
async function accountExists(email: string): Promise<boolean> {
  const rows = await appDb().execute(sql`select id from app_user_for_sign_in(${email})`);
  return rows.length > 0;
}
async function insertUser(email: string, name: string, opts: { passwordHash?: string; proven?: boolean } = {}): Promise<string> {
  const id = crypto.randomUUID();
  await asUserOwner(id, (tx) => tx`insert into users (id, email, name, password_hash, email_verified_at) values (${id}, ${email}, ${name}, ${opts.passwordHash ?? null}, ${opts.proven ? new Date() : null})`);
  return id;
}

beforeAll(async () => {
  dns = await startTestDns();
  // Read by env() on its first call in this worker.
  process.env.DNS_SERVERS = dns.server;
  expect(env().DNS_SERVERS).toEqual([dns.server]);
  expect(env().SSO_ALLOW_INSECURE_ISSUERS).toBe(true);
  idp = await startTestProvider({ redirectUris: [ssoCallbackUrl()] });
  a = await createTenant(appDb(), { projects: 0, invoices: 0 });
  b = await createTenant(appDb(), { projects: 0, invoices: 0 });
  corp = `corp-${rand()}.test`;
});
afterAll(async () => {
  await settleAfterCommit();
  await idp.close();
  await dns.close();
  await closeDb();
});

describe("configuring single sign-on", () => {
  it("refuses an issuer whose discovery fails, with a field message, and stores nothing", async () => {
    const e = await errorOf(asA().sso.save({ issuer: "http://127.0.0.1:9/", clientId: idp.clientId, clientSecret: idp.clientSecret, defaultRole: "viewer" }));
    expect(e).toBeInstanceOf(TRPCError);
    expect((e as TRPCError).code).toBe("BAD_REQUEST");
    const fields = ((e as TRPCError).cause as { fieldErrors?: Record<string, string[]> }).fieldErrors;
    expect(fields?.issuer?.[0]).toMatch(/Could not load the provider's OpenID configuration from http:\/\/127\.0\.0\.1:9/);
    expect((await asA().sso.get()).config).toBeNull();
  });

  it("saves a provider that answers, with the secret sealed at rest and never returned", async () => {
    const saved = await asA().sso.save({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, defaultRole: "viewer" });
    expect(saved.issuer).toBe(idp.issuer);
    const got = await asA().sso.get();
    expect(got.config).toMatchObject({ issuer: idp.issuer, clientId: idp.clientId, defaultRole: "viewer", required: false, secretReadable: true });
    expect(JSON.stringify(got)).not.toContain(idp.clientSecret);
    const [raw] = await asTenantOwner(a.id, (tx) => tx<{ sealed: string }[]>`select client_secret_sealed as sealed from tenant_sso where tenant_id = ${a.id}`);
    expect(raw!.sealed).toMatch(/^v1\./);
    expect(raw!.sealed).not.toContain(idp.clientSecret);
    // A blank secret keeps the stored one (the provider is asked again with it).
    await asA().sso.save({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: "", defaultRole: "viewer" });
    expect((await asA().sso.test()).issuer).toBe(idp.issuer);
  });

  it("proves an email domain by DNS TXT, and another workspace gets a field error that names nobody", async () => {
    const added = await asA().sso.addDomain({ domain: `Someone@${corp.toUpperCase()}` });
    expect(added.domain).toBe(corp);
    expect(added.record.name).toBe(`_canopy-sso.${corp}`);
    const missing = await asA().sso.verifyDomain({ id: added.id });
    expect(missing.verified).toBe(false);
    expect(missing.problems[0]).toMatch(/does not hold the verification token/);
    dns.set(added.record.name, { txt: [added.record.value] });
    expect((await asA().sso.verifyDomain({ id: added.id })).verified).toBe(true);

    const e = await errorOf(asB().sso.addDomain({ domain: corp }));
    expect((e as TRPCError).code).toBe("BAD_REQUEST");
    const fields = ((e as TRPCError).cause as { fieldErrors?: Record<string, string[]> }).fieldErrors;
    expect(fields?.domain).toEqual(["This domain is already claimed by another workspace"]);
    expect(JSON.stringify(fields)).not.toContain(a.slug);
  });

  it("lets only the owner manage it", async () => {
    expect(await errorOf(callerFor(a.host, a.users.admin).sso.get())).toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("signing in with single sign-on", () => {
  it("provisions a new person just in time, with the default role and a live session, in one go", async () => {
    const email = `new-${rand()}@${corp}`;
    idp.accounts.set(email, { email, email_verified: true, name: "Nina New" });
    const done = await signInAs(email);
    expect(done).toMatchObject({ tenantSlug: a.slug, userCreated: true, memberCreated: true, role: "viewer" });
    const [user] = await asUserOwner(done.userId, (tx) => tx<{ email: string; name: string; verified: boolean; password: string | null }[]>`
      select email, name, email_verified_at is not null as verified, password_hash as password from users where id = ${done.userId}`);
    expect(user).toEqual({ email, name: "Nina New", verified: true, password: null });
    const [session] = await asUserOwner(done.userId, (tx) => tx<{ host: string | null; live: boolean }[]>`select host, revoked_at is null and expires_at > now() as live from user_sessions where id = ${done.sessionId}`);
    expect(session).toEqual({ host: null, live: true });
    // The session is a member's session in the workspace, with the default role.
    const member = { id: done.userId, email, name: "Nina New", sessionId: done.sessionId };
    expect((await callerFor(a.host, member).tenant.current()).slug).toBe(a.slug);
    const entries = await asA().audit.list({ action: "member.joinViaSso" });
    expect(entries.items.some((e) => e.entityId === done.userId)).toBe(true);

    // The next sign-in finds the link: same account, no second membership.
    const again = await signInAs(email);
    expect(again).toMatchObject({ userId: done.userId, userCreated: false, memberCreated: false, role: "viewer" });
  });

  it("refuses an address the provider has not verified, writing nothing", async () => {
    const email = `unverified-${rand()}@${corp}`;
    idp.accounts.set(email, { email, email_verified: false });
    const before = await counts();
    expect(await ssoCode(signInAs(email))).toBe("email_unverified");
    idp.accounts.set(email, { email, email_verified: "true" });
    expect(await ssoCode(signInAs(email))).toBe("email_unverified");
    expect(await counts()).toEqual(before);
    expect(await accountExists(email)).toBe(false);
  });

  it("refuses an address outside the claimed domains", async () => {
    const login = `outsider-${rand()}`;
    idp.accounts.set(login, { email: `${login}@elsewhere-${rand()}.test` });
    const began = await beginSsoSignIn(appDb(), `someone@${corp}`);
    const back = await loginAtProvider(began.authorizationUrl, login);
    expect(await ssoCode(completeSsoSignIn(appDb(), { cookie: began.cookie, callbackUrl: back }))).toBe("domain");
  });

  it("refuses a subject already linked to another account, writing nothing", async () => {
    const login = `mallory-${rand()}`;
    const first = `${login}@${corp}`;
    idp.accounts.set(login, { email: first });
    await signInAs(first, login);
    // The provider now says this subject is someone who already has a (proven) Canopy account.
    const victim = `victim-${rand()}@${corp}`;
    idp.accounts.set(victim, { email: victim });
    const victimDone = await signInAs(victim);
    idp.accounts.set(login, { email: victim });
    const before = await counts();
    const began = await beginSsoSignIn(appDb(), victim);
    const back = await loginAtProvider(began.authorizationUrl, login);
    expect(await ssoCode(completeSsoSignIn(appDb(), { cookie: began.cookie, callbackUrl: back }))).toBe("subject_linked");
    expect(await counts()).toEqual(before);
    expect(victimDone.userCreated).toBe(true);
  });

  it("does not match an account whose address nobody proved", async () => {
    const email = `squatter-${rand()}@${corp}`;
    await insertUser(email, "Squatter");
    const before = await counts();
    expect(await ssoCode(signInAs(email))).toBe("unproven");
    expect(await counts()).toEqual(before);
  });

  it("refuses a state that does not match, a replay, and another browser's cookie", async () => {
    const email = `state-${rand()}@${corp}`;
    const began = await beginSsoSignIn(appDb(), email);
    const back = await loginAtProvider(began.authorizationUrl, email);
    const forged = new URL(back);
    forged.searchParams.set("state", "not-the-state");
    expect(await ssoCode(completeSsoSignIn(appDb(), { cookie: began.cookie, callbackUrl: forged }))).toBe("state");
    // The mismatch burned the attempt: the genuine answer cannot be used after it.
    expect(await ssoCode(completeSsoSignIn(appDb(), { cookie: began.cookie, callbackUrl: back }))).toBe("replay");

    const second = await beginSsoSignIn(appDb(), email);
    const secondBack = await loginAtProvider(second.authorizationUrl, email);
    const otherBrowser = `${second.cookie.split(".")[0]}.${"x".repeat(43)}`;
    expect(await ssoCode(completeSsoSignIn(appDb(), { cookie: otherBrowser, callbackUrl: secondBack }))).toBe("state");
    expect(await ssoCode(completeSsoSignIn(appDb(), { cookie: undefined, callbackUrl: secondBack }))).toBe("state");
    await completeSsoSignIn(appDb(), { cookie: second.cookie, callbackUrl: secondBack });
    expect(await ssoCode(completeSsoSignIn(appDb(), { cookie: second.cookie, callbackUrl: secondBack }))).toBe("replay");
  });

  it("says plainly when no workspace signs an address in, or its provider cannot be reached", async () => {
    expect(await ssoCode(beginSsoSignIn(appDb(), `someone@unclaimed-${rand()}.test`))).toBe("not_configured");
    const c = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const asC = callerFor(c.host, c.users.owner);
    const broken = `broken-${rand()}.test`;
    await asC.sso.save({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, defaultRole: "member" });
    await claim(asC, broken);
    // The provider moves away after setup: discovery fails at sign-in time.
    await asTenantOwner(c.id, (tx) => tx`update tenant_sso set issuer = 'http://127.0.0.1:9' where tenant_id = ${c.id}`);
    expect(await ssoCode(beginSsoSignIn(appDb(), `someone@${broken}`))).toBe("discovery");
    const [attempts] = await asTenantOwner(c.id, (tx) => tx<{ n: number }[]>`select count(*)::int as n from sso_sign_ins`);
    expect(attempts!.n).toBe(0);
  });
});

describe("requiring single sign-on", () => {
  it("refuses password sign-in to non-owner members in the claimed domain, and keeps it for owners", async () => {
    const t = await createTenant(appDb(), { projects: 0, invoices: 0 });
    const asT = callerFor(t.host, t.users.owner);
    const domain = `strict-${rand()}.test`;
    await asT.sso.save({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, defaultRole: "member" });
    expect(await errorOf(asT.sso.setRequired({ required: true }))).toMatchObject({ code: "BAD_REQUEST" });
    await claim(asT, domain);
    const hash = await hashPassword("correct horse battery");
    const person = async (email: string, role: string) => {
      const id = await insertUser(email, role, { passwordHash: hash, proven: true });
      await asTenantOwner(t.id, (tx) => tx`insert into memberships (tenant_id, user_id, role) values (${t.id}, ${id}, ${role})`);
      return email;
    };
    const member = await person(`member-${rand()}@${domain}`, "member");
    const owner = await person(`owner-${rand()}@${domain}`, "owner");
    const outside = await person(`outside-${rand()}@example.test`, "member");

    expect(await authenticate(member, "correct horse battery")).toMatchObject({ email: member });
    await asT.sso.setRequired({ required: true });
    expect(await errorOf(authenticate(member, "correct horse battery"))).toBeInstanceOf(SsoRequiredError);
    // A wrong password learns nothing about the rule.
    expect(await authenticate(member, "wrong password!!")).toBeNull();
    expect(await authenticate(owner, "correct horse battery")).toMatchObject({ email: owner });
    expect(await authenticate(outside, "correct horse battery")).toMatchObject({ email: outside });
    await asT.sso.setRequired({ required: false });
    expect(await authenticate(member, "correct horse battery")).toMatchObject({ email: member });
  });
});

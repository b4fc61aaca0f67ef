import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { z } from "zod";
import type { Database, Transaction } from "@/db/client";
import { ssoSignIns, tenantSso } from "@/db/schema/sso";
import { tenants } from "@/db/schema/tenants";
import { users } from "@/db/schema/users";
import { env } from "@/lib/env";
import { writeAudit } from "@/server/audit/write-audit";
import { enterTenant, enterTenantDirectory } from "@/server/tenancy/enter-tenant";
import { insertUserSession, SESSION_TTL_S } from "@/server/sessions";
import { rootUrl } from "@/server/urls";
import { authorizationRequest, exchangeCode, providerClient, type ProviderClient } from "./oidc";
import { openSecret } from "./secret-box";
import { SsoError } from "./sso-error";

/** How long the browser has to come back from the provider. */
export const SSO_ATTEMPT_TTL_S = 10 * 60;
export const SSO_COOKIE = "canopy.sso";
export const ssoCallbackUrl = () => rootUrl("/sso/callback");

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const emailInput = z.email().max(320);

/** The part after the last @, lower-cased: the domain a workspace claims. */
export const emailDomain = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

type TenantRow = { tenant_id: string; slug: string };

/** The workspace that signs this address in with SSO, if any (a verified claim of an active tenant with SSO configured). */
export async function ssoTenantForEmail(directory: Database, email: string): Promise<TenantRow | null> {
  const [row] = await directory.execute<TenantRow>(sql`select tenant_id, slug from app_sso_tenant_for_domain(${emailDomain(email)})`);
  return row ?? null;
}

async function tenantProvider(tx: Transaction, tenantId: string): Promise<ProviderClient> {
  const [config] = await tx.select().from(tenantSso).where(eq(tenantSso.tenantId, tenantId));
  if (!config) throw new SsoError("not_configured");
  const clientSecret = openSecret(config.clientSecretSealed, tenantId);
  // Sealed under another AUTH_SECRET (rotated) or altered: the owner has to enter it again.
  if (clientSecret === null) throw new SsoError("discovery", "The stored client secret cannot be opened; the workspace owner must enter it again");
  return providerClient({ issuer: config.issuer, clientId: config.clientId, clientSecret });
}

export type BeganSignIn = { authorizationUrl: string; cookie: string };

/**
 * Starts an SSO sign-in for an address: finds the workspace that claims its domain, and records
 * state, nonce and PKCE verifier bound to a random browser secret, whose SHA-256 is stored and
 * whose clear value goes into the browser's httpOnly cookie. Only that browser can finish it.
 */
export async function beginSsoSignIn(directory: Database, rawEmail: string): Promise<BeganSignIn> {
  const parsed = emailInput.safeParse(rawEmail.trim());
  if (!parsed.success) throw new SsoError("not_configured", "Enter your work email address");
  const email = parsed.data.toLowerCase();
  const tenant = await ssoTenantForEmail(directory, email);
  if (!tenant) throw new SsoError("not_configured");
  const browserSecret = randomBytes(32).toString("base64url");
  const authorizationUrl = await enterTenantDirectory(directory, { tenantId: tenant.tenant_id }, async ({ directory: tx }) => {
    const client = await tenantProvider(tx, tenant.tenant_id);
    const request = await authorizationRequest(client, ssoCallbackUrl(), email);
    await tx.insert(ssoSignIns).values({
      tenantId: tenant.tenant_id,
      browserHash: sha256(browserSecret),
      state: request.state,
      nonce: request.nonce,
      codeVerifier: request.codeVerifier,
      email,
      expiresAt: new Date(Date.now() + SSO_ATTEMPT_TTL_S * 1000),
    });
    return request.url.href;
  });
  return { authorizationUrl, cookie: `${tenant.tenant_id}.${browserSecret}` };
}

const cookieShape = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

export type CompletedSignIn = { jwt: string; userId: string; sessionId: string; tenantSlug: string; userCreated: boolean; memberCreated: boolean; role: string };

type SignInRow = { signed_in_user: string | null; outcome: string | null; user_created: boolean; member_created: boolean; member_role: string | null };

/**
 * The provider's redirect back. In order: the attempt this browser's cookie names is consumed
 * (one conditional update: a second use is a replay, a state that differs is refused and burns the
 * attempt); the code is exchanged and the ID token verified (openid-client: signature, issuer,
 * audience, expiry, nonce; PKCE at the provider); the address must be verified by the provider
 * and in a domain this workspace claims; then, in ONE transaction, app_sso_sign_in links or
 * provisions the account and membership, the audit entries are written and the session is
 * created. Any refusal rolls that transaction back: nothing of it is left behind.
 */
export async function completeSsoSignIn(directory: Database, opts: { cookie: string | undefined; callbackUrl: URL; userAgent?: string | null }): Promise<CompletedSignIn> {
  const match = cookieShape.exec(opts.cookie ?? "");
  if (!match || !z.uuid().safeParse(match[1]).success) throw new SsoError("state");
  const tenantId = match[1]!;
  const browserHash = sha256(match[2]!);
  const state = opts.callbackUrl.searchParams.get("state") ?? "";

  const attempt = await enterTenantDirectory(directory, { tenantId }, async ({ directory: tx }) => {
    const [row] = await tx
      .select()
      .from(ssoSignIns)
      .where(and(eq(ssoSignIns.tenantId, tenantId), eq(ssoSignIns.browserHash, browserHash)))
      .for("update");
    if (!row) return { error: "state" as const, row: null };
    if (row.usedAt) return { error: "replay" as const, row: null };
    if (row.expiresAt.getTime() <= Date.now()) return { error: "state" as const, row: null };
    // Burned on any answer, a mismatched one included: a state may be tried once.
    await tx.update(ssoSignIns).set({ usedAt: new Date() }).where(and(eq(ssoSignIns.tenantId, tenantId), eq(ssoSignIns.id, row.id)));
    if (row.state !== state) return { error: "state" as const, row: null };
    return { error: null, row };
  });
  if (attempt.error !== null) throw new SsoError(attempt.error);
  const { row } = attempt;

  const client = await enterTenantDirectory(directory, { tenantId }, ({ directory }) => tenantProvider(directory, tenantId));
  const identity = await exchangeCode(client, opts.callbackUrl, { state: row.state, nonce: row.nonce, codeVerifier: row.codeVerifier });
  if (!identity.email || !identity.emailVerified) throw new SsoError("email_unverified");

  const done = await enterTenant(directory, { tenant: tenantId }, async ({ data, directory: tx }) => {
    const name = (identity.name ?? identity.email!.slice(0, identity.email!.indexOf("@"))).slice(0, 200);
    const [result] = await tx.execute<SignInRow>(
      sql`select signed_in_user, outcome, user_created, member_created, member_role from app_sso_sign_in(${identity.issuer}, ${identity.subject}, ${identity.email}, ${name})`,
    );
    if (!result || result.outcome !== "ok" || !result.signed_in_user) {
      const outcome = result?.outcome;
      throw new SsoError(outcome === "subject_linked" || outcome === "user_linked" || outcome === "unproven" ? outcome : "domain");
    }
    const userId = result.signed_in_user;
    if (result.member_created) {
      await writeAudit(data, {
        tenantId,
        actorUserId: userId,
        action: "member.joinViaSso",
        entityType: "member",
        entityId: userId,
        after: { email: identity.email, role: result.member_role, newAccount: result.user_created },
      });
    }
    // The session row is the user's own (RLS on app.user_id): this transaction now acts for them.
    await tx.execute(sql`select set_config('app.user_id', ${userId}, true)`);
    const sessionId = await insertUserSession(tx, { userId, host: null, userAgent: opts.userAgent ?? null });
    const [user] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
    const [tenant] = await tx.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId));
    if (!user || !tenant) throw new Error("signed-in user or tenant not readable");
    return { userId, sessionId, user, slug: tenant.slug, userCreated: result.user_created, memberCreated: result.member_created, role: result.member_role ?? "" };
  });

  const jwt = await encode({ token: { sub: done.userId, sid: done.sessionId, email: done.user.email, name: done.user.name }, secret: env().AUTH_SECRET, maxAge: SESSION_TTL_S });
  return { jwt, userId: done.userId, sessionId: done.sessionId, tenantSlug: done.slug, userCreated: done.userCreated, memberCreated: done.memberCreated, role: done.role };
}

import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { decode } from "next-auth/jwt";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { env, servedSecurely } from "@/lib/env";
import { requestClientAddress } from "@/lib/client-address.mjs";
import { classifyHost, normalizeHost } from "@/lib/host";
import { burnPasswordCheck, verifyPassword } from "@/lib/password";
import { sameOriginRedirect } from "@/lib/urls";
import { deviceSummary } from "@/lib/user-agent";
import { mfaCodeInput, MFA_REQUIRED_SIGNAL } from "@/lib/mfa";
import { cookieName } from "./cookie-name";
import { getDb } from "@/server/tenancy/pools";
import { readDeviceCookie, rememberDevice, verifyDeviceCookie } from "./device-cookie";
import { AppError } from "./errors";
import { CHALLENGE_TTL_S, completeMfaChallenge, createMfaChallenge } from "./mfa/challenge";
import { hasMfa } from "./mfa/second-factor";
import { afterSecurityEvent, notifyNewDeviceSignIn } from "./security-events";
import { assertPasswordSignInAllowed } from "./sso/password-rule";
import { createUserSession, revokeSessionFamily, sessionPlaceOf, SESSION_TTL_S } from "./sessions";
import { blockedUntil, clearFailures, recordFailure, ThrottledError, throttleKeys } from "./throttle";

export type Session = { userId: string; sessionId: string; email: string; name: string };

// Canopy serves many hosts; the middleware overwrites x-forwarded-host with the validated Host, so next-auth may trust it.
// next-auth 4 has no option for this and reads the variable itself, hence the write.
process.env.AUTH_TRUST_HOST ??= "true";

const SESSION_MAX_AGE_S = SESSION_TTL_S;

export function secureCookies(): boolean {
  return servedSecurely(env());
}

/** The session cookie's name on this host: Domain-scoped on the root family, host-only elsewhere. */
export function sessionCookieName(rawHost: string | null): string {
  return cookieName("canopy.session-token", { secure: secureCookies(), hostOnly: sessionCookieDomain(rawHost) === undefined });
}

/**
 * Cookie scope per host: on `*.<root>` the session cookie is set for the root domain so one
 * sign-in serves every subdomain; on a custom domain it is host-only, so a tenant's own domain
 * never receives (or can plant) a cookie for the others.
 */
export function sessionCookieDomain(rawHost: string | null): string | undefined {
  const host = normalizeHost(rawHost);
  if (!host) return undefined;
  const classified = classifyHost(host, env().ROOT_DOMAIN);
  if (!classified || classified.kind === "custom") return undefined;
  return env().ROOT_DOMAIN;
}

const credentialsInput = z.object({ email: z.email().max(320), password: z.string().min(1).max(1024) });

type SignInRow = { id: string; email: string; name: string; password_hash: string | null; [k: string]: unknown };

type Identity = Omit<Session, "sessionId">;

/** Where a sign-in comes from: the client address and the browser's device cookie, if any. */
export type SignInSource = { ip: string | null; deviceCookie?: string | null };

/**
 * Checks a password with throttling per email and per client address, or per device for a browser
 * that signed in as this email before (server/throttle.ts). Throttling applies whether or not the
 * email exists, and unknown emails cost the same as known ones, so neither reveals an account.
 */
export async function authenticate(email: string, password: string, source: SignInSource = { ip: null }): Promise<Identity | null> {
  const db = getDb();
  const keys = throttleKeys(email, source.ip, verifyDeviceCookie(source.deviceCookie, email));
  const until = await blockedUntil(db, keys);
  if (until) throw new ThrottledError(until);
  const rows = await db.execute<SignInRow>(sql`select id, email, name, password_hash from app_user_for_sign_in(${email.toLowerCase()})`);
  const user = rows[0];
  let ok = false;
  if (user?.password_hash) ok = await verifyPassword(password, user.password_hash);
  else await burnPasswordCheck(password);
  if (!ok || !user) {
    await recordFailure(db, keys);
    return null;
  }
  await clearFailures(db, keys);
  await assertPasswordSignInAllowed(db, user.email);
  return { userId: user.id, email: user.email, name: user.name };
}

export function mfaChallengeCookieName(secure: boolean): string {
  // __Host-: set over HTTPS, for this host and path / only, so no sibling subdomain can plant a challenge.
  return cookieName("canopy.mfa-challenge", { secure, hostOnly: true });
}

/**
 * The pending sign-in between password and code, bound to this browser: HttpOnly (no script reads
 * it), SameSite=Strict (no other site can post a code with it), host-only (it is good only on the
 * host where the password was given), and gone after 5 minutes or one use.
 */
async function setMfaChallengeCookie(value: string | null, secure: boolean): Promise<void> {
  const { cookies } = await import("next/headers");
  (await cookies()).set({
    name: mfaChallengeCookieName(secure),
    value: value ?? "",
    httpOnly: true,
    secure,
    sameSite: "strict",
    path: "/",
    maxAge: value ? CHALLENGE_TTL_S : 0,
  });
}

/** The browser's header as next-auth hands it to authorize() (a plain object). */
const headerOf = (req: { headers?: Record<string, unknown> } | undefined, name: string) => {
  const value = req?.headers?.[name];
  return typeof value === "string" ? value : null;
};

export function authOptions(rawHost: string | null, userAgent: string | null = null): NextAuthOptions {
  const secure = secureCookies();
  const domain = sessionCookieDomain(rawHost);
  const normalized = normalizeHost(rawHost);
  const place = sessionPlaceOf(normalized ? classifyHost(normalized, env().ROOT_DOMAIN) : null);

  /** The last step of every sign-in: the new-device notice (from a browser without a device tag) and the device cookie. */
  async function signedIn(identity: Identity, deviceCookie: string | null): Promise<{ id: string; email: string; name: string }> {
    if (!verifyDeviceCookie(deviceCookie, identity.email)) {
      await notifyNewDeviceSignIn(getDb(), { userId: identity.userId, device: deviceSummary(userAgent), host: normalized ?? null });
    }
    await rememberDevice({ email: identity.email, current: deviceCookie, secure, domain });
    return { id: identity.userId, email: identity.email, name: identity.name };
  }

  return {
    secret: env().AUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin" },
    useSecureCookies: secure,
    cookies: {
      sessionToken: {
        name: sessionCookieName(rawHost),
        // HttpOnly keeps the token from scripts (XSS); Lax stops it riding cross-site POSTs (CSRF).
        options: { httpOnly: true, sameSite: "lax", path: "/", secure, domain },
      },
      // Host-only, as next-auth makes them: `__Host-` so no sibling host can plant a CSRF token or
      // a callback URL of its choosing (next-auth's default gives the callback URL only `__Secure-`).
      csrfToken: { name: cookieName("canopy.csrf-token", { secure, hostOnly: true }), options: { httpOnly: true, sameSite: "lax", path: "/", secure } },
      callbackUrl: { name: cookieName("canopy.callback-url", { secure, hostOnly: true }), options: { httpOnly: true, sameSite: "lax", path: "/", secure } },
    },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = credentialsInput.safeParse(credentials);
          if (!parsed.success) return null;
          // The address the server entry computed from the socket (and trusted proxies), never a client-sent header.
          const source = { ip: requestClientAddress(req.headers), deviceCookie: readDeviceCookie(req.headers?.cookie, secure) };
          const identity = await authenticate(parsed.data.email, parsed.data.password, source);
          if (!identity) return null;
          if (await hasMfa(getDb(), identity.userId)) {
            // No session yet: the password only earns a challenge, which the code step (provider "mfa") completes.
            if (place === undefined) return null;
            await setMfaChallengeCookie(await createMfaChallenge(getDb(), identity.userId, place), secure);
            throw new Error(MFA_REQUIRED_SIGNAL);
          }
          return signedIn(identity, source.deviceCookie);
        },
      }),
      CredentialsProvider({
        id: "mfa",
        name: "Two-factor code",
        credentials: { code: { label: "Code", type: "text" } },
        async authorize(credentials, req) {
          const code = mfaCodeInput.safeParse(credentials?.code);
          // next-auth passes a thrown message to the page as its `error`: the field's message.
          if (!code.success) throw new Error(code.error.issues[0]?.message ?? "Enter a code");
          const cookieHeader = headerOf(req, "cookie");
          try {
            const done = await completeMfaChallenge(getDb(), {
              cookie: readCookie(cookieHeader, mfaChallengeCookieName(secure)) ?? null,
              code: code.data,
              place,
              ip: requestClientAddress(req.headers),
              origin: { device: deviceSummary(userAgent), host: normalized ?? null },
            });
            await setMfaChallengeCookie(null, secure);
            if (done.event) afterSecurityEvent(getDb(), done.event);
            return await signedIn({ userId: done.userId, email: done.email, name: done.name }, readDeviceCookie(cookieHeader, secure));
          } catch (error) {
            if (error instanceof AppError) throw new Error(error.message);
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      // next-auth's own redirects stay on this origin, as normalised same-site paths (open redirects).
      redirect: ({ url, baseUrl }) => sameOriginRedirect(url, baseUrl),
      async jwt({ token, user }) {
        // A fresh sign-in gets a server-side session row; the JWT only points at it.
        // Bound to where it was issued: a sign-in on a custom domain yields a session for that host only.
        if (user) {
          if (place === undefined) throw new Error("sign-in on an unknown host");
          token.sid = await createUserSession(getDb(), { userId: user.id, host: place, userAgent });
        }
        return token;
      },
    },
    events: {
      async signOut({ token }) {
        const parsed = tokenShape.safeParse(token);
        if (parsed.success) await revokeSessionFamily(getDb(), { userId: parsed.data.sub, sessionId: parsed.data.sid });
      },
    },
  };
}

function readCookie(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

const tokenShape = z.object({ sub: z.uuid(), sid: z.uuid(), email: z.string(), name: z.string() });

/** The signed-in user from the request's session cookie, or null. Membership is checked elsewhere, per request. */
export async function readSession(cookieHeader: string | null, rawHost: string | null): Promise<Session | null> {
  const token = readCookie(cookieHeader, sessionCookieName(rawHost));
  if (!token) return null;
  try {
    const payload = await decode({ token, secret: env().AUTH_SECRET });
    const parsed = tokenShape.safeParse(payload);
    if (!parsed.success) return null;
    return { userId: parsed.data.sub, sessionId: parsed.data.sid, email: parsed.data.email, name: parsed.data.name };
  } catch {
    return null;
  }
}

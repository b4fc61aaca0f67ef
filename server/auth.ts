import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { decode } from "next-auth/jwt";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { env } from "@/lib/env";
import { classifyHost, normalizeHost } from "@/lib/host";
import { burnPasswordCheck, verifyPassword } from "@/lib/password";
import { getDb } from "./db";

export type Session = { userId: string; email: string; name: string };

// Canopy serves many hosts; the middleware overwrites x-forwarded-host with the validated Host, so next-auth may trust it.
process.env.AUTH_TRUST_HOST ??= "true";

const SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;

export function secureCookies(): boolean {
  const e = env();
  return e.SECURE_COOKIES ?? e.NODE_ENV === "production";
}

export function sessionCookieName(): string {
  // __Secure- makes the browser refuse the cookie unless it was set over HTTPS.
  return secureCookies() ? "__Secure-canopy.session-token" : "canopy.session-token";
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

export async function authenticate(email: string, password: string): Promise<Session | null> {
  const rows = await getDb().execute<SignInRow>(
    sql`select id, email, name, password_hash from app_user_for_sign_in(${email.toLowerCase()})`,
  );
  const user = rows[0];
  if (!user?.password_hash) {
    // Same cost as a real check: response time must not reveal whether the email exists.
    await burnPasswordCheck(password);
    return null;
  }
  return (await verifyPassword(password, user.password_hash)) ? { userId: user.id, email: user.email, name: user.name } : null;
}

export function authOptions(rawHost: string | null): NextAuthOptions {
  const secure = secureCookies();
  const domain = sessionCookieDomain(rawHost);
  return {
    secret: env().AUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin" },
    useSecureCookies: secure,
    cookies: {
      sessionToken: {
        name: sessionCookieName(),
        // HttpOnly keeps the token from scripts (XSS); Lax stops it riding cross-site POSTs (CSRF).
        options: { httpOnly: true, sameSite: "lax", path: "/", secure, domain },
      },
    },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          const parsed = credentialsInput.safeParse(credentials);
          if (!parsed.success) return null;
          const session = await authenticate(parsed.data.email, parsed.data.password);
          return session ? { id: session.userId, email: session.email, name: session.name } : null;
        },
      }),
    ],
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

const tokenShape = z.object({ sub: z.uuid(), email: z.string(), name: z.string() });

/** The signed-in user from the request's session cookie, or null. Membership is checked elsewhere, per request. */
export async function readSession(cookieHeader: string | null): Promise<Session | null> {
  const token = readCookie(cookieHeader, sessionCookieName());
  if (!token) return null;
  try {
    const payload = await decode({ token, secret: env().AUTH_SECRET });
    const parsed = tokenShape.safeParse(payload);
    if (!parsed.success) return null;
    return { userId: parsed.data.sub, email: parsed.data.email, name: parsed.data.name };
  } catch {
    return null;
  }
}

import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import type { Database } from "@/db/client";
import { authHandoffs } from "@/db/schema/accounts";
import { memberships, users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import { enterTenantDirectory } from "@/server/tenancy/enter-tenant";
import { env } from "@/lib/env";
import type { TenantRef } from "@/server/tenancy/directory";
import { createUserSession, isSessionLive, SESSION_TTL_S } from "./sessions";
import type { Session } from "./auth";
import { cookieName } from "./cookie-name";

const HANDOFF_TTL_S = 60;
/** How long the custom domain's verifier cookie waits for the browser to come back. */
export const HANDOFF_VERIFIER_TTL_S = 5 * 60;
/**
 * Host-only with Path=/, so that over HTTPS it is a `__Host-` cookie: a sibling of the custom domain
 * (evil.acme.com beside billing.acme.com) cannot toss in a verifier of its own and so complete a
 * hand-off into its own account in the victim's browser.
 */
export const handoffVerifierCookie = (secure: boolean) => cookieName("canopy.handoff-verifier", { secure, hostOnly: true });
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/**
 * Step 0, on the custom domain: a random verifier for a host-only cookie, and its hash (the
 * challenge) to carry to the root domain. Only a browser holding the verifier can complete the
 * hand-off, so a minted token is worthless to anyone who intercepts or is handed it.
 */
export function newHandoffVerifier(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: sha256(verifier) };
}

export const handoffChallengePattern = /^[0-9a-f]{64}$/;

/** Whether the signed-in user is a member of the tenant (checked in that tenant's own scope). */
export async function isMember(directory: Database, opts: { userId: string; tenantId: string }): Promise<boolean> {
  return enterTenantDirectory(directory, { tenantId: opts.tenantId, userId: opts.userId }, async ({ directory: tx }) => {
    const [member] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.tenantId, opts.tenantId), eq(memberships.userId, opts.userId)));
    return member !== undefined;
  });
}

/**
 * Step 1, on the root domain, after the member confirmed with a same-origin POST: a one-time
 * token for one verified custom domain of one tenant, bound to the custom domain's challenge.
 * Returns the raw token (only its hash is stored) or null if not a member.
 */
export async function startHandoff(directory: Database, opts: { session: Session; tenant: TenantRef; host: string; next: string; challenge: string }): Promise<string | null> {
  const token = randomBytes(32).toString("base64url");
  return enterTenantDirectory(directory, { tenantId: opts.tenant.id, userId: opts.session.userId }, async ({ directory: tx }) => {
    const [member] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.tenantId, opts.tenant.id), eq(memberships.userId, opts.session.userId)));
    if (!member) return null;
    await tx.insert(authHandoffs).values({
      tenantId: opts.tenant.id,
      tokenHash: sha256(token),
      userId: opts.session.userId,
      parentSessionId: opts.session.sessionId,
      targetHost: opts.host,
      verifierHash: opts.challenge,
      nextPath: opts.next,
      expiresAt: new Date(Date.now() + HANDOFF_TTL_S * 1000),
    });
    return token;
  });
}

/**
 * Step 2, on the custom domain: consume the token exactly once (the conditional update is the
 * lock) and only with the verifier cookie of the browser that started it, check the root session
 * it came from is still live, and mint a child session bound to this host. A token minted for
 * tenant A is invisible here if this host is tenant B (RLS).
 */
export async function completeHandoff(directory: Database, opts: { tenant: TenantRef; host: string; token: string; verifier: string; userAgent?: string | null }) {
  const used = await enterTenantDirectory(directory, { tenantId: opts.tenant.id }, ({ directory: tx }) =>
    tx
      .update(authHandoffs)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(authHandoffs.tenantId, opts.tenant.id),
          eq(authHandoffs.tokenHash, sha256(opts.token)),
          eq(authHandoffs.targetHost, opts.host),
          eq(authHandoffs.verifierHash, sha256(opts.verifier)),
          isNull(authHandoffs.usedAt),
          gt(authHandoffs.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: authHandoffs.userId, parentSessionId: authHandoffs.parentSessionId, nextPath: authHandoffs.nextPath }),
  );
  const handoff = used[0];
  if (!handoff) return null;
  if (!(await isSessionLive(directory, { userId: handoff.userId, sessionId: handoff.parentSessionId, place: null }))) return null;
  const sessionId = await createUserSession(directory, { userId: handoff.userId, parentId: handoff.parentSessionId, host: opts.host, userAgent: opts.userAgent ?? null });
  const [user] = await withUser(directory, handoff.userId, (tx) => tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, handoff.userId)));
  if (!user) return null;
  const jwt = await encode({
    token: { sub: handoff.userId, sid: sessionId, email: user.email, name: user.name },
    secret: env().AUTH_SECRET,
    maxAge: SESSION_TTL_S,
  });
  return { jwt, nextPath: handoff.nextPath };
}

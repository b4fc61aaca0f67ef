import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { mfaChallenges } from "@/db/schema/mfa";
import { users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import { addressKey } from "@/lib/client-address.mjs";
import { MFA_MESSAGES } from "@/lib/mfa";
import { AppError } from "@/server/errors";
import { queueSecurityNotice, type SecurityEvent } from "@/server/security-events";
import type { SessionPlace } from "@/server/sessions";
import { attemptBlockedUntil, recordAttempt } from "@/server/throttle";
import { newSecret, sha256Hex } from "@/server/tokens";
import { useSecondFactor, type FactorMethod } from "./second-factor";

/** Long enough to open an app and type a code; short enough that a forgotten tab is worth nothing. */
export const CHALLENGE_TTL_S = 5 * 60;
/** Per client address, as for passwords: one address cannot try codes across many challenged accounts. */
const ADDRESS_LIMIT = { max: 30, windowS: 15 * 60 };

const cookieShape = z.string().regex(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);

/**
 * After a correct password for an account with MFA: a single-use challenge, valid for 5 minutes on
 * the host where the password was given. Returns the cookie value (`<user id>.<token>`); only the
 * token's SHA-256 is stored, and the row is the user's own (RLS), found through the id beside it.
 */
export async function createMfaChallenge(directory: Database, userId: string, place: SessionPlace): Promise<string> {
  const token = newSecret();
  await withUser(directory, userId, (tx) =>
    tx.insert(mfaChallenges).values({ userId, tokenHash: sha256Hex(token), host: place, expiresAt: sql`now() + make_interval(secs => ${CHALLENGE_TTL_S})` }),
  );
  return `${userId}.${token}`;
}

export type CompletedChallenge = { userId: string; email: string; name: string; method: FactorMethod; event: SecurityEvent | null };

const expired = () => new AppError("UNAUTHORIZED", MFA_MESSAGES.expired, { code: [MFA_MESSAGES.expired] });

/**
 * The code step of a sign-in. In one transaction of the challenged user: the challenge is live
 * (unused, unexpired, this host), the code is right and not replayed (useSecondFactor), then the
 * challenge is used up. Any refusal changes nothing but the failure counters.
 */
export async function completeMfaChallenge(
  directory: Database,
  opts: { cookie: string | null; code: string; place: SessionPlace | undefined; ip: string | null; origin: { device: string | null; host: string | null } },
): Promise<CompletedChallenge> {
  if (!opts.cookie || !cookieShape.safeParse(opts.cookie).success || opts.place === undefined) throw expired();
  const [userId, token] = opts.cookie.split(".") as [string, string];
  if (!z.uuid().safeParse(userId).success) throw expired();
  const addressAttempts = opts.ip ? `mfa-ip:${addressKey(opts.ip)}` : null;
  if (addressAttempts && (await attemptBlockedUntil(directory, [addressAttempts]))) {
    throw new AppError("TOO_MANY_REQUESTS", MFA_MESSAGES.throttled, { code: [MFA_MESSAGES.throttled] });
  }
  try {
    return await withUser(directory, userId, async (tx) => {
      const [challenge] = await tx
        .select({ id: mfaChallenges.id, host: mfaChallenges.host })
        .from(mfaChallenges)
        .where(and(eq(mfaChallenges.tokenHash, sha256Hex(token)), eq(mfaChallenges.userId, userId), isNull(mfaChallenges.usedAt), sql`${mfaChallenges.expiresAt} > now()`))
        .for("update");
      if (!challenge || challenge.host !== opts.place) throw expired();
      const method = await useSecondFactor(tx, directory, userId, opts.code, { recovery: true });
      await tx.update(mfaChallenges).set({ usedAt: sql`now()` }).where(eq(mfaChallenges.id, challenge.id));
      const [user] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
      if (!user) throw expired();
      let event: SecurityEvent | null = null;
      if (method === "recovery") {
        event = { userId, kind: "mfa.recovery_used", ...opts.origin };
        await queueSecurityNotice(tx, { ...event, to: user.email, name: user.name });
      }
      return { userId, email: user.email, name: user.name, method, event };
    });
  } catch (error) {
    if (addressAttempts && error instanceof AppError && error.code === "BAD_REQUEST") await recordAttempt(directory, addressAttempts, ADDRESS_LIMIT);
    throw error;
  }
}

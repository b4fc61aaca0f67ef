import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { passwordResets, userSessions } from "@/db/schema/accounts";
import { users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import { hashPassword } from "@/lib/password";
import { AppError } from "@/server/errors";
import { queueAccountEmail } from "@/server/mail/account-email";
import { passwordResetEmail } from "@/server/mail/account-templates";
import { queueSecurityNotice, type SecurityEvent } from "@/server/security-events";
import { attemptBlockedUntil, recordAttempt } from "@/server/throttle";
import { newSecret, sha256Hex } from "@/server/tokens";
import type { RequestPasswordResetInput, ResetPasswordInput } from "@/lib/schemas/account";

export const RESET_TTL_MINUTES = 30;

/** Per target address (an inbox cannot be flooded) and per client (no sweeping through addresses). */
const RESET_LIMITS = { perEmail: { max: 3, windowS: 60 * 60 }, perAddress: { max: 10, windowS: 15 * 60 } };

type SignInRow = { id: string; email: string; name: string; [k: string]: unknown };

/**
 * Always the same answer, account or not, so this form cannot tell who is a customer; the mail goes
 * out after the answer (the caller delivers it after commit), so sending it adds no time to it. The
 * limits apply whether or not the address has an account, for the same reason.
 */
export async function requestPasswordReset(
  directory: Database,
  input: RequestPasswordResetInput,
  opts: { clientAddress: string | null; linkFor: (path: string) => string },
): Promise<{ mailFor: string | null }> {
  const keys = [`reset-email:${input.email}`, ...(opts.clientAddress ? [`reset-ip:${opts.clientAddress}`] : [])];
  if (await attemptBlockedUntil(directory, keys)) {
    throw new AppError("TOO_MANY_REQUESTS", "Too many reset requests; try again later");
  }
  await recordAttempt(directory, `reset-email:${input.email}`, RESET_LIMITS.perEmail);
  if (opts.clientAddress) await recordAttempt(directory, `reset-ip:${opts.clientAddress}`, RESET_LIMITS.perAddress);

  const [user] = await directory.execute<SignInRow>(sql`select id, email, name from app_user_for_sign_in(${input.email})`);
  const token = newSecret();
  // An unknown address still spends a transaction, so both answers cost the same statements.
  await withUser(directory, user?.id ?? crypto.randomUUID(), async (tx) => {
    if (!user) return;
    await tx.insert(passwordResets).values({ userId: user.id, tokenHash: sha256Hex(token), expiresAt: sql`now() + make_interval(mins => ${RESET_TTL_MINUTES})` });
    const mail = passwordResetEmail({ name: user.name, url: opts.linkFor(`/reset-password?token=${encodeURIComponent(token)}`), minutes: RESET_TTL_MINUTES });
    await queueAccountEmail(tx, { userId: user.id, kind: "password-reset", to: user.email, ...mail });
  });
  return { mailFor: user?.id ?? null };
}

const INVALID_LINK = "This reset link is not valid, was already used, or has expired; request a new one";

/** Whose link this is, while it still works (the page says so before asking for a password). */
export async function passwordResetUser(directory: Database, token: string): Promise<string | null> {
  const [row] = await directory.execute<{ user_id: string | null }>(sql`select app_password_reset_user(${sha256Hex(token)}) as user_id`);
  return row?.user_id ?? null;
}

/**
 * Sets the new password with a mailed link, in one transaction of the link's user: the link and
 * every other outstanding one are used up, every session of the account ends (whoever knew the old
 * password, or holds a cookie, is out), and a notice is queued. A reused, expired or unknown link
 * changes nothing.
 */
export async function resetPassword(directory: Database, input: ResetPasswordInput, opts: { device: string | null; host: string | null }): Promise<SecurityEvent> {
  const userId = await passwordResetUser(directory, input.token);
  if (!userId) throw new AppError("BAD_REQUEST", INVALID_LINK, { token: [INVALID_LINK] });
  const passwordHash = await hashPassword(input.password);
  await withUser(directory, userId, async (tx) => {
    const [consumed] = await tx.execute<{ ok: boolean }>(sql`select app_consume_password_reset(${sha256Hex(input.token)}) as ok`);
    // Used by a concurrent request since the look-up above: this one changes nothing.
    if (consumed?.ok !== true) throw new AppError("BAD_REQUEST", INVALID_LINK, { token: [INVALID_LINK] });
    const [user] = await tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).returning({ email: users.email, name: users.name });
    if (!user) throw new AppError("BAD_REQUEST", INVALID_LINK, { token: [INVALID_LINK] });
    await tx.update(userSessions).set({ revokedAt: new Date() }).where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt)));
    await queueSecurityNotice(tx, { userId, kind: "password.reset", device: opts.device, host: opts.host, to: user.email, name: user.name });
  });
  return { userId, kind: "password.reset", device: opts.device, host: opts.host };
}

import { and, eq, isNull, ne, or, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { emailVerifications, userSessions } from "@/db/schema/accounts";
import { users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import { hashPassword, verifyPassword } from "@/lib/password";
import type { Session } from "@/server/auth";
import { AppError } from "@/server/errors";
import { queueAccountEmail } from "@/server/mail/account-email";
import { emailChangeEmail } from "@/server/mail/account-templates";
import { queueSecurityNotice, type SecurityEvent } from "@/server/security-events";
import { attemptBlockedUntil, recordAttempt } from "@/server/throttle";
import { newSecret, sha256Hex } from "@/server/tokens";
import type { ChangePasswordInput, RequestEmailChangeInput, UpdateNameInput } from "@/lib/schemas/account";

export const EMAIL_CHANGE_TTL_HOURS = 24;

/** A stolen session must not become a way to guess the password it stands for. */
const PASSWORD_CHECK_LIMIT = { max: 5, windowS: 15 * 60 };
const WRONG_PASSWORD = "Your current password is not correct";

type Origin = { device: string | null; host: string | null };

export async function updateName(directory: Database, userId: string, input: UpdateNameInput): Promise<{ name: string }> {
  await withUser(directory, userId, (tx) => tx.update(users).set({ name: input.name }).where(eq(users.id, userId)));
  return { name: input.name };
}

/** Changes that hand over the account (password, address) ask for the password again, not only the session. */
export async function assertCurrentPassword(tx: Transaction, directory: Database, userId: string, password: string): Promise<{ email: string; name: string }> {
  const key = `password-check:${userId}`;
  if (await attemptBlockedUntil(directory, [key])) {
    throw new AppError("TOO_MANY_REQUESTS", "Too many wrong passwords; try again in 15 minutes");
  }
  const [user] = await tx.select({ email: users.email, name: users.name, hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("NOT_FOUND", "Account not found");
  if (!user.hash || !(await verifyPassword(password, user.hash))) {
    await recordAttempt(directory, key, PASSWORD_CHECK_LIMIT);
    throw new AppError("BAD_REQUEST", WRONG_PASSWORD, { currentPassword: [WRONG_PASSWORD] });
  }
  return { email: user.email, name: user.name };
}

/** Every session of the user but `keep` and the custom-domain hand-offs made from it (the same browser). */
const otherSessions = (userId: string, keep: string) =>
  and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt), ne(userSessions.id, keep), or(isNull(userSessions.parentId), ne(userSessions.parentId, keep)));

/**
 * One transaction: the new hash, every other session ended (whoever learnt the old password is
 * out), reset links mailed before voided, and the notice queued. A wrong current password changes
 * nothing.
 */
export async function changePassword(directory: Database, session: Session, input: ChangePasswordInput, origin: Origin): Promise<SecurityEvent> {
  const passwordHash = await hashPassword(input.newPassword);
  await withUser(directory, session.userId, async (tx) => {
    const user = await assertCurrentPassword(tx, directory, session.userId, input.currentPassword);
    await tx.update(users).set({ passwordHash }).where(eq(users.id, session.userId));
    await tx.update(userSessions).set({ revokedAt: new Date() }).where(otherSessions(session.userId, session.sessionId));
    await tx.execute(sql`select app_void_password_resets()`);
    await queueSecurityNotice(tx, { userId: session.userId, kind: "password.changed", ...origin, to: user.email, name: user.name });
  });
  return { userId: session.userId, kind: "password.changed", ...origin };
}

/** Signs out everywhere else, keeping this browser's session. */
export async function revokeOtherSessions(directory: Database, session: Session): Promise<{ revoked: number }> {
  const rows = await withUser(directory, session.userId, (tx) =>
    tx.update(userSessions).set({ revokedAt: new Date() }).where(otherSessions(session.userId, session.sessionId)).returning({ id: userSessions.id }),
  );
  return { revoked: rows.length };
}

/**
 * Mails a proof to the new address; the account keeps its current one until that proof is used
 * (app_confirm_email_change), so a typo or someone else's address never takes over sign-in.
 */
export async function requestEmailChange(directory: Database, userId: string, input: RequestEmailChangeInput, opts: { linkFor: (path: string) => string }): Promise<{ email: string }> {
  await withUser(directory, userId, async (tx) => {
    const user = await assertCurrentPassword(tx, directory, userId, input.currentPassword);
    if (user.email === input.email) throw new AppError("BAD_REQUEST", "That is already your address", { email: ["That is already your address"] });
    const token = newSecret();
    await tx.insert(emailVerifications).values({
      userId,
      email: input.email,
      purpose: "change",
      tokenHash: sha256Hex(token),
      expiresAt: sql`now() + make_interval(hours => ${EMAIL_CHANGE_TTL_HOURS})`,
    });
    const mail = emailChangeEmail({ name: user.name, url: opts.linkFor(`/confirm-email-change?token=${encodeURIComponent(token)}`), hours: EMAIL_CHANGE_TTL_HOURS });
    await queueAccountEmail(tx, { userId, kind: "email-change", to: input.email, ...mail });
  });
  return { email: input.email };
}

const INVALID_CHANGE_LINK = "This link is not valid for your account, was already used, or has expired; ask for a new one in Account settings";

/** Uses a proof of a new address (the signed-in account's own): the address changes, and the old one is told. */
export async function confirmEmailChange(directory: Database, userId: string, token: string, origin: Origin): Promise<SecurityEvent & { email: string }> {
  try {
    const email = await withUser(directory, userId, async (tx) => {
      const [row] = await tx.execute<{ email: string; previous_email: string }>(sql`select email, previous_email from app_confirm_email_change(${sha256Hex(token)})`);
      if (!row) throw new AppError("BAD_REQUEST", INVALID_CHANGE_LINK, { token: [INVALID_CHANGE_LINK] });
      const [user] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
      await queueSecurityNotice(tx, { userId, kind: "email.changed", ...origin, to: row.previous_email, name: user?.name ?? "", newEmail: row.email });
      return row.email;
    });
    return { userId, kind: "email.changed", ...origin, email };
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === "23505") {
      throw new AppError("CONFLICT", "Another account signed up with that address in the meantime; it cannot be yours too");
    }
    throw error;
  }
}

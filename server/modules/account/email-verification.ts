import { eq, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { emailVerifications } from "@/db/schema/accounts";
import { users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import { safeNextPath } from "@/lib/urls";
import { AppError } from "@/server/errors";
import { queueAccountEmail } from "@/server/mail/account-email";
import { verificationEmail } from "@/server/mail/account-templates";
import { newSecret, sha256Hex } from "@/server/tokens";

export const VERIFICATION_TTL_HOURS = 24;

/**
 * A new proof for the user's current address, mailed to that address. Must run in the user's own
 * transaction (withUser): the token's hash is stored, the clear token exists only in the email.
 */
export async function issueEmailVerification(
  tx: Transaction,
  opts: { userId: string; email: string; name: string; nextPath: string; linkFor: (path: string) => string },
): Promise<void> {
  const token = newSecret();
  await tx.insert(emailVerifications).values({
    userId: opts.userId,
    email: opts.email,
    tokenHash: sha256Hex(token),
    nextPath: safeNextPath(opts.nextPath),
    expiresAt: sql`now() + make_interval(hours => ${VERIFICATION_TTL_HOURS})`,
  });
  const mail = verificationEmail({ name: opts.name, url: opts.linkFor(`/verify-email?token=${encodeURIComponent(token)}`), hours: VERIFICATION_TTL_HOURS });
  await queueAccountEmail(tx, { userId: opts.userId, kind: "email-verification", to: opts.email, ...mail });
}

export async function isEmailVerified(tx: Transaction, userId: string): Promise<boolean> {
  const [row] = await tx.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  return row?.at != null;
}

/** For steps that trust an address (joining a workspace, creating one): refused until it is proven. */
export async function assertEmailVerified(tx: Transaction, userId: string): Promise<void> {
  if (!(await isEmailVerified(tx, userId))) {
    throw new AppError("FORBIDDEN", "Confirm your email address first: use the link we emailed you, or send a new one from your account page");
  }
}

/**
 * Consumes a proof for the signed-in user (the session stands for the password): one use, unexpired,
 * for the address the account has now. Anyone else's token, or a stale one, changes nothing.
 */
export async function confirmEmail(directory: Database, userId: string, token: string): Promise<{ email: string; nextPath: string }> {
  const [row] = await withUser(directory, userId, (tx) =>
    tx.execute<{ email: string; next_path: string }>(sql`select email, next_path from app_confirm_email(${sha256Hex(token)})`),
  );
  if (!row) throw new AppError("BAD_REQUEST", "This confirmation link is not valid for your account, was already used, or has expired; send a new one");
  return { email: row.email, nextPath: safeNextPath(row.next_path) };
}

/** A fresh link for the signed-in user's unproven address. */
export async function resendEmailVerification(directory: Database, userId: string, opts: { nextPath: string; linkFor: (path: string) => string }): Promise<{ sent: boolean }> {
  return withUser(directory, userId, async (tx) => {
    const [user] = await tx.select({ email: users.email, name: users.name, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
    if (!user) throw new AppError("NOT_FOUND", "Account not found");
    if (user.verifiedAt) return { sent: false };
    await issueEmailVerification(tx, { userId, email: user.email, name: user.name, nextPath: opts.nextPath, linkFor: opts.linkFor });
    return { sent: true };
  });
}

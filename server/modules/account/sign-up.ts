import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import { hashPassword } from "@/lib/password";
import { AppError } from "@/server/errors";
import { queueAccountEmail } from "@/server/mail/account-email";
import { accountExistsEmail } from "@/server/mail/account-templates";
import { attemptBlockedUntil, recordAttempt } from "@/server/throttle";
import { issueEmailVerification } from "@/server/modules/account/email-verification";
import type { SignUpInput } from "@/lib/schemas/account";

/** Per client address and per target address: scrypt is costly, and every sign-up sends mail. */
const SIGN_UP_LIMITS = { perAddress: { max: 10, windowS: 15 * 60 }, perEmail: { max: 3, windowS: 60 * 60 } };

type SignInRow = { id: string; email: string; name: string; [k: string]: unknown };

export type SignUpResult = { mailFor: string | null };

/**
 * Always the same answer ("check your inbox"), whether or not the address has an account, so
 * sign-up cannot be used to learn who is a customer. A new address gets an unverified account and
 * a confirmation link; an existing one gets a notice (or, if never confirmed, a fresh link, which
 * still needs that account's password). The caller delivers the mail after commit.
 */
export async function signUp(
  directory: Database,
  input: SignUpInput,
  opts: { clientAddress: string | null; linkFor: (path: string) => string },
): Promise<SignUpResult> {
  const keys = [`signup-email:${input.email}`, ...(opts.clientAddress ? [`signup-ip:${opts.clientAddress}`] : [])];
  if (await attemptBlockedUntil(directory, keys)) {
    throw new AppError("TOO_MANY_REQUESTS", "Too many sign-ups from here; try again in a few minutes");
  }
  await recordAttempt(directory, `signup-email:${input.email}`, SIGN_UP_LIMITS.perEmail);
  if (opts.clientAddress) await recordAttempt(directory, `signup-ip:${opts.clientAddress}`, SIGN_UP_LIMITS.perAddress);
  // Hashed whatever happens next, so both answers take as long.
  const passwordHash = await hashPassword(input.password);
  const nextPath = input.next ?? "/";

  const [existing] = await directory.execute<SignInRow>(sql`select id, email, name from app_user_for_sign_in(${input.email})`);
  if (!existing) {
    const id = crypto.randomUUID();
    try {
      await withUser(directory, id, async (tx) => {
        await tx.insert(users).values({ id, email: input.email, name: input.name, passwordHash });
        await issueEmailVerification(tx, { userId: id, email: input.email, name: input.name, nextPath, linkFor: opts.linkFor });
      });
      return { mailFor: id };
    } catch (error) {
      // Someone signed up with this address a moment ago: answer as for an existing account.
      if ((error as { cause?: { code?: string } }).cause?.code !== "23505") throw error;
      const [raced] = await directory.execute<SignInRow>(sql`select id, email, name from app_user_for_sign_in(${input.email})`);
      if (!raced) throw error;
      return notifyExisting(directory, raced, nextPath, opts.linkFor);
    }
  }
  return notifyExisting(directory, existing, nextPath, opts.linkFor);
}

async function notifyExisting(directory: Database, user: SignInRow, nextPath: string, linkFor: (path: string) => string): Promise<SignUpResult> {
  await withUser(directory, user.id, async (tx) => {
    const [row] = await tx.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, user.id));
    if (row?.verifiedAt) {
      const mail = accountExistsEmail({ name: user.name, signInUrl: linkFor("/signin") });
      await queueAccountEmail(tx, { userId: user.id, kind: "account-exists", to: user.email, ...mail });
    } else {
      await issueEmailVerification(tx, { userId: user.id, email: user.email, name: user.name, nextPath, linkFor });
    }
  });
  return { mailFor: user.id };
}

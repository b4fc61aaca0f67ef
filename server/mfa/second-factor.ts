import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import type { Database, Transaction } from "@/db/client";
import { mfaRecoveryCodes, userMfa } from "@/db/schema/mfa";
import { withUser } from "@/db/tenant-transaction";
import { formatRecoveryCode, isTotpCode, MFA_MESSAGES } from "@/lib/mfa";
import { AppError } from "@/server/errors";
import { attemptBlockedUntil, recordAttempt } from "@/server/throttle";
import { openTotpSecret, recoveryCodeHash, sealTotpSecret } from "./secret-box";

/** One step of clock drift either way (RFC 6238 §5.2), no more: each extra step is another live code to guess. */
const TOLERANCE_S = 30;
export const RECOVERY_CODE_COUNT = 10;
/** Like the password: 5 wrong codes per account in 15 minutes block code checks for 15 minutes. */
const CODE_LIMIT = { max: 5, windowS: 15 * 60 };
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

const fieldError = (message: string, code: "BAD_REQUEST" | "TOO_MANY_REQUESTS" = "BAD_REQUEST") => new AppError(code, message, { code: [message] });

export type FactorMethod = "totp" | "recovery";

/** Whether the user must give a second factor at sign-in. */
export async function hasMfa(directory: Database | Transaction, userId: string): Promise<boolean> {
  const run = async (tx: Transaction | Database) => {
    const [row] = await tx.select({ on: userMfa.enabledAt }).from(userMfa).where(eq(userMfa.userId, userId));
    return Boolean(row?.on);
  };
  return "rollback" in directory ? run(directory) : withUser(directory, userId, run);
}

/** The time step an authenticator code is valid for, `replayed` when it is a code already used, or null. */
async function totpStep(secret: string, code: string, lastUsedStep: number | null): Promise<number | "replayed" | null> {
  const fresh = await verify({ secret, token: code, epochTolerance: TOLERANCE_S, ...(lastUsedStep === null ? {} : { afterTimeStep: lastUsedStep }) });
  if (fresh.valid && "timeStep" in fresh) return fresh.timeStep;
  if (lastUsedStep === null) return null;
  const any = await verify({ secret, token: code, epochTolerance: TOLERANCE_S });
  return any.valid ? "replayed" : null;
}

/**
 * Checks a second factor in the user's transaction `tx` and uses it up: an authenticator code
 * moves the account's last used step forward (row locked, so two concurrent uses of one code
 * succeed once), a recovery code is marked used. Wrong codes count against the account's code
 * limit on `directory` (outside `tx`, so the count survives the rollback that follows the refusal).
 */
export async function useSecondFactor(tx: Transaction, directory: Database, userId: string, code: string, opts: { recovery: boolean }): Promise<FactorMethod> {
  const key = `mfa:${userId}`;
  if (await attemptBlockedUntil(directory, [key])) throw fieldError(MFA_MESSAGES.throttled, "TOO_MANY_REQUESTS");
  const [row] = await tx.select().from(userMfa).where(eq(userMfa.userId, userId)).for("update");
  if (!row?.enabledAt) throw fieldError(MFA_MESSAGES.notEnrolled);
  if (isTotpCode(code)) {
    const step = await totpStep(openTotpSecret(userId, row.secretCiphertext), code, row.lastUsedStep);
    if (typeof step === "number") {
      await tx.update(userMfa).set({ lastUsedStep: step }).where(eq(userMfa.userId, userId));
      return "totp";
    }
    await recordAttempt(directory, key, CODE_LIMIT);
    throw fieldError(step === "replayed" ? MFA_MESSAGES.replayed : MFA_MESSAGES.wrong);
  }
  if (opts.recovery) {
    const hash = recoveryCodeHash(userId, code);
    const used = await tx
      .update(mfaRecoveryCodes)
      .set({ usedAt: sql`now()` })
      .where(and(eq(mfaRecoveryCodes.userId, userId), eq(mfaRecoveryCodes.codeHash, hash), isNull(mfaRecoveryCodes.usedAt)))
      .returning({ id: mfaRecoveryCodes.id });
    if (used.length === 1) return "recovery";
    await recordAttempt(directory, key, CODE_LIMIT);
    const [spent] = await tx.select({ id: mfaRecoveryCodes.id }).from(mfaRecoveryCodes).where(and(eq(mfaRecoveryCodes.userId, userId), eq(mfaRecoveryCodes.codeHash, hash)));
    throw fieldError(spent ? MFA_MESSAGES.recoveryUsed : MFA_MESSAGES.wrong);
  }
  await recordAttempt(directory, key, CODE_LIMIT);
  throw fieldError(MFA_MESSAGES.wrong);
}

/** A fresh set of recovery codes replacing the old ones (all of them, used or not); returned once, stored hashed. */
export async function replaceRecoveryCodes(tx: Transaction, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    // 10 base32 characters (50 bits) from 10 random bytes, 5 bits each: no modulo bias.
    const bytes = randomBytes(10);
    return Array.from(bytes, (b) => BASE32[b & 31]).join("");
  });
  await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
  await tx.insert(mfaRecoveryCodes).values(codes.map((c) => ({ userId, codeHash: recoveryCodeHash(userId, c) })));
  return codes.map(formatRecoveryCode);
}

/** A new authenticator secret for enrolment: sealed for storage, and shown as text, an otpauth URI and a QR code. */
export async function newAuthenticator(userId: string, email: string) {
  const secret = generateSecret();
  const otpauthUri = generateURI({ issuer: "Canopy", label: email, secret });
  // An SVG data URL: the page's CSP allows data: images, and no script renders it.
  const svg = await QRCode.toString(otpauthUri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { sealed: sealTotpSecret(userId, secret), secret, otpauthUri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}

import { and, count, eq, isNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import { mfaRecoveryCodes, userMfa } from "@/db/schema/mfa";
import { users } from "@/db/schema/users";
import { withUser } from "@/db/tenant-transaction";
import { AppError } from "@/server/errors";
import { newAuthenticator, replaceRecoveryCodes, useSecondFactor } from "@/server/mfa/second-factor";
import { queueSecurityNotice, type SecurityEvent } from "@/server/security-events";
import { assertCurrentPassword } from "@/server/modules/account/account-settings";
import type { ConfirmMfaInput, DisableMfaInput, RegenerateRecoveryCodesInput } from "@/lib/schemas/account";

type Origin = { device: string | null; host: string | null };

export type MfaStatus = { enabled: boolean; enabledAt: Date | null; recoveryCodesLeft: number };

export async function getMfaStatus(directory: Database, userId: string): Promise<MfaStatus> {
  return withUser(directory, userId, async (tx) => {
    const [row] = await tx.select({ enabledAt: userMfa.enabledAt }).from(userMfa).where(eq(userMfa.userId, userId));
    const [left] = await tx
      .select({ n: count() })
      .from(mfaRecoveryCodes)
      .where(and(eq(mfaRecoveryCodes.userId, userId), isNull(mfaRecoveryCodes.usedAt)));
    return { enabled: Boolean(row?.enabledAt), enabledAt: row?.enabledAt ?? null, recoveryCodesLeft: row?.enabledAt ? (left?.n ?? 0) : 0 };
  });
}

const ALREADY_ON = "Two-factor authentication is already on; remove it first to enrol another app";

/**
 * Starts (or restarts) enrolment: a new secret, stored sealed and not yet enabled. Sign-in does
 * not ask for codes until a first code confirms the person's app holds the same secret.
 */
export async function beginMfaEnrolment(directory: Database, userId: string): Promise<{ secret: string; otpauthUri: string; qrDataUrl: string }> {
  return withUser(directory, userId, async (tx) => {
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    if (!user) throw new AppError("NOT_FOUND", "Account not found");
    const [row] = await tx.select({ enabledAt: userMfa.enabledAt }).from(userMfa).where(eq(userMfa.userId, userId)).for("update");
    if (row?.enabledAt) throw new AppError("CONFLICT", ALREADY_ON);
    const { sealed, secret, otpauthUri, qrDataUrl } = await newAuthenticator(userId, user.email);
    await tx
      .insert(userMfa)
      .values({ userId, secretCiphertext: sealed })
      .onConflictDoUpdate({ target: userMfa.userId, set: { secretCiphertext: sealed, lastUsedStep: null, enabledAt: null } });
    return { secret, otpauthUri, qrDataUrl };
  });
}

const NO_ENROLMENT = "Start the set-up again: no authenticator is waiting for a first code";

/** One transaction: the first code checked, MFA on, 10 recovery codes (returned once) and the notice queued. */
export async function confirmMfaEnrolment(directory: Database, userId: string, input: ConfirmMfaInput, origin: Origin): Promise<{ recoveryCodes: string[]; event: SecurityEvent }> {
  const recoveryCodes = await withUser(directory, userId, async (tx) => {
    const [row] = await tx.select({ enabledAt: userMfa.enabledAt }).from(userMfa).where(eq(userMfa.userId, userId)).for("update");
    if (!row) throw new AppError("BAD_REQUEST", NO_ENROLMENT, { code: [NO_ENROLMENT] });
    if (row.enabledAt) throw new AppError("CONFLICT", ALREADY_ON);
    // useSecondFactor checks enabled accounts; a pending one is switched on first, inside this transaction,
    // so a wrong code rolls the switch back with everything else.
    await tx.update(userMfa).set({ enabledAt: new Date() }).where(eq(userMfa.userId, userId));
    await useSecondFactor(tx, directory, userId, input.code, { recovery: false });
    const codes = await replaceRecoveryCodes(tx, userId);
    const [user] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
    await queueSecurityNotice(tx, { userId, kind: "mfa.enabled", ...origin, to: user!.email, name: user!.name });
    return codes;
  });
  return { recoveryCodes, event: { userId, kind: "mfa.enabled", ...origin } };
}

/** New recovery codes for a current authenticator code; the old ones stop working in the same transaction. */
export async function regenerateRecoveryCodes(directory: Database, userId: string, input: RegenerateRecoveryCodesInput): Promise<{ recoveryCodes: string[] }> {
  const recoveryCodes = await withUser(directory, userId, async (tx) => {
    await useSecondFactor(tx, directory, userId, input.code, { recovery: false });
    return replaceRecoveryCodes(tx, userId);
  });
  return { recoveryCodes };
}

/**
 * Removing the second factor needs both factors: the password (a stolen session alone must not
 * downgrade the account) and a code (an authenticator code or a recovery code, for a lost phone).
 */
export async function disableMfa(directory: Database, userId: string, input: DisableMfaInput, origin: Origin): Promise<SecurityEvent> {
  await withUser(directory, userId, async (tx) => {
    const user = await assertCurrentPassword(tx, directory, userId, input.currentPassword);
    await useSecondFactor(tx, directory, userId, input.code, { recovery: true });
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
    await tx.delete(userMfa).where(eq(userMfa.userId, userId));
    await queueSecurityNotice(tx, { userId, kind: "mfa.disabled", ...origin, to: user.email, name: user.name });
  });
  return { userId, kind: "mfa.disabled", ...origin };
}

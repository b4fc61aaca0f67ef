import { z } from "zod";

/** The code field's own format messages; the sign-in prompt shows them as the provider passes them on. */
export const MFA_FORMAT_MESSAGES = {
  empty: "Enter the code from your authenticator app",
  tooLong: "That is not a code",
  shape: "Enter the 6-digit code from your app, or a recovery code",
} as const;

/** What the person types at a code prompt: a 6-digit authenticator code or a recovery code (spaces and hyphens ignored). */
export const mfaCodeInput = z
  .string()
  .trim()
  .min(1, MFA_FORMAT_MESSAGES.empty)
  .max(40, MFA_FORMAT_MESSAGES.tooLong)
  .transform((v) => v.replace(/[\s-]/g, "").toLowerCase())
  .refine((v) => /^\d{6}$/.test(v) || /^[a-z2-7]{10}$/.test(v), MFA_FORMAT_MESSAGES.shape);

/** Only an authenticator code (enrolment, regenerating recovery codes, removing MFA). */
export const totpCodeInput = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s/g, ""))
  .refine((v) => /^\d{6}$/.test(v), "Enter the 6-digit code from your authenticator app");

export const isTotpCode = (normalized: string) => /^\d{6}$/.test(normalized);

/** Recovery codes as shown: 10 characters of base32 in two groups, `abcde-fghij`. */
export const formatRecoveryCode = (normalized: string) => `${normalized.slice(0, 5)}-${normalized.slice(5)}`;

/** The messages a code prompt shows under its field; the sign-in step receives them through next-auth's error string. */
export const MFA_MESSAGES = {
  wrong: "That code is not correct",
  replayed: "That code was already used; wait for the next one from your app",
  recoveryUsed: "That recovery code was already used",
  expired: "This sign-in has expired; enter your email and password again",
  throttled: "Too many wrong codes; try again in 15 minutes",
  notEnrolled: "Two-factor authentication is not set up on this account",
} as const;

/** The password step's answer for an account with MFA: the browser goes on to the code prompt. */
export const MFA_REQUIRED_SIGNAL = "MFA_REQUIRED";

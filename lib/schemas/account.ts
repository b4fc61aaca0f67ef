import { z } from "zod";
import { mfaCodeInput, totpCodeInput } from "@/lib/mfa";
import { slugSchema } from "@/lib/slug";

/**
 * Every password someone sets (sign-up, reset, change). Length is checked here, in the browser too;
 * the server adds the common-password check (lib/password-policy.ts), whose list stays out of the
 * browser bundle. Sign-in checks none of this: a password set under older rules still signs in.
 */
export const newPassword = z.string().min(12, "Use at least 12 characters").max(200, "At most 200 characters");

const personName = z.string().trim().min(1, "Name is required").max(100, "At most 100 characters");
const emailAddress = z.email("Enter a valid email").max(320).transform((v) => v.toLowerCase());
/** A mailed link's secret (32 random bytes, base64url). */
const linkToken = z.string().regex(/^[A-Za-z0-9_-]{20,200}$/, "This link is incomplete; open it from the email again");

export const signUpInput = z.strictObject({
  name: personName,
  email: emailAddress,
  password: newPassword,
  /** Where to continue once the address is confirmed (made same-site on the server). */
  next: z.string().max(2000).optional(),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const createWorkspaceInput = z.strictObject({
  name: z.string().trim().min(1, "Name is required").max(100, "At most 100 characters"),
  slug: slugSchema,
});
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceInput>;

export const slugAvailableInput = z.strictObject({ slug: z.string().trim().toLowerCase().max(100) });

export const confirmEmailInput = z.strictObject({ token: z.string().min(20).max(200) });
export const resendVerificationInput = z.strictObject({ next: z.string().max(2000).optional() });

export const requestPasswordResetInput = z.strictObject({ email: emailAddress });
export type RequestPasswordResetInput = z.infer<typeof requestPasswordResetInput>;

export const resetPasswordInput = z.strictObject({ token: linkToken, password: newPassword });
export type ResetPasswordInput = z.infer<typeof resetPasswordInput>;

export const updateNameInput = z.strictObject({ name: personName });
export type UpdateNameInput = z.infer<typeof updateNameInput>;

export const changePasswordInput = z.strictObject({ currentPassword: z.string().min(1, "Enter your current password").max(1024), newPassword });
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

export const requestEmailChangeInput = z.strictObject({ email: emailAddress, currentPassword: z.string().min(1, "Enter your current password").max(1024) });
export type RequestEmailChangeInput = z.infer<typeof requestEmailChangeInput>;

export const confirmEmailChangeInput = z.strictObject({ token: linkToken });

export const revokeSessionInput = z.strictObject({ id: z.uuid() });

export const confirmMfaInput = z.strictObject({ code: totpCodeInput });
export type ConfirmMfaInput = z.infer<typeof confirmMfaInput>;

export const regenerateRecoveryCodesInput = z.strictObject({ code: totpCodeInput });
export type RegenerateRecoveryCodesInput = z.infer<typeof regenerateRecoveryCodesInput>;

export const disableMfaInput = z.strictObject({ currentPassword: z.string().min(1, "Enter your current password").max(1024), code: mfaCodeInput });
export type DisableMfaInput = z.infer<typeof disableMfaInput>;

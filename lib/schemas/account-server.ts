import type { z } from "zod";
import { COMMON_PASSWORD_MESSAGE, isGuessablePassword } from "@/lib/password-policy";
import { changePasswordInput, resetPasswordInput, signUpInput } from "@/lib/schemas/account";

/**
 * The forms' schemas plus the common-password half of the policy, for the server only: the
 * password list (lib/password-policy, server-only) stays out of the browser bundle.
 */
function withPasswordPolicy<S extends z.ZodType<Record<K, string>>, K extends string>(schema: S, field: K) {
  return schema.superRefine((value, ctx) => {
    if (isGuessablePassword(value[field])) ctx.addIssue({ code: "custom", path: [field], message: COMMON_PASSWORD_MESSAGE });
  });
}

export const signUpServerInput = withPasswordPolicy(signUpInput, "password");
export const resetPasswordServerInput = withPasswordPolicy(resetPasswordInput, "password");
export const changePasswordServerInput = withPasswordPolicy(changePasswordInput, "newPassword");

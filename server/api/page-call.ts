import "server-only";
import { TRPCError } from "@trpc/server";
import { forbidden, notFound, redirect } from "next/navigation";
import { AppError } from "@/server/errors";
import { rootUrl } from "@/server/urls";

/** Where a member without MFA goes when their workspace requires it: the account page's MFA section, which explains why. */
export const MFA_ENROL_PATH = "/settings?required=mfa#mfa";

/** Turns a procedure's typed error into the page a person should see (sign-in, MFA set-up, 403, 404). */
export async function pageCall<T>(fn: () => Promise<T>, path = "/"): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof TRPCError) {
      if (error.code === "UNAUTHORIZED") redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
      if (error.cause instanceof AppError && error.cause.code === "MFA_REQUIRED") redirect(rootUrl(MFA_ENROL_PATH));
      if (error.code === "FORBIDDEN") forbidden();
      if (error.code === "NOT_FOUND") notFound();
    }
    throw error;
  }
}

import "server-only";
import { TRPCError } from "@trpc/server";
import { forbidden, notFound, redirect } from "next/navigation";

/** Turns a procedure's typed error into the page a person should see (sign-in, 403, 404). */
export async function pageCall<T>(fn: () => Promise<T>, path = "/"): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof TRPCError) {
      if (error.code === "UNAUTHORIZED") redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
      if (error.code === "FORBIDDEN") forbidden();
      if (error.code === "NOT_FOUND") notFound();
    }
    throw error;
  }
}

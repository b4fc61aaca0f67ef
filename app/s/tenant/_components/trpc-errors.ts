import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/routers/_app";

type FieldErrors = Record<string, string[] | undefined>;

/** The message and per-field errors the server's errorFormatter sends. */
export function describeError(error: unknown): { message: string; code: string | null; fieldErrors: FieldErrors } {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<AppRouter>).data as { code?: string; fieldErrors?: FieldErrors | null } | undefined;
    return { message: error.message, code: data?.code ?? null, fieldErrors: data?.fieldErrors ?? {} };
  }
  return { message: error instanceof Error ? error.message : "Something went wrong", code: null, fieldErrors: {} };
}

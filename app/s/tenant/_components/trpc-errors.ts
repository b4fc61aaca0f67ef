import { TRPCClientError } from "@trpc/client";
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { toast } from "sonner";
import type { AppRouter } from "@/server/api/root";

type FieldErrors = Record<string, string[] | undefined>;

/** The message and per-field errors the server's errorFormatter sends. */
export function describeError(error: unknown): { message: string; code: string | null; fieldErrors: FieldErrors } {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<AppRouter>).data as { code?: string; fieldErrors?: FieldErrors | null } | undefined;
    return { message: error.message, code: data?.code ?? null, fieldErrors: data?.fieldErrors ?? {} };
  }
  return { message: error instanceof Error ? error.message : "Something went wrong", code: null, fieldErrors: {} };
}

/**
 * A refused mutation, shown on its form: each listed field's first server message under that field,
 * the overall message at the top of the form and in a toast. What was typed stays.
 */
export function showServerErrors<F extends FieldValues>(form: UseFormReturn<F>, error: unknown, fields: readonly Path<F>[]): void {
  const { message, fieldErrors } = describeError(error);
  for (const field of fields) {
    const first = fieldErrors[field]?.[0];
    if (first) form.setError(field, { message: first });
  }
  form.setError("root.server", { message });
  toast.error(message);
}

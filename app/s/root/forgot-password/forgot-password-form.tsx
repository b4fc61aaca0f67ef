"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Field } from "@/app/field";
import { FormError } from "@/app/s/tenant/_components/form";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { requestPasswordResetInput, type RequestPasswordResetInput } from "@/lib/schemas/account";
import { describeError } from "@/app/s/tenant/_components/trpc-errors";

export function ForgotPasswordForm() {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const form = useForm<RequestPasswordResetInput>({ resolver: zodResolver(requestPasswordResetInput), defaultValues: { email: "" } });
  const request = useMutation(trpc.account.requestPasswordReset.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await request.mutateAsync(values);
    } catch (error) {
      const { message, fieldErrors } = describeError(error);
      form.setError(fieldErrors.email?.[0] ? "email" : "root", { message: fieldErrors.email?.[0] ?? message });
    }
  });

  const { errors, isSubmitting } = form.formState;
  // The same answer whether or not the address has an account (no account discovery).
  if (request.isSuccess) {
    return (
      <div role="status" className="mt-6 rounded-md border border-emerald-200 bg-emerald-50 p-4 text-emerald-900">
        <h2 className="font-semibold">Check your inbox</h2>
        <p className="mt-1 text-sm">
          If <strong className="break-all">{request.data.email}</strong> belongs to a Canopy account, a link to reset its password is on its way. It works once and expires in 30
          minutes.
        </p>
      </div>
    );
  }
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="mt-6 space-y-4" noValidate>
      <Field label="Email" type="email" error={errors.email?.message} {...form.register("email")} autoComplete="email" />
      <FormError message={errors.root?.message} />
      <button type="submit" disabled={!hydrated || isSubmitting} className="w-full rounded-md bg-emerald-700 px-4 py-2 font-medium text-white disabled:opacity-60">
        {isSubmitting ? "Sending…" : "Send reset link"}
      </button>
    </form>
  );
}

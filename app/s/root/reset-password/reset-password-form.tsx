"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Field } from "@/app/field";
import { describeError } from "@/app/s/tenant/_components/trpc-errors";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { newPassword } from "@/server/routers/account/schemas";

const resetForm = z
  .object({ password: newPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ" });
type ResetForm = z.infer<typeof resetForm>;

export function ResetPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const form = useForm<ResetForm>({ resolver: zodResolver(resetForm), defaultValues: { password: "", confirm: "" } });
  const reset = useMutation(trpc.account.resetPassword.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await reset.mutateAsync({ token, password: values.password });
    } catch (error) {
      const { message, fieldErrors } = describeError(error);
      if (fieldErrors.password?.[0]) form.setError("password", { message: fieldErrors.password[0] });
      else form.setError("root", { message: fieldErrors.token?.[0] ?? message });
    }
  });

  const { errors, isSubmitting } = form.formState;
  if (reset.isSuccess) {
    return (
      <div role="status" className="mt-6 rounded-md border border-emerald-200 bg-emerald-50 p-4 text-emerald-900">
        <h2 className="font-semibold">Your password is changed</h2>
        <p className="mt-1 text-sm">Every session of your account was signed out. Sign in with your new password.</p>
        <Link href="/signin" className="mt-3 inline-block rounded-md bg-emerald-700 px-4 py-2 text-sm font-medium text-white">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="mt-6 space-y-4" noValidate>
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. A few unrelated words make a good one; common passwords are refused."
        error={errors.password?.message}
        {...form.register("password")}
      />
      <Field label="Repeat the new password" type="password" autoComplete="new-password" error={errors.confirm?.message} {...form.register("confirm")} />
      {errors.root ? (
        <p role="alert" className="text-sm text-red-700">
          {errors.root.message}
        </p>
      ) : null}
      <button type="submit" disabled={!hydrated || isSubmitting} className="w-full rounded-md bg-emerald-700 px-4 py-2 font-medium text-white disabled:opacity-60">
        {isSubmitting ? "Saving…" : "Set new password"}
      </button>
    </form>
  );
}

"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { NewPasswordFields } from "@/app/new-password-fields";
import { FormError } from "@/app/s/tenant/_components/form";
import { describeError } from "@/app/s/tenant/_components/trpc-errors";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { newPassword } from "@/lib/schemas/account";

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
      <NewPasswordFields
        password={form.register("password")}
        confirm={form.register("confirm")}
        errors={{ password: errors.password?.message, confirm: errors.confirm?.message }}
      />
      <FormError message={errors.root?.message} />
      <button type="submit" disabled={!hydrated || isSubmitting} className="w-full rounded-md bg-emerald-700 px-4 py-2 font-medium text-white disabled:opacity-60">
        {isSubmitting ? "Saving…" : "Set new password"}
      </button>
    </form>
  );
}

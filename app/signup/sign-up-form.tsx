"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { useTRPC } from "@/lib/trpc/react";
import { signUpInput, type SignUpInput } from "@/lib/schemas/account";
import { Field } from "@/app/field";
import { useHydrated } from "@/lib/use-hydrated";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const form = useForm<SignUpInput>({ resolver: zodResolver(signUpInput), defaultValues: { name: "", email: "", password: "" } });
  const signUp = useMutation(trpc.account.signUp.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await signUp.mutateAsync({ ...values, next: callbackUrl });
    } catch (error) {
      const data = (error as { data?: { fieldErrors?: Record<string, string[] | undefined> | null } }).data;
      for (const [name, messages] of Object.entries(data?.fieldErrors ?? {})) {
        if (messages?.[0]) form.setError(name as keyof SignUpInput, { message: messages[0] });
      }
      if (!data?.fieldErrors) form.setError("root", { message: (error as Error).message });
    }
  });

  const { errors, isSubmitting } = form.formState;
  // The same answer whether or not the address already had an account (no account discovery).
  if (signUp.isSuccess) {
    return (
      <div role="status" className="mt-6 rounded-md border border-emerald-200 bg-emerald-50 p-4 text-emerald-900">
        <h2 className="font-semibold">Check your inbox</h2>
        <p className="mt-1 text-sm">
          We sent a link to <strong className="break-all">{signUp.data.email}</strong>. Open it to confirm your address and finish signing up. The link expires in 24 hours.
        </p>
      </div>
    );
  }
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="mt-6 space-y-4" noValidate>
      <Field label="Name" error={errors.name?.message} {...form.register("name")} autoComplete="name" />
      <Field label="Email" type="email" error={errors.email?.message} {...form.register("email")} autoComplete="email" />
      <Field label="Password" type="password" error={errors.password?.message} {...form.register("password")} autoComplete="new-password" />
      {errors.root ? (
        <p role="alert" className="text-sm text-red-700">
          {errors.root.message}
        </p>
      ) : null}
      <button type="submit" disabled={!hydrated || isSubmitting} className="w-full rounded-md bg-emerald-700 px-4 py-2 font-medium text-white disabled:opacity-60">
        {isSubmitting ? "Creating…" : "Create account"}
      </button>
    </form>
  );
}

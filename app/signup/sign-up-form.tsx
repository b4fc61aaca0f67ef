"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useForm } from "react-hook-form";
import { safeNextPath } from "@/lib/urls";
import { useTRPC } from "@/lib/trpc/react";
import { signUpInput, type SignUpInput } from "@/server/routers/account/schemas";
import { Field } from "@/app/field";
import { useHydrated } from "@/lib/use-hydrated";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const form = useForm<SignUpInput>({ resolver: zodResolver(signUpInput), defaultValues: { name: "", email: "", password: "" } });
  const signUp = useMutation(trpc.account.signUp.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await signUp.mutateAsync(values);
    } catch (error) {
      const data = (error as { data?: { fieldErrors?: Record<string, string[] | undefined> | null } }).data;
      for (const [name, messages] of Object.entries(data?.fieldErrors ?? {})) {
        if (messages?.[0]) form.setError(name as keyof SignUpInput, { message: messages[0] });
      }
      if (!data?.fieldErrors) form.setError("root", { message: (error as Error).message });
      return;
    }
    const result = await signIn("credentials", { email: values.email, password: values.password, redirect: false });
    if (result?.ok && !result.error) window.location.assign(safeNextPath(callbackUrl));
    else form.setError("root", { message: "Your account was created, but signing in failed. Try signing in." });
  });

  const { errors, isSubmitting } = form.formState;
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

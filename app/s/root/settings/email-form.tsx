"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Field } from "@/app/field";
import { FormError } from "@/app/s/tenant/_components/form";
import { showServerErrors } from "@/app/s/tenant/_components/trpc-errors";
import { buttonClass } from "@/app/s/tenant/_components/ui";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { requestEmailChangeInput, type RequestEmailChangeInput } from "@/lib/schemas/account";

export function EmailForm({ email, verified }: { email: string; verified: boolean }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const form = useForm<RequestEmailChangeInput>({ resolver: zodResolver(requestEmailChangeInput), defaultValues: { email: "", currentPassword: "" } });
  const request = useMutation(trpc.account.requestEmailChange.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await request.mutateAsync(values);
      form.reset();
    } catch (error) {
      showServerErrors(form, error, ["email", "currentPassword"]);
    }
  });

  const { errors, isSubmitting } = form.formState;
  return (
    <div className="space-y-4">
      <p className="text-sm">
        Currently <strong className="break-all">{email}</strong>{" "}
        <span className={verified ? "text-emerald-800" : "text-amber-800"}>({verified ? "confirmed" : "not confirmed yet"})</span>
      </p>
      {request.isSuccess ? (
        <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
          We sent a link to <strong className="break-all">{request.data.email}</strong>. Your address changes once you open it; until then you keep signing in with{" "}
          {email}.
        </p>
      ) : null}
      <form onSubmit={(e) => void onSubmit(e)} className="space-y-4" noValidate>
        <Field label="New email address" type="email" autoComplete="email" error={errors.email?.message} {...form.register("email")} />
        <Field label="Current password" type="password" autoComplete="current-password" error={errors.currentPassword?.message} {...form.register("currentPassword")} />
        <FormError message={errors.root?.server?.message} />
        <button type="submit" disabled={!hydrated || isSubmitting} className={buttonClass("secondary")}>
          {isSubmitting ? "Sending…" : "Send confirmation link"}
        </button>
      </form>
    </div>
  );
}

"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Field } from "@/app/field";
import { NewPasswordFields } from "@/app/new-password-fields";
import { FormError } from "@/app/s/tenant/_components/form";
import { showServerErrors } from "@/app/s/tenant/_components/trpc-errors";
import { buttonClass } from "@/app/s/tenant/_components/ui";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { changePasswordInput } from "@/lib/schemas/account";

const passwordForm = changePasswordInput
  .extend({ confirm: z.string() })
  .refine((v) => v.newPassword === v.confirm, { path: ["confirm"], message: "The two passwords differ" });
type PasswordFormValues = z.infer<typeof passwordForm>;

export function PasswordForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const form = useForm<PasswordFormValues>({ resolver: zodResolver(passwordForm), defaultValues: { currentPassword: "", newPassword: "", confirm: "" } });
  const change = useMutation(trpc.account.changePassword.mutationOptions());

  const onSubmit = form.handleSubmit(async ({ currentPassword, newPassword }) => {
    try {
      await change.mutateAsync({ currentPassword, newPassword });
      form.reset();
      toast.success("Password changed. Your other sessions were signed out.");
      await queryClient.invalidateQueries(trpc.account.sessions.pathFilter());
    } catch (error) {
      showServerErrors(form, error, ["currentPassword", "newPassword"]);
    }
  });

  const { errors, isSubmitting } = form.formState;
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="space-y-4" noValidate>
      <Field label="Current password" type="password" autoComplete="current-password" error={errors.currentPassword?.message} {...form.register("currentPassword")} />
      <NewPasswordFields
        password={form.register("newPassword")}
        confirm={form.register("confirm")}
        errors={{ password: errors.newPassword?.message, confirm: errors.confirm?.message }}
      />
      <FormError message={errors.root?.server?.message} />
      <button type="submit" disabled={!hydrated || isSubmitting} className={buttonClass("primary")}>
        {isSubmitting ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}

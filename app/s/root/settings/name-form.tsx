"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Field } from "@/app/field";
import { FormError } from "@/app/s/tenant/_components/form";
import { showServerErrors } from "@/app/s/tenant/_components/trpc-errors";
import { buttonClass } from "@/app/s/tenant/_components/ui";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { updateNameInput, type UpdateNameInput } from "@/lib/schemas/account";

export function NameForm({ name }: { name: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const form = useForm<UpdateNameInput>({ resolver: zodResolver(updateNameInput), defaultValues: { name } });
  const update = useMutation(trpc.account.updateName.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const saved = await update.mutateAsync(values);
      form.reset(saved);
      toast.success("Name saved");
    } catch (error) {
      showServerErrors(form, error, ["name"]);
    }
  });

  const { errors, isSubmitting, isDirty } = form.formState;
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="space-y-4" noValidate>
      <Field label="Name" autoComplete="name" error={errors.name?.message} {...form.register("name")} />
      <FormError message={errors.root?.server?.message} />
      <button type="submit" disabled={!hydrated || isSubmitting || !isDirty} className={buttonClass("primary")}>
        {isSubmitting ? "Saving…" : "Save name"}
      </button>
    </form>
  );
}

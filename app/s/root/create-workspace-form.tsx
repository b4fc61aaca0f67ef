"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Field } from "@/app/field";
import { useTRPC } from "@/lib/trpc/react";
import { createWorkspaceInput, type CreateWorkspaceInput } from "@/lib/schemas/account";
import { useHydrated } from "@/lib/use-hydrated";

export function CreateWorkspaceForm({ rootDomain }: { rootDomain: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const form = useForm<CreateWorkspaceInput>({ resolver: zodResolver(createWorkspaceInput), defaultValues: { name: "", slug: "" }, mode: "onTouched" });
  const slug = form.watch("slug").trim().toLowerCase();
  const availability = useQuery({ ...trpc.account.slugAvailable.queryOptions({ slug }), enabled: slug.length >= 3 });
  const create = useMutation(trpc.account.createWorkspace.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const created = await create.mutateAsync(values);
      window.location.assign(created.url);
    } catch (error) {
      const data = (error as { data?: { fieldErrors?: Record<string, string[] | undefined> | null } }).data;
      const slugError = data?.fieldErrors?.slug?.[0];
      form.setError(slugError || !data?.fieldErrors ? "slug" : "name", { message: slugError ?? (error as Error).message });
    }
  });

  const { errors, isSubmitting } = form.formState;
  const live = slug.length >= 3 && availability.data && !availability.data.available ? (availability.data.reason ?? "Not available") : undefined;
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="mt-4 space-y-4 rounded-md border border-slate-200 bg-white p-4" noValidate aria-labelledby="create-ws-heading">
      <h2 id="create-ws-heading" className="text-lg font-semibold">
        Create a workspace
      </h2>
      <Field label="Workspace name" error={errors.name?.message} {...form.register("name")} />
      <Field
        label="Address"
        error={errors.slug?.message ?? live}
        hint={`Your workspace will live at ${slug || "your-team"}.${rootDomain}${availability.data?.available ? " — available" : ""}`}
        autoCapitalize="none"
        spellCheck={false}
        {...form.register("slug")}
      />
      <button type="submit" disabled={!hydrated || isSubmitting} className="rounded-md bg-emerald-700 px-4 py-2 font-medium text-white disabled:opacity-60">
        {isSubmitting ? "Creating…" : "Create workspace"}
      </button>
    </form>
  );
}

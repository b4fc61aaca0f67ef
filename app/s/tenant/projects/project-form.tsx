"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { createProjectInput } from "@/lib/schemas/project";
import { useTRPC } from "@/lib/trpc/react";
import { FormError, InputField, TextareaField } from "../_components/form";
import { showServerErrors } from "../_components/trpc-errors";
import { buttonClass } from "../_components/ui";

type Project = { id: string; name: string; description: string };

/** Create or edit. Validated with the API's own schema; a refusal keeps what was typed. */
export function ProjectForm({ project, onDone }: { project?: Project; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm({
    resolver: zodResolver(createProjectInput),
    defaultValues: { name: project?.name ?? "", description: project?.description ?? "" },
  });
  const onSettled = {
    onSuccess: async () => {
      toast.success(project ? "Project saved" : "Project created");
      await queryClient.invalidateQueries(trpc.project.pathFilter());
      onDone();
    },
    onError: (error: unknown) => showServerErrors(form, error, ["name", "description"]),
  };
  const create = useMutation(trpc.project.create.mutationOptions(onSettled));
  const update = useMutation(trpc.project.update.mutationOptions(onSettled));
  const pending = create.isPending || update.isPending;
  const { errors } = form.formState;

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={form.handleSubmit((values) => (project ? update.mutate({ id: project.id, ...values }) : create.mutate(values)))}
    >
      <FormError message={errors.root?.server?.message} />
      <InputField label="Name" autoComplete="off" error={errors.name?.message} {...form.register("name")} />
      <TextareaField label="Description" rows={3} error={errors.description?.message} {...form.register("description")} />
      <div className="flex justify-end gap-2">
        <button type="button" className={buttonClass("secondary")} onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className={buttonClass()} disabled={pending}>
          {pending ? "Saving…" : project ? "Save project" : "Create project"}
        </button>
      </div>
    </form>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/react";

export function NewProjectForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.project.create.mutationOptions({
      onSuccess: () => {
        setName("");
        router.refresh();
      },
    }),
  );
  const fieldError = create.error?.data && "fieldErrors" in create.error.data ? create.error.data.fieldErrors?.name?.[0] : undefined;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name });
  }

  return (
    <form onSubmit={onSubmit} className="flex items-start gap-2">
      <div>
        <label htmlFor="new-project-name" className="sr-only">
          New project name
        </label>
        <input
          id="new-project-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="New project name"
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? "new-project-error" : undefined}
          className="rounded-md border border-slate-300 px-3 py-2"
        />
        {create.error ? (
          <p id="new-project-error" role="alert" className="mt-1 text-sm text-red-700">
            {fieldError ?? create.error.message}
          </p>
        ) : null}
      </div>
      <button type="submit" disabled={create.isPending} className="rounded-md bg-emerald-700 px-4 py-2 font-medium text-white disabled:opacity-60">
        {create.isPending ? "Creating…" : "Create project"}
      </button>
    </form>
  );
}

"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmDialog } from "../_components/confirm-dialog";
import { Modal } from "../_components/modal";
import { describeError } from "../_components/trpc-errors";
import { buttonClass } from "../_components/ui";
import { ProjectForm } from "./project-form";

type Project = { id: string; name: string; description: string; status: "active" | "archived" };

export function ProjectActions({
  project,
  canWrite,
  canDelete,
  afterDelete,
}: {
  project: Project;
  canWrite: boolean;
  canDelete: boolean;
  /** Where to go once the project is gone (the detail page leaves; the list just refreshes). */
  afterDelete?: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<"edit" | "archive" | "delete" | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  const refresh = async () => {
    await queryClient.invalidateQueries(trpc.project.pathFilter());
    router.refresh();
  };
  const fail = (error: unknown) => toast.error(describeError(error).message);
  const archive = useMutation(
    trpc.project.archive.mutationOptions({
      onSuccess: async () => {
        toast.success(`Archived “${project.name}”`);
        setDialog(null);
        await refresh();
      },
      onError: fail,
    }),
  );
  const restore = useMutation(
    trpc.project.restore.mutationOptions({
      onSuccess: async () => {
        toast.success(`Restored “${project.name}”`);
        await refresh();
      },
      onError: fail,
    }),
  );
  const remove = useMutation(
    trpc.project.delete.mutationOptions({
      onSuccess: async () => {
        toast.success(`Deleted “${project.name}”`);
        setDialog(null);
        if (afterDelete) router.push(afterDelete);
        await refresh();
      },
      onError: (error) => {
        const { code, message } = describeError(error);
        setDeleteError(
          code === "CONFLICT" ? "This project has invoices, so it cannot be deleted: invoices are financial records. Archive it instead." : message,
        );
      },
    }),
  );

  if (!canWrite) return null;
  return (
    <div className="flex flex-wrap gap-2">
      <button type="button" className={buttonClass("secondary", "py-1")} onClick={() => setDialog("edit")} aria-label={`Edit ${project.name}`}>
        Edit
      </button>
      {project.status === "active" ? (
        <button type="button" className={buttonClass("secondary", "py-1")} onClick={() => setDialog("archive")} aria-label={`Archive ${project.name}`}>
          Archive
        </button>
      ) : (
        <button
          type="button"
          className={buttonClass("secondary", "py-1")}
          disabled={restore.isPending}
          onClick={() => restore.mutate({ id: project.id })}
          aria-label={`Restore ${project.name}`}
        >
          Restore
        </button>
      )}
      {canDelete ? (
        <button
          type="button"
          className={buttonClass("ghost", "py-1 text-red-700")}
          onClick={() => {
            setDeleteError(null);
            setDialog("delete");
          }}
          aria-label={`Delete ${project.name}`}
        >
          Delete
        </button>
      ) : null}

      <Modal open={dialog === "edit"} title={`Edit ${project.name}`} onClose={() => setDialog(null)}>
        <ProjectForm project={project} onDone={() => setDialog(null)} />
      </Modal>
      <ConfirmDialog
        open={dialog === "archive"}
        title={`Archive “${project.name}”?`}
        confirmLabel="Archive project"
        tone="primary"
        pending={archive.isPending}
        onConfirm={() => archive.mutate({ id: project.id })}
        onClose={() => setDialog(null)}
      >
        It moves out of the active list. Its invoices are kept unchanged, and you can restore it at any time.
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "delete"}
        title={`Delete “${project.name}”?`}
        confirmLabel="Delete project"
        pending={remove.isPending}
        error={deleteError}
        onConfirm={() => remove.mutate({ id: project.id })}
        onClose={() => setDialog(null)}
      >
        This cannot be undone. A project that has invoices cannot be deleted; archive it instead.
      </ConfirmDialog>
    </div>
  );
}

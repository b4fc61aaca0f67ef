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
import { CustomerForm, type CustomerRow } from "./customer-form";

export function CustomerActions({ customer, canWrite }: { customer: CustomerRow; canWrite: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<"edit" | "archive" | null>(null);
  const archive = useMutation(
    trpc.customer.archive.mutationOptions({
      onSuccess: async () => {
        toast.success(`Archived “${customer.name}”`);
        setDialog(null);
        await queryClient.invalidateQueries(trpc.customer.pathFilter());
        router.refresh();
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );

  if (!canWrite) return null;
  return (
    <div className="flex flex-wrap gap-2">
      <button type="button" className={buttonClass("secondary", "py-1")} onClick={() => setDialog("edit")} aria-label={`Edit ${customer.name}`}>
        Edit
      </button>
      {customer.archivedAt ? null : (
        <button type="button" className={buttonClass("secondary", "py-1")} onClick={() => setDialog("archive")} aria-label={`Archive ${customer.name}`}>
          Archive
        </button>
      )}
      <Modal open={dialog === "edit"} title={`Edit ${customer.name}`} onClose={() => setDialog(null)}>
        <CustomerForm customer={customer} onDone={() => setDialog(null)} />
      </Modal>
      <ConfirmDialog
        open={dialog === "archive"}
        title={`Archive “${customer.name}”?`}
        confirmLabel="Archive customer"
        tone="primary"
        pending={archive.isPending}
        onConfirm={() => archive.mutate({ id: customer.id })}
        onClose={() => setDialog(null)}
      >
        It leaves the customer list and the invoice form. Invoices already made out to it are kept unchanged.
      </ConfirmDialog>
    </div>
  );
}

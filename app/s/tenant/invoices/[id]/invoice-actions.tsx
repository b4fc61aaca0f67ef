"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { ConfirmDialog } from "../../_components/confirm-dialog";
import { describeError } from "../../_components/trpc-errors";
import { buttonClass } from "../../_components/ui";
import { useHydrated } from "@/lib/use-hydrated";

type Status = "draft" | "sent" | "paid" | "void";

/** Only the transitions the server allows from this status are offered. */
export function InvoiceActions({
  invoice,
  label,
  canWrite,
  isLatest,
}: {
  invoice: { id: string; status: Status };
  label: string;
  canWrite: boolean;
  isLatest: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState<"void" | "delete" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();

  const done = (message: string) => async () => {
    toast.success(message);
    setConfirm(null);
    await queryClient.invalidateQueries(trpc.invoice.pathFilter());
    router.refresh();
  };
  const fail = (error: unknown) => {
    const { message } = describeError(error);
    setError(message);
    toast.error(message);
  };
  const send = useMutation(trpc.invoice.send.mutationOptions({ onSuccess: done(`${label} sent`), onError: fail }));
  const markPaid = useMutation(trpc.invoice.markPaid.mutationOptions({ onSuccess: done(`${label} marked paid`), onError: fail }));
  const voidIt = useMutation(trpc.invoice.void.mutationOptions({ onSuccess: done(`${label} voided`), onError: fail }));
  const remove = useMutation(
    trpc.invoice.delete.mutationOptions({
      onSuccess: async () => {
        toast.success(`${label} deleted`);
        await queryClient.invalidateQueries(trpc.invoice.pathFilter());
        router.push("/invoices");
        router.refresh();
      },
      onError: fail,
    }),
  );
  const busy = !hydrated || send.isPending || markPaid.isPending || voidIt.isPending || remove.isPending;

  return (
    <>
      <button type="button" className={buttonClass("secondary")} disabled={!hydrated} onClick={() => window.print()}>
        Print
      </button>
      <a href={`/api/invoices/${invoice.id}/pdf`} className={buttonClass("secondary")} download>
        Download PDF
      </a>
      {canWrite && invoice.status === "draft" ? (
        <Link href={`/invoices/${invoice.id}/edit`} className={buttonClass("secondary")}>
          Edit
        </Link>
      ) : null}
      {canWrite && invoice.status === "draft" ? (
        <button type="button" className={buttonClass()} disabled={busy} onClick={() => send.mutate({ id: invoice.id })}>
          {send.isPending ? "Sending…" : "Send"}
        </button>
      ) : null}
      {canWrite && invoice.status === "sent" ? (
        <button type="button" className={buttonClass()} disabled={busy} onClick={() => markPaid.mutate({ id: invoice.id })}>
          {markPaid.isPending ? "Saving…" : "Mark paid"}
        </button>
      ) : null}
      {canWrite && (invoice.status === "draft" || invoice.status === "sent") ? (
        <button
          type="button"
          className={buttonClass("ghost", "text-red-700")}
          disabled={busy}
          onClick={() => {
            setError(null);
            setConfirm("void");
          }}
        >
          Void
        </button>
      ) : null}
      {canWrite && invoice.status === "draft" && isLatest ? (
        <button
          type="button"
          className={buttonClass("ghost", "text-red-700")}
          disabled={busy}
          onClick={() => {
            setError(null);
            setConfirm("delete");
          }}
        >
          Delete
        </button>
      ) : null}
      <ConfirmDialog
        open={confirm === "void"}
        title={`Void ${label}?`}
        confirmLabel="Void invoice"
        pending={voidIt.isPending}
        error={error}
        onConfirm={() => voidIt.mutate({ id: invoice.id })}
        onClose={() => setConfirm(null)}
      >
        A voided invoice stays on record under its number but can no longer be sent or paid. This cannot be undone.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "delete"}
        title={`Delete ${label}?`}
        confirmLabel="Delete draft"
        pending={remove.isPending}
        error={error}
        onConfirm={() => remove.mutate({ id: invoice.id })}
        onClose={() => setConfirm(null)}
      >
        This is the latest draft, so its number is freed for the next invoice. Numbers stay gap-free: older drafts can only be voided.
      </ConfirmDialog>
    </>
  );
}

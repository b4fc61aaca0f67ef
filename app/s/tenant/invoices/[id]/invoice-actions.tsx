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
import { MarkPaidDialog } from "./mark-paid-dialog";
import { SendDialog } from "./send-dialog";

type Status = "draft" | "sent" | "paid" | "void";
type Dialog = "send" | "markPaid" | "markUnpaid" | "void" | "delete";

/**
 * Only the transitions the server allows from this status are offered, and each asks first: a
 * send emails the customer, a payment goes into the books. `canUndoPayment`: the payment is dated
 * in the current month, the only period the server lets it be undone in.
 */
export function InvoiceActions({
  invoice,
  label,
  canWrite,
  isLatest,
  canUndoPayment,
  paymentSummary,
}: {
  invoice: { id: string; status: Status; customerEmail: string | null; issueDate: string };
  label: string;
  canWrite: boolean;
  isLatest: boolean;
  canUndoPayment: boolean;
  paymentSummary: string | null;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState<Dialog | null>(null);
  const [error, setError] = useState<ReturnType<typeof describeError> | null>(null);
  const hydrated = useHydrated();
  const open = (dialog: Dialog) => () => {
    setError(null);
    setConfirm(dialog);
  };

  const done = (message: string) => async () => {
    toast.success(message);
    setConfirm(null);
    await queryClient.invalidateQueries(trpc.invoice.pathFilter());
    router.refresh();
  };
  const fail = (error: unknown) => {
    const described = describeError(error);
    setError(described);
    toast.error(described.message);
  };
  const send = useMutation(
    trpc.invoice.send.mutationOptions({ onSuccess: (sent) => done(`${label} sent to ${sent.customerEmail ?? "the customer"}`)(), onError: fail }),
  );
  const markPaid = useMutation(trpc.invoice.markPaid.mutationOptions({ onSuccess: done(`${label} marked paid`), onError: fail }));
  const markUnpaid = useMutation(trpc.invoice.markUnpaid.mutationOptions({ onSuccess: done(`${label} is unpaid again`), onError: fail }));
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
  const busy = !hydrated || send.isPending || markPaid.isPending || markUnpaid.isPending || voidIt.isPending || remove.isPending;

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
        <button type="button" className={buttonClass()} disabled={busy} onClick={open("send")}>
          {send.isPending ? "Sending…" : "Send"}
        </button>
      ) : null}
      {canWrite && invoice.status === "sent" ? (
        <button type="button" className={buttonClass()} disabled={busy} onClick={open("markPaid")}>
          {markPaid.isPending ? "Saving…" : "Mark paid"}
        </button>
      ) : null}
      {canWrite && invoice.status === "paid" && canUndoPayment ? (
        <button type="button" className={buttonClass("secondary")} disabled={busy} onClick={open("markUnpaid")}>
          Mark unpaid
        </button>
      ) : null}
      {canWrite && (invoice.status === "draft" || invoice.status === "sent") ? (
        <button type="button" className={buttonClass("ghost", "text-red-700")} disabled={busy} onClick={open("void")}>
          Void
        </button>
      ) : null}
      {canWrite && invoice.status === "draft" && isLatest ? (
        <button type="button" className={buttonClass("ghost", "text-red-700")} disabled={busy} onClick={open("delete")}>
          Delete
        </button>
      ) : null}
      <SendDialog
        open={confirm === "send"}
        label={label}
        customerEmail={invoice.customerEmail}
        pending={send.isPending}
        serverError={error}
        onSend={(values) => send.mutate({ id: invoice.id, ...values })}
        onClose={() => setConfirm(null)}
      />
      <MarkPaidDialog
        open={confirm === "markPaid"}
        label={label}
        issueDate={invoice.issueDate}
        pending={markPaid.isPending}
        serverError={error}
        onSave={(values) => markPaid.mutate({ id: invoice.id, ...values })}
        onClose={() => setConfirm(null)}
      />
      <ConfirmDialog
        open={confirm === "markUnpaid"}
        title={`Mark ${label} unpaid?`}
        confirmLabel="Mark unpaid"
        tone="primary"
        pending={markUnpaid.isPending}
        error={error?.message}
        onConfirm={() => markUnpaid.mutate({ id: invoice.id })}
        onClose={() => setConfirm(null)}
      >
        The recorded payment{paymentSummary ? ` (${paymentSummary})` : ""} is removed and the invoice is sent and awaiting payment again. The change is kept
        in the audit log.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "void"}
        title={`Void ${label}?`}
        confirmLabel="Void invoice"
        pending={voidIt.isPending}
        error={error?.message}
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
        error={error?.message}
        onConfirm={() => remove.mutate({ id: invoice.id })}
        onClose={() => setConfirm(null)}
      >
        This is the latest draft, so its number is freed for the next invoice. Numbers stay gap-free: older drafts can only be voided.
      </ConfirmDialog>
    </>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { ConfirmDialog } from "../../_components/confirm-dialog";
import { describeError } from "../../_components/trpc-errors";
import { buttonClass } from "../../_components/ui";

const stamp = (d: Date) => d.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

/**
 * The customer's read-only link to this invoice (mailed when it was sent). Members who may write
 * invoices revoke it, or issue a new one (the old one stops working); the new URL is shown once,
 * since only its hash is kept.
 */
export function PublicLinkPanel({ invoiceId, label, canWrite }: { invoiceId: string; label: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const [confirm, setConfirm] = useState<"revoke" | "issue" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issuedUrl, setIssuedUrl] = useState<string | null>(null);
  const status = useQuery(trpc.invoice.publicLink.get.queryOptions({ id: invoiceId }));
  const refresh = () => queryClient.invalidateQueries(trpc.invoice.publicLink.get.queryFilter({ id: invoiceId }));
  const fail = (e: unknown) => {
    const message = describeError(e).message;
    setError(message);
    toast.error(message);
  };
  const revoke = useMutation(
    trpc.invoice.publicLink.revoke.mutationOptions({
      onSuccess: async () => {
        toast.success(`The public link to ${label} no longer works`);
        setConfirm(null);
        setIssuedUrl(null);
        await refresh();
      },
      onError: fail,
    }),
  );
  const issue = useMutation(
    trpc.invoice.publicLink.issue.mutationOptions({
      onSuccess: async (issued) => {
        toast.success(`New public link to ${label} issued`);
        setConfirm(null);
        setIssuedUrl(issued.url);
        await refresh();
      },
      onError: fail,
    }),
  );
  const busy = !hydrated || revoke.isPending || issue.isPending;
  const open = (which: "revoke" | "issue") => () => {
    setError(null);
    setConfirm(which);
  };

  return (
    <section className="rounded-md border border-slate-200 bg-white p-4 print:hidden" aria-labelledby="public-link-title">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="public-link-title" className="font-semibold">
            Customer link
          </h2>
          <p className="text-sm text-slate-600" data-testid="public-link-status" aria-live="polite">
            {status.isPending
              ? "Loading…"
              : status.isError
                ? "Could not load the link's status."
                : status.data.active
                  ? `Active since ${stamp(status.data.createdAt!)}: anyone with the link in the invoice email can view this invoice.`
                  : "No active link: the customer cannot view this invoice online."}
          </p>
        </div>
        {canWrite && status.data ? (
          <div className="flex flex-wrap gap-2">
            {status.data.active ? (
              <button type="button" className={buttonClass("ghost", "text-red-700")} disabled={busy} onClick={open("revoke")}>
                Revoke link
              </button>
            ) : null}
            <button type="button" className={buttonClass("secondary")} disabled={busy} onClick={open("issue")}>
              {status.data.active ? "Issue new link" : "Issue link"}
            </button>
          </div>
        ) : null}
      </div>
      {issuedUrl ? (
        <div className="mt-3">
          <label htmlFor="issued-public-link" className="text-sm font-medium">
            New link (shown once: copy it now and send it to your customer)
          </label>
          <input
            id="issued-public-link"
            readOnly
            value={issuedUrl}
            onFocus={(e) => e.currentTarget.select()}
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs"
          />
        </div>
      ) : null}
      <ConfirmDialog
        open={confirm === "revoke"}
        title={`Revoke the link to ${label}?`}
        confirmLabel="Revoke link"
        pending={revoke.isPending}
        error={error}
        onConfirm={() => revoke.mutate({ id: invoiceId })}
        onClose={() => setConfirm(null)}
      >
        The link in the invoice email stops working at once. You can issue a new one later.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "issue"}
        title={`Issue a new link to ${label}?`}
        confirmLabel="Issue link"
        tone="primary"
        pending={issue.isPending}
        error={error}
        onConfirm={() => issue.mutate({ id: invoiceId })}
        onClose={() => setConfirm(null)}
      >
        {status.data?.active ? "The current link stops working. " : ""}The new link is shown once here for you to pass on; it is not emailed.
      </ConfirmDialog>
    </section>
  );
}

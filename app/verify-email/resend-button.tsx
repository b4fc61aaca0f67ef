"use client";

import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";

/** Mails a fresh confirmation link to the signed-in user's address. */
export function ResendVerificationButton({ next }: { next: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const resend = useMutation(trpc.account.resendVerification.mutationOptions());
  return (
    <div className="mt-4">
      {resend.isSuccess ? (
        <p role="status" className="text-sm text-emerald-800">
          {resend.data.sent ? "A new link is on its way. Check your inbox." : "Your address is already confirmed."}
        </p>
      ) : null}
      {resend.error ? (
        <p role="alert" className="text-sm text-red-700">
          {resend.error instanceof TRPCClientError ? resend.error.message : "Something went wrong; try again"}
        </p>
      ) : null}
      <button
        type="button"
        onClick={() => resend.mutate({ next })}
        disabled={!hydrated || resend.isPending || resend.isSuccess}
        className="mt-2 rounded-md border border-slate-300 px-4 py-2 text-sm font-medium disabled:opacity-60"
      >
        {resend.isPending ? "Sending…" : "Send a new link"}
      </button>
    </div>
  );
}

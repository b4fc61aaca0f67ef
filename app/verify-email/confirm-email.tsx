"use client";

import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useMutateOnce } from "@/lib/use-mutate-once";
import { useTRPC } from "@/lib/trpc/react";
import { ResendVerificationButton } from "./resend-button";

/**
 * Confirms once the page has hydrated: a POST by the signed-in user, never the GET of the link
 * itself, so a mail scanner that opens links cannot use up the token.
 */
export function ConfirmEmail({ token, email }: { token: string; email: string }) {
  const trpc = useTRPC();
  const confirm = useMutation(trpc.account.confirmEmail.mutationOptions());
  useMutateOnce(confirm, { token });

  if (confirm.isSuccess) {
    return (
      <div role="status" className="mt-4">
        <p className="text-emerald-800">
          <strong>{confirm.data.email}</strong> is confirmed.
        </p>
        <a href={confirm.data.nextPath} className="mt-4 inline-block rounded-md bg-emerald-700 px-4 py-2 font-medium text-white">
          Continue
        </a>
      </div>
    );
  }
  if (confirm.isError) {
    return (
      <div className="mt-4">
        <p role="alert" className="rounded-md bg-amber-50 p-3 text-amber-900">
          {confirm.error instanceof TRPCClientError ? confirm.error.message : "Something went wrong; try again"}
        </p>
        <p className="mt-3 text-sm text-slate-600">Signed in as {email}.</p>
        <ResendVerificationButton next="/" />
      </div>
    );
  }
  return (
    <p role="status" className="mt-4 text-slate-600">
      Confirming {email}…
    </p>
  );
}

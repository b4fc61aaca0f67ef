"use client";

import { useMutation } from "@tanstack/react-query";
import { useMutateOnce } from "@/lib/use-mutate-once";
import { describeError } from "@/app/s/tenant/_components/trpc-errors";
import { useTRPC } from "@/lib/trpc/react";

/** Confirms once hydrated: a POST by the signed-in user, never the link's GET (mail scanners open links). */
export function ConfirmEmailChange({ token }: { token: string }) {
  const trpc = useTRPC();
  const confirm = useMutation(trpc.account.confirmEmailChange.mutationOptions());
  useMutateOnce(confirm, { token });

  if (confirm.isSuccess) {
    return (
      <div role="status" className="mt-4">
        <p className="text-emerald-800">
          You now sign in with <strong className="break-all">{confirm.data.email}</strong>.
        </p>
        <a href="/settings" className="mt-4 inline-block rounded-md bg-emerald-700 px-4 py-2 font-medium text-white">
          Back to account settings
        </a>
      </div>
    );
  }
  if (confirm.isError) {
    return (
      <p role="alert" className="mt-4 rounded-md bg-amber-50 p-3 text-amber-900">
        {describeError(confirm.error).message}
      </p>
    );
  }
  return (
    <p role="status" className="mt-4 text-slate-600">
      Confirming…
    </p>
  );
}

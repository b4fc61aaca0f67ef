"use client";

import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";

export function AcceptButton({ token }: { token: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const router = useRouter();
  const accept = useMutation(
    trpc.invitation.accept.mutationOptions({
      onSuccess: ({ role }) => {
        toast.success(`Welcome! You joined as ${role}.`);
        router.replace("/");
        router.refresh();
      },
    }),
  );
  return (
    <div className="mt-6">
      {accept.error ? (
        <p role="alert" className="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {accept.error instanceof TRPCClientError ? accept.error.message : "Something went wrong; try again"}
        </p>
      ) : null}
      <button
        type="button"
        onClick={() => accept.mutate({ token })}
        disabled={!hydrated || accept.isPending || accept.isSuccess}
        className="rounded-md bg-emerald-700 px-4 py-2 font-medium text-white disabled:opacity-60"
      >
        {accept.isPending || accept.isSuccess ? "Joining…" : "Accept invitation"}
      </button>
    </div>
  );
}

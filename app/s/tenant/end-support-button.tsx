"use client";

import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { describeError } from "./_components/trpc-errors";

/** Ends the admin's support view here and takes them back to the tenant in the admin console. */
export function EndSupportButton() {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const end = useMutation(
    trpc.support.end.mutationOptions({
      onSuccess: ({ consoleUrl }) => window.location.assign(consoleUrl),
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  return (
    <button
      type="button"
      className="ml-2 inline-block rounded-md border border-amber-700 bg-white px-2 py-0.5 font-medium text-amber-950 hover:bg-amber-50 disabled:opacity-60"
      disabled={!hydrated || end.isPending || end.isSuccess}
      onClick={() => end.mutate()}
    >
      {end.isPending || end.isSuccess ? "Ending…" : "End support view"}
    </button>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";

export function RetryJobButton({ queue, id }: { queue: string; id: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const router = useRouter();
  const retry = useMutation(
    trpc.admin.jobs.retry.mutationOptions({
      onSuccess: () => {
        toast.success("Job queued again");
        router.refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  return (
    <button
      type="button"
      disabled={!hydrated || retry.isPending}
      onClick={() => retry.mutate({ queue, id })}
      className="rounded-md border border-slate-300 px-3 py-1 text-sm disabled:opacity-60"
    >
      {retry.isPending ? "Retrying…" : "Retry"}
    </button>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatDistanceToNowStrict } from "date-fns";
import { toast } from "sonner";
import { describeError } from "@/app/s/tenant/_components/trpc-errors";
import { buttonClass, Skeleton } from "@/app/s/tenant/_components/ui";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";

const ago = (date: Date) => `${formatDistanceToNowStrict(date)} ago`;

/** `rootDomain`: where a root-family session (no custom host) is valid, shown with it. */
export function SessionsList({ rootDomain }: { rootDomain: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const sessions = useQuery(trpc.account.sessions.queryOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.account.sessions.pathFilter());
  const revoke = useMutation(
    trpc.account.revokeSession.mutationOptions({
      onSuccess: async () => {
        toast.success("Session signed out");
        await refresh();
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  const revokeOthers = useMutation(
    trpc.account.revokeOtherSessions.mutationOptions({
      onSuccess: async ({ revoked }) => {
        toast.success(revoked === 1 ? "1 other session signed out" : `${revoked} other sessions signed out`);
        await refresh();
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );

  if (sessions.isPending) {
    return (
      <div role="status" aria-live="polite" className="space-y-3">
        <span className="sr-only">Loading sessions…</span>
        <Skeleton className="h-14 w-full" />
        <Skeleton className="h-14 w-full" />
      </div>
    );
  }
  if (sessions.isError) {
    return (
      <p role="alert" className="text-sm text-red-700">
        {describeError(sessions.error).message}
      </p>
    );
  }
  const others = sessions.data.filter((s) => !s.current).length;
  return (
    <div>
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200" aria-label="Active sessions">
        {sessions.data.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 p-3">
            <div className="min-w-0">
              <p className="font-medium">
                {s.device}
                {s.current ? <span className="ml-2 rounded bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800">This browser</span> : null}
              </p>
              <p className="text-sm [overflow-wrap:anywhere] text-slate-700">{s.host ?? `${rootDomain} and workspace subdomains`}</p>
              <p className="text-sm text-slate-600">
                Last seen {ago(s.lastSeenAt)} · signed in {ago(s.createdAt)}
              </p>
            </div>
            {s.current ? null : (
              <button
                type="button"
                className={buttonClass("secondary")}
                disabled={!hydrated || revoke.isPending}
                onClick={() => revoke.mutate({ id: s.id })}
                aria-label={`Sign out ${s.device}, ${s.host ?? rootDomain}, last seen ${ago(s.lastSeenAt)}`}
              >
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <button type="button" className={buttonClass("danger")} disabled={!hydrated || others === 0 || revokeOthers.isPending} onClick={() => revokeOthers.mutate()}>
          {revokeOthers.isPending ? "Signing out…" : "Sign out other sessions"}
        </button>
        {others === 0 ? <p className="text-sm text-slate-600">This is your only session.</p> : null}
      </div>
    </div>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { ConfirmButton } from "../../_components/confirm-button";
import { Badge } from "../../_components/ui";

const settled = ["done", "rolled_back", "failed"];

/** Where the tenant's rows live, and a button to move them (the worker runs the move). */
export function PlacementPanel({ tenantId, name }: { tenantId: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const selectId = useId();
  const { data, isPending } = useQuery({
    ...trpc.admin.tenants.placement.queryOptions({ id: tenantId }),
    // Poll while a move is under way, so its phase shows as it changes.
    refetchInterval: (q) => (q.state.data?.moves[0] && !settled.includes(q.state.data.moves[0].phase) ? 1000 : false),
  });
  const others = data?.placements.filter((p) => p !== data.placement) ?? [];
  const [target, setTarget] = useState<string>("");
  // A choice made before hydration would be reset by it without a change event: wait until it counts.
  const hydrated = useHydrated();
  const chosen = target && others.includes(target) ? target : (others[0] ?? "");
  const move = useMutation(
    trpc.admin.tenants.move.mutationOptions({
      onSuccess: (m) => {
        toast.success(`Move of ${name} to "${m.target}" queued`);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.tenants.placement.queryKey({ id: tenantId }) });
      },
      onError: (error) => void toast.error(error.message),
    }),
  );
  return (
    <section aria-labelledby="placement-heading" className="rounded-md border border-slate-200 bg-white p-4">
      <h2 id="placement-heading" className="font-semibold">
        Placement
      </h2>
      {isPending || !data ? (
        <p className="mt-2 text-sm text-slate-500">Loading…</p>
      ) : (
        <>
          <p className="mt-1 text-sm text-slate-600">
            Business rows live in <strong data-testid="placement">{data.placement}</strong>
            {data.placement === "shared" ? " (the pooled database)" : " (a dedicated database)"}. Moving copies them, pauses writes for a moment, verifies
            every table, switches over and removes the old copy.
          </p>
          {others.length ? (
            <div className="mt-3 flex flex-wrap items-end gap-2">
              <label htmlFor={selectId} className="text-sm">
                Move to
                <select id={selectId} className="ml-2 rounded border border-slate-300 px-2 py-1" value={chosen} disabled={!hydrated} onChange={(e) => setTarget(e.target.value)}>
                  {others.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
              </label>
              <ConfirmButton label="Move tenant" title={`Move ${name} to "${chosen}"?`} confirmLabel="Move" tone="primary" onConfirm={async () => void (await move.mutateAsync({ id: tenantId, target: chosen }).catch(() => undefined))}>
                Its writes pause for the final copy (usually well under a second); reads and writes then go to &quot;{chosen}&quot;.
              </ConfirmButton>
            </div>
          ) : (
            <p className="mt-2 text-sm text-slate-500">No other placement is configured (TENANT_DATABASES).</p>
          )}
          {data.moves.length ? (
            <ul className="mt-4 divide-y divide-slate-100 text-sm" aria-label="Recent moves">
              {data.moves.map((m) => (
                <li key={m.id} className="flex flex-wrap items-center gap-2 py-2">
                  <Badge status={m.phase} />
                  <span>
                    {m.source} → {m.target}
                  </span>
                  <span className="text-slate-500">· {m.createdAt.toISOString().slice(0, 19).replace("T", " ")} UTC</span>
                  {m.pauseMs !== null ? <span className="text-slate-500">· writes paused {m.pauseMs} ms</span> : null}
                  {m.error ? <span className="text-red-700">· {m.error}</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </section>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { Badge, button } from "../../_components/ui";
import { useHydrated } from "@/lib/use-hydrated";

function ExportProgress({ id }: { id: string }) {
  const trpc = useTRPC();
  const { data } = useQuery({
    ...trpc.admin.exports.get.queryOptions({ id }),
    refetchInterval: (q) => (q.state.data && ["done", "failed"].includes(q.state.data.status) ? false : 500),
  });
  if (!data) return null;
  return (
    <div className="mt-3">
      <div className="flex items-center gap-2 text-sm">
        <Badge status={data.status} />
        <span>{data.progress}%</span>
      </div>
      <div role="progressbar" aria-label="Export progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={data.progress} className="mt-1 h-2 w-full rounded bg-slate-100">
        <div className="h-2 rounded bg-emerald-600 transition-all" style={{ width: `${data.progress}%` }} />
      </div>
    </div>
  );
}

export function ExportPanel({ tenantId, slug }: { tenantId: string; slug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState<string | null>(null);
  const hydrated = useHydrated();
  const list = useQuery(trpc.admin.exports.list.queryOptions({ tenantId }));
  const request = useMutation(trpc.admin.tenants.export.mutationOptions());
  const run = useMutation(trpc.admin.exports.run.mutationOptions());

  const start = async () => {
    try {
      const queued = await request.mutateAsync({ id: tenantId });
      setCurrent(queued.id);
      // Until the job queue runs exports, the console asks for it directly; a job that got there
      // first leaves it "not queued", which run() accepts as a no-op.
      await run.mutateAsync({ id: queued.id });
      toast.success("Export ready");
    } catch (error) {
      toast.error((error as Error).message);
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.admin.exports.list.queryKey({ tenantId }) });
    }
  };

  const download = async (id: string) => {
    try {
      const { archive } = await queryClient.fetchQuery(trpc.admin.exports.archive.queryOptions({ id }));
      const bytes = Uint8Array.from(atob(archive), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: "application/gzip" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `${slug}-${new Date().toISOString().slice(0, 10)}.canopy.json.gz`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      toast.error((error as Error).message);
    }
  };

  const rows = list.data ?? [];
  return (
    <section aria-labelledby="export-heading" className="rounded-md border border-slate-200 bg-white p-4">
      <div className="flex items-center justify-between">
        <h2 id="export-heading" className="font-semibold">
          Export
        </h2>
        <button type="button" className={button("secondary")} onClick={() => void start()} disabled={!hydrated || request.isPending || run.isPending}>
          {run.isPending ? "Exporting…" : "Export tenant"}
        </button>
      </div>
      <p className="mt-1 text-sm text-slate-600">One archive with the tenant’s rows and the schema version, gzip-compressed JSON. No credentials: invitations and sign-in hand-offs are left out, API keys travel without their secrets and come back revoked.</p>
      {current ? <ExportProgress id={current} /> : null}
      {rows.length ? (
        <ul className="mt-4 divide-y divide-slate-100 text-sm">
          {rows.map((e) => (
            <li key={e.id} className="flex items-center justify-between gap-2 py-2">
              <span className="flex items-center gap-2">
                <Badge status={e.status} /> {e.createdAt.toISOString().slice(0, 19).replace("T", " ")} UTC
                {e.archiveBytes ? <span className="text-slate-500">· {(e.archiveBytes / 1024).toFixed(1)} kB</span> : null}
              </span>
              {e.status === "done" ? (
                <button type="button" className="text-emerald-800 underline" onClick={() => void download(e.id)}>
                  Download archive
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

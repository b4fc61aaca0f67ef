"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Field } from "@/app/field";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";

const statusText = {
  pending: ["Pending verification", "bg-slate-100 text-slate-700"],
  verified: ["Verified", "bg-emerald-50 text-emerald-800"],
  failing: ["Failing re-verification", "bg-amber-50 text-amber-800"],
  disabled: ["Disabled: not routing", "bg-red-50 text-red-800"],
} as const;

const btn = "rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-60";

export function DomainsManager() {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.domain.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.domain.list.queryKey() });
  const add = useMutation(trpc.domain.add.mutationOptions());
  const verify = useMutation(trpc.domain.verify.mutationOptions());
  const remove = useMutation(trpc.domain.remove.mutationOptions());
  const [domain, setDomain] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [problems, setProblems] = useState<Record<string, string[]>>({});

  const onAdd = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const added = await add.mutateAsync({ domain });
      toast.success(`${added.domain} added: create the DNS records below, then verify`);
      setDomain("");
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const onVerify = async (id: string) => {
    try {
      const result = await verify.mutateAsync({ id });
      setProblems((p) => ({ ...p, [id]: result.problems }));
      if (result.verified) toast.success(`${result.domain.domain} is verified and now serves this workspace`);
      else toast.error("Not verified yet: check the DNS records");
    } catch (err) {
      setProblems((p) => ({ ...p, [id]: [(err as Error).message] }));
      toast.error((err as Error).message);
    }
    await refresh();
  };

  const onRemove = async (id: string, name: string) => {
    if (!window.confirm(`Remove ${name}? It stops serving this workspace at once.`)) return;
    try {
      await remove.mutateAsync({ id });
      toast.success(`${name} removed`);
    } catch (err) {
      toast.error((err as Error).message);
    }
    await refresh();
  };

  return (
    <div className="mt-6 space-y-6">
      <form onSubmit={(e) => void onAdd(e)} className="flex flex-wrap items-end gap-3 rounded-md border border-slate-200 bg-white p-4" noValidate>
        <Field label="Domain" placeholder="billing.example.com" value={domain} onChange={(e) => setDomain(e.target.value)} error={error} className="min-w-64 flex-1" autoCapitalize="none" spellCheck={false} />
        <button type="submit" className={`${btn} bg-emerald-700 text-white`} disabled={!hydrated || add.isPending || !domain.trim()}>
          Add domain
        </button>
      </form>
      {list.data?.length === 0 ? <p className="text-sm text-slate-600">No custom domains yet.</p> : null}
      <ul className="space-y-4">
        {list.data?.map((d) => {
          const [label, style] = statusText[d.status];
          return (
            <li key={d.id} className="rounded-md border border-slate-200 bg-white p-4" aria-label={d.domain}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div className="flex min-w-0 items-center gap-2">
                  <span className="min-w-0 font-mono font-semibold break-all">{d.domain}</span>
                  <span className={`rounded px-2 py-0.5 text-xs font-medium ${style}`} data-testid="domain-status">
                    {label}
                  </span>
                </div>
                <div className="flex gap-2">
                  <button type="button" className={`${btn} border border-slate-300`} onClick={() => void onVerify(d.id)} disabled={verify.isPending}>
                    {d.status === "pending" ? "Verify" : "Check again"}
                  </button>
                  <button type="button" className={`${btn} text-red-700`} onClick={() => void onRemove(d.id, d.domain)}>
                    Remove
                  </button>
                </div>
              </div>
              {d.status === "failing" && d.failingSince ? (
                <p role="alert" className="mt-2 rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">
                  This domain has failed DNS checks since {d.failingSince.toISOString().slice(0, 16).replace("T", " ")} UTC. Fix the records below, or it stops serving this
                  workspace after the grace period.
                </p>
              ) : null}
              {d.status === "disabled" ? (
                <p role="alert" className="mt-2 rounded bg-red-50 px-3 py-2 text-sm text-red-900">
                  This domain no longer serves this workspace because its DNS records stopped verifying. Fix them and check again.
                </p>
              ) : null}
              {problems[d.id]?.length ? (
                <ul className="mt-2 list-disc pl-5 text-sm text-red-800">
                  {problems[d.id]!.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              ) : null}
              <table className="mt-3 w-full text-left text-sm">
                <caption className="sr-only">DNS records for {d.domain}</caption>
                <thead className="text-slate-600">
                  <tr>
                    <th scope="col" className="py-1 pr-3">Type</th>
                    <th scope="col" className="py-1 pr-3">Name</th>
                    <th scope="col" className="py-1">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {d.records.map((r) => (
                    <tr key={r.type} className="border-t border-slate-100">
                      <td className="py-1 pr-3 font-mono">{r.type}</td>
                      <td className="py-1 pr-3 font-mono break-all">{r.name}</td>
                      <td className="py-1 font-mono break-all" data-testid={`record-${r.type}`}>
                        {r.value}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

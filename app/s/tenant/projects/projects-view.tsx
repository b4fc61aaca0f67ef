"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { projectStatuses } from "@/lib/schemas/project";
import { useTRPC } from "@/lib/trpc/react";
import { InputField, SelectField } from "../_components/form";
import { Modal } from "../_components/modal";
import { describeError } from "../_components/trpc-errors";
import { EmptyState, PageHeader, Skeleton, StatusBadge, buttonClass } from "../_components/ui";
import { ProjectActions } from "./project-actions";
import { ProjectForm } from "./project-form";
import { useHydrated } from "@/lib/use-hydrated";

type Status = (typeof projectStatuses)[number];
const asStatus = (v: string | null): Status | undefined => (projectStatuses as readonly string[]).includes(v ?? "") ? (v as Status) : undefined;

export function ProjectsView({ canWrite, canDelete }: { canWrite: boolean; canDelete: boolean }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const search = params.get("q")?.trim() || undefined;
  const status = asStatus(params.get("status"));
  const [draft, setDraft] = useState(search ?? "");
  const [creating, setCreating] = useState(false);

  // The search box writes to the URL after a pause, so a filtered list can be shared and survives reloads.
  useEffect(() => {
    const handle = setTimeout(() => {
      if ((draft.trim() || undefined) === search) return;
      const next = new URLSearchParams(params);
      if (draft.trim()) next.set("q", draft.trim());
      else next.delete("q");
      router.replace(`${pathname}?${next.toString()}`);
    }, 300);
    return () => clearTimeout(handle);
  }, [draft, search, params, pathname, router]);

  const query = useInfiniteQuery(
    trpc.project.list.infiniteQueryOptions({ search, status, limit: 20 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(search || status);

  return (
    <>
      <PageHeader
        title="Projects"
        actions={
          canWrite ? (
            <button type="button" className={buttonClass()} disabled={!hydrated} onClick={() => setCreating(true)}>
              New project
            </button>
          ) : null
        }
      />
      <form role="search" className="mt-4 grid gap-3 sm:grid-cols-[1fr_12rem]" onSubmit={(e) => e.preventDefault()}>
        <InputField label="Search projects" type="search" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Search by name" />
        <SelectField
          label="Status"
          value={status ?? ""}
          onChange={(e) => {
            const next = new URLSearchParams(params);
            if (e.target.value) next.set("status", e.target.value);
            else next.delete("status");
            router.replace(`${pathname}?${next.toString()}`);
          }}
        >
          <option value="">All</option>
          <option value="active">Active</option>
          <option value="archived">Archived</option>
        </SelectField>
      </form>

      {query.isPending ? (
        <div role="status" className="mt-6 space-y-2">
          <span className="sr-only">Loading projects…</span>
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-16 w-full" />
          ))}
        </div>
      ) : query.isError ? (
        <div role="alert" className="mt-6 rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          Could not load projects: {describeError(query.error).message}{" "}
          <button type="button" className="underline" onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      ) : items.length === 0 ? (
        <EmptyState title={filtered ? "No projects match these filters" : "No projects yet"}>
          {filtered ? "Try another search or status." : canWrite ? "Create the first one to group your invoices." : null}
        </EmptyState>
      ) : (
        <ul className="mt-6 divide-y divide-slate-200 rounded-md border border-slate-200 bg-white" aria-label="Projects">
          {items.map((p) => (
            <li key={p.id} className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center sm:justify-between" data-testid="project-row">
              <div className="min-w-0 flex-1">
                <div className="flex items-center gap-2">
                  {/* A long name is cut (whole in title and to screen readers) so the status stays beside it. */}
                  <Link href={`/projects/${p.id}`} className="min-w-0 truncate font-medium text-emerald-900 hover:underline" title={p.name}>
                    {p.name}
                  </Link>
                  <StatusBadge status={p.status} />
                </div>
                {p.description ? (
                  <p className="truncate text-sm text-slate-600" title={p.description}>
                    {p.description}
                  </p>
                ) : null}
              </div>
              <ProjectActions project={p} canWrite={canWrite} canDelete={canDelete} />
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage ? (
        <div className="mt-4 text-center">
          <button type="button" className={buttonClass("secondary")} disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}

      <Modal open={creating} title="New project" onClose={() => setCreating(false)}>
        <ProjectForm onDone={() => setCreating(false)} />
      </Modal>
    </>
  );
}

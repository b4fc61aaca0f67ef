"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/react";
import { useHydrated } from "@/lib/use-hydrated";
import { InputField } from "../_components/form";
import { Modal } from "../_components/modal";
import { describeError } from "../_components/trpc-errors";
import { EmptyState, PageHeader, Skeleton, StatusBadge, buttonClass } from "../_components/ui";
import { useListParams } from "../_components/use-list-params";
import { CustomerActions } from "./customer-actions";
import { CustomerForm } from "./customer-form";

export function CustomersView({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const { params, search, draft, setDraft, setParam } = useListParams();
  const includeArchived = params.get("archived") === "1";
  const [creating, setCreating] = useState(false);

  const query = useInfiniteQuery(
    trpc.customer.list.infiniteQueryOptions({ search, includeArchived, limit: 20 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(search);

  return (
    <>
      <PageHeader
        title="Customers"
        description="Who you invoice. Picking a customer on an invoice fills in their details."
        actions={
          canWrite ? (
            <button type="button" className={buttonClass()} disabled={!hydrated} onClick={() => setCreating(true)}>
              New customer
            </button>
          ) : null
        }
      />
      <form role="search" className="mt-4 grid gap-3 sm:grid-cols-[1fr_auto] sm:items-end" onSubmit={(e) => e.preventDefault()}>
        <InputField label="Search customers" type="search" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Name or email" />
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input
            type="checkbox"
            className="h-4 w-4"
            checked={includeArchived}
            onChange={(e) => setParam("archived", e.target.checked ? "1" : null)}
          />
          Show archived
        </label>
      </form>

      {query.isPending ? (
        <div role="status" className="mt-6 space-y-2">
          <span className="sr-only">Loading customers…</span>
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-16 w-full" />
          ))}
        </div>
      ) : query.isError ? (
        <div role="alert" className="mt-6 rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          Could not load customers: {describeError(query.error).message}{" "}
          <button type="button" className="underline" onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      ) : items.length === 0 ? (
        <EmptyState
          title={filtered ? `No customer matches “${search}”` : "No customers yet"}
          action={
            !filtered && canWrite ? (
              <button type="button" className={buttonClass()} onClick={() => setCreating(true)}>
                Add your first customer
              </button>
            ) : null
          }
        >
          {filtered ? "Try part of the name or the email address." : "Save the people and companies you bill, with their address and tax ID, to pick them on invoices."}
        </EmptyState>
      ) : (
        <ul className="mt-6 divide-y divide-slate-200 rounded-md border border-slate-200 bg-white" aria-label="Customers">
          {items.map((c) => (
            <li key={c.id} className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center sm:justify-between" data-testid="customer-row">
              <div className="min-w-0">
                <div className="flex flex-wrap items-center gap-2">
                  <Link href={`/customers/${c.id}`} className="font-medium text-emerald-900 hover:underline">
                    {c.name}
                  </Link>
                  {c.archivedAt ? <StatusBadge status="archived" /> : null}
                  {c.defaultCurrency ? <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{c.defaultCurrency}</span> : null}
                </div>
                <p className="truncate text-sm text-slate-600">{[c.email, c.billingAddress?.split("\n")[0]].filter(Boolean).join(" · ") || "No email or address"}</p>
              </div>
              <CustomerActions customer={c} canWrite={canWrite} />
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

      <Modal open={creating} title="New customer" onClose={() => setCreating(false)}>
        <CustomerForm onDone={() => setCreating(false)} />
      </Modal>
    </>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { invoiceFiltersQuery, type InvoiceFilters } from "@/lib/invoice-list-params";
import { invoiceListStatuses } from "@/lib/schemas/invoice";
import { InputField, SelectField } from "../_components/form";
import type { ProjectChoices } from "../_components/project-choices";
import { ProjectPicker } from "../_components/project-picker";
import { buttonClass } from "../_components/ui";
import { useHydrated } from "@/lib/use-hydrated";

/** Applies on submit (Enter works in every field); the URL holds the state, so back/forward and sharing work. */
export function InvoiceFiltersForm({ filters, projects }: { filters: InvoiceFilters; projects: ProjectChoices }) {
  const router = useRouter();
  const [values, setValues] = useState({
    status: filters.status ?? "",
    customer: filters.customer ?? "",
    projectId: filters.projectId ?? "",
    issueDateFrom: filters.issueDateFrom ?? "",
    issueDateTo: filters.issueDateTo ?? "",
  });
  const set = (key: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }));
  const hydrated = useHydrated();
  // On a phone the fields would fill the first screen: they wait behind a disclosure that says how many apply.
  const [open, setOpen] = useState(false);
  const active = [filters.status, filters.customer, filters.projectId, filters.issueDateFrom, filters.issueDateTo].filter(Boolean).length;
  const rangeError = values.issueDateFrom && values.issueDateTo && values.issueDateTo < values.issueDateFrom ? "The range ends before it starts" : undefined;

  function apply(event: FormEvent) {
    event.preventDefault();
    if (rangeError) return;
    const next = {
      ...filters,
      status: (values.status || undefined) as InvoiceFilters["status"],
      customer: values.customer.trim() || undefined,
      projectId: values.projectId || undefined,
      issueDateFrom: values.issueDateFrom || undefined,
      issueDateTo: values.issueDateTo || undefined,
    };
    router.push(`/invoices${invoiceFiltersQuery(next)}`);
  }

  return (
    <div>
      <button
        type="button"
        className={buttonClass("secondary", "md:hidden")}
        aria-expanded={open}
        aria-controls="invoice-filters"
        disabled={!hydrated}
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4">
          <path d="M3 4.5A1.5 1.5 0 0 1 4.5 3h11A1.5 1.5 0 0 1 17 4.5v1.1a1.5 1.5 0 0 1-.44 1.06L12 11.2V16a1 1 0 0 1-1.45.9l-2-1A1 1 0 0 1 8 15v-3.8L3.44 6.66A1.5 1.5 0 0 1 3 5.6V4.5Z" />
        </svg>
        Filters{" "}
        {active > 0 ? (
          <span className="rounded-full bg-emerald-700 px-1.5 text-xs text-white">
            {active}
            <span className="sr-only"> active</span>
          </span>
        ) : null}
      </button>
      <form
        id="invoice-filters"
        role="search"
        aria-label="Filter invoices"
        onSubmit={apply}
        className={`${open ? "mt-3 grid" : "hidden"} gap-3 rounded-md border border-slate-200 bg-white p-4 sm:grid-cols-2 md:mt-0 md:grid lg:grid-cols-6`}
      >
        <SelectField label="Status" value={values.status} onChange={set("status")}>
          <option value="">Any</option>
          {invoiceListStatuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
        <InputField label="Customer" type="search" value={values.customer} onChange={set("customer")} className="lg:col-span-2" />
        <ProjectPicker label="Project" emptyLabel="Any" choices={projects} value={values.projectId} onChange={(id) => setValues((v) => ({ ...v, projectId: id }))} />
        <InputField label="Issued from" type="date" value={values.issueDateFrom} onChange={set("issueDateFrom")} />
        <InputField label="Issued to" type="date" value={values.issueDateTo} onChange={set("issueDateTo")} error={rangeError} />
        <div className="flex gap-2 sm:col-span-2 lg:col-span-6">
          <button type="submit" className={buttonClass()}>
            Apply filters
          </button>
          <button type="button" className={buttonClass("ghost")} onClick={() => router.push("/invoices")}>
            Clear
          </button>
        </div>
      </form>
    </div>
  );
}

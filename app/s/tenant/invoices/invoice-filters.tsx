"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { invoiceFiltersQuery, type InvoiceFilters } from "@/lib/invoice-list-params";
import { invoiceListStatuses } from "@/lib/schemas/invoice";
import { InputField, SelectField } from "../_components/form";
import type { ProjectChoices } from "../_components/project-choices";
import { ProjectPicker } from "../_components/project-picker";
import { buttonClass } from "../_components/ui";

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
    <form role="search" aria-label="Filter invoices" onSubmit={apply} className="grid gap-3 rounded-md border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-6">
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
  );
}

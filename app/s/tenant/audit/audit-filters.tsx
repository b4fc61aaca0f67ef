"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { auditActions, auditEntityTypes } from "@/lib/schemas/audit";
import { actionLabels, entityTypeLabels } from "../_components/audit-format";
import { InputField, SelectField } from "../_components/form";
import { buttonClass } from "../_components/ui";

export type AuditFilterValues = { action: string; entityType: string; actor: string; actorLabel: string; from: string; to: string };

export function AuditFilters({ initial }: { initial: AuditFilterValues }) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const set = (key: keyof AuditFilterValues) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }));
  const rangeError = values.from && values.to && values.to < values.from ? "The range ends before it starts" : undefined;

  function apply(event: FormEvent) {
    event.preventDefault();
    if (rangeError) return;
    const q = new URLSearchParams();
    for (const key of ["action", "entityType", "actor", "from", "to"] as const) if (values[key]) q.set(key, values[key]);
    router.push(`/audit${q.size ? `?${q.toString()}` : ""}`);
  }

  return (
    <form role="search" aria-label="Filter the audit log" onSubmit={apply} className="grid gap-3 rounded-md border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-5">
      <SelectField label="Action" value={values.action} onChange={set("action")}>
        <option value="">Any</option>
        {auditActions.map((a) => (
          <option key={a} value={a}>
            {actionLabels[a]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Entity" value={values.entityType} onChange={set("entityType")}>
        <option value="">Any</option>
        {auditEntityTypes.map((t) => (
          <option key={t} value={t}>
            {entityTypeLabels[t]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Actor" value={values.actor} onChange={set("actor")} hint="Pick a name in the log to filter by it">
        <option value="">Anyone</option>
        {values.actor ? <option value={values.actor}>{values.actorLabel || values.actor}</option> : null}
      </SelectField>
      <InputField label="From" type="date" value={values.from} onChange={set("from")} />
      <InputField label="To" type="date" value={values.to} onChange={set("to")} error={rangeError} />
      <div className="flex gap-2 sm:col-span-2 lg:col-span-5">
        <button type="submit" className={buttonClass()}>
          Apply filters
        </button>
        <button type="button" className={buttonClass("ghost")} onClick={() => router.push("/audit")}>
          Clear
        </button>
      </div>
    </form>
  );
}

"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState, type Ref } from "react";
import { useTRPC } from "@/lib/trpc/react";
import { InputField, SelectField } from "./form";
import { toCustomerChoice, type CustomerChoice, type CustomerChoices } from "./customer-choices";

const SEARCH_LIMIT = 50;

/**
 * A saved-customer <select> with a search box that asks the server for names and emails, so a
 * tenant with hundreds of customers can still find one. "One-off customer" (no saved customer)
 * is always the first option. The linked customer stays among the options even when a search
 * or the first page would not show it.
 */
export function CustomerPicker({
  choices,
  value,
  onPick,
  onBlur,
  name,
  selectRef,
  error,
  className,
}: {
  choices: CustomerChoices;
  value: string;
  onPick: (customer: CustomerChoice | null) => void;
  onBlur?: () => void;
  name?: string;
  selectRef?: Ref<HTMLSelectElement>;
  error?: string;
  className?: string;
}) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState("");
  const [term, setTerm] = useState("");
  useEffect(() => {
    const handle = setTimeout(() => setTerm(draft.trim()), 250);
    return () => clearTimeout(handle);
  }, [draft]);
  const search = useQuery({
    ...trpc.customer.list.queryOptions({ search: term, limit: SEARCH_LIMIT }),
    enabled: term.length > 0,
    placeholderData: keepPreviousData,
  });

  const [picked, setPicked] = useState<CustomerChoice | null>(null);
  const listed = term && search.data ? search.data.items.map(toCustomerChoice) : choices.items;
  const selected = value ? [picked, choices.selected, ...choices.items].find((c) => c?.id === value) : undefined;
  const options = selected && !listed.some((c) => c.id === value) ? [selected, ...listed] : listed;

  let note = "Or leave it as a one-off customer and type the details below.";
  if (term && search.isFetching) note = "Searching…";
  else if (term && search.data) {
    const n = search.data.items.length;
    note = n === 0 ? `No customer matches “${term}”.` : `${n}${search.data.nextCursor ? "+" : ""} ${n === 1 ? "match" : "matches"}; choose below.`;
  } else if (choices.more) note = `Showing the first ${choices.items.length}; search to find others.`;

  return (
    <div className={className}>
      {choices.items.length > 0 || choices.more ? (
        <InputField
          label="Find a customer"
          type="search"
          placeholder="Name or email"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          // Enter searches; it must not submit the form the picker sits in.
          onKeyDown={(e) => {
            if (e.key === "Enter") e.preventDefault();
          }}
          autoComplete="off"
          className="mb-2"
        />
      ) : null}
      <SelectField
        label="Saved customer"
        name={name}
        ref={selectRef}
        value={value}
        onChange={(e) => {
          const customer = options.find((c) => c.id === e.target.value) ?? null;
          setPicked(customer);
          onPick(customer);
        }}
        onBlur={onBlur}
        error={error}
        hint={<span aria-live="polite">{note}</span>}
      >
        <option value="">One-off customer</option>
        {options.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
            {c.email ? ` — ${c.email}` : ""}
            {c.archived ? " (archived)" : ""}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState, type Ref } from "react";
import { useTRPC } from "@/lib/trpc/react";
import { InputField, SelectField } from "./form";
import type { ProjectChoice, ProjectChoices } from "./project-choices";

/** How many matches a search shows. */
const SEARCH_LIMIT = 50;

/**
 * A project <select>. When the tenant has more projects than the page loaded, a search box above it
 * asks the server for matching names. The selected project always stays among the options, so
 * saving a form never drops a project that happens to lie beyond the first page.
 */
export function ProjectPicker({
  label,
  emptyLabel,
  choices,
  status,
  value,
  onChange,
  onBlur,
  name,
  selectRef,
  error,
  hint,
  className,
}: {
  label: string;
  emptyLabel: string;
  choices: ProjectChoices;
  status?: "active";
  value: string;
  onChange: (id: string) => void;
  onBlur?: () => void;
  name?: string;
  selectRef?: Ref<HTMLSelectElement>;
  error?: string;
  hint?: string;
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
    ...trpc.project.list.queryOptions({ search: term, status, limit: SEARCH_LIMIT }),
    enabled: choices.more && term.length > 0,
    placeholderData: keepPreviousData,
  });

  // The project picked from a search keeps its option (and name) after the search moves on.
  const [picked, setPicked] = useState<ProjectChoice | null>(null);
  const listed = term && search.data ? search.data.items : choices.items;
  const selected = value ? [picked, choices.selected, ...listed].find((p) => p?.id === value) : undefined;
  const options = selected && !listed.some((p) => p.id === value) ? [selected, ...listed] : listed;
  const choose = (id: string) => {
    setPicked(options.find((p) => p.id === id) ?? null);
    onChange(id);
  };

  let note: string | undefined = hint;
  if (choices.more && !term) note = `Showing the first ${choices.items.length}; search to find others.`;
  else if (term && search.isFetching) note = "Searching…";
  else if (term && search.data) {
    const n = search.data.items.length;
    note = n === 0 ? `No project matches “${term}”.` : `${n}${search.data.nextCursor ? "+" : ""} ${n === 1 ? "match" : "matches"}.`;
  }

  return (
    <div className={className}>
      {choices.more ? (
        <InputField
          label="Find a project"
          type="search"
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
        label={label}
        name={name}
        ref={selectRef}
        value={value}
        onChange={(e) => choose(e.target.value)}
        onBlur={onBlur}
        error={error}
        hint={note ? <span aria-live="polite">{note}</span> : undefined}
      >
        <option value="">{emptyLabel}</option>
        {options.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
            {p.status === "archived" ? " (archived)" : ""}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

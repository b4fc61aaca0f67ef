import { useId, type ComponentPropsWithRef, type ReactNode } from "react";

const control =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-600 disabled:bg-slate-100";

type Common = { label: string; error?: string | undefined; hint?: ReactNode; className?: string; hideLabel?: boolean };

function Wrapper({ id, label, error, hint, className, hideLabel, children }: Common & { id: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className={hideLabel ? "sr-only" : "block text-sm font-medium text-slate-800"}>
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: ReactNode) {
  return [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
}

export function InputField({ label, error, hint, className, hideLabel, ...input }: Common & Omit<ComponentPropsWithRef<"input">, "className">) {
  const id = useId();
  return (
    <Wrapper {...{ id, label, error, hint, className, hideLabel }}>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} className={control} {...input} />
    </Wrapper>
  );
}

export function SelectField({
  label,
  error,
  hint,
  className,
  hideLabel,
  children,
  ...select
}: Common & Omit<ComponentPropsWithRef<"select">, "className">) {
  const id = useId();
  return (
    <Wrapper {...{ id, label, error, hint, className, hideLabel }}>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} className={control} {...select}>
        {children}
      </select>
    </Wrapper>
  );
}

export function TextareaField({ label, error, hint, className, hideLabel, ...textarea }: Common & Omit<ComponentPropsWithRef<"textarea">, "className">) {
  const id = useId();
  return (
    <Wrapper {...{ id, label, error, hint, className, hideLabel }}>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} className={control} {...textarea} />
    </Wrapper>
  );
}

/** A message for the whole form (a server refusal that belongs to no single field). */
export function FormError({ message }: { message?: string | null | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </p>
  );
}

import Link from "next/link";
import type { ReactNode } from "react";

const buttonBase =
  "inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-60";
const buttonVariants = {
  primary: "bg-emerald-700 text-white hover:bg-emerald-800",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
  danger: "bg-red-700 text-white hover:bg-red-800",
  ghost: "text-slate-700 hover:bg-slate-100",
} as const;

export function buttonClass(variant: keyof typeof buttonVariants = "primary", extra = "") {
  return `${buttonBase} ${buttonVariants[variant]} ${extra}`;
}

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        {/* A title is a name a user typed (up to 120 characters, maybe one word): it wraps rather than widen the page. */}
        <h1 className="text-2xl font-bold wrap-anywhere">{title}</h1>
        {description ? <div className="mt-1 text-sm text-slate-600 wrap-anywhere">{description}</div> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2 print:hidden">{actions}</div> : null}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="mt-6 rounded-md border border-dashed border-slate-300 bg-white p-8 text-center">
      <p className="font-medium">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-600">{children}</div> : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}

export function Skeleton({ className = "" }: { className?: string }) {
  return <div aria-hidden className={`animate-pulse rounded bg-slate-200 ${className}`} />;
}

/** A page-sized placeholder; the status role tells screen readers something is loading. */
export function PageSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading…</span>
      <Skeleton className="h-8 w-48" />
      <div className="mt-6 space-y-3">
        {Array.from({ length: rows }, (_, i) => (
          <Skeleton key={i} className="h-12 w-full" />
        ))}
      </div>
    </div>
  );
}

const statusStyles: Record<string, string> = {
  draft: "bg-slate-100 text-slate-700",
  sent: "bg-sky-50 text-sky-800",
  paid: "bg-emerald-50 text-emerald-800",
  void: "bg-slate-100 text-slate-700 line-through",
  overdue: "bg-red-50 text-red-800",
  active: "bg-emerald-50 text-emerald-800",
  archived: "bg-slate-100 text-slate-600",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${statusStyles[status] ?? "bg-slate-100"}`}>{status}</span>;
}

/**
 * One line, cut with an ellipsis where it runs out of room. The whole text stays in the DOM, so screen
 * readers and copy read all of it; `title` shows it to a pointer.
 */
export function Truncated({ text, className = "", as: Tag = "span" }: { text: string; className?: string; as?: "span" | "p" | "h1" }) {
  return (
    <Tag className={`block truncate ${className}`} title={text}>
      {text}
    </Tag>
  );
}

export function TextLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="text-emerald-800 underline decoration-emerald-800/40 underline-offset-2 hover:decoration-emerald-800">
      {children}
    </Link>
  );
}

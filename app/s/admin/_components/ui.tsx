import type { ReactNode } from "react";

const base = "inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60";
const variants = {
  primary: "bg-emerald-700 text-white hover:bg-emerald-800",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
  danger: "bg-red-700 text-white hover:bg-red-800",
} as const;

export const button = (variant: keyof typeof variants = "primary") => `${base} ${variants[variant]}`;

const statusStyles: Record<string, string> = {
  active: "bg-emerald-50 text-emerald-800",
  suspended: "bg-amber-50 text-amber-800",
  deleted: "bg-red-50 text-red-800",
  queued: "bg-slate-100 text-slate-700",
  running: "bg-sky-50 text-sky-800",
  done: "bg-emerald-50 text-emerald-800",
  failed: "bg-red-50 text-red-800",
};

export function Badge({ status }: { status: string }) {
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${statusStyles[status] ?? "bg-slate-100"}`}>{status}</span>;
}

export function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="rounded-md border border-slate-200 bg-white p-4" aria-label={title}>
      <h2 className="text-sm font-semibold text-slate-600">{title}</h2>
      <div className="mt-1">{children}</div>
    </section>
  );
}

export const tenantStatus = (t: { status: string; deletedAt: Date | null }) => (t.deletedAt ? "deleted" : t.status);

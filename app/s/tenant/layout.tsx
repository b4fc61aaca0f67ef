import type { ReactNode } from "react";
import { SignOutButton } from "@/app/sign-out-button";
import { serverCaller } from "@/server/caller";
import { pageCall } from "@/server/page-call";

export default async function TenantLayout({ children }: { children: ReactNode }) {
  const caller = await serverCaller();
  const tenant = await pageCall(() => caller.tenant.current());
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
          <div className="flex items-center gap-3">
            <span aria-hidden className="grid h-8 w-8 place-items-center rounded-md bg-emerald-700 font-bold text-white">
              {tenant.name.slice(0, 1)}
            </span>
            <span className="font-semibold" data-testid="tenant-name">
              {tenant.name}
            </span>
            <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600">{tenant.role}</span>
          </div>
          <SignOutButton />
        </div>
      </header>
      <div className="mx-auto max-w-5xl px-4 py-6">{children}</div>
    </div>
  );
}

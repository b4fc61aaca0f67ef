import Link from "next/link";
import type { ReactNode } from "react";
import { Toaster } from "sonner";
import { SignOutButton } from "@/app/sign-out-button";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";

export const metadata = { title: "Platform admin" };

/** Every admin page: platformAdminProcedure decides (UNAUTHORIZED → sign-in, FORBIDDEN → the 403 page). */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const caller = await serverCaller();
  await pageCall(() => caller.admin.stats());
  const nav = [
    { href: "/", label: "Tenants" },
    { href: "/new", label: "Onboard a tenant" },
    { href: "/audit", label: "Audit log" },
    { href: "/load", label: "Load by tenant" },
    { href: "/jobs", label: "Failed jobs" },
  ];
  return (
    <div className="min-h-screen bg-slate-50">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <span className="font-semibold">Canopy platform admin</span>
          <nav aria-label="Admin">
            <ul className="flex flex-wrap gap-4 text-sm">
              {nav.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} className="text-slate-700 hover:underline">
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <SignOutButton />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
      <Toaster position="top-right" richColors closeButton />
    </div>
  );
}

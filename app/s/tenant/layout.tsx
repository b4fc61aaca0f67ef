import type { ReactNode } from "react";
import { SignOutButton } from "@/app/sign-out-button";
import { TenantInitial } from "@/app/tenant-initial";
import { WorkspaceSwitcher } from "@/app/workspace-switcher";
import { workspacePrincipal } from "@/server/workspace-principal";
import { Toaster } from "./_components/toaster";
import { WorkspaceNav } from "./_components/workspace-nav";
import { SupportBanner } from "./support-banner";

export default async function TenantLayout({ children }: { children: ReactNode }) {
  const { tenant, allows, readOnly } = await workspacePrincipal();
  const main = [
    { href: "/", label: "Dashboard" },
    { href: "/projects", label: "Projects" },
    { href: "/invoices", label: "Invoices" },
    { href: "/customers", label: "Customers" },
    ...(allows("audit:read") ? [{ href: "/audit", label: "Audit log" }] : []),
  ];
  const settings = [
    { href: "/settings/members", label: "Members" },
    ...(allows("settings:read") ? [{ href: "/settings/company", label: "Company" }] : []),
    ...(allows("apiKey:manage") ? [{ href: "/settings/api-keys", label: "API keys" }] : []),
    ...(allows("domain:manage") ? [{ href: "/settings/domains", label: "Domains" }] : []),
    ...(allows("sso:manage") ? [{ href: "/settings/sso", label: "Single sign-on" }] : []),
  ];
  return (
    <div className="min-h-screen">
      <SupportBanner />
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white print:hidden">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-3 px-4 py-3">
          <div className="flex min-w-0 items-center gap-3">
            <TenantInitial name={tenant.name} />
            <span className="truncate font-semibold" data-testid="tenant-name" title={tenant.name}>
              {tenant.name}
            </span>
            <span className="hidden rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600 sm:inline">{tenant.role}</span>
            {readOnly ? (
              <span className="hidden whitespace-nowrap rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-900 sm:inline" data-testid="read-only-badge">
                read-only
              </span>
            ) : null}
          </div>
          <div className="flex shrink-0 items-center gap-2">
            <WorkspaceSwitcher currentSlug={tenant.slug} />
            <SignOutButton />
          </div>
        </div>
      </header>
      <div className="mx-auto max-w-6xl px-4 py-4 md:flex md:gap-8 md:py-6 print:block print:p-0">
        <WorkspaceNav main={main} settings={settings} />
        <main id="main" className="min-w-0 flex-1">
          {children}
        </main>
      </div>
      <Toaster />
    </div>
  );
}

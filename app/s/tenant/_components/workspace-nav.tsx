"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { useHydrated } from "@/lib/use-hydrated";
import { buttonClass } from "./ui";

type NavItem = { href: string; label: string };

function isCurrent(pathname: string, href: string) {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

function NavLink({ item, pathname }: { item: NavItem; pathname: string }) {
  const current = isCurrent(pathname, item.href);
  return (
    <Link
      href={item.href}
      aria-current={current ? "page" : undefined}
      className={`block rounded-md px-3 py-2 text-sm ${current ? "bg-emerald-50 font-semibold text-emerald-900" : "text-slate-700 hover:bg-slate-100"}`}
    >
      {item.label}
    </Link>
  );
}

/** Sidebar on wide screens; behind a disclosure button on a phone. */
export function WorkspaceNav({ main, settings }: { main: NavItem[]; settings: NavItem[] }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const hydrated = useHydrated();
  // Following a link on a phone should close the menu.
  useEffect(() => setOpen(false), [pathname]);

  return (
    <div className="mb-4 md:mb-0 print:hidden">
      {/* The name stays "Menu"; aria-expanded tells whether it is open. */}
      <button
        type="button"
        className={buttonClass("secondary", "md:hidden")}
        aria-expanded={open}
        aria-controls="workspace-nav"
        disabled={!hydrated}
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" className="h-4 w-4">
          {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 5h14M3 10h14M3 15h14" />}
        </svg>
        Menu
      </button>
      <nav
        id="workspace-nav"
        aria-label="Workspace"
        className={`${open ? "block" : "hidden"} mt-2 rounded-md border border-slate-200 bg-white p-2 md:mt-0 md:block md:w-48 md:shrink-0 md:border-0 md:bg-transparent md:p-0`}
      >
        <ul className="space-y-1">
          {main.map((item) => (
            <li key={item.href}>
              <NavLink item={item} pathname={pathname} />
            </li>
          ))}
        </ul>
        <p id="nav-settings" className="mt-4 px-3 text-xs font-semibold uppercase tracking-wide text-slate-500">
          Settings
        </p>
        <ul aria-labelledby="nav-settings" className="mt-1 space-y-1">
          {settings.map((item) => (
            <li key={item.href}>
              <NavLink item={item} pathname={pathname} />
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}

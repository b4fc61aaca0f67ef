import { serverCaller } from "@/server/api/server-caller";
import { rootUrl, tenantUrl } from "@/server/urls";

/** Every workspace of the signed-in user, one click away (a native disclosure: keyboard-friendly, no JS). */
export async function WorkspaceSwitcher({ currentSlug }: { currentSlug: string }) {
  const caller = await serverCaller();
  const workspaces = await caller.me.workspaces().catch(() => []);
  return (
    <details className="relative">
      <summary className="cursor-pointer whitespace-nowrap rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100">
        Switch<span className="sr-only sm:not-sr-only"> workspace</span>
      </summary>
      {/* Anchored to the right edge (the switcher sits at the header's end) and never wider than the screen. */}
      <ul className="absolute right-0 z-10 mt-1 w-64 max-w-[calc(100vw-2rem)] rounded-md border border-slate-200 bg-white py-1 shadow-lg" aria-label="Your workspaces">
        {workspaces.map((w) => (
          <li key={w.tenantId}>
            <a
              href={tenantUrl(w.slug)}
              aria-current={w.slug === currentSlug ? "page" : undefined}
              title={w.name}
              className="block truncate px-3 py-2 text-sm hover:bg-slate-50 aria-[current=page]:font-semibold"
            >
              {w.name}
            </a>
          </li>
        ))}
        <li className="border-t border-slate-100">
          <a href={rootUrl("/")} className="block px-3 py-2 text-sm text-emerald-700 hover:bg-slate-50">
            Create a workspace…
          </a>
        </li>
      </ul>
    </details>
  );
}

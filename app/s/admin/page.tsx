import Link from "next/link";
import { listTenantsInput, tenantStatusFilters, type tenantSorts } from "@/lib/schemas/admin";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { Badge, button, Card, tenantStatus } from "./_components/ui";

type Search = Record<string, string | string[] | undefined>;

const columns: { key: (typeof tenantSorts)[number]; label: string; numeric?: boolean }[] = [
  { key: "name", label: "Name" },
  { key: "slug", label: "Slug" },
  { key: "status", label: "Status" },
  { key: "plan", label: "Plan" },
  { key: "members", label: "Members", numeric: true },
  { key: "projects", label: "Projects", numeric: true },
  { key: "invoices", label: "Invoices", numeric: true },
  { key: "created", label: "Created" },
];

/** A count read from a dedicated database that did not answer is shown as unknown, not as zero. */
function count(n: number | null) {
  return n === null ? (
    <span title="Its database did not answer">
      —<span className="sr-only"> (unknown)</span>
    </span>
  ) : (
    n
  );
}

function parse(sp: Search) {
  const one = (k: string) => (Array.isArray(sp[k]) ? sp[k][0] : sp[k]);
  const parsed = listTenantsInput.safeParse({
    search: one("q") ?? "",
    status: one("status") ?? "all",
    sort: one("sort") ?? "created",
    dir: one("dir") ?? "desc",
    page: Number(one("page") ?? 1) || 1,
  });
  return parsed.success ? parsed.data : listTenantsInput.parse({});
}

export default async function TenantsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const input = parse(await searchParams);
  const caller = await serverCaller();
  const [list, stats] = await Promise.all([pageCall(() => caller.admin.tenants.list(input)), pageCall(() => caller.admin.stats())]);
  const href = (patch: Partial<typeof input>) => {
    const next = { ...input, ...patch };
    const params = new URLSearchParams({ q: next.search, status: next.status, sort: next.sort, dir: next.dir, page: String(next.page) });
    return `/?${params.toString()}`;
  };
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-2xl font-bold">Tenants</h1>
        <Link href="/new" className={button()}>
          Onboard a tenant
        </Link>
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <Card title="Tenants">{stats.tenants}</Card>
        <Card title="Active">{stats.active}</Card>
        <Card title="Suspended">{stats.suspended}</Card>
        <Card title="Deleted">{stats.deleted}</Card>
        <Card title="Users">{stats.users}</Card>
      </div>
      <form method="get" action="/" className="flex flex-wrap items-end gap-3" role="search">
        <div>
          <label htmlFor="q" className="block text-sm font-medium">
            Search
          </label>
          <input id="q" name="q" defaultValue={input.search} placeholder="Name or slug" className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm" />
        </div>
        <div>
          <label htmlFor="status" className="block text-sm font-medium">
            Status
          </label>
          <select id="status" name="status" defaultValue={input.status} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
            {tenantStatusFilters.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <input type="hidden" name="sort" value={input.sort} />
        <input type="hidden" name="dir" value={input.dir} />
        <button type="submit" className={button("secondary")}>
          Search
        </button>
      </form>
      <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Tenants, sorted by {input.sort} ({input.dir === "asc" ? "ascending" : "descending"})</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              {columns.map((c) => {
                const active = input.sort === c.key;
                return (
                  <th key={c.key} scope="col" className={`px-3 py-2 ${c.numeric ? "text-right" : ""}`} aria-sort={active ? (input.dir === "asc" ? "ascending" : "descending") : undefined}>
                    <Link href={href({ sort: c.key, dir: active && input.dir === "asc" ? "desc" : "asc", page: 1 })} className="hover:underline">
                      {c.label}
                      {active ? (input.dir === "asc" ? " ↑" : " ↓") : ""}
                    </Link>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {list.items.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="px-3 py-6 text-center text-slate-500">
                  No tenants match.
                </td>
              </tr>
            ) : null}
            {list.items.map((t) => (
              <tr key={t.id} className="border-t border-slate-100">
                <td className="px-3 py-2">
                  <Link href={`/tenants/${t.id}`} className="font-medium text-emerald-800 hover:underline">
                    {t.name}
                  </Link>
                </td>
                <td className="px-3 py-2 font-mono text-xs">
                  {t.slug}
                  {t.placement !== "shared" ? <span className="ml-2 rounded bg-slate-100 px-1 py-0.5 font-sans text-slate-600">{t.placement}</span> : null}
                </td>
                <td className="px-3 py-2">
                  <Badge status={tenantStatus(t)} />
                </td>
                <td className="px-3 py-2">{t.plan}</td>
                <td className="px-3 py-2 text-right tabular-nums">{t.members}</td>
                <td className="px-3 py-2 text-right tabular-nums">{count(t.projects)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{count(t.invoices)}</td>
                <td className="px-3 py-2 whitespace-nowrap">{t.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pagination" className="flex items-center justify-between text-sm">
        <span>
          Page {list.page} of {list.pageCount} · {list.total} tenants
        </span>
        <span className="flex gap-2">
          {list.page > 1 ? (
            <Link href={href({ page: list.page - 1 })} className={button("secondary")}>
              Previous
            </Link>
          ) : null}
          {list.page < list.pageCount ? (
            <Link href={href({ page: list.page + 1 })} className={button("secondary")}>
              Next
            </Link>
          ) : null}
        </span>
      </nav>
    </div>
  );
}

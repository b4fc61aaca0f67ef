import Link from "next/link";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { LoadChart } from "./load-chart";

export const metadata = { title: "Load by tenant" };

const CHART_TENANTS = 10;

const duration = (ms: number | null) => (ms === null ? "—" : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
const percent = (part: number, whole: number) => (whole === 0 ? "0%" : `${((100 * part) / whole).toFixed(part === 0 || part === whole ? 0 : 1)}%`);
const utcTime = (d: Date) => d.toISOString().slice(11, 16);

export default async function TenantLoadPage() {
  const caller = await serverCaller();
  const { since, tenants } = await pageCall(() => caller.admin.load.byTenant());
  const totalDbMs = tenants.reduce((sum, t) => sum + t.dbMs, 0);
  const label = (t: (typeof tenants)[number]) => t.slug ?? `${t.tenantId.slice(0, 8)} (purged)`;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Load by tenant</h1>
      <p className="text-sm text-slate-600">
        The last hour (since {utcTime(since)} UTC), counted by every app server: API calls per tenant, those that failed, the 95th percentile of
        their duration and the time they held a database transaction. Heaviest database time first.
      </p>
      {tenants.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-8 text-center text-slate-600">No tenant made an API call in the last hour.</p>
      ) : (
        <>
          <section aria-labelledby="load-chart-heading" className="rounded-md border border-slate-200 bg-white p-4">
            <h2 id="load-chart-heading" className="mb-2 text-sm font-semibold text-slate-600">
              Database time, top {Math.min(CHART_TENANTS, tenants.length)}
            </h2>
            <LoadChart bars={tenants.slice(0, CHART_TENANTS).map((t) => ({ label: label(t), dbSeconds: t.dbMs / 1000, requests: t.requests }))} />
          </section>
          <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Load per tenant in the last hour, heaviest database time first</caption>
              <thead className="bg-slate-50 text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">Tenant</th>
                  <th scope="col" className="px-3 py-2 text-right">Calls</th>
                  <th scope="col" className="px-3 py-2 text-right">Errors</th>
                  <th scope="col" className="px-3 py-2 text-right">p95</th>
                  <th scope="col" className="px-3 py-2 text-right">Database time</th>
                  <th scope="col" className="px-3 py-2 text-right">Share</th>
                </tr>
              </thead>
              <tbody>
                {tenants.map((t) => (
                  <tr key={t.tenantId} className="border-t border-slate-100">
                    <th scope="row" className="px-3 py-2 text-left font-normal">
                      {t.slug ? (
                        <Link href={`/tenants/${t.tenantId}`} className="text-emerald-800 underline">
                          {t.name ?? t.slug}
                        </Link>
                      ) : (
                        <span className="text-slate-600">{label(t)}</span>
                      )}
                      {t.slug ? <span className="block font-mono text-xs text-slate-500">{t.slug}</span> : null}
                    </th>
                    <td className="px-3 py-2 text-right tabular-nums">{t.requests.toLocaleString("en-US")}</td>
                    <td className={`px-3 py-2 text-right tabular-nums ${t.errors > 0 ? "text-red-800" : ""}`}>
                      {t.errors.toLocaleString("en-US")} <span className="text-xs text-slate-500">({percent(t.errors, t.requests)})</span>
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{duration(t.p95Ms)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{duration(t.dbMs)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{percent(t.dbMs, totalDbMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

import Link from "next/link";
import { serverCaller } from "@/server/caller";
import { pageCall } from "@/server/page-call";

export const metadata = { title: "Platform audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const { before } = await searchParams;
  const caller = await serverCaller();
  const log = await pageCall(() => caller.admin.audit.list({ limit: 50, ...(before && !Number.isNaN(Date.parse(before)) ? { before: new Date(before).toISOString() } : {}) }));
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Platform audit log</h1>
      <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Every platform admin action, newest first</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">When (UTC)</th>
              <th scope="col" className="px-3 py-2">Action</th>
              <th scope="col" className="px-3 py-2">Tenant</th>
              <th scope="col" className="px-3 py-2">By</th>
              <th scope="col" className="px-3 py-2">Details</th>
            </tr>
          </thead>
          <tbody>
            {log.items.map((e) => (
              <tr key={e.id} className="border-t border-slate-100 align-top">
                <td className="px-3 py-2 whitespace-nowrap">{e.createdAt.toISOString().slice(0, 19).replace("T", " ")}</td>
                <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                <td className="px-3 py-2">
                  {e.tenantId ? (
                    <Link href={`/tenants/${e.tenantId}`} className="text-emerald-800 underline">
                      {typeof e.details?.slug === "string" ? e.details.slug : e.tenantId.slice(0, 8)}
                    </Link>
                  ) : null}
                </td>
                <td className="px-3 py-2">{e.actorEmail ?? e.actorUserId.slice(0, 8)}</td>
                <td className="px-3 py-2 font-mono text-xs break-all">{e.details ? JSON.stringify(e.details) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {log.nextBefore ? (
        <Link href={`/audit?before=${encodeURIComponent(log.nextBefore)}`} className="text-emerald-800 underline">
          Older entries
        </Link>
      ) : null}
    </div>
  );
}

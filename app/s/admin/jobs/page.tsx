import Link from "next/link";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { RetryJobButton } from "./retry-job-button";

export const metadata = { title: "Failed jobs" };

export default async function FailedJobsPage() {
  const caller = await serverCaller();
  const jobs = await pageCall(() => caller.admin.jobs.failed());
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Failed jobs</h1>
      <p className="text-sm text-slate-600">Jobs that used up their retries. Retrying puts a job back in its queue as it was.</p>
      {jobs.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-8 text-center text-slate-600">No failed jobs.</p>
      ) : (
        <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Failed background jobs, most recent first</caption>
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Queue</th>
                <th scope="col" className="px-3 py-2">Tenant</th>
                <th scope="col" className="px-3 py-2">Retries</th>
                <th scope="col" className="px-3 py-2">Failed (UTC)</th>
                <th scope="col" className="px-3 py-2">Error</th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id} className="border-t border-slate-100 align-top">
                  <td className="px-3 py-2 font-mono text-xs">{job.queue}</td>
                  <td className="px-3 py-2">
                    {job.tenantId ? (
                      <Link href={`/tenants/${job.tenantId}`} className="text-emerald-800 underline">
                        {job.tenantId.slice(0, 8)}
                      </Link>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">{job.retryCount}</td>
                  <td className="px-3 py-2 whitespace-nowrap">{job.failedOn?.toISOString().slice(0, 19).replace("T", " ") ?? ""}</td>
                  <td className="px-3 py-2 font-mono text-xs break-all">{job.error ?? ""}</td>
                  <td className="px-3 py-2">
                    <RetryJobButton queue={job.queue} id={job.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

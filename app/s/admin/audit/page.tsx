import Link from "next/link";
import { AuditEntryItem, SentenceParts } from "@/app/audit-entry";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { describePlatformEntry } from "../_components/audit-format";

export const metadata = { title: "Platform audit log" };


export default async function AuditPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const { before } = await searchParams;
  const caller = await serverCaller();
  const log = await pageCall(() => caller.admin.audit.list({ limit: 50, ...(before && !Number.isNaN(Date.parse(before)) ? { before: new Date(before).toISOString() } : {}) }));
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold">Platform audit log</h1>
        <p className="mt-1 text-sm text-slate-600">Every platform admin action, newest first. Times are in UTC.</p>
      </div>
      {log.items.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 bg-white p-8 text-center font-medium">{before ? "No older entries" : "No platform actions yet"}</p>
      ) : (
        <ol className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white" aria-label="Platform audit entries, newest first">
          {log.items.map((e) => {
            const sentence = describePlatformEntry(e);
            return (
              <AuditEntryItem
                key={e.id}
                testId="platform-audit-entry"
                className="px-4 py-3"
                at={e.createdAt}
                details={sentence.details}
                sentence={
                  <>
                    <span className="font-medium">{sentence.actor}</span> <SentenceParts parts={sentence.parts} />
                  </>
                }
              />
            );
          })}
        </ol>
      )}
      {log.nextBefore ? (
        <Link href={`/audit?before=${encodeURIComponent(log.nextBefore)}`} className="text-emerald-800 underline">
          Older entries
        </Link>
      ) : null}
    </div>
  );
}

import Link from "next/link";
import { serverCaller } from "@/server/caller";
import { pageCall } from "@/server/page-call";
import { describePlatformEntry } from "../_components/audit-format";

export const metadata = { title: "Platform audit log" };

const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

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
              <li key={e.id} className="px-4 py-3 text-sm" data-testid="platform-audit-entry">
                <div className="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:justify-between sm:gap-4">
                  <p className="min-w-0 break-words">
                    <span className="font-medium">{sentence.actor}</span>{" "}
                    {sentence.parts.map((p, i) =>
                      typeof p === "string" ? (
                        p
                      ) : p.href ? (
                        <Link key={i} href={p.href} className="text-emerald-800 underline underline-offset-2">
                          {p.text}
                        </Link>
                      ) : (
                        <span key={i} className="font-medium">
                          {p.text}
                        </span>
                      ),
                    )}
                  </p>
                  <time dateTime={e.createdAt.toISOString()} className="shrink-0 text-slate-600">
                    {dateTime.format(e.createdAt)}
                  </time>
                </div>
                {sentence.details.length > 0 ? (
                  <ul className="mt-1 list-disc pl-5 text-slate-700">
                    {sentence.details.map((line, i) => (
                      <li key={i}>{line}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
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

import type { Metadata } from "next";
import Link from "next/link";
import { AuditEntryItem } from "@/app/audit-entry";
import { listAuditInput } from "@/lib/schemas/audit";
import { serverCaller } from "@/server/api/server-caller";
import { pageCall } from "@/server/api/page-call";
import { describeEntry } from "../_components/audit-format";
import { AuditSentenceText } from "../_components/audit-sentence";
import { EmptyState, PageHeader, TextLink, buttonClass } from "../_components/ui";
import { AuditFilters } from "./audit-filters";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const raw = { action: first(sp.action), entityType: first(sp.entityType), actorUserId: first(sp.actor), from: first(sp.from), to: first(sp.to), cursor: first(sp.cursor) };
  const parsed = listAuditInput.safeParse(raw);
  const input = parsed.success ? parsed.data : listAuditInput.parse({});
  const caller = await serverCaller();
  const log = await pageCall(() => caller.audit.list({ ...input, limit: 50 }), "/audit");
  const filterQuery = (extra: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    const all = { action: input.action, entityType: input.entityType, actor: input.actorUserId, from: input.from, to: input.to, ...extra };
    for (const [k, v] of Object.entries(all)) if (v) q.set(k, v);
    return q.size ? `?${q.toString()}` : "";
  };
  const actorLabel = input.actorUserId ? (log.items.find((i) => i.actorUserId === input.actorUserId)?.actorName ?? "") : "";

  return (
    <div className="space-y-4">
      <PageHeader title="Audit log" description="Every change in this workspace: who made it, when, and what changed. Times are in UTC." />
      <AuditFilters
        key={JSON.stringify(input)}
        initial={{
          action: input.action ?? "",
          entityType: input.entityType ?? "",
          actor: input.actorUserId ?? "",
          actorLabel,
          from: input.from ?? "",
          to: input.to ?? "",
        }}
      />
      {!parsed.success ? (
        <p role="status" className="text-sm text-amber-800">
          Some filters in the address were invalid and were ignored.
        </p>
      ) : null}

      {log.items.length === 0 ? (
        <EmptyState title={input.cursor ? "No older entries" : "No entries match"} action={<TextLink href="/audit">Show the latest entries</TextLink>} />
      ) : (
        <ol className="space-y-2" aria-label="Audit entries, newest first">
          {log.items.map((entry) => {
            const sentence = describeEntry(entry);
            return (
              <AuditEntryItem
                key={entry.id}
                testId="audit-entry"
                className="rounded-md border border-slate-200 bg-white p-3"
                at={entry.createdAt}
                details={sentence.details}
                sentence={
                  <AuditSentenceText
                    sentence={sentence}
                    actor={(a) => (
                      <Link
                        href={`/audit${filterQuery({ actor: a.userId })}`}
                        className="font-medium underline decoration-slate-300 underline-offset-2 hover:decoration-slate-700"
                        title={entry.actorEmail ? `${entry.actorEmail}: show only their entries` : "Show only their entries"}
                      >
                        {a.name}
                      </Link>
                    )}
                  />
                }
              />
            );
          })}
        </ol>
      )}
      <nav aria-label="Pagination" className="flex justify-between">
        {input.cursor ? (
          <Link href={`/audit${filterQuery({})}`} className={buttonClass("secondary")}>
            Newest entries
          </Link>
        ) : (
          <span />
        )}
        {log.nextCursor ? (
          <Link href={`/audit${filterQuery({ cursor: log.nextCursor })}`} className={buttonClass("secondary")} rel="next">
            Older entries
          </Link>
        ) : null}
      </nav>
    </div>
  );
}

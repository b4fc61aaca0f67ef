import type { Metadata } from "next";
import Link from "next/link";
import { listAuditInput } from "@/lib/schemas/audit";
import { serverCaller } from "@/server/caller";
import { pageCall } from "@/server/page-call";
import { describeAction, entityHref, entityLabel } from "../_components/audit-format";
import { EmptyState, PageHeader, TextLink, buttonClass } from "../_components/ui";
import { AuditFilters } from "./audit-filters";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

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
      <PageHeader title="Audit log" description="Every change in this workspace: who made it, when, and what changed. Times are UTC." />
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
            const href = entityHref(entry);
            const label = entityLabel(entry);
            const changed = Object.keys({ ...entry.before, ...entry.after });
            return (
              <li key={entry.id} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
                <div className="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:justify-between">
                  <p>
                    {entry.actorUserId ? (
                      <Link href={`/audit${filterQuery({ actor: entry.actorUserId })}`} className="font-medium hover:underline" title={entry.actorEmail ?? undefined}>
                        {entry.actorName ?? "A former member"}
                      </Link>
                    ) : (
                      <span className="font-medium">System</span>
                    )}{" "}
                    {describeAction(entry.action)} {label ? href ? <TextLink href={href}>{label}</TextLink> : <span>{label}</span> : null}{" "}
                    <code className="ml-1 rounded bg-slate-100 px-1 text-xs text-slate-600">{entry.action}</code>
                  </p>
                  <time dateTime={entry.createdAt.toISOString()} className="shrink-0 text-slate-500">
                    {dateTime.format(entry.createdAt)}
                  </time>
                </div>
                {changed.length > 0 ? (
                  <details className="mt-2">
                    <summary className="cursor-pointer text-slate-600">
                      {changed.length} field{changed.length === 1 ? "" : "s"}
                    </summary>
                    <div className="mt-2 overflow-x-auto">
                      <table className="w-full text-xs">
                        <thead className="text-left text-slate-500">
                          <tr>
                            <th scope="col" className="py-1 pr-3 font-medium">
                              Field
                            </th>
                            <th scope="col" className="py-1 pr-3 font-medium">
                              Before
                            </th>
                            <th scope="col" className="py-1 font-medium">
                              After
                            </th>
                          </tr>
                        </thead>
                        <tbody>
                          {changed.map((field) => (
                            <tr key={field} className="align-top">
                              <th scope="row" className="py-1 pr-3 text-left font-mono font-normal">
                                {field}
                              </th>
                              <td className="max-w-xs break-words py-1 pr-3 font-mono text-red-800">{entry.before ? show(entry.before[field]) : "—"}</td>
                              <td className="max-w-xs break-words py-1 font-mono text-emerald-800">{entry.after ? show(entry.after[field]) : "—"}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  </details>
                ) : null}
              </li>
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

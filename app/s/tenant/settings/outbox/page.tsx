import type { Metadata } from "next";
import { Fragment } from "react";
import { serverCaller } from "@/server/caller";
import { pageCall } from "@/server/page-call";
import { EmptyState, PageHeader, StatusBadge } from "../../_components/ui";

export const metadata: Metadata = { title: "Sent emails" };

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** Plain-text bodies with their links made clickable (the dev outbox is how invitations are opened locally). */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} className="break-all text-emerald-800 underline">
            {part}
          </a>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

export default async function OutboxPage() {
  const caller = await serverCaller();
  const emails = await pageCall(() => caller.outbox.list(), "/settings/outbox");
  return (
    <>
      <PageHeader
        title="Sent emails"
        description="The latest 50 emails this workspace sent. Without SMTP configured, they are kept here instead of being delivered."
      />
      {emails.length === 0 ? (
        <EmptyState title="No emails yet">Invitations and invoice emails appear here.</EmptyState>
      ) : (
        <ol aria-label="Sent emails" className="mt-6 space-y-4">
          {emails.map((m) => (
            <li key={m.id} className="rounded-md border border-slate-200 bg-white" data-testid="outbox-email">
              <article aria-labelledby={`mail-${m.id}`}>
                <header className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-100 px-4 py-3">
                  <div className="min-w-0">
                    <h2 id={`mail-${m.id}`} className="font-medium">
                      {m.subject}
                    </h2>
                    <p className="text-sm text-slate-600">
                      To <span data-testid="outbox-to">{m.to}</span> · {dateFormat.format(m.createdAt)} UTC
                    </p>
                  </div>
                  <StatusBadge status={m.status} />
                </header>
                <pre className="whitespace-pre-wrap break-words px-4 py-3 font-sans text-sm text-slate-800" data-testid="outbox-body">
                  <Linkified text={m.text} />
                </pre>
                {m.lastError ? <p className="px-4 pb-3 text-sm text-red-700">Last error: {m.lastError}</p> : null}
              </article>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

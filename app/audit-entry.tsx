import Link from "next/link";
import type { ReactNode } from "react";
import type { SentencePart } from "@/lib/audit-values";

const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** A sentence's words, with the named objects as links while they exist (underlined: they sit in running text). */
export function SentenceParts({ parts }: { parts: SentencePart[] }) {
  return parts.map((part, i) =>
    typeof part === "string" ? (
      part
    ) : part.href ? (
      <Link key={i} href={part.href} className="text-emerald-800 underline decoration-emerald-800/40 underline-offset-2 hover:decoration-emerald-800">
        {part.text}
      </Link>
    ) : (
      <span key={i} className="font-medium">
        {part.text}
      </span>
    ),
  );
}

/** One audit entry in a list: the sentence, when (UTC), and the detail lines of an edit. */
export function AuditEntryItem({ sentence, at, details, testId, className }: { sentence: ReactNode; at: Date; details: string[]; testId: string; className: string }) {
  return (
    <li className={`text-sm ${className}`} data-testid={testId}>
      <div className="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:justify-between sm:gap-4">
        <p className="min-w-0 break-words">{sentence}</p>
        <time dateTime={at.toISOString()} className="shrink-0 text-slate-600">
          {dateTime.format(at)}
        </time>
      </div>
      {details.length > 0 ? (
        <ul className="mt-2 list-disc space-y-0.5 break-words pl-5 text-slate-700">
          {details.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

import type { ReactNode } from "react";
import { SentenceParts } from "@/app/audit-entry";
import type { AuditActor, AuditSentence } from "./audit-format";

/** The sentence; `actor` renders the member's name (the audit page makes it a filter link). */
export function AuditSentenceText({ sentence, actor }: { sentence: AuditSentence; actor?: (a: Extract<AuditActor, { kind: "member" }>) => ReactNode }) {
  const who = sentence.actor.kind === "member" && actor ? actor(sentence.actor) : <span className="font-medium">{sentence.actor.kind === "member" ? sentence.actor.name : sentence.actor.text}</span>;
  return (
    <>
      {who} <SentenceParts parts={sentence.parts} />
    </>
  );
}

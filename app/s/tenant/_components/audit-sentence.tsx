import type { ReactNode } from "react";
import type { SentencePart } from "@/lib/audit-values";
import { TextLink } from "./ui";
import type { AuditActor, AuditSentence } from "./audit-format";

function Part({ part }: { part: SentencePart }) {
  if (typeof part === "string") return part;
  if (part.href) return <TextLink href={part.href}>{part.text}</TextLink>;
  return <span className="font-medium">{part.text}</span>;
}

/** The sentence; `actor` renders the member's name (the audit page makes it a filter link). */
export function AuditSentenceText({ sentence, actor }: { sentence: AuditSentence; actor?: (a: Extract<AuditActor, { kind: "member" }>) => ReactNode }) {
  const who = sentence.actor.kind === "member" && actor ? actor(sentence.actor) : <span className="font-medium">{sentence.actor.kind === "member" ? sentence.actor.name : sentence.actor.text}</span>;
  return (
    <>
      {who}{" "}
      {sentence.parts.map((p, i) => (
        <Part key={i} part={p} />
      ))}
    </>
  );
}

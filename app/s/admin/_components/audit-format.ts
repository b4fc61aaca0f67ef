import { clip, listWords, partsText, text, when, type SentencePart } from "@/lib/audit-values";
import { planOf } from "@/lib/plans";
import type { PlatformAuditAction } from "@/lib/schemas/admin";

/** One entry of `admin.audit.list`, as far as a sentence needs it. */
export type PlatformAuditEntry = {
  action: string;
  tenantId: string | null;
  actorEmail: string | null;
  details: Record<string, unknown> | null;
  /** The tenant as it is now; null once purged (or for entries about no tenant). */
  tenant: { name: string; slug: string } | null;
};

export type PlatformAuditSentence = { actor: string; parts: SentencePart[]; details: string[] };

const detail = (e: PlatformAuditEntry, key: string) => e.details?.[key];

/** The tenant by name, linked while it exists; a purged tenant by the name its entries recorded. */
function tenantPart(e: PlatformAuditEntry): SentencePart {
  if (e.tenant && e.tenantId) return { text: `${e.tenant.name} (${e.tenant.slug})`, href: `/tenants/${e.tenantId}` };
  const name = text(detail(e, "name"));
  const slug = text(detail(e, "slug"));
  if (name && slug) return { text: `${name} (${slug})`, href: null };
  return { text: name ?? slug ?? "a tenant that no longer exists", href: null };
}

type Sentence = { parts: SentencePart[]; details?: string[] };

/** One sentence per platform action: a new action without one fails to compile (and a unit test). */
const sentences: Record<PlatformAuditAction, (e: PlatformAuditEntry) => Sentence> = {
  "tenant.create": (e) => {
    const owner = text(detail(e, "owner"));
    const plan = text(detail(e, "plan"));
    const ownerWords = owner ? (detail(e, "ownerKind") === "invitation" ? `, inviting ${owner} as owner` : `, with ${owner} as owner`) : "";
    return { parts: ["created tenant ", tenantPart(e), `${plan ? ` on the ${plan} plan` : ""}${ownerWords}`] };
  },
  "tenant.suspend": (e) => ({ parts: ["suspended tenant ", tenantPart(e)] }),
  "tenant.reactivate": (e) => ({ parts: ["reactivated tenant ", tenantPart(e)] }),
  "tenant.plan": (e) => {
    const before = text(detail(e, "before"));
    const after = text(detail(e, "after"));
    const label = (id: string) => planOf(id).label;
    return { parts: ["moved tenant ", tenantPart(e), `${after ? ` to the ${label(after)} plan` : " to another plan"}${before ? ` (was ${label(before)})` : ""}`] };
  },
  "tenant.delete": (e) => ({ parts: ["deleted tenant ", tenantPart(e), detail(e, "purgeAfter") ? `; it can be restored until ${when(detail(e, "purgeAfter"))}` : ""] }),
  "tenant.restore": (e) => ({ parts: ["restored tenant ", tenantPart(e)] }),
  "tenant.purge": (e) => ({ parts: ["purged tenant ", tenantPart(e), ": every row of it is gone"] }),
  "tenant.move": (e) => {
    const from = text(detail(e, "source"));
    const to = text(detail(e, "target"));
    return { parts: ["started moving tenant ", tenantPart(e), `${from ? ` from the ${from} database` : ""}${to ? ` to the ${to} database` : ""}`] };
  },
  "tenant.export": (e) => ({ parts: ["exported tenant ", tenantPart(e), " to an archive"] }),
  "tenant.import": (e) => {
    const dropped = detail(e, "dropped");
    const left =
      dropped && typeof dropped === "object"
        ? Object.entries(dropped as Record<string, unknown>).map(([table, n]) => `${String(n)} ${table.replace(/_/g, " ")}`)
        : [];
    return {
      parts: ["imported tenant ", tenantPart(e), detail(e, "exportedAt") ? ` from an archive made ${when(detail(e, "exportedAt"))}` : " from an archive"],
      details: left.length ? [`Left out: ${listWords(left)}`] : [],
    };
  },
  "support.start": (e) => ({
    parts: [
      `opened a ${detail(e, "readOnly") === false ? "read-write" : "read-only"} support view of `,
      tenantPart(e),
      `${detail(e, "expiresAt") ? ` until ${when(detail(e, "expiresAt"))}` : ""}${text(detail(e, "reason")) ? `, giving the reason “${clip(String(detail(e, "reason")), 200)}”` : ""}`,
    ],
  }),
  "support.end": (e) => ({ parts: ["ended a support view of ", tenantPart(e)] }),
  "job.retry": (e) => ({ parts: [text(detail(e, "queue")) ? `retried a failed job in the ${String(detail(e, "queue"))} queue` : "retried a failed job"] }),
};

const isKnown = (action: string): action is PlatformAuditAction => Object.hasOwn(sentences, action);

export function describePlatformEntry(e: PlatformAuditEntry): PlatformAuditSentence {
  const s: Sentence = isKnown(e.action) ? sentences[e.action](e) : { parts: [`made a change (${e.action.replace(/[._]/g, " ")})`] };
  const actor = e.actorEmail ?? text(detail(e, "actorEmail")) ?? "Another platform admin";
  return { actor, parts: s.parts.filter((p) => p !== ""), details: s.details ?? [] };
}

export const platformSentenceText = (s: PlatformAuditSentence) => `${s.actor} ${partsText(s.parts)}`;

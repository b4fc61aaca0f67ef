import { sql } from "drizzle-orm";
import { auditLog } from "@/db/schema/audit";
import type { Transaction } from "@/db/client";
import type { AuditAction, AuditEntityType } from "@/lib/schemas/audit";

type Json = Record<string, unknown> | null;

/**
 * Only the fields that changed, so the log shows before/after without noise; the `keep` fields
 * stay in both even when equal, so an entry still names its subject (the invoice number, the
 * address) after the subject itself is gone.
 */
export function diffFields(before: Json, after: Json, keep: readonly string[] = []): { before: Json; after: Json } {
  if (!before || !after) return { before, after };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === "updatedAt") continue;
    if (keep.includes(key) || JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

const toJson = (value: Json): Json =>
  value ? (JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as Json) : null;

/** Written in the caller's transaction: the entry exists exactly when the change does. */
export async function writeAudit(
  db: Transaction,
  entry: {
    tenantId: string;
    actorUserId: string | null;
    action: AuditAction;
    entityType: AuditEntityType;
    entityId: string | null;
    before?: Json;
    after?: Json;
    keep?: readonly string[];
  },
): Promise<void> {
  const changed = diffFields(toJson(entry.before ?? null), toJson(entry.after ?? null), entry.keep);
  await db.insert(auditLog).values({
    tenantId: entry.tenantId,
    actorUserId: entry.actorUserId,
    // Set by the tenant procedure when an API key is the caller, so no handler can forget it.
    actorApiKeyId: sql`nullif(current_setting('app.api_key_id', true), '')::uuid`,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: changed.before,
    after: changed.after,
  });
}

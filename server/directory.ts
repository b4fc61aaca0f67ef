import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { gated } from "@/db/pool-gate";
import type { ClassifiedHost } from "@/lib/host";

/** `placement`: "shared" or the dedicated database holding the tenant's business rows. */
export type TenantRef = { id: string; slug: string; name: string; status: "active" | "suspended"; placement: string };

type Entry = { value: TenantRef | null; expires: number };
const cache = new Map<string, Entry>();
const POSITIVE_TTL_MS = 5_000;
const NEGATIVE_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

/**
 * Host → tenant through the SECURITY DEFINER directory functions, with a short cache
 * (positive and negative) so a flood of unknown hosts does not reach the database each time.
 */
export async function resolveTenant(db: Database, host: ClassifiedHost | null, opts: { fresh?: boolean } = {}): Promise<TenantRef | null> {
  if (!host || (host.kind !== "tenant" && host.kind !== "custom")) return null;
  const key = host.kind === "tenant" ? `s:${host.slug}` : `d:${host.host}`;
  const now = Date.now();
  const hit = cache.get(key);
  // fresh: the caller learned that the cached placement is stale (the tenant was moved).
  if (hit && hit.expires > now && !opts.fresh) return hit.value;
  // Through the pool gate like every transaction, so a look-up also waits only up to the bound.
  const rows = await gated(db, () =>
    host.kind === "tenant"
      ? db.execute<TenantRef>(sql`select id, slug, name, status, placement from app_tenant_by_slug(${host.slug})`)
      : db.execute<TenantRef>(sql`select id, slug, name, status, placement from app_tenant_by_domain(${host.host})`),
  );
  const value = rows[0] ?? null;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, { value, expires: now + (value ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS) });
  return value;
}

export function clearDirectoryCache(): void {
  cache.clear();
}

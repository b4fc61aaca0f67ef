import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { Database } from "@/db/client";
import { gated } from "@/db/pool-gate";
import type { ClassifiedHost } from "@/lib/host";
import { log } from "@/lib/log.mjs";

/** `placement`: "shared" or the dedicated database holding the tenant's business rows. */
export type TenantRef = { id: string; slug: string; name: string; status: "active" | "suspended"; placement: string; plan: string };

/** Where the database announces tenant changes (the triggers of migration 0020); the payload is a tenant id. */
export const DIRECTORY_CHANNEL = "canopy_directory";

type Entry = { value: TenantRef | null; expires: number };
const POSITIVE_TTL_MS = 5_000;
const NEGATIVE_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

/**
 * Host → tenant through the SECURITY DEFINER directory functions, with a short cache (positive and
 * negative) so a flood of unknown hosts does not reach the database each time. A listening cache
 * drops a tenant's entries as soon as the database announces a change to it, on whichever server
 * made it; the TTL bounds staleness when a notification is missed (the listener reconnecting).
 */
export class DirectoryCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every drop: a look-up that started before a change must not cache what it read. */
  private generation = 0;

  async resolve(db: Database, host: ClassifiedHost | null, opts: { fresh?: boolean } = {}): Promise<TenantRef | null> {
    if (!host || (host.kind !== "tenant" && host.kind !== "custom")) return null;
    const key = host.kind === "tenant" ? `s:${host.slug}` : `d:${host.host}`;
    const hit = this.entries.get(key);
    // fresh: the caller learned that the cached placement is stale (the tenant was moved).
    if (hit && hit.expires > Date.now() && !opts.fresh) return hit.value;
    const generation = this.generation;
    // Through the pool gate like every transaction, so a look-up also waits only up to the bound.
    const rows = await gated(db, () =>
      host.kind === "tenant"
        ? db.execute<TenantRef>(sql`select id, slug, name, status, placement, plan from app_tenant_by_slug(${host.slug})`)
        : db.execute<TenantRef>(sql`select id, slug, name, status, placement, plan from app_tenant_by_domain(${host.host})`),
    );
    const value = rows[0] ?? null;
    if (generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { value, expires: Date.now() + (value ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS) });
    }
    return value;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Drops the tenant's entries, and every negative one: a new domain or slug may resolve now. */
  drop(tenantId: string): void {
    this.generation++;
    for (const [key, entry] of this.entries) if (!entry.value || entry.value.id === tenantId) this.entries.delete(key);
  }

  /**
   * Listens on `listener` (a direct connection: PgBouncer in transaction mode cannot LISTEN).
   * postgres.js re-listens after a lost connection and calls back each time it (re)starts; what
   * was announced meanwhile is unknown, so the whole cache goes.
   */
  listen(listener: postgres.Sql): Promise<postgres.ListenMeta> {
    return listener.listen(
      DIRECTORY_CHANNEL,
      (tenantId) => this.drop(tenantId),
      () => this.clear(),
    );
  }
}

const globalForDirectory = globalThis as unknown as { canopyDirectory?: DirectoryCache; canopyDirectoryListener?: postgres.Sql };
const directory = (globalForDirectory.canopyDirectory ??= new DirectoryCache());

export function resolveTenant(db: Database, host: ClassifiedHost | null, opts: { fresh?: boolean } = {}): Promise<TenantRef | null> {
  return directory.resolve(db, host, opts);
}

/** Drops this process's cache at once (the notification reaches the other servers). */
export function clearDirectoryCache(): void {
  directory.clear();
}

/** Starts this process's listener, once; a failed start is retried, the TTL covering the gap. */
export function listenForDirectoryChanges(url: string): void {
  if (globalForDirectory.canopyDirectoryListener) return;
  const listener = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => undefined, connection: { application_name: "canopy-directory-listen" } });
  globalForDirectory.canopyDirectoryListener = listener;
  const start = () => {
    directory.listen(listener).catch((error: unknown) => {
      log.error("cannot listen for tenant changes, retrying in 5 s", { error: error instanceof Error ? error.message : String(error) });
      setTimeout(start, 5_000).unref();
    });
  };
  start();
}

import { createDatabase, type Database } from "./client";

/** The placement name of the pooled database every tenant starts in. */
export const SHARED_PLACEMENT = "shared";

export class UnknownPlacementError extends Error {
  constructor(readonly placement: string) {
    super(`Placement "${placement}" is not configured (TENANT_DATABASES)`);
    this.name = "UnknownPlacementError";
  }
}

type Entry = { database: ReturnType<typeof createDatabase>; leases: number; evicted: boolean };

/**
 * One connection pool per dedicated database, created on first use and capped: at most
 * `maxPools` open at once (the least recently used is closed to make room) and `poolSize`
 * connections each, so many silos cannot exhaust PostgreSQL's connection slots from one process.
 * Work runs inside `use`, which leases the pool: an evicted pool closes only once its last lease
 * ends, so eviction never breaks a transaction that is still running on it.
 */
export class PlacementPools {
  /** In order of use, least recent first (a Map keeps insertion order; a hit re-inserts). */
  private readonly open = new Map<string, Entry>();
  /** Evicted pools whose leases have not all ended yet. */
  private readonly draining = new Set<Entry>();

  constructor(
    private readonly urls: Record<string, string>,
    private readonly options: { maxPools: number; poolSize: number; prepare?: boolean; poolWaitMs?: number },
  ) {}

  has(placement: string): boolean {
    return Object.hasOwn(this.urls, placement);
  }

  names(): string[] {
    return Object.keys(this.urls);
  }

  /** Runs `fn` on the placement's pool, which stays open until `fn` settles even if it is evicted meanwhile. */
  async use<T>(placement: string, fn: (db: Database) => Promise<T>): Promise<T> {
    const entry = this.entry(placement);
    entry.leases += 1;
    try {
      return await fn(entry.database.db);
    } finally {
      entry.leases -= 1;
      if (entry.evicted && entry.leases === 0) void this.close(entry, 10);
    }
  }

  /** How many pools are open now, evicted ones still draining included (for tests and the admin's view). */
  get size(): number {
    return this.open.size + this.draining.size;
  }

  private entry(placement: string): Entry {
    const hit = this.open.get(placement);
    if (hit) {
      this.open.delete(placement);
      this.open.set(placement, hit);
      return hit;
    }
    const url = this.has(placement) ? this.urls[placement] : undefined;
    if (!url) throw new UnknownPlacementError(placement);
    while (this.open.size >= this.options.maxPools) this.evictOldest();
    const database = createDatabase(url, { max: this.options.poolSize, prepare: this.options.prepare, poolWaitMs: this.options.poolWaitMs });
    const entry = { database, leases: 0, evicted: false };
    this.open.set(placement, entry);
    return entry;
  }

  /** Evicts the least recently used pool; one in use drains first and closes when its last lease ends. */
  private evictOldest(): void {
    const oldest = this.open.entries().next().value;
    if (!oldest) return;
    const [placement, entry] = oldest;
    this.open.delete(placement);
    entry.evicted = true;
    if (entry.leases === 0) void this.close(entry, 10);
    else this.draining.add(entry);
  }

  private close(entry: Entry, timeout: number): Promise<void> {
    this.draining.delete(entry);
    return entry.database.client.end({ timeout });
  }

  async closeAll(): Promise<void> {
    const entries = [...this.open.values(), ...this.draining];
    this.open.clear();
    await Promise.all(entries.map((e) => this.close(e, 5)));
  }
}

import { createDatabase, type Database } from "./client";

/** The placement name of the pooled database every tenant starts in. */
export const SHARED_PLACEMENT = "shared";

export class UnknownPlacementError extends Error {
  constructor(readonly placement: string) {
    super(`Placement "${placement}" is not configured (TENANT_DATABASES)`);
    this.name = "UnknownPlacementError";
  }
}

type Entry = { database: ReturnType<typeof createDatabase> };

/**
 * One connection pool per dedicated database, created on first use and capped: at most
 * `maxPools` open at once (the least recently used is closed to make room) and `poolSize`
 * connections each, so many silos cannot exhaust PostgreSQL's connection slots from one process.
 */
export class PlacementPools {
  /** In order of use, least recent first (a Map keeps insertion order; a hit re-inserts). */
  private readonly open = new Map<string, Entry>();

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

  get(placement: string): Database {
    const hit = this.open.get(placement);
    if (hit) {
      this.open.delete(placement);
      this.open.set(placement, hit);
      return hit.database.db;
    }
    const url = this.has(placement) ? this.urls[placement] : undefined;
    if (!url) throw new UnknownPlacementError(placement);
    while (this.open.size >= this.options.maxPools) this.evictOldest();
    const database = createDatabase(url, { max: this.options.poolSize, prepare: this.options.prepare, poolWaitMs: this.options.poolWaitMs });
    this.open.set(placement, { database });
    return database.db;
  }

  /** How many pools are open now (for tests and the admin's view). */
  get size(): number {
    return this.open.size;
  }

  private evictOldest(): void {
    const oldest = this.open.entries().next().value;
    if (!oldest) return;
    this.open.delete(oldest[0]);
    // Queries already running finish; the pool's connections close after them.
    void oldest[1].database.client.end({ timeout: 10 });
  }

  async closeAll(): Promise<void> {
    const entries = [...this.open.values()];
    this.open.clear();
    await Promise.all(entries.map((e) => e.database.client.end({ timeout: 5 })));
  }
}

import postgres from "postgres";
import { env } from "@/lib/env";
import { log } from "@/lib/log.mjs";

/**
 * Load by tenant: per tenant and minute, the calls served, the failed ones, a duration histogram
 * (enough for a p95) and the time they held a database transaction. Counted in memory per process
 * and added to `telemetry.tenant_load` (migration 0026) every few seconds in one upsert, so a call
 * costs a few additions and no statement; a process that dies loses at most its last interval.
 */

/** Upper bounds (ms) of the duration buckets; the last bucket is everything slower. Fixed: rows of every process add up. */
export const TENANT_LOAD_BUCKETS_MS = [5, 10, 25, 50, 75, 100, 150, 250, 400, 600, 1000, 1600, 2500, 4000, 6500, 10000] as const;
const BUCKETS = TENANT_LOAD_BUCKETS_MS.length + 1;

export function bucketOf(durationMs: number): number {
  let i = 0;
  while (i < TENANT_LOAD_BUCKETS_MS.length && durationMs > TENANT_LOAD_BUCKETS_MS[i]!) i++;
  return i;
}

/**
 * The duration under which `q` of the calls fell, read from a histogram: linear within the bucket
 * that holds the quantile (the open last bucket answers with its lower bound). Null without calls.
 */
export function quantileOf(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const n = buckets[i] ?? 0;
    if (n > 0 && seen + n >= rank) {
      const lower = i === 0 ? 0 : TENANT_LOAD_BUCKETS_MS[i - 1]!;
      const upper = TENANT_LOAD_BUCKETS_MS[i];
      if (upper === undefined) return lower;
      return lower + ((upper - lower) * (rank - seen)) / n;
    }
    seen += n;
  }
  return TENANT_LOAD_BUCKETS_MS[TENANT_LOAD_BUCKETS_MS.length - 1]!;
}

type Cell = { tenantId: string; minute: number; requests: number; errors: number; durationMs: number; dbMs: number; buckets: number[] };

export type TenantCall = { tenantId: string; durationMs: number; dbMs: number; failed: boolean; at?: number };

/** Where flushed counts go: one statement per flush. */
export type TenantLoadSink = (cells: readonly Cell[]) => Promise<void>;

const MINUTE_MS = 60_000;

export class TenantLoadRecorder {
  private cells = new Map<string, Cell>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private lastPrune = 0;

  constructor(
    private readonly sink: TenantLoadSink,
    private readonly opts: { flushMs?: number; prune?: () => Promise<void>; pruneEveryMs?: number } = {},
  ) {}

  record(call: TenantCall): void {
    const minute = Math.floor((call.at ?? Date.now()) / MINUTE_MS) * MINUTE_MS;
    const key = `${call.tenantId}|${minute}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { tenantId: call.tenantId, minute, requests: 0, errors: 0, durationMs: 0, dbMs: 0, buckets: new Array<number>(BUCKETS).fill(0) };
      this.cells.set(key, cell);
    }
    cell.requests++;
    if (call.failed) cell.errors++;
    cell.durationMs += call.durationMs;
    cell.dbMs += call.dbMs;
    cell.buckets[bucketOf(call.durationMs)]!++;
    // unref: counting never keeps a process alive, and a finished test or script exits as before.
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushMs ?? 5_000).unref();
  }

  /** Calls counted and not yet written. */
  get pending(): number {
    let n = 0;
    for (const cell of this.cells.values()) n += cell.requests;
    return n;
  }

  /**
   * Writes what was counted since the last flush. On failure the counts go back into the next
   * flush (bounded: a database that stays down costs memory per tenant and minute, not per call).
   */
  flush(): Promise<void> {
    this.flushing ??= this.flushNow().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    if (this.cells.size === 0) return;
    const batch = [...this.cells.values()];
    this.cells = new Map();
    try {
      await this.sink(batch);
    } catch (error) {
      const oldest = Date.now() - 10 * MINUTE_MS;
      for (const cell of batch) if (cell.minute >= oldest) this.merge(cell);
      log.warn("tenant load not written, kept for the next flush", { error: error instanceof Error ? error.message : String(error) });
      return;
    }
    const now = Date.now();
    if (this.opts.prune && now - this.lastPrune >= (this.opts.pruneEveryMs ?? 10 * MINUTE_MS)) {
      this.lastPrune = now;
      await this.opts.prune().catch((error: unknown) => log.warn("tenant load retention sweep failed", { error: error instanceof Error ? error.message : String(error) }));
    }
  }

  private merge(cell: Cell) {
    const key = `${cell.tenantId}|${cell.minute}`;
    const current = this.cells.get(key);
    if (!current) return void this.cells.set(key, cell);
    current.requests += cell.requests;
    current.errors += cell.errors;
    current.durationMs += cell.durationMs;
    current.dbMs += cell.dbMs;
    cell.buckets.forEach((n, i) => (current.buckets[i]! += n));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** How long rows are kept. */
export const TENANT_LOAD_RETENTION = "24 hours";

/**
 * The upsert: every cell of a flush in one statement (one JSON parameter), adding to what other
 * processes wrote for the same tenant and minute. Histograms add bucket by bucket.
 */
export function postgresTenantLoadSink(sql: postgres.Sql): TenantLoadSink {
  return async (cells) => {
    const rows = cells.map((c) => ({
      tenant_id: c.tenantId,
      minute: new Date(c.minute).toISOString(),
      requests: c.requests,
      errors: c.errors,
      duration_ms: c.durationMs,
      db_ms: c.dbMs,
      duration_buckets: c.buckets,
    }));
    await sql`
      insert into telemetry.tenant_load as t (tenant_id, minute, requests, errors, duration_ms, db_ms, duration_buckets)
      select r.tenant_id, r.minute, r.requests, r.errors, r.duration_ms, r.db_ms, r.duration_buckets
      from jsonb_to_recordset(${sql.json(rows)}::jsonb)
        as r(tenant_id uuid, minute timestamptz, requests integer, errors integer, duration_ms double precision, db_ms double precision, duration_buckets integer[])
      on conflict (tenant_id, minute) do update set
        requests = t.requests + excluded.requests,
        errors = t.errors + excluded.errors,
        duration_ms = t.duration_ms + excluded.duration_ms,
        db_ms = t.db_ms + excluded.db_ms,
        duration_buckets = array(
          select coalesce(a, 0) + coalesce(b, 0)
          from unnest(t.duration_buckets, excluded.duration_buckets) with ordinality as u(a, b, i)
          order by i
        )`;
  };
}

export const pruneTenantLoad = (sql: postgres.Sql) => async () => {
  await sql`delete from telemetry.tenant_load where minute < now() - ${TENANT_LOAD_RETENTION}::interval`;
};

const globalForLoad = globalThis as unknown as { canopyTenantLoad?: TenantLoadRecorder };

/**
 * This process's recorder, writing over a one-connection pool of its own (TELEMETRY_DATABASE_URL,
 * else DATABASE_URL), so counting never waits for the application pool, nor it for the counting.
 * Created on the first call; the module's copies in Next's bundles share it through globalThis.
 */
export function tenantLoad(): TenantLoadRecorder {
  if (!globalForLoad.canopyTenantLoad) {
    let sql: postgres.Sql | undefined;
    const connect = () =>
      (sql ??= postgres(env().TELEMETRY_DATABASE_URL ?? env().DATABASE_URL, {
        max: 1,
        prepare: env().DB_PREPARE,
        connect_timeout: 2,
        idle_timeout: 30,
        onnotice: () => undefined,
        connection: { application_name: "canopy-telemetry" },
      }));
    globalForLoad.canopyTenantLoad = new TenantLoadRecorder((cells) => postgresTenantLoadSink(connect())(cells), { prune: () => pruneTenantLoad(connect())() });
  }
  return globalForLoad.canopyTenantLoad;
}

/** Tests and the bench: a recorder of their own in place of the process's. */
export function setTenantLoad(recorder: TenantLoadRecorder | undefined): void {
  globalForLoad.canopyTenantLoad?.stop();
  globalForLoad.canopyTenantLoad = recorder;
}

import postgres from "postgres";
import { MOVED_TABLES } from "./placement-tables";
import { SHARED_PLACEMENT } from "./placements";

/**
 * Moving a tenant's business rows between placements (the shared database and dedicated ones).
 *
 *   copying   copy every row to the target in one snapshot, writes going on meanwhile
 *   (pause)   take the tenant's move lock exclusively on the source: new tenant transactions wait
 *             at the fence, the ones inside finish first
 *             copy what changed since, verify row counts and checksums per table
 *   flipped   the target's copy opens, the directory points at the target (one transaction with
 *             this phase), the source's copy closes; the lock is released and the waiting
 *             requests fail at the fence and go to the target
 *   done      the source copy is purged
 *
 * Every step is idempotent, so an interrupted move resumes from its phase; before the flip it can
 * also be rolled back (the target copy is deleted). The fence (drizzle/0012) makes sure a tenant
 * is never readable in two places: a database serves a tenant only while its own `tenants` row
 * names that database as the placement.
 *
 * Runs as the owner role of each database (RLS is forced for it too: every statement here runs
 * in a transaction scoped to the tenant by app.tenant_id).
 */

/** Owner-role URLs: the shared database's and each dedicated database's, by placement name. */
export type MoveDatabases = { shared: string; dedicated: Record<string, string> };

export type TableReport = { table: string; source: { rows: number; checksum: string }; target: { rows: number; checksum: string } };

export type MoveResult = {
  moveId: string;
  tenantId: string;
  slug: string;
  source: string;
  target: string;
  phase: "done" | "rolled_back";
  tables: TableReport[];
  pauseMs: number | null;
  copied: { initial: number; delta: number; deleted: number };
};

export class MoveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoveError";
  }
}

/** The lock the fence takes in shared mode (drizzle/0012): the same two keys. */
const LOCK_CLASS = 1131310671;

type Sql = postgres.Sql;
type Tx = postgres.TransactionSql;
type MoveRow = { id: string; tenant_id: string; source: string; target: string; phase: string };

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const keyExpr = (key: readonly string[]) => `concat_ws('|', ${key.map((k) => `t.${ident(k)}::text`).join(", ")})`;

export type MoveHooks = {
  /** After the first copy, before the pause (tests write here to leave a delta). */
  afterInitialCopy?: () => Promise<void>;
  /** While writes are paused, after the delta copy and the verification (tests crash here). */
  beforeFlip?: () => Promise<void>;
  onPhase?: (phase: string) => void;
};

export class TenantMover {
  private readonly clients = new Map<string, Sql>();

  constructor(private readonly databases: MoveDatabases) {}

  private urlOf(placement: string): string {
    const url = placement === SHARED_PLACEMENT ? this.databases.shared : this.databases.dedicated[placement];
    if (!url) throw new MoveError(`Placement "${placement}" is not configured (TENANT_DATABASES)`);
    return url;
  }

  private client(placement: string): Sql {
    const hit = this.clients.get(placement);
    if (hit) return hit;
    const url = this.urlOf(placement);
    // Row text (for checksums) must print the same on both sides whatever the servers' defaults.
    const sql = postgres(url, {
      max: 3,
      onnotice: () => undefined,
      connect_timeout: 10,
      connection: { application_name: "canopy-mover", TimeZone: "UTC", DateStyle: "ISO, YMD", extra_float_digits: "1", IntervalStyle: "postgres" },
    });
    this.clients.set(placement, sql);
    return sql;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.end({ timeout: 5 })));
    this.clients.clear();
  }

  private scoped<T>(placement: string, tenantId: string, fn: (tx: Tx) => Promise<T>, mode = ""): Promise<T> {
    const sql = this.client(placement);
    const run = async (tx: Tx) => {
      await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
      return fn(tx);
    };
    return (mode ? sql.begin(mode, run) : sql.begin(run)) as Promise<T>;
  }

  private async tenantBySlug(slug: string): Promise<{ id: string; slug: string; placement: string; deleted_at: Date | null }> {
    const [row] = await this.client(SHARED_PLACEMENT)<{ id: string; slug: string; placement: string; deleted_at: Date | null }[]>`
      select id, slug, placement, deleted_at from tenants where slug = ${slug}`;
    if (!row) throw new MoveError(`No tenant "${slug}"`);
    return row;
  }

  private async openMove(tenantId: string): Promise<MoveRow | null> {
    const [row] = await this.client(SHARED_PLACEMENT)<MoveRow[]>`
      select id, tenant_id, source, target, phase from tenant_moves where tenant_id = ${tenantId} and phase not in ('done', 'rolled_back')`;
    return row ?? null;
  }

  private async setPhase(moveId: string, phase: string, extra: { report?: TableReport[]; pauseMs?: number; error?: string | null } = {}): Promise<void> {
    const finished = phase === "done" || phase === "rolled_back";
    await this.client(SHARED_PLACEMENT)`
      update tenant_moves set phase = ${phase}, updated_at = now(),
        report = coalesce(${extra.report ? JSON.stringify(extra.report) : null}::text::jsonb, report),
        pause_ms = coalesce(${extra.pauseMs ?? null}::int, pause_ms),
        error = ${extra.error ?? null},
        finished_at = ${finished ? new Date() : null}
      where id = ${moveId}`;
  }

  /** Starts a move (or picks up the tenant's requested one) and runs it to the end. */
  async move(slug: string, target: string, opts: { requestedBy?: string | null; hooks?: MoveHooks } = {}): Promise<MoveResult> {
    const tenant = await this.tenantBySlug(slug);
    // A deleted tenant may only come home (to be purged there, where its foreign keys cascade).
    if (tenant.deleted_at && target !== SHARED_PLACEMENT) throw new MoveError(`Tenant "${slug}" is deleted; restore it before moving it`);
    this.client(target); // unknown target: fail before recording anything
    const open = await this.openMove(tenant.id);
    if (open && !(open.phase === "requested" && open.target === target)) {
      throw new MoveError(`Tenant "${slug}" has an unfinished move to "${open.target}" (${open.phase}): resume or roll it back first`);
    }
    if (tenant.placement === target) throw new MoveError(`Tenant "${slug}" is already in "${target}"`);
    const moveId =
      open?.id ??
      (
        await this.client(SHARED_PLACEMENT)<{ id: string }[]>`
          insert into tenant_moves (tenant_id, source, target, phase, requested_by)
          values (${tenant.id}, ${tenant.placement}, ${target}, 'requested', ${opts.requestedBy ?? null}) returning id`
      )[0]!.id;
    if (open && open.source !== tenant.placement) {
      await this.setPhase(moveId, "failed", { error: `the tenant is in "${tenant.placement}", not "${open.source}"` });
      throw new MoveError(`Move ${moveId} expected the tenant in "${open.source}"; it is in "${tenant.placement}"`);
    }
    return this.run({ id: moveId, tenant_id: tenant.id, source: tenant.placement, target, phase: "requested" }, slug, opts.hooks);
  }

  /** Runs a move recorded by an admin (the worker's job). */
  async runRequested(moveId: string, hooks?: MoveHooks): Promise<MoveResult> {
    const [row] = await this.client(SHARED_PLACEMENT)<(MoveRow & { slug: string })[]>`
      select m.id, m.tenant_id, m.source, m.target, m.phase, t.slug from tenant_moves m join tenants t on t.id = m.tenant_id where m.id = ${moveId}`;
    if (!row) throw new MoveError(`No move ${moveId}`);
    if (row.phase !== "requested") throw new MoveError(`Move ${moveId} is ${row.phase}, not requested`);
    return this.move(row.slug, row.target, { hooks });
  }

  /** Continues the tenant's interrupted move from its phase. */
  async resume(slug: string, hooks?: MoveHooks): Promise<MoveResult> {
    const tenant = await this.tenantBySlug(slug);
    const open = await this.openMove(tenant.id);
    if (!open) throw new MoveError(`Tenant "${slug}" has no unfinished move`);
    return this.run(open, slug, hooks);
  }

  /** Undoes the tenant's unfinished move if it has not flipped yet: the target copy is deleted. */
  async rollback(slug: string): Promise<MoveResult> {
    const tenant = await this.tenantBySlug(slug);
    const open = await this.openMove(tenant.id);
    if (!open) throw new MoveError(`Tenant "${slug}" has no unfinished move`);
    if (open.phase === "flipped" || tenant.placement === open.target) {
      throw new MoveError(`The move of "${slug}" has already flipped to "${open.target}": resume it, then move the tenant back`);
    }
    // Both copies' fences back to the directory's truth (the source), then the target copy goes.
    await this.setFence(open.source, tenant.id, open.source);
    const deleted = await this.purge(open.target, tenant.id, open.target !== SHARED_PLACEMENT);
    await this.setPhase(open.id, "rolled_back", { error: null });
    return { moveId: open.id, tenantId: tenant.id, slug, source: open.source, target: open.target, phase: "rolled_back", tables: [], pauseMs: null, copied: { initial: 0, delta: 0, deleted } };
  }

  private async run(move: MoveRow, slug: string, hooks: MoveHooks = {}): Promise<MoveResult> {
    const { id: moveId, tenant_id: tenantId, source, target } = move;
    const copied = { initial: 0, delta: 0, deleted: 0 };
    let tables: TableReport[] = [];
    let pauseMs: number | null = null;
    try {
      if (move.phase !== "flipped") {
        await this.setPhase(moveId, "copying");
        hooks.onPhase?.("copying");
        // A resumed move may find the fences half flipped: the directory (the source) is the truth.
        await this.setFence(source, tenantId, source);
        await this.prepareTarget(source, target, tenantId);
        const first = await this.sync(source, target, tenantId);
        copied.initial = first.upserted;
        copied.deleted += first.deleted;
        await hooks.afterInitialCopy?.();
        const paused = await this.pauseAndFlip(moveId, source, target, tenantId, hooks);
        tables = paused.tables;
        pauseMs = paused.pauseMs;
        copied.delta = paused.delta.upserted;
        copied.deleted += paused.delta.deleted;
      }
      hooks.onPhase?.("flipped");
      // Never purge a copy the directory still points at (a "flipped" row it did not write itself).
      const [now] = await this.client(SHARED_PLACEMENT)<{ placement: string }[]>`select placement from tenants where id = ${tenantId}`;
      if (now?.placement !== target) throw new MoveError(`The directory places the tenant in "${now?.placement}", not "${target}": refusing to purge "${source}"`);
      // The source copy is closed by its fence; now it goes.
      await this.purge(source, tenantId, source !== SHARED_PLACEMENT);
      await this.setPhase(moveId, "done", { error: null });
      hooks.onPhase?.("done");
      return { moveId, tenantId, slug, source, target, phase: "done", tables, pauseMs, copied };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // After the flip the move stays "flipped" (resume purges); before it, "failed" (resume or roll back).
      const [row] = await this.client(SHARED_PLACEMENT)<{ phase: string }[]>`select phase from tenant_moves where id = ${moveId}`.catch(() => []);
      if (row && row.phase !== "flipped") await this.setPhase(moveId, "failed", { error: message }).catch(() => undefined);
      throw error;
    }
  }

  /** The target gets a reference row of the tenant (the FKs need it) whose fence stays closed. */
  private async prepareTarget(source: string, target: string, tenantId: string): Promise<void> {
    if (target === SHARED_PLACEMENT) return; // the directory row is there already
    const row = await this.scoped(SHARED_PLACEMENT, tenantId, async (tx) => {
      const [r] = await tx<{ row: string }[]>`select to_jsonb(t)::text as row from tenants t where t.id = ${tenantId}`;
      return r?.row;
    });
    if (!row) throw new MoveError("the tenant's directory row is not visible");
    await this.scoped(target, tenantId, async (tx) => {
      await tx`
        insert into tenants select * from jsonb_populate_record(null::tenants, ${row}::text::jsonb || jsonb_build_object('placement', ${source}::text))
        on conflict (id) do update set placement = excluded.placement, slug = excluded.slug, name = excluded.name`;
    });
  }

  /** Sets the placement that `db`'s own tenants row names (its fence). No-op where there is no row. */
  private async setFence(db: string, tenantId: string, placement: string, tx?: Tx): Promise<void> {
    const update = (t: Tx) => t`update tenants set placement = ${placement} where id = ${tenantId}`;
    if (tx) await update(tx);
    else await this.scoped(db, tenantId, async (t) => void (await update(t)));
  }

  private async pauseAndFlip(moveId: string, source: string, target: string, tenantId: string, hooks: MoveHooks) {
    // A connection of its own: the lock is held by the session and goes with it if we crash.
    const lockClient = postgres(this.urlOf(source), { max: 1, onnotice: () => undefined });
    try {
      // Bounded: a tenant transaction that never ends must not pause the tenant forever.
      await lockClient`select set_config('lock_timeout', '30s', false)`;
      await lockClient`select pg_advisory_lock(${LOCK_CLASS}, hashtext(${tenantId}::text))`;
      const pausedAt = performance.now();
      const delta = await this.sync(source, target, tenantId);
      const tables = await this.verify(source, target, tenantId);
      const bad = tables.filter((t) => t.source.rows !== t.target.rows || t.source.checksum !== t.target.checksum);
      if (bad.length > 0) throw new MoveError(`verification failed for ${bad.map((t) => t.table).join(", ")}`);
      await hooks.beforeFlip?.();
      // 1. The target's copy opens (nothing routes there until the directory says so).
      if (target !== SHARED_PLACEMENT) await this.setFence(target, tenantId, target);
      // 2. The source's own copy closes, when the source is dedicated (else it is the directory row).
      if (source !== SHARED_PLACEMENT) await this.setFence(source, tenantId, target);
      // 3. The directory points at the target, in one transaction with the phase.
      const pause = Math.round(performance.now() - pausedAt);
      await this.scoped(SHARED_PLACEMENT, tenantId, async (tx) => {
        await this.setFence(SHARED_PLACEMENT, tenantId, target, tx);
        await tx`update tenant_moves set phase = 'flipped', updated_at = now(), report = ${JSON.stringify(tables)}::text::jsonb, pause_ms = ${pause}, error = null where id = ${moveId}`;
      });
      return { tables, pauseMs: pause, delta };
    } finally {
      await lockClient.end({ timeout: 5 });
    }
  }

  /** Makes the target's rows of the tenant equal to the source's, table by table, from one snapshot. */
  private async sync(source: string, target: string, tenantId: string): Promise<{ upserted: number; deleted: number }> {
    let upserted = 0;
    let deleted = 0;
    await this.scoped(
      source,
      tenantId,
      (src) =>
        this.scoped(target, tenantId, async (dst) => {
          const plans: { table: (typeof MOVED_TABLES)[number]; changed: string[]; extra: string[] }[] = [];
          for (const table of MOVED_TABLES) {
            const [a, b] = [await hashes(src, table.name, table.key, tenantId), await hashes(dst, table.name, table.key, tenantId)];
            plans.push({ table, changed: [...a].filter(([k, h]) => b.get(k) !== h).map(([k]) => k), extra: [...b.keys()].filter((k) => !a.has(k)) });
          }
          // Children first for deletes, parents first for inserts (the foreign keys).
          for (const { table, extra } of [...plans].reverse()) {
            for (const chunk of chunks(extra)) {
              await dst.unsafe(`delete from ${ident(table.name)} t where t.tenant_id = $1 and ${keyExpr(table.key)} = any($2::text[])`, [tenantId, chunk]);
              deleted += chunk.length;
            }
          }
          for (const { table, changed } of plans) {
            if (changed.length === 0) continue;
            const columns = await dst<{ name: string }[]>`
              select attname as name from pg_attribute where attrelid = ${`public.${table.name}`}::regclass and attnum > 0 and not attisdropped order by attnum`;
            const set = columns.filter((c) => !(table.key as readonly string[]).includes(c.name)).map((c) => `${ident(c.name)} = excluded.${ident(c.name)}`);
            for (const chunk of chunks(changed)) {
              const [rows] = await src.unsafe<{ rows: string }[]>(
                `select coalesce(json_agg(t), '[]')::text as rows from ${ident(table.name)} t where t.tenant_id = $1 and ${keyExpr(table.key)} = any($2::text[])`,
                [tenantId, chunk],
              );
              await dst.unsafe(
                `insert into ${ident(table.name)} select * from jsonb_populate_recordset(null::${ident(table.name)}, $1::text::jsonb)
                 on conflict (${table.key.map(ident).join(", ")}) do ${set.length ? `update set ${set.join(", ")}` : "nothing"}`,
                [rows!.rows],
              );
              upserted += chunk.length;
            }
          }
        }),
      "isolation level repeatable read read only",
    );
    return { upserted, deleted };
  }

  /** Row count and checksum of each moved table on both sides. */
  async verify(source: string, target: string, tenantId: string): Promise<TableReport[]> {
    const [a, b] = await Promise.all([this.summaries(source, tenantId), this.summaries(target, tenantId)]);
    return MOVED_TABLES.map((t, i) => ({ table: t.name, source: a[i]!, target: b[i]! }));
  }

  private summaries(placement: string, tenantId: string) {
    return this.scoped(
      placement,
      tenantId,
      async (tx) => {
        const out: { rows: number; checksum: string }[] = [];
        for (const table of MOVED_TABLES) {
          const [row] = await tx.unsafe<{ rows: string; checksum: string }[]>(
            `select count(*) as rows, coalesce(md5(string_agg(md5(t::text), '' order by ${keyExpr(table.key)} collate "C")), '') as checksum
             from ${ident(table.name)} t where t.tenant_id = $1`,
            [tenantId],
          );
          out.push({ rows: Number(row!.rows), checksum: row!.checksum });
        }
        return out;
      },
      "isolation level repeatable read read only",
    );
  }

  /** Deletes the tenant's business rows in `placement` (and its reference row there, if asked). */
  private async purge(placement: string, tenantId: string, referenceRow: boolean): Promise<number> {
    return this.scoped(placement, tenantId, async (tx) => {
      let n = 0;
      for (const table of [...MOVED_TABLES].reverse()) {
        n += (await tx.unsafe(`delete from ${ident(table.name)} t where t.tenant_id = $1`, [tenantId])).count;
      }
      if (referenceRow) await tx`delete from tenants where id = ${tenantId}`;
      return n;
    });
  }
}

async function hashes(tx: Tx, table: string, key: readonly string[], tenantId: string): Promise<Map<string, string>> {
  const rows = await tx.unsafe<{ k: string; h: string }[]>(`select ${keyExpr(key)} as k, md5(t::text) as h from ${ident(table)} t where t.tenant_id = $1`, [tenantId]);
  return new Map(rows.map((r) => [r.k, r.h]));
}

function chunks<T>(items: T[], size = 2000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Owner URLs from the environment, as `npm run db:migrate -- --all` reads them. */
export function moveDatabasesFromEnv(env: { MIGRATION_DATABASE_URL?: string; TENANT_DATABASES: Record<string, { migrationUrl: string }> }): MoveDatabases {
  if (!env.MIGRATION_DATABASE_URL) throw new MoveError("Moving a tenant needs MIGRATION_DATABASE_URL (the owner role)");
  return { shared: env.MIGRATION_DATABASE_URL, dedicated: Object.fromEntries(Object.entries(env.TENANT_DATABASES).map(([name, db]) => [name, db.migrationUrl])) };
}

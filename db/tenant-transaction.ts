import { type ExtractTablesWithRelations, type SQL, sql } from "drizzle-orm";
import type { PgDialect, PgTransactionConfig } from "drizzle-orm/pg-core";
import { PostgresJsSession, PostgresJsTransaction, type PostgresJsSessionOptions } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { z } from "zod";
import { pipeliningClient, preparingClient, type Database, type Transaction } from "./client";
import { gated } from "./pool-gate";
import type * as schemaModule from "./schema";

type FullSchema = typeof schemaModule;
type Tables = ExtractTablesWithRelations<FullSchema>;

const uuid = z.uuid();

/**
 * `placement`: the placement this database is (see db/placements.ts). When given, the first
 * statement also passes the tenant's move fence there (drizzle/0012): it waits while a move
 * pauses the tenant's writes and fails with PlacementMovedError when the rows are no longer
 * here. Omitted only for transactions on the shared database's directory tables, which never move.
 */
export type TenantScope = {
  tenantId: string;
  userId?: string | null;
  placement?: string | null;
  /**
   * Extra columns for the settings statement, computed after the settings (PostgreSQL computes a
   * select list in order), so under this tenant's RLS, and without a statement of their own. `fn`
   * gets the row. Were the order ever to change, a probe would see no rows (RLS with no tenant
   * set) and fail closed, never see another tenant's.
   */
  probe?: SQL;
};

/** The settings statement's row: its probe's columns (and the settings' own, unnamed ones). */
export type SetupRow = Record<string, unknown>;

/** SQLSTATE raised by app_tenant_fence when the tenant's rows are not in this database. */
export const PLACEMENT_MOVED_CODE = "CN001";

export function isPlacementMoved(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === PLACEMENT_MOVED_CODE) return true;
  }
  return false;
}

/**
 * Noisy neighbour: one tenant's runaway query is cancelled after this long, so it cannot hold
 * connections the other tenants need. Transaction-local, like the tenant setting.
 */
const STATEMENT_TIMEOUT_MS = String(Number(process.env.TENANT_STATEMENT_TIMEOUT_MS ?? 5000));

/**
 * The settings statement of a scoped transaction: fixed text, values only as bound parameters.
 * The settings' own text is built once here, not per call (it is the first statement of every
 * tenant call); only a probe's columns are rendered per call.
 */
type Setup = { text: string; params: unknown[] };

const TENANT_SETUP = "select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true), set_config('statement_timeout', $3, true)";
const FENCED_TENANT_SETUP = `${TENANT_SETUP}, app_tenant_fence($4::uuid, $5)`;
const USER_SETUP = "select set_config('app.user_id', $1, true), set_config('statement_timeout', $2, true)";

/**
 * Scoped transactions this process has opened, by kind: what `npm run bench` reads to count the
 * transactions of one page render (plain counters, no cost worth measuring). On `globalThis`: Next
 * bundles route handlers and pages apart, each with its own copy of this module.
 */
export const transactionCounts: { tenant: number; user: number } = ((globalThis as { canopyTransactionCounts?: { tenant: number; user: number } }).canopyTransactionCounts ??= {
  tenant: 0,
  user: 0,
});

/**
 * Runs `fn` in its own transaction scoped to one tenant. The setting is transaction-local
 * (`set_config(..., true)`) and bound as a parameter, so it cannot leak to the next user of a
 * pooled connection and cannot be used for SQL injection.
 */
export async function withTenant<T>(
  db: Database,
  scope: TenantScope,
  fn: (tx: Transaction, setup: Promise<SetupRow>) => Promise<T>,
  config?: PgTransactionConfig,
): Promise<T> {
  const tenantId = uuid.parse(scope.tenantId);
  const userId = scope.userId ? uuid.parse(scope.userId) : "";
  const settings: Setup = scope.placement
    ? { text: FENCED_TENANT_SETUP, params: [tenantId, userId, STATEMENT_TIMEOUT_MS, tenantId, scope.placement] }
    : { text: TENANT_SETUP, params: [tenantId, userId, STATEMENT_TIMEOUT_MS] };
  const setup = scope.probe ? queryOf(db, sql.join([setupStatement(settings), sql`, `, scope.probe])) : settings;
  transactionCounts.tenant++;
  return scopedTransaction(db, setup, fn, config);
}

/** A transaction that knows only the user (for the user's own row and "my workspaces"). */
export async function withUser<T>(db: Database, userId: string, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  transactionCounts.user++;
  return scopedTransaction(db, { text: USER_SETUP, params: [uuid.parse(userId), STATEMENT_TIMEOUT_MS] }, fn);
}

/** The setup as a drizzle statement, for the unprepared path: `$n` placeholders become bound values. */
function setupStatement({ text, params }: Setup): SQL {
  const parts: SQL[] = [];
  let from = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    parts.push(sql.raw(text.slice(from, match.index)), sql`${params[Number(match[1]) - 1]}`);
    from = match.index + match[0].length;
  }
  parts.push(sql.raw(text.slice(from)));
  return sql.join(parts);
}

function queryOf(db: Database, statement: SQL): Setup {
  const { sql: text, params } = dialectOf(db).sqlToQuery(statement);
  return { text, params };
}

/**
 * `setup` (the settings) runs first, before any statement of `fn`. Its error is the one thrown
 * when it fails: `fn`'s statements then fail only because the transaction is aborted (25P02),
 * and callers must see the cause (a moved placement, CN001).
 */
function scopedTransaction<T>(db: Database, setup: Setup, fn: (tx: Transaction, setup: Promise<SetupRow>) => Promise<T>, config?: PgTransactionConfig): Promise<T> {
  const client = pipeliningClient(db);
  return gated(db, () =>
    client
      ? pipelinedTransaction(client, setup, fn, db, config)
      : // Unprepared (PgBouncer): postgres.js waits for each statement's description before
        // sending the next one, so awaiting the setup first costs no round trip.
        db.transaction(async (tx) => {
          const [row] = await tx.execute<SetupRow>(setupStatement(setup));
          return fn(tx, Promise.resolve(row ?? {}));
        }, config),
  );
}

/** A postgres.js connection, as its `onexecute` query option hands it over (postgres.js's own begin() relies on it). */
type DriverConnection = { terminate(): void; onclose: ((error: Error) => void) | null };

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(promise: PromiseLike<T>): PromiseLike<Outcome<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/**
 * One transaction on a reserved connection with BEGIN, the setup statement and `fn`'s first
 * statement in one round trip: postgres.js's `begin()` waits for BEGIN's answer before it runs
 * the callback; here nothing waits until `fn` does. PostgreSQL runs a connection's statements
 * in the order sent, and postgres.js sends them in the order their queries start: BEGIN and the
 * setup start before `fn` is called, so every statement of `fn` runs inside the transaction and
 * after the settings.
 *
 * The connection goes back to the pool only after a COMMIT or ROLLBACK that succeeded. One that
 * closed under the transaction is already back in the pool (closed, to be reconnected), and
 * nothing more is sent through it: the pool may be reconnecting it for someone else. One whose
 * COMMIT or ROLLBACK failed while it stayed open is closed, never handed on in an unknown state.
 */
async function pipelinedTransaction<T>(
  client: postgres.Sql,
  setup: Setup,
  fn: (tx: Transaction, setup: Promise<SetupRow>) => Promise<T>,
  db: Database,
  config?: PgTransactionConfig,
): Promise<T> {
  const begin = beginStatement(config);
  const reserved = await client.reserve();
  const state: { connection?: DriverConnection; lost?: Error; ended?: Error } = {};
  // Statements queued behind one still being described are never answered when the connection
  // closes, so waiting on them alone could hang: each wait below also ends when it closes.
  let onLost!: (outcome: Outcome<never>) => void;
  const lost = new Promise<Outcome<never>>((resolve) => (onLost = resolve));
  const unlessLost = <V>(promise: PromiseLike<V>) => Promise.race([settle(promise), lost]);
  const onexecute = (connection: DriverConnection) => {
    state.connection = connection;
    connection.onclose = (error) => {
      state.lost = error;
      onLost({ ok: false, error });
    };
    // true: the connection takes the next statements at once (pipelining).
    return true;
  };
  const begun = unlessLost(reserved.unsafe(begin, [], { onexecute } as unknown as postgres.UnsafeQueryOptions).execute());
  const guarded = guardedClient(preparingClient(reserved), () => state.lost ?? state.ended);
  const setupDone = unlessLost(guarded.unsafe(setup.text, setup.params as postgres.ParameterOrJSON<never>[]).execute());
  const setupRow = setupDone.then((done) => (done.ok ? ((done.value[0] as SetupRow | undefined) ?? {}) : Promise.reject(done.error as Error)));
  // Handled here too: `fn` may never look at the row, and the failure is reported below anyway.
  setupRow.catch(() => undefined);
  const tx = transactionOver(db, guarded);

  let outcome = await unlessLost((async () => fn(tx, setupRow))());
  const began = await begun;
  const setupOutcome = began.ok ? await setupDone : began;
  if (!setupOutcome.ok) outcome = setupOutcome;

  // A statement `fn` left behind must not run after COMMIT/ROLLBACK, outside the transaction.
  state.ended = new Error("This transaction has already ended");
  // No connection: BEGIN was refused before it was sent (the connection was being destroyed).
  const usable = (): DriverConnection | undefined => (state.lost ? undefined : state.connection);
  let finish: Outcome<unknown> = { ok: false, error: state.lost ?? new Error("The transaction's connection was destroyed") };
  if (usable()) finish = await unlessLost(reserved.unsafe(outcome.ok ? "commit" : "rollback").execute());
  const connection = usable();
  if (connection) {
    connection.onclose = null;
    if (finish.ok) reserved.release();
    else connection.terminate();
  }

  if (!outcome.ok) throw outcome.error;
  if (!finish.ok) throw finish.error;
  return outcome.value;
}

const ISOLATION_LEVELS = new Set(["read uncommitted", "read committed", "repeatable read", "serializable"]);
const ACCESS_MODES = new Set(["read only", "read write"]);

/** BEGIN with the transaction modes drizzle would set with SET TRANSACTION, from a fixed list only. */
function beginStatement(config: PgTransactionConfig | undefined): string {
  const modes: string[] = [];
  if (config?.isolationLevel) {
    if (!ISOLATION_LEVELS.has(config.isolationLevel)) throw new Error(`Unknown isolation level ${config.isolationLevel}`);
    modes.push(`isolation level ${config.isolationLevel}`);
  }
  if (config?.accessMode) {
    if (!ACCESS_MODES.has(config.accessMode)) throw new Error(`Unknown access mode ${config.accessMode}`);
    modes.push(config.accessMode);
  }
  if (typeof config?.deferrable === "boolean") modes.push(config.deferrable ? "deferrable" : "not deferrable");
  return modes.length ? `begin ${modes.join(", ")}` : "begin";
}

/**
 * The reserved connection as drizzle's transaction sees it: statements refused once the
 * transaction has ended or its connection closed, and `savepoint` (drizzle's nested
 * `tx.transaction`) in SQL, since a reserved connection has no savepoint helper of its own.
 */
function guardedClient(reserved: postgres.ReservedSql, refusal: () => Error | undefined): postgres.TransactionSql {
  let savepoints = 0;
  const unsafe = (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => {
    const error = refusal();
    if (error) throw error;
    return reserved.unsafe(query, params, options);
  };
  const guarded: postgres.TransactionSql = new Proxy(reserved as unknown as postgres.TransactionSql, {
    get(target, property, receiver) {
      if (property === "unsafe") return unsafe;
      if (property === "savepoint") {
        return async (...args: unknown[]) => {
          const body = args.pop() as (sql: postgres.TransactionSql) => unknown;
          const name = `s${++savepoints}`;
          await unsafe(`savepoint ${name}`);
          try {
            const result = await body(guarded);
            await unsafe(`release savepoint ${name}`);
            return result;
          } catch (error) {
            await unsafe(`rollback to savepoint ${name}`);
            throw error;
          }
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return guarded;
}

/** What drizzle keeps of its own construction: the dialect, the extracted schema, the logger. */
type DrizzleInternals = { dialect: PgDialect; _: Database["_"] & { session: { options?: PostgresJsSessionOptions } } };

const dialectOf = (db: Database) => (db as unknown as DrizzleInternals).dialect;

/** A drizzle transaction over `client`, reusing the database's dialect, extracted schema and logger. */
function transactionOver(db: Database, client: postgres.TransactionSql): Transaction {
  const { _ } = db as unknown as DrizzleInternals;
  const schema = { fullSchema: _.fullSchema, schema: _.schema!, tableNamesMap: _.tableNamesMap };
  // drizzle's own transaction() builds its session the same way, over a TransactionSql.
  const session = new PostgresJsSession<postgres.Sql, FullSchema, Tables>(client as unknown as postgres.Sql, dialectOf(db), schema, _.session.options);
  return new PostgresJsTransaction<FullSchema, Tables>(dialectOf(db), session as unknown as ConstructorParameters<typeof PostgresJsTransaction<FullSchema, Tables>>[1], schema);
}

import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { dbDriverSettings } from "../lib/env";
import { PoolGate, registerPoolGate } from "./pool-gate";
import * as schema from "./schema";

export type Database = ReturnType<typeof createDatabase>["db"];
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

type Sql = postgres.Sql;

/**
 * Drizzle asks postgres.js not to prepare any query it was not given a name for, and postgres.js
 * then spends two round trips on every statement with parameters. This view of the client lets
 * postgres.js prepare them (one round trip, and it can pipeline): `unsafe` is told to prepare,
 * and the same view is handed to every transaction. Statements are cached per connection.
 */
export function preparingClient<T extends Sql | postgres.TransactionSql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, params?: unknown[], opts?: Record<string, unknown>) =>
          target.unsafe(query, params as never, { ...opts, prepare: true });
      }
      if (property === "begin") {
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (target as Sql).begin(...(args as [string]), (tx) => fn(preparingClient(tx)));
        };
      }
      if (property === "savepoint") {
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (target as postgres.TransactionSql).savepoint(...(args as [string]), (tx) => fn(preparingClient(tx)));
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

const pipelining = new WeakMap<object, Sql>();

/**
 * The driver of a database whose statements are prepared, for transactions that send BEGIN
 * without waiting for it (db/tenant-transaction.ts). Undefined behind PgBouncer (no prepared
 * statements, so postgres.js could not pipeline the statements that follow anyway).
 */
export function pipeliningClient(db: object): Sql | undefined {
  return pipelining.get(db);
}

export type DatabaseOptions = {
  max?: number;
  prepare?: boolean;
  poolWaitMs?: number;
  /** Extra postgres.js options, for the bench and tests that watch the wire (`socket`, `debug`). */
  driver?: Record<string, unknown>;
};

export function createDatabase(url: string, options: DatabaseOptions = {}) {
  // PgBouncer in transaction mode cannot keep named prepared statements across transactions.
  const prepare = options.prepare ?? dbDriverSettings().prepare;
  const client = postgres(url, {
    max: options.max ?? 10,
    prepare,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => undefined,
    connection: { application_name: "canopy" },
    ...options.driver,
  });
  const db = drizzle(prepare ? preparingClient(client) : client, { schema });
  registerPoolGate(db, new PoolGate(options.max ?? 10, options.poolWaitMs ?? dbDriverSettings().poolWaitMs));
  if (prepare) pipelining.set(db, client);
  return { client, db };
}

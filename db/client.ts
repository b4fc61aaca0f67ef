import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { PoolGate, registerPoolGate } from "./pool-gate";
import * as schema from "./schema";

export type Database = ReturnType<typeof createDatabase>["db"];
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export function createDatabase(url: string, options: { max?: number; prepare?: boolean; poolWaitMs?: number } = {}) {
  const client = postgres(url, {
    max: options.max ?? 10,
    // PgBouncer in transaction mode cannot keep named prepared statements across transactions.
    prepare: options.prepare ?? process.env.DB_PREPARE !== "false",
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => undefined,
    connection: { application_name: "canopy" },
  });
  const db = drizzle(client, { schema });
  registerPoolGate(db, new PoolGate(options.max ?? 10, options.poolWaitMs ?? Number(process.env.DB_POOL_WAIT_MS ?? 5000)));
  return { client, db };
}

import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Database = ReturnType<typeof createDatabase>["db"];
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export function createDatabase(url: string, options: { max?: number; prepare?: boolean } = {}) {
  const client = postgres(url, {
    max: options.max ?? 10,
    // PgBouncer in transaction mode cannot keep named prepared statements across transactions.
    prepare: options.prepare ?? true,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => undefined,
    connection: { application_name: "canopy" },
  });
  return { client, db: drizzle(client, { schema }) };
}

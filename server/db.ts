import "server-only";
import { createDatabase, type Database } from "@/db/client";
import { env } from "@/lib/env";

const globalForDb = globalThis as unknown as { canopyDb?: ReturnType<typeof createDatabase> };

/** The application pool, connected as the app role (never the owner). One per process. */
export function getDb(): Database {
  globalForDb.canopyDb ??= createDatabase(env().DATABASE_URL, {
    max: env().DB_POOL_MAX,
    prepare: process.env.DB_PREPARE !== "false",
  });
  return globalForDb.canopyDb.db;
}

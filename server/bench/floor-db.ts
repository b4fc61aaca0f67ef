import "server-only";
import { createDatabase } from "@/db/client";
import { env } from "@/lib/env";

const globalForBench = globalThis as unknown as { benchFloorDb?: ReturnType<typeof createDatabase> };

/**
 * The bench floors' database: BENCH_FLOOR_DATABASE_URL, a BYPASSRLS role that bench/run.ts creates
 * in its own throwaway database only. Null when unset, and the floors then answer 404.
 */
export function floorDb() {
  const url = env().BENCH_FLOOR_DATABASE_URL;
  if (!url) return null;
  globalForBench.benchFloorDb ??= createDatabase(url, { max: env().DB_POOL_MAX });
  return globalForBench.benchFloorDb.db;
}

import "server-only";
import { createDatabase, type Database } from "@/db/client";
import { PlacementPools } from "@/db/placements";
import { env } from "@/lib/env";
import { benchDriver } from "@/server/bench/wire-count";
import { listenForDirectoryChanges } from "@/server/tenancy/directory";

const globalForDb = globalThis as unknown as { canopyDb?: ReturnType<typeof createDatabase>; canopyPlacements?: PlacementPools };

/** The application pool, connected as the app role (never the owner). One per process. */
export function getDb(): Database {
  if (!globalForDb.canopyDb) {
    globalForDb.canopyDb = createDatabase(env().DATABASE_URL, {
      max: env().DB_POOL_MAX,
      prepare: process.env.DB_PREPARE !== "false",
      driver: benchDriver(),
    });
    listenForDirectoryChanges(env().DIRECTORY_LISTEN_URL ?? env().DATABASE_URL);
  }
  return globalForDb.canopyDb.db;
}

/** Pools of the dedicated databases (TENANT_DATABASES), opened lazily, as the app role. */
export function placementPools(): PlacementPools {
  globalForDb.canopyPlacements ??= new PlacementPools(Object.fromEntries(Object.entries(env().TENANT_DATABASES).map(([name, db]) => [name, db.url])), {
    maxPools: env().PLACEMENT_POOLS_MAX,
    poolSize: env().PLACEMENT_POOL_SIZE,
    prepare: process.env.DB_PREPARE !== "false",
  });
  return globalForDb.canopyPlacements;
}

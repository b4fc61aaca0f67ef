import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { clearDirectoryCache } from "@/server/tenancy/directory";
import { log } from "@/lib/log.mjs";

/** Purges soft-deleted tenants whose restore window has ended (daily; at most `limit` per run). */
export async function purgeDueTenantsJob(db: Database, limit = 100): Promise<{ id: string; slug: string }[]> {
  const purged = [...(await db.execute<{ id: string; slug: string }>(sql`select id, slug from app_job_purge_due_tenants(${limit})`))];
  if (purged.length > 0) {
    clearDirectoryCache();
    log.info("tenants purged", { count: purged.length, slugs: purged.map((t) => t.slug) });
  }
  return purged;
}

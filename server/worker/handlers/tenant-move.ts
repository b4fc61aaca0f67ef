import { z } from "zod";
import { TenantMover, moveDatabasesFromEnv } from "@/db/tenant-move";
import { env } from "@/lib/env";
import { clearDirectoryCache } from "@/server/tenancy/directory";
import { queues } from "@/server/jobs/queues";
import { parseTenantPayload } from "@/server/jobs/tenant-job";
import { log } from "@/lib/log.mjs";

const movePayload = z.looseObject({ moveId: z.uuid() });

/**
 * Runs a move an admin requested. It needs the owner role's URLs (MIGRATION_DATABASE_URL and
 * TENANT_DATABASES' migrationUrl), so only a worker given them can run moves. Not retried: a
 * failed move waits for a person to resume or roll it back (npm run tenant:move).
 */
export async function tenantMoveJob(data: unknown) {
  const { moveId } = movePayload.parse(parseTenantPayload(queues.tenantMove, data));
  const mover = new TenantMover(moveDatabasesFromEnv(env()));
  try {
    const result = await mover.runRequested(moveId);
    clearDirectoryCache();
    log.info("tenant moved", { slug: result.slug, source: result.source, target: result.target, writesPausedMs: result.pauseMs });
    return result;
  } finally {
    await mover.close();
  }
}

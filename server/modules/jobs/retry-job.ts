import { withUser } from "@/db/tenant-transaction";
import { env } from "@/lib/env";
import type { RetryJobInput } from "@/lib/schemas/jobs";
import { createBoss } from "@/server/jobs/boss";
import { writePlatformAudit } from "@/server/modules/admin/platform-audit";
import type { PlatformScope } from "@/server/modules/admin/platform-scope";

/** Puts a failed job back on its queue, with an entry in the platform audit log. */
export async function retryJob({ userId, directory }: PlatformScope, input: RetryJobInput) {
  const boss = createBoss(env().DATABASE_URL, { worker: false, max: 1 });
  await boss.start();
  try {
    await boss.retry(input.queue, input.id);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
  await withUser(directory, userId, (tx) => writePlatformAudit(tx, { actorUserId: userId, action: "job.retry", tenantId: null, details: { queue: input.queue, id: input.id } }));
  return { ok: true };
}

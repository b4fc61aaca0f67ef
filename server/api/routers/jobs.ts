import { z } from "zod";
import { env } from "@/lib/env";
import { withUser } from "@/db/tenant-transaction";
import { queues } from "@/server/jobs/queues";
import { createBoss } from "@/server/jobs/boss";
import { platformAdminProcedure, router } from "@/server/api/trpc";
import { writePlatformAudit } from "@/server/modules/admin/platform-audit";
import { listFailedJobs } from "@/server/modules/jobs/list-failed-jobs";

const queueNames = Object.values(queues) as [string, ...string[]];

export const jobsRouter = router({
  failed: platformAdminProcedure.query(({ ctx }) => listFailedJobs(ctx.db)),
  retry: platformAdminProcedure.input(z.strictObject({ queue: z.enum(queueNames), id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const boss = createBoss(env().DATABASE_URL, { worker: false, max: 1 });
    await boss.start();
    try {
      await boss.retry(input.queue, input.id);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    await withUser(ctx.db, ctx.userId, (tx) => writePlatformAudit(tx, { actorUserId: ctx.userId, action: "job.retry", tenantId: null, details: { queue: input.queue, id: input.id } }));
    return { ok: true };
  }),
});

import { retryJobInput } from "@/lib/schemas/jobs";
import { platformAdminProcedure, router } from "@/server/api/trpc";
import { platformScopeOf as scope } from "@/server/modules/admin/platform-scope";
import { listFailedJobs } from "@/server/modules/jobs/list-failed-jobs";
import { retryJob } from "@/server/modules/jobs/retry-job";

const admin = platformAdminProcedure;

export const jobsRouter = router({
  failed: admin.query(({ ctx }) => listFailedJobs(scope(ctx))),
  retry: admin.input(retryJobInput).mutation(({ ctx, input }) => retryJob(scope(ctx), input)),
});

import type PgBoss from "pg-boss";
import { createDatabase } from "@/db/client";
import { createBoss } from "@/server/jobs/boss";
import { setJobSender } from "@/server/jobs/enqueue";
import { invoiceEmailJob } from "@/server/worker/handlers/invoice-email";
import { accountEmailDeliverJob, emailDeliverJob } from "@/server/worker/handlers/mail-deliver";
import { overdueSweepJob, overdueTenantJob } from "@/server/worker/handlers/overdue";
import { purgeDueTenantsJob } from "@/server/worker/handlers/purge";
import { tenantMoveJob } from "@/server/worker/handlers/tenant-move";
import { queues, type QueueName } from "@/server/jobs/queues";
import { parseTenantPayload } from "@/server/jobs/tenant-job";
import { runTenantExport } from "@/server/modules/admin/tenant-archive";
import { reverifyDomains } from "@/server/modules/domain/reverify-domains";
import { z } from "zod";

const exportPayload = z.looseObject({ exportId: z.uuid(), requestedBy: z.uuid() });

/** Not skipped for suspended tenants: exporting one before deletion is exactly the use. */
export function tenantExportJob(db: ReturnType<typeof createDatabase>["db"], data: unknown) {
  const payload = exportPayload.parse(parseTenantPayload(queues.tenantExport, data));
  return runTenantExport(db, { exportId: payload.exportId, requestedBy: payload.requestedBy });
}

export type Worker = { boss: PgBoss; stop: () => Promise<void> };

/**
 * The job worker: pg-boss on the application role, one handler per queue. Every tenant handler
 * goes through runAsTenant (validated tenantId, tenant transaction, suspended tenants skipped).
 */
export async function startWorker(opts: { databaseUrl: string; pollingIntervalSeconds?: number; schedule?: boolean; queues?: QueueName[] }): Promise<Worker> {
  const { db, client } = createDatabase(opts.databaseUrl, { max: 4 });
  const boss = createBoss(opts.databaseUrl, { worker: true });
  await boss.start();
  setJobSender(boss);
  const work = { batchSize: 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 };
  const each = (fn: (data: unknown) => Promise<unknown>) => async (jobs: PgBoss.Job<object>[]) => {
    for (const job of jobs) await fn(job.data);
  };
  const send = (queue: string, data: object, options?: PgBoss.SendOptions) => boss.send(queue, data, options ?? {});
  // A worker limited to some queues (the e2e server's mail-only one) leaves the others' jobs to whoever runs them.
  const only = opts.queues ? new Set<string>(opts.queues) : null;
  const workOn = async (queue: QueueName, handler: (jobs: PgBoss.Job<object>[]) => Promise<void>) => {
    if (!only || only.has(queue)) await boss.work(queue, work, handler);
  };

  await workOn(queues.invoiceEmail, each((data) => invoiceEmailJob(db, data)));
  await workOn(queues.overdueSweep, each(() => overdueSweepJob(db, send)));
  await workOn(queues.overdueTenant, each((data) => overdueTenantJob(db, data)));
  await workOn(queues.emailDeliver, each((data) => emailDeliverJob(db, data)));
  await workOn(queues.accountEmailDeliver, each((data) => accountEmailDeliverJob(db, data)));
  await workOn(queues.tenantExport, each((data) => tenantExportJob(db, data)));
  await workOn(queues.domainReverify, each(() => reverifyDomains(db)));
  await workOn(queues.tenantPurge, each(() => purgeDueTenantsJob(db)));
  await workOn(queues.tenantMove, each((data) => tenantMoveJob(data)));
  if (opts.schedule !== false) {
    await boss.schedule(queues.overdueSweep, "17 * * * *", {}, { tz: "UTC" });
    await boss.schedule(queues.domainReverify, "41 * * * *", {}, { tz: "UTC" });
    await boss.schedule(queues.tenantPurge, "23 3 * * *", {}, { tz: "UTC" });
  }

  return {
    boss,
    stop: async () => {
      setJobSender(null);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      await client.end({ timeout: 5 });
    },
  };
}

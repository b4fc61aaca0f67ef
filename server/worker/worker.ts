import type PgBoss from "pg-boss";
import { createDatabase } from "@/db/client";
import { deliverPending } from "@/server/mail/deliver-pending";
import { createBoss } from "@/server/jobs/boss";
import { setJobSender } from "@/server/jobs/enqueue";
import { invoiceEmailJob } from "@/server/worker/handlers/invoice-email";
import { overdueSweepJob, overdueTenantJob } from "@/server/worker/handlers/overdue";
import { purgeDueTenantsJob } from "@/server/worker/handlers/purge";
import { tenantMoveJob } from "@/server/worker/handlers/tenant-move";
import { queues } from "@/server/jobs/queues";
import { parseTenantPayload, runAsTenant } from "@/server/jobs/tenant-job";
import { runTenantExport } from "@/server/modules/admin/tenant-archive";
import { reverifyDomains } from "@/server/modules/domain/reverify-domains";
import { z } from "zod";

/** Delivers a tenant's pending outbox rows (suspended tenants wait until reactivated). */
async function emailDeliverJob(db: ReturnType<typeof createDatabase>["db"], data: unknown) {
  const gate = await runAsTenant(db, queues.emailDeliver, data, ({ scope }) => Promise.resolve(scope.tenantId));
  return gate.status === "done" ? deliverPending(db, { tenantId: gate.value }) : gate;
}

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
export async function startWorker(opts: { databaseUrl: string; pollingIntervalSeconds?: number; schedule?: boolean }): Promise<Worker> {
  const { db, client } = createDatabase(opts.databaseUrl, { max: 4 });
  const boss = createBoss(opts.databaseUrl, { worker: true });
  await boss.start();
  setJobSender(boss);
  const work = { batchSize: 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 };
  const each = (fn: (data: unknown) => Promise<unknown>) => async (jobs: PgBoss.Job<object>[]) => {
    for (const job of jobs) await fn(job.data);
  };
  const send = (queue: string, data: object, options?: PgBoss.SendOptions) => boss.send(queue, data, options ?? {});

  await boss.work(queues.invoiceEmail, work, each((data) => invoiceEmailJob(db, data)));
  await boss.work(queues.overdueSweep, work, each(() => overdueSweepJob(db, send)));
  await boss.work(queues.overdueTenant, work, each((data) => overdueTenantJob(db, data)));
  await boss.work(queues.emailDeliver, work, each((data) => emailDeliverJob(db, data)));
  await boss.work(
    queues.tenantExport,
    work,
    each((data) => tenantExportJob(db, data)),
  );
  await boss.work(queues.domainReverify, work, each(() => reverifyDomains(db)));
  await boss.work(queues.tenantPurge, work, each(() => purgeDueTenantsJob(db)));
  await boss.work(queues.tenantMove, work, each((data) => tenantMoveJob(data)));
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

import { sql } from "drizzle-orm";
import { queues } from "@/server/jobs/queues";
import { accountEmailDeliverJob, emailDeliverJob } from "@/server/worker/handlers/mail-deliver";
import { appDb } from "./fixtures";

type Whose = { tenantId: string } | { userId: string };

/**
 * Works the mail delivery queue as the worker does, for one tenant's or one person's jobs only (other
 * files' jobs are theirs to run): claims the queued jobs like pg-boss's fetch, runs the worker's
 * handler for each, and records them completed. Returns how many jobs ran, so a test can tell that
 * the change it made queued one.
 */
export async function runMailJobs(whose: Whose): Promise<number> {
  const [queue, key, id] = "tenantId" in whose ? [queues.emailDeliver, "tenantId", whose.tenantId] : [queues.accountEmailDeliver, "userId", whose.userId];
  const db = appDb();
  const claimed = await db.execute<{ id: string; data: unknown }>(sql`
    update pgboss.job set state = 'active', started_on = now()
    where name = ${queue} and state < 'active' and data->>${key} = ${id}
    returning id, data`);
  for (const job of claimed) {
    if ("tenantId" in whose) await emailDeliverJob(db, job.data);
    else await accountEmailDeliverJob(db, job.data);
    await db.execute(sql`update pgboss.job set state = 'completed', completed_on = now() where name = ${queue} and id = ${job.id}`);
  }
  return claimed.length;
}

/** How many delivery jobs were ever queued for this tenant or person (whatever their state). */
export async function mailJobCount(whose: Whose): Promise<number> {
  const [queue, key, id] = "tenantId" in whose ? [queues.emailDeliver, "tenantId", whose.tenantId] : [queues.accountEmailDeliver, "userId", whose.userId];
  const [row] = await appDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${queue} and data->>${key} = ${id}`);
  return row!.n;
}

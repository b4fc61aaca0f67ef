import { sql } from "drizzle-orm";
import { queues } from "@/server/jobs/queues";
import { accountEmailDeliverJob, emailDeliverJob } from "@/server/worker/handlers/mail-deliver";
import { appDb } from "./fixtures";

type Whose = { tenantId: string } | { userId: string };

/**
 * Works the mail delivery queue as the worker does, for one tenant's or one person's jobs only (other
 * files' jobs are theirs to run): claims the queued jobs like pg-boss's fetch, runs the worker's
 * handler for each and records it completed; a job another worker holds (the crash test's worker
 * process) is waited for. Returns how many jobs there were, so a test can tell that the change it
 * made queued one.
 */
export async function runMailJobs(whose: Whose): Promise<number> {
  const { queue, key, id } = target(whose);
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
  const elsewhere = async () => (await db.execute<{ id: string }>(sql`select id from pgboss.job where name = ${queue} and state = 'active' and data->>${key} = ${id}`)).map((j) => j.id);
  const held = await elsewhere();
  for (let wait = 0; (await elsewhere()).length > 0; wait++) {
    if (wait > 240) throw new Error(`${queue} jobs for ${id} stayed active`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return claimed.length + held.length;
}

const target = (whose: Whose) =>
  "tenantId" in whose ? { queue: queues.emailDeliver, key: "tenantId", id: whose.tenantId } : { queue: queues.accountEmailDeliver, key: "userId", id: whose.userId };

/** How many delivery jobs were ever queued for this tenant or person (whatever their state). */
export async function mailJobCount(whose: Whose): Promise<number> {
  const { queue, key, id } = target(whose);
  const [row] = await appDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${queue} and data->>${key} = ${id}`);
  return row!.n;
}

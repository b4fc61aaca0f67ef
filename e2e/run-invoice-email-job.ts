import { sql } from "drizzle-orm";
import { createDatabase } from "@/db/client";
import { createBoss } from "@/server/jobs/boss";
import { setJobSender } from "@/server/jobs/enqueue";
import { invoiceEmailJob } from "@/server/worker/handlers/invoice-email";
import { queues } from "@/server/jobs/queues";

/**
 * Runs the queued "invoice email" job of one invoice, as the worker would, for specs that need the
 * mail: the e2e run's worker works the mail queues alone, since a full one would also take jobs
 * other specs run themselves (the placement spec's move). The job stores the email and queues its
 * delivery, which that mail worker sends to the sink. Run with `--conditions=react-server --import tsx`.
 */
const invoiceId = process.argv[2];
if (!invoiceId) throw new Error("usage: run-invoice-email-job.ts <invoiceId>");
const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 2 });
// A sender this script stops itself, so the process ends once the job has run.
const boss = createBoss(process.env.DATABASE_URL!, { worker: false, max: 1 });
await boss.start();
setJobSender(boss);
try {
  const [job] = await db.execute<{ data: unknown }>(sql`select data from pgboss.job where name = ${queues.invoiceEmail} and data->>'invoiceId' = ${invoiceId}`);
  if (!job) throw new Error(`no invoice-email job for ${invoiceId}`);
  const result = await invoiceEmailJob(db, job.data);
  console.log(JSON.stringify(result));
} finally {
  setJobSender(null);
  await boss.stop({ graceful: false, wait: true });
  await client.end({ timeout: 5 });
}

import { sql } from "drizzle-orm";
import { createDatabase } from "@/db/client";
import { invoiceEmailJob } from "@/server/worker/handlers/invoice-email";
import { queues } from "@/server/jobs/queues";

/**
 * Runs the queued "invoice email" job of one invoice, as the worker would, for specs that need the
 * mail: the e2e server runs without a worker, and one would also take jobs other specs run
 * themselves (the placement spec's move). Run with `--conditions=react-server --import tsx`.
 */
const invoiceId = process.argv[2];
if (!invoiceId) throw new Error("usage: run-invoice-email-job.ts <invoiceId>");
const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 2 });
try {
  const [job] = await db.execute<{ data: unknown }>(sql`select data from pgboss.job where name = ${queues.invoiceEmail} and data->>'invoiceId' = ${invoiceId}`);
  if (!job) throw new Error(`no invoice-email job for ${invoiceId}`);
  const result = await invoiceEmailJob(db, job.data);
  console.log(JSON.stringify(result));
} finally {
  await client.end({ timeout: 5 });
}

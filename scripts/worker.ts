import { parseServerEnv } from "@/lib/env";
import { queues, type QueueName } from "@/server/jobs/queues";
import { startWorker } from "@/server/worker/worker";

// Run with `--conditions=react-server` (see package.json): the server modules are marked server-only.
const env = (() => {
  try {
    return parseServerEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
})();
// `--queues=a,b` works only those queues, `--no-schedule` registers no cron jobs (the e2e server's mail worker).
const known = new Set<string>(Object.values(queues));
const only = process.argv.find((a) => a.startsWith("--queues="))?.slice("--queues=".length).split(",");
const unknown = only?.filter((q) => !known.has(q)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown queue(s): ${unknown.join(", ")}`);
  process.exit(1);
}
const worker = await startWorker({ databaseUrl: env.DATABASE_URL, queues: only as QueueName[] | undefined, schedule: !process.argv.includes("--no-schedule") });
console.log("Canopy worker running.");
const stop = () => void worker.stop().finally(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

import { parseServerEnv } from "@/lib/env";
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
const worker = await startWorker({ databaseUrl: env.DATABASE_URL });
console.log("Canopy worker running.");
const stop = () => void worker.stop().finally(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

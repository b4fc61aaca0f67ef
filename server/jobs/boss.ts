import PgBoss from "pg-boss";
import { JOB_SCHEMA } from "./queues";
import { log } from "@/lib/log.mjs";

/** A pg-boss client as the application role: it never migrates (the owner does that). */
export function createBoss(databaseUrl: string, opts: { worker: boolean; max?: number }): PgBoss {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: JOB_SCHEMA,
    max: opts.max ?? 4,
    migrate: false,
    supervise: opts.worker,
    schedule: opts.worker,
    // Expired (e.g. worker killed mid-job) and failed jobs are looked at every few seconds.
    maintenanceIntervalSeconds: 5,
  });
  boss.on("error", (error) => log.error("job queue error", { error }));
  return boss;
}


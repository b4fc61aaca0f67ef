import PgBoss from "pg-boss";
import postgres from "postgres";
import { INTERNAL_QUEUES, JOB_SCHEMA, queueOptions, queues } from "./queues";
import { log } from "@/lib/log.mjs";

/**
 * Installs or upgrades pg-boss's schema and creates every queue, as the owner role; then lets the
 * application role use (not alter) it. Called by the migration runner.
 */
export async function installJobSchema(migrationUrl: string): Promise<void> {
  const boss = new PgBoss({ connectionString: migrationUrl, schema: JOB_SCHEMA, max: 2, migrate: true, supervise: false, schedule: false });
  boss.on("error", (error) => log.error("job queue install failed", { error }));
  await boss.start();
  try {
    for (const name of [...Object.values(queues), ...INTERNAL_QUEUES]) {
      const options = queueOptions[name as keyof typeof queueOptions] ?? {};
      if (await boss.getQueue(name)) await boss.updateQueue(name, { name, ...options });
      else await boss.createQueue(name, { name, ...options });
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
  const sql = postgres(migrationUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql.unsafe(`
      grant usage on schema ${JOB_SCHEMA} to canopy_app_rw;
      grant select, insert, update, delete on all tables in schema ${JOB_SCHEMA} to canopy_app_rw;
      revoke create on schema ${JOB_SCHEMA} from public;
    `);
  } finally {
    await sql.end();
  }
}

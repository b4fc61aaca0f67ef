import { prepareEnvironment } from "./lib/local-env";

// `--all` / `--status`: every placement (the shared database and TENANT_DATABASES); see lib/migrate-all.ts.
if (process.argv.includes("--all") || process.argv.includes("--status")) {
  const { migrateAllCommand } = await import("./lib/migrate-all");
  process.exit(await migrateAllCommand(process.argv.slice(2)));
}

// With no DATABASE_URL this migrates the embedded database; otherwise MIGRATION_DATABASE_URL.
if (process.env.DATABASE_URL && !process.env.MIGRATION_DATABASE_URL) {
  console.error("Invalid configuration: MIGRATION_DATABASE_URL is required to migrate");
  process.exit(1);
}
const { pg } = await prepareEnvironment({ seed: false });
console.log("Migrations applied.");
await pg?.stop();

import { ConfigError, parseMigrationEnv } from "@/lib/env";

// `--all` / `--status`: every placement (the shared database and TENANT_DATABASES); see lib/migrate-all.ts.
if (process.argv.includes("--all") || process.argv.includes("--status")) {
  const { migrateAllCommand } = await import("./lib/migrate-all");
  process.exit(await migrateAllCommand(process.argv.slice(2)));
}

if (process.env.DATABASE_URL) {
  // An external database: the two URLs and nothing else of the app's configuration.
  let urls: ReturnType<typeof parseMigrationEnv>;
  try {
    urls = parseMigrationEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const { runMigrations } = await import("./lib/migrate");
  try {
    await runMigrations({ migrationUrl: urls.MIGRATION_DATABASE_URL, appUrl: urls.DATABASE_URL });
  } catch (error) {
    console.error(`Migration failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    process.exit(1);
  }
} else {
  // The embedded database under .data/, prepared as `npm run dev` prepares it.
  const { prepareEnvironment } = await import("./lib/local-env");
  const { pg } = await prepareEnvironment({ seed: false });
  await pg?.stop();
}
console.log("Migrations applied.");

import { prepareEnvironment } from "./lib/local-env";

// With no DATABASE_URL this migrates the embedded database; otherwise MIGRATION_DATABASE_URL.
if (process.env.DATABASE_URL && !process.env.MIGRATION_DATABASE_URL) {
  console.error("Invalid configuration: MIGRATION_DATABASE_URL is required to migrate");
  process.exit(1);
}
const { pg } = await prepareEnvironment({ seed: false });
console.log("Migrations applied.");
await pg?.stop();

import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./drizzle",
  // Roles are created in custom migrations (drizzle/0000); policies name them with .existing().
  entities: { roles: { provider: "", exclude: [] } },
  dbCredentials: { url: process.env.MIGRATION_DATABASE_URL ?? "" },
  strict: true,
});

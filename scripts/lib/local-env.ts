import path from "node:path";
import { ConfigError, parseServerEnv } from "@/lib/env";
import { bootstrapDatabase } from "./bootstrap";
import { RefusedPasswordError, startEmbeddedPostgres, type LocalPostgres } from "./embedded-postgres";
import { LEGACY_PG_PASSWORDS, loadLocalSecrets, type LocalSecrets } from "./local-secrets";
import { runMigrations } from "./migrate";
import { seedDemo } from "./seed";

const DATA_DIR = path.resolve(process.cwd(), ".data");

/**
 * The embedded PostgreSQL under `<dataDir>/pg` with this install's generated passwords
 * (`<dataDir>/secrets.json`). A cluster created with the old fixed superuser password is moved
 * to the generated one on this start; bootstrapDatabase does the same for the two roles.
 */
export async function startLocalPostgres(opts: { dataDir?: string; port: number }): Promise<{ pg: LocalPostgres; secrets: LocalSecrets }> {
  const dataDir = opts.dataDir ?? DATA_DIR;
  const secrets = loadLocalSecrets(dataDir);
  const pg = await startEmbeddedPostgres({
    dir: path.join(dataDir, "pg"),
    port: opts.port,
    password: secrets.PG_SUPERUSER_PASSWORD,
    previousPasswords: [LEGACY_PG_PASSWORDS.superuser],
    rolePasswords: { owner: secrets.PG_OWNER_PASSWORD, app: secrets.PG_APP_PASSWORD },
  });
  return { pg, secrets };
}

/**
 * Everything `npm run dev` / `npm start` need before Next starts: with no DATABASE_URL an
 * embedded PostgreSQL under .data/, then migrations and (first run) the demo seed. Prints one
 * line and exits on bad configuration.
 */
export async function prepareEnvironment(opts: { seed: boolean }): Promise<{ env: NodeJS.ProcessEnv; pg: LocalPostgres | null }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const port = env.PORT ?? "3000";
  env.PORT = port;
  let pg: LocalPostgres | null = null;
  if (!env.DATABASE_URL) {
    const local = await startLocalPostgres({ port: Number(env.EMBEDDED_PG_PORT ?? 54329) }).catch((error: unknown) => {
      if (!(error instanceof RefusedPasswordError)) throw error;
      console.error(error.message);
      process.exit(1);
    });
    pg = local.pg;
    const urls = await bootstrapDatabase(pg, "canopy");
    Object.assign(env, urls);
    // A dedicated database on the same embedded server, so "move tenant" works out of the box.
    if (!env.TENANT_DATABASES) {
      const silo = await bootstrapDatabase(pg, "canopy_silo");
      env.TENANT_DATABASES = JSON.stringify({ silo: { url: silo.DATABASE_URL, migrationUrl: silo.MIGRATION_DATABASE_URL } });
    }
    const secrets = local.secrets;
    env.AUTH_SECRET ??= secrets.AUTH_SECRET;
    env.INTERNAL_SECRET ??= secrets.INTERNAL_SECRET;
    env.ROOT_DOMAIN ??= "canopy.localhost";
    env.SECURE_COOKIES ??= "false";
  }
  // "localhost", not 127.0.0.1: Next compares rewrite origins after normalising loopback to "localhost".
  env.INTERNAL_URL ??= `http://localhost:${port}`;
  env.PUBLIC_PORT ??= port;
  try {
    parseServerEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      await pg?.stop();
      process.exit(1);
    }
    throw error;
  }
  if (env.MIGRATION_DATABASE_URL) {
    await runMigrations({ migrationUrl: env.MIGRATION_DATABASE_URL, appUrl: env.DATABASE_URL! });
    // The embedded server's dedicated databases too (elsewhere: npm run db:migrate -- --all).
    if (pg) {
      for (const db of Object.values(parseServerEnv(env).TENANT_DATABASES)) await runMigrations({ migrationUrl: db.migrationUrl, appUrl: db.url });
    }
  }
  if (opts.seed) {
    const { created } = await seedDemo({ appUrl: env.DATABASE_URL!, migrationUrl: env.MIGRATION_DATABASE_URL });
    if (created) console.log("Seeded the demo data (password for every demo user: canopy-demo).");
  }
  return { env, pg };
}

export function printUrls(env: NodeJS.ProcessEnv): void {
  const root = env.ROOT_DOMAIN;
  const port = env.PUBLIC_PORT === "80" ? "" : `:${env.PUBLIC_PORT}`;
  console.log(
    [
      "",
      "Canopy is starting. Open:",
      `  http://${root}${port}/            root (sign in, your workspaces)`,
      `  http://acme.${root}${port}/       Acme Corp   (owner@acme.test / canopy-demo)`,
      `  http://globex.${root}${port}/     Globex Inc  (owner@globex.test / canopy-demo)`,
      `  http://admin.${root}${port}/      platform admin (admin@canopy.test / canopy-demo)`,
      `  http://billing.acme.test${port}/  Acme's custom domain (map it to 127.0.0.1 in /etc/hosts)`,
      "",
    ].join("\n"),
  );
}

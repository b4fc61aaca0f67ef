import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { bootstrapDatabase } from "@/scripts/lib/bootstrap";
import { freePort, startEmbeddedPostgres, type LocalPostgres } from "@/scripts/lib/embedded-postgres";
import { startLocalPostgres } from "@/scripts/lib/local-env";
import { LEGACY_PG_PASSWORDS, secretsFile, type LocalSecrets } from "@/scripts/lib/local-secrets";

/** `npm run dev`'s embedded server, in a data directory of this test's own. */
const dataDir = path.resolve(`.data/test-local-pg-${process.pid}`);
let running: LocalPostgres | null = null;

afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** "ok", or the SQLSTATE a login ends with (28P01: wrong password). */
async function login(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await sql.end();
  }
}

const withPassword = (url: string, password: string) => {
  const u = new URL(url);
  u.password = password;
  return u.toString();
};

describe("the embedded PostgreSQL's passwords", () => {
  it("moves an install made with the old fixed passwords onto generated ones, and keeps them across restarts", async () => {
    rmSync(dataDir, { recursive: true, force: true });
    const port = await freePort();
    // An install as it was: the fixed passwords, and a secrets.json without database passwords.
    const old = await startEmbeddedPostgres({ dir: path.join(dataDir, "pg"), port, quiet: true, password: LEGACY_PG_PASSWORDS.superuser, rolePasswords: { owner: LEGACY_PG_PASSWORDS.owner, app: LEGACY_PG_PASSWORDS.app } });
    running = old;
    const oldUrls = await bootstrapDatabase(old, "canopy");
    expect(await login(oldUrls.DATABASE_URL)).toBe("ok");
    await old.stop();
    running = null;
    writeFileSync(secretsFile(dataDir), JSON.stringify({ AUTH_SECRET: "a".repeat(43), INTERNAL_SECRET: "b".repeat(43) }));
    chmodSync(secretsFile(dataDir), 0o644);

    const first = await startLocalPostgres({ dataDir, port });
    running = first.pg;
    const urls = await bootstrapDatabase(first.pg, "canopy");
    const saved = JSON.parse(readFileSync(secretsFile(dataDir), "utf8")) as LocalSecrets;
    expect(statSync(secretsFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(saved).toMatchObject({ AUTH_SECRET: "a".repeat(43), INTERNAL_SECRET: "b".repeat(43) });
    expect(new URL(urls.DATABASE_URL).password).toBe(saved.PG_APP_PASSWORD);
    expect(new URL(urls.MIGRATION_DATABASE_URL).password).toBe(saved.PG_OWNER_PASSWORD);
    expect(new URL(first.pg.superuserUrl).password).toBe(saved.PG_SUPERUSER_PASSWORD);
    for (const url of [urls.DATABASE_URL, urls.MIGRATION_DATABASE_URL, first.pg.superuserUrl]) expect(await login(url)).toBe("ok");
    // The fixed passwords no longer open anything.
    expect(await login(withPassword(first.pg.superuserUrl, LEGACY_PG_PASSWORDS.superuser))).toBe("28P01");
    expect(await login(oldUrls.DATABASE_URL)).toBe("28P01");
    expect(await login(oldUrls.MIGRATION_DATABASE_URL)).toBe("28P01");
    await first.pg.stop();
    running = null;

    // The next start reads the same secrets and the cluster takes them as they are.
    const second = await startLocalPostgres({ dataDir, port });
    running = second.pg;
    expect(second.secrets).toEqual(saved);
    const again = await bootstrapDatabase(second.pg, "canopy");
    expect(again).toEqual(urls);
    expect(await login(again.DATABASE_URL)).toBe("ok");
  }, 180_000);

  it("a throwaway server gets random passwords per start", async () => {
    const dir = path.join(dataDir, "throwaway");
    rmSync(dir, { recursive: true, force: true });
    const pg = await startEmbeddedPostgres({ dir, port: await freePort(), quiet: true });
    try {
      const urls = await bootstrapDatabase(pg, "canopy_throwaway");
      expect(await login(urls.DATABASE_URL)).toBe("ok");
      expect(new URL(pg.superuserUrl).password).toMatch(/^[0-9a-f]{48}$/);
      expect(await login(withPassword(pg.superuserUrl, LEGACY_PG_PASSWORDS.superuser))).toBe("28P01");
      expect(await login(withPassword(urls.DATABASE_URL, LEGACY_PG_PASSWORDS.app))).toBe("28P01");
    } finally {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

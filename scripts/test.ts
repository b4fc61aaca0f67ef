/**
 * `npm test`: lint, typecheck, unit, integration against a real PostgreSQL, then Playwright
 * against a production build. With no DATABASE_URL it runs a throwaway embedded PostgreSQL
 * under .data/test-pg; with DATABASE_URL and MIGRATION_DATABASE_URL it uses those (local only).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { bootstrapDatabase } from "./lib/bootstrap";
import { freePort, startEmbeddedPostgres, type LocalPostgres } from "./lib/embedded-postgres";
import { runMigrations } from "./lib/migrate";
import { seedDemo } from "./lib/seed";

const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const want = (step: string) => !only || only.split(",").includes(step);
/** Anything after `--` narrows the integration run to matching test files (vitest filters). */
const filters = process.argv.includes("--") ? process.argv.slice(process.argv.indexOf("--") + 1) : [];
const results = { passed: 0, failed: 0 };
const started = Date.now();

function run(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  console.log(`\n── ${label} ${"─".repeat(Math.max(0, 60 - label.length))}`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", env });
    child.on("exit", (code) => {
      console.log(`── ${label}: ${code === 0 ? "ok" : `failed (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      resolve(code === 0);
    });
  });
}

const bin = (name: string) => path.resolve("node_modules/.bin", name);

function countVitest(file: string) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number };
  results.passed += report.numPassedTests;
  results.failed += report.numFailedTests;
}

function countPlaywright(file: string) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number } };
  results.passed += report.stats.expected + report.stats.flaky;
  results.failed += report.stats.unexpected;
}

async function main(): Promise<boolean> {
  let ok = true;
  const reports = path.resolve(process.env.TEST_REPORTS_DIR ?? ".data/test-reports");
  rmSync(reports, { recursive: true, force: true });
  if (want("lint")) ok = (await run("lint", bin("eslint"), ["--max-warnings=0", "."])) && ok;
  if (want("typecheck")) ok = (await run("typecheck", bin("tsc"), ["--noEmit"])) && ok;
  if (want("unit")) {
    ok = (await run("unit", bin("vitest"), ["run", "--project", "unit", "--reporter=default", "--reporter=json", `--outputFile.json=${reports}/unit.json`])) && ok;
    countVitest(`${reports}/unit.json`);
  }
  if (!want("int") && !want("e2e")) return ok;

  let pg: LocalPostgres | null = null;
  const external = process.env.DATABASE_URL && process.env.MIGRATION_DATABASE_URL;
  try {
    let intUrls: { DATABASE_URL: string; MIGRATION_DATABASE_URL: string };
    let e2eUrls: typeof intUrls;
    if (external) {
      intUrls = e2eUrls = { DATABASE_URL: process.env.DATABASE_URL!, MIGRATION_DATABASE_URL: process.env.MIGRATION_DATABASE_URL! };
    } else {
      const dir = path.resolve(process.env.TEST_PG_DIR ?? ".data/test-pg");
      rmSync(dir, { recursive: true, force: true });
      pg = await startEmbeddedPostgres({ dir, port: await freePort(), quiet: true });
      intUrls = await bootstrapDatabase(pg.superuserUrl, "canopy_int");
      e2eUrls = await bootstrapDatabase(pg.superuserUrl, "canopy_e2e");
    }
    const common = {
      ...process.env,
      NODE_ENV: "production" as const,
      ROOT_DOMAIN: "canopy.localhost",
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      INTERNAL_SECRET: randomBytes(32).toString("base64url"),
      SECURE_COOKIES: "false",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    if (want("int")) {
      await runMigrations({ migrationUrl: intUrls.MIGRATION_DATABASE_URL, appUrl: intUrls.DATABASE_URL });
      const env = { ...common, ...intUrls, NODE_ENV: "test" as const };
      ok = (await run("integration", bin("vitest"), ["run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${reports}/int.json`, ...filters], env)) && ok;
      countVitest(`${reports}/int.json`);
    }
    if (want("e2e")) {
      await runMigrations({ migrationUrl: e2eUrls.MIGRATION_DATABASE_URL, appUrl: e2eUrls.DATABASE_URL });
      await seedDemo({ appUrl: e2eUrls.DATABASE_URL, migrationUrl: e2eUrls.MIGRATION_DATABASE_URL });
      const port = String(await freePort());
      const env = { ...common, ...e2eUrls, PORT: port, PUBLIC_PORT: port, INTERNAL_URL: `http://localhost:${port}`, E2E_PORT: port };
      const built = await run("build", bin("next"), ["build"], env);
      ok = built && ok;
      if (built) {
        ok = (await run("e2e", bin("playwright"), ["test"], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/e2e.json` })) && ok;
        countPlaywright(`${reports}/e2e.json`);
      }
    }
  } finally {
    await pg?.stop();
  }
  return ok;
}

const ok = await main().catch((error: unknown) => {
  console.error(error);
  return false;
});
console.log(`\nnpm test finished in ${((Date.now() - started) / 1000).toFixed(0)}s`);
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(ok && results.failed === 0 ? 0 : 1);

/**
 * `npm test`: lint, typecheck, unit, the fresh path (scripts/check-fresh.ts), integration against
 * a real PostgreSQL, then Playwright against a production build, then Playwright over HTTPS through
 * Caddy in front of two servers (the cluster stage). With no DATABASE_URL it runs a
 * throwaway embedded PostgreSQL under .data/test-pg; with DATABASE_URL and MIGRATION_DATABASE_URL
 * it uses those (local only). Chromium, PgBouncer and Caddy are checked (and installed, as root on
 * Debian) before the first step.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { bootstrapDatabase } from "./lib/bootstrap";
import { freePort, startEmbeddedPostgres, type LocalPostgres } from "./lib/embedded-postgres";
import { runMigrations } from "./lib/migrate";
import { caddyBin } from "./lib/caddy";
import { DEFAULT_CHROMIUM, planMachine } from "./lib/machine";
import { hasCompleteBuild } from "./lib/next-build";
import { ensureLimiterLogin, pgbouncerBin, startPgBouncer } from "./lib/pgbouncer";
import { startMailSink, type MailSink } from "./lib/mail-sink";
import { queues } from "../server/jobs/queues";
import { seedDemo } from "./lib/seed";
import { startTestDns, type TestDns } from "../tests/support/dns-server";

const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const want = (step: string) => !only || only.split(",").includes(step);
/** Anything after `--` narrows the integration and e2e runs to matching test files (vitest and Playwright file filters). */
const filters = process.argv.includes("--") ? process.argv.slice(process.argv.indexOf("--") + 1) : [];
const results = { passed: 0, failed: 0 };
const external = process.env.DATABASE_URL && process.env.MIGRATION_DATABASE_URL;
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

/** Chromium, PgBouncer and Caddy, before the first step: installed with apt-get when root, else one line naming the command. */
function machineReady(): boolean {
  const chromiumPath = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  const missing = () => ({
    chromiumMissing: (want("e2e") || want("cluster")) && !existsSync(chromiumPath),
    // The PgBouncer pass runs only in front of the embedded server.
    pgbouncerMissing: want("pgbouncer") && !external && !pgbouncerBin(),
    caddyMissing: want("cluster") && !caddyBin(),
  });
  const plan = planMachine({ ...missing(), chromiumPath, chromiumFromEnv: Boolean(process.env.CHROMIUM_PATH), root: process.getuid?.() === 0, apt: existsSync("/usr/bin/apt-get") });
  if (plan.kind === "ready") return true;
  if (plan.kind === "stop") {
    console.error(plan.line);
    return false;
  }
  console.log(plan.line);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", ...plan.packages]]) {
    const apt = spawnSync("apt-get", args, { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (apt.status !== 0) {
      console.error(`${apt.stdout ?? ""}${apt.stderr ?? ""}`.trim().split("\n").slice(-10).join("\n"));
      console.error(`npm test: \`apt-get ${args.join(" ")}\` failed; run \`apt-get install -y ${plan.packages.join(" ")}\`, then npm test again`);
      return false;
    }
  }
  const still = missing();
  if (still.chromiumMissing || still.pgbouncerMissing || still.caddyMissing) {
    console.error(`npm test: apt-get installed ${plan.packages.join(" ")}, yet ${still.chromiumMissing ? chromiumPath : still.pgbouncerMissing ? "pgbouncer" : "caddy"} is still missing`);
    return false;
  }
  return true;
}

async function main(): Promise<boolean> {
  let ok = true;
  const reports = path.resolve(process.env.TEST_REPORTS_DIR ?? ".data/test-reports");
  rmSync(reports, { recursive: true, force: true });
  if (!machineReady()) process.exit(1);
  if (want("lint")) ok = (await run("lint", bin("eslint"), ["--max-warnings=0", "."])) && ok;
  if (want("typecheck")) ok = (await run("typecheck", bin("tsc"), ["--noEmit"])) && ok;
  if (want("unit")) {
    ok = (await run("unit", bin("vitest"), ["run", "--project", "unit", "--reporter=default", "--reporter=json", `--outputFile.json=${reports}/unit.json`])) && ok;
    countVitest(`${reports}/unit.json`);
  }
  if (want("fresh")) {
    // The README's path in a clone of HEAD: npm install, build with no environment, start, migrate.
    ok = (await run("fresh path", bin("tsx"), ["scripts/check-fresh.ts", `--report=${reports}/fresh.json`])) && ok;
    countVitest(`${reports}/fresh.json`);
  }
  if (!want("int") && !want("e2e") && !want("pgbouncer") && !want("cluster")) return ok;

  let pg: LocalPostgres | null = null;
  let dns: TestDns | null = null;
  let mail: MailSink | null = null;
  try {
    let intUrls: { DATABASE_URL: string; MIGRATION_DATABASE_URL: string };
    let e2eUrls: typeof intUrls;
    let clusterUrls: typeof intUrls;
    if (external) {
      intUrls = e2eUrls = clusterUrls = { DATABASE_URL: process.env.DATABASE_URL!, MIGRATION_DATABASE_URL: process.env.MIGRATION_DATABASE_URL! };
    } else {
      const dir = path.resolve(process.env.TEST_PG_DIR ?? ".data/test-pg");
      rmSync(dir, { recursive: true, force: true });
      // A throwaway server: random superuser and role passwords for this run only.
      pg = await startEmbeddedPostgres({ dir, port: await freePort(), quiet: true });
      intUrls = await bootstrapDatabase(pg, "canopy_int");
      e2eUrls = await bootstrapDatabase(pg, "canopy_e2e");
      clusterUrls = await bootstrapDatabase(pg, "canopy_cluster");
    }
    const common = {
      ...process.env,
      NODE_ENV: "production" as const,
      ROOT_DOMAIN: "canopy.localhost",
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      INTERNAL_SECRET: randomBytes(32).toString("base64url"),
      SECURE_COOKIES: "false",
      // The tests' OpenID provider (oidc-provider) listens on http://127.0.0.1.
      SSO_ALLOW_INSECURE_ISSUERS: "true",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    if (want("int") || want("pgbouncer")) await runMigrations({ migrationUrl: intUrls.MIGRATION_DATABASE_URL, appUrl: intUrls.DATABASE_URL });
    if (want("int")) {
      const env = { ...common, ...intUrls, NODE_ENV: "test" as const };
      ok = (await run("integration", bin("vitest"), ["run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${reports}/int.json`, ...filters], env)) && ok;
      countVitest(`${reports}/int.json`);
    }
    if (want("pgbouncer")) {
      // The isolation, pooled-connection and budget suites again, through PgBouncer in transaction mode.
      if (!pg) {
        console.log("\n── pgbouncer: runs only with the embedded server (its port is known); not run against an external DATABASE_URL");
      } else {
        // The API budgets' login, as deployed behind PgBouncer: a user of its own, so a pool of its own.
        const limiterPassword = randomBytes(24).toString("base64url");
        await ensureLimiterLogin(intUrls.MIGRATION_DATABASE_URL, limiterPassword);
        const bouncer = await startPgBouncer({
          dir: path.resolve(".data/test-pgbouncer"),
          port: await freePort(),
          upstreamPort: pg.port,
          users: { canopy_app: pg.rolePasswords.app, canopy_owner: pg.rolePasswords.owner, canopy_limiter: limiterPassword },
          adminUser: "canopy_owner",
        });
        try {
          const env = {
            ...common,
            ...intUrls,
            DATABASE_URL: bouncer.url("canopy_app", pg.rolePasswords.app, "canopy_int"),
            PGBOUNCER_ADMIN_URL: bouncer.url("canopy_owner", pg.rolePasswords.owner, "pgbouncer"),
            RATE_LIMIT_DATABASE_URL: bouncer.url("canopy_limiter", limiterPassword, "canopy_int"),
            DB_PREPARE: "false",
            NODE_ENV: "test" as const,
          };
          ok =
            (await run(
              "integration through pgbouncer",
              bin("vitest"),
              ["run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${reports}/pgbouncer.json`, "--no-file-parallelism", "rls", "api-isolation", "pooled-connections", "rate-limit"],
              env,
            )) && ok;
          countVitest(`${reports}/pgbouncer.json`);
        } finally {
          await bouncer.stop();
        }
      }
    }
    if (want("e2e")) {
      await runMigrations({ migrationUrl: e2eUrls.MIGRATION_DATABASE_URL, appUrl: e2eUrls.DATABASE_URL });
      await seedDemo({ appUrl: e2eUrls.DATABASE_URL, migrationUrl: e2eUrls.MIGRATION_DATABASE_URL });
      const port = String(await freePort());
      // A real DNS server on loopback for domain verification; the specs set its records over HTTP.
      dns = await startTestDns({ control: true });
      // A real SMTP server on loopback: the app delivers mail to it, the specs read their inbox there.
      mail = await startMailSink();
      // A dedicated database for the placement spec (e2e/placement.spec.ts), on the same server.
      let tenantDatabases = process.env.TENANT_DATABASES ?? "";
      if (pg) {
        const silo = await bootstrapDatabase(pg, "canopy_e2e_silo");
        await runMigrations({ migrationUrl: silo.MIGRATION_DATABASE_URL, appUrl: silo.DATABASE_URL });
        tenantDatabases = JSON.stringify({ silo: { url: silo.DATABASE_URL, migrationUrl: silo.MIGRATION_DATABASE_URL } });
      }
      const env = { ...common, ...e2eUrls, TENANT_DATABASES: tenantDatabases, PORT: port, PUBLIC_PORT: port, INTERNAL_URL: `http://localhost:${port}`, E2E_PORT: port, DNS_SERVERS: dns.server, E2E_DNS_CONTROL_URL: dns.controlUrl ?? "", SMTP_URL: mail.smtpUrl, E2E_MAIL_URL: mail.viewerUrl };
      const built = await run("build", bin("next"), ["build"], env);
      ok = built && ok;
      if (built) {
        // Mail is delivered by jobs: a worker for the mail queues alone (specs run the other jobs themselves, when they want them).
        const mailWorker = spawn(
          process.execPath,
          ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts", `--queues=${queues.emailDeliver},${queues.accountEmailDeliver}`, "--no-schedule"],
          { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] },
        );
        try {
          ok = (await run("e2e", bin("playwright"), ["test", ...filters], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/e2e.json` })) && ok;
        } finally {
          mailWorker.kill("SIGTERM");
        }
        countPlaywright(`${reports}/e2e.json`);
      }
    }
    if (want("cluster")) {
      // The deployment recipe (npm run serve:cluster): Caddy over HTTPS in front of two servers, PgBouncer, the worker.
      await runMigrations({ migrationUrl: clusterUrls.MIGRATION_DATABASE_URL, appUrl: clusterUrls.DATABASE_URL });
      await seedDemo({ appUrl: clusterUrls.DATABASE_URL, migrationUrl: clusterUrls.MIGRATION_DATABASE_URL });
      const dataDir = path.resolve(".data/test-cluster");
      rmSync(dataDir, { recursive: true, force: true });
      const env = { ...common, ...clusterUrls, SECURE_COOKIES: "true", TENANT_DATABASES: "", CLUSTER_DATA_DIR: dataDir };
      const built = hasCompleteBuild() || (await run("build", bin("next"), ["build"], env));
      ok = built && ok;
      if (built) {
        const clusterFilters = filters.filter((f) => f.startsWith("e2e-cluster/"));
        ok = (await run("e2e through caddy (cluster)", bin("playwright"), ["test", "--config", "playwright.cluster.config.ts", ...clusterFilters], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/cluster.json` })) && ok;
        countPlaywright(`${reports}/cluster.json`);
      }
    }
  } finally {
    await dns?.close();
    await mail?.close();
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

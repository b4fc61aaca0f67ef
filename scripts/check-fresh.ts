/**
 * The README's path on a fresh machine, end to end, in a clone of this checkout's HEAD in a
 * temporary directory (uncommitted changes are not in it):
 *
 *   npm install → npm run build with no environment → npm start (embedded PostgreSQL under the
 *   clone's .data, demo seeded) answering on the root URL, on loopback only, and letting a demo
 *   user sign in → npm run db:migrate with only DATABASE_URL and MIGRATION_DATABASE_URL, against
 *   a second, empty database.
 *
 * Each is one check; a check that cannot run because an earlier one failed counts as failed.
 * `npm test` runs this as its `fresh` step (`--report=<file>` writes the counts for its total).
 * `--keep` leaves the temporary directory in place.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { bootstrapDatabase } from "./lib/bootstrap";
import { freePort, startEmbeddedPostgres, type LocalPostgres } from "./lib/embedded-postgres";
import { hasCompleteBuild } from "./lib/next-build";

const argv = process.argv.slice(2);
const keep = argv.includes("--keep");
const reportFile = argv.find((a) => a.startsWith("--report="))?.slice("--report=".length);

const git = (args: string[], cwd = process.cwd()) => spawnSync("git", args, { cwd, encoding: "utf8" });

/**
 * A newcomer's shell, not ours: no DATABASE_URL, ROOT_DOMAIN, secrets, NODE_ENV or NEXT_* (npm test
 * sets several), and no node_modules/.bin of this checkout on PATH. What npm itself needs to reach
 * its registry and cache stays.
 */
function newcomerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keepNames = /^(HOME|USER|LOGNAME|SHELL|LANG|LC_[A-Z]+|TERM|TMPDIR|CI|https?_proxy|no_proxy|HTTPS?_PROXY|NO_PROXY|npm_config_(cache|registry|userconfig|.*proxy|strict_ssl|cafile))$/;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (keepNames.test(name) && value !== undefined) env[name] = value;
  env.PATH = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => !dir.includes(`${path.sep}node_modules${path.sep}.bin`))
    .join(path.delimiter);
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

type Outcome = { name: string; ok: boolean; detail: string };
const outcomes: Outcome[] = [];

async function check(name: string, fn: () => Promise<string>): Promise<boolean> {
  const t0 = Date.now();
  try {
    const detail = await fn();
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(`✓ ${name} (${secs}s)${detail ? `: ${detail}` : ""}`);
    outcomes.push({ name, ok: true, detail });
    return true;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    console.log(`✗ ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s): ${detail}`);
    outcomes.push({ name, ok: false, detail });
    return false;
  }
}

function skip(name: string, because: string) {
  console.log(`✗ ${name}: not run (${because})`);
  outcomes.push({ name, ok: false, detail: `not run: ${because}` });
}

function tail(file: string, lines = 25): string {
  if (!existsSync(file)) return "";
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).map((l) => `    ${l}`).join("\n");
}

/** Runs a command to completion, its output into `log`; throws with the output's tail on failure. */
function runLogged(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; log: string; timeoutMs: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(opts.log);
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), opts.timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      out.end(() => {
        if (code === 0) resolve();
        else reject(new Error(`\`${[cmd, ...args].join(" ")}\` ${signal ? `killed (${signal}, after ${opts.timeoutMs / 1000}s)` : `exited ${code}`}\n${tail(opts.log)}`));
      });
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

type Answer = { status: number; body: string; cookies: string[]; location?: string };

/** Node does not resolve *.localhost: connect to loopback and name the host in the Host header. */
function request(port: number, host: string, urlPath: string, opts: { method?: string; cookies?: string[]; form?: Record<string, string> } = {}): Promise<Answer> {
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: "localhost",
        port,
        path: urlPath,
        method: opts.method ?? "GET",
        headers: {
          host: `${host}:${port}`,
          ...(opts.cookies?.length ? { cookie: opts.cookies.join("; ") } : {}),
          ...(body ? { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body), origin: `http://${host}:${port}` } : {}),
        },
        timeout: 30_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          const cookies = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!).filter((c) => !c.endsWith("="));
          resolve({ status: res.statusCode ?? 0, body: text, cookies, location: res.headers.location });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`GET ${host}${urlPath}: no answer in 30 s`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** Local addresses of the sockets listening on `port`, from /proc (Linux); null when unreadable. */
function listeners(port: number): string[] | null {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const found: string[] = [];
  try {
    for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
      if (!existsSync(file)) continue;
      for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
        const [, local, , state] = line.trim().split(/\s+/);
        if (state !== "0A" || !local?.endsWith(`:${hex}`)) continue;
        found.push(local.slice(0, -5));
      }
    }
  } catch {
    return null;
  }
  return found;
}

const LOOPBACK = new Set(["0100007F", "00000000000000000000000001000000", "0000000000000000FFFF00000100007F"]);

/** Processes still running from inside `dir` (by executable, working directory or command line). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of existsSync("/proc") ? readdirSync("/proc") : []) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cmdline.includes(dir) || cwd.startsWith(dir)) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>, alive: () => boolean): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!alive()) throw new Error(`stopped before ${what}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`no ${what} within ${timeoutMs / 1000}s`);
}

async function main() {
  const source = git(["rev-parse", "--show-toplevel"]).stdout.trim();
  const head = git(["rev-parse", "HEAD"]).stdout.trim();
  if (!source || !head) throw new Error("not inside a git checkout");
  const dirty = git(["status", "--porcelain", "--untracked-files=no"]).stdout.trim() !== "";
  const tmp = mkdtempSync(path.join(os.tmpdir(), "canopy-fresh-"));
  const clone = path.join(tmp, "canopy");
  const logs = path.join(tmp, "logs");
  console.log(`Fresh path of ${head.slice(0, 12)} in ${clone}${dirty ? " (uncommitted changes in this checkout are not part of it)" : ""}`);
  mkdirSync(logs);

  let server: ChildProcess | null = null;
  let serverAlive = false;
  let second: LocalPostgres | null = null;
  try {
    const cloned = git(["clone", "--quiet", source, clone], tmp);
    if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr.trim()}`);
    const checkout = git(["checkout", "--quiet", "--detach", head], clone);
    if (checkout.status !== 0) throw new Error(`git checkout ${head} failed: ${checkout.stderr.trim()}`);

    const installed = await check("npm install", async () => {
      await runLogged("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: clone, env: newcomerEnv(), log: path.join(logs, "install.log"), timeoutMs: 15 * 60_000 });
      const changed = git(["status", "--porcelain"], clone).stdout.trim();
      if (changed) throw new Error(`npm install changed committed files:\n${changed}`);
      return "package-lock.json unchanged";
    });

    const built =
      installed &&
      (await check("npm run build, with no environment", async () => {
        await runLogged("npm", ["run", "build"], { cwd: clone, env: newcomerEnv(), log: path.join(logs, "build.log"), timeoutMs: 15 * 60_000 });
        if (!hasCompleteBuild(clone)) throw new Error("the build exited 0 but .next is incomplete");
        return "";
      }));
    if (!installed) skip("npm run build, with no environment", "npm install failed");

    const startChecks = ["npm start: /api/health and the root page, on loopback only", "the demo: acme's sign-in page, and owner@acme.test signs in"];
    if (!built) {
      for (const name of startChecks) skip(name, "no build");
    } else {
      const port = await freePort();
      const pgPort = await freePort();
      const log = path.join(logs, "start.log");
      const out = createWriteStream(log);
      server = spawn("npm", ["start"], { cwd: clone, env: newcomerEnv({ PORT: String(port), EMBEDDED_PG_PORT: String(pgPort) }), stdio: ["ignore", "pipe", "pipe"], detached: true });
      serverAlive = true;
      server.stdout!.pipe(out);
      server.stderr!.pipe(out);
      server.on("exit", () => (serverAlive = false));
      const root = "canopy.localhost";

      const up = await check(startChecks[0]!, async () => {
        try {
          await waitFor("healthy /api/health", 5 * 60_000, async () => (await request(port, root, "/api/health")).status === 200, () => serverAlive);
        } catch (error) {
          throw new Error(`${(error as Error).message}\n${tail(log)}`);
        }
        const home = await request(port, root, "/");
        if (home.status !== 200 || !home.body.includes("Sign in")) throw new Error(`GET http://${root}:${port}/ answered ${home.status}${home.location ? ` → ${home.location}` : ""}`);
        const bound = [...(listeners(port) ?? []), ...(listeners(pgPort) ?? [])];
        const exposed = bound.filter((a) => !LOOPBACK.has(a));
        if (exposed.length) throw new Error(`listening beyond loopback: ${exposed.join(", ")} (/proc/net/tcp notation)`);
        return `http://${root}:${port}/ renders, ${bound.length} listening socket(s), all on loopback`;
      });

      if (!up) {
        skip(startChecks[1]!, "the server did not come up");
      } else {
        await check(startChecks[1]!, async () => {
          const acme = `acme.${root}`;
          const signin = await request(port, acme, "/signin");
          if (signin.status !== 200) throw new Error(`GET http://${acme}:${port}/signin answered ${signin.status}`);
          // The 200 means something only if a host that names no tenant is refused.
          const unknown = await request(port, `no-such-tenant.${root}`, "/signin");
          if (unknown.status !== 404) throw new Error(`an unknown tenant's host answered ${unknown.status}, not 404`);
          const csrf = await request(port, acme, "/api/auth/csrf");
          const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
          const signedIn = await request(port, acme, "/api/auth/callback/credentials", {
            method: "POST",
            cookies: csrf.cookies,
            form: { csrfToken, email: "owner@acme.test", password: "canopy-demo", callbackUrl: `http://${acme}:${port}/`, json: "true" },
          });
          const session = signedIn.cookies.filter((c) => c.includes("session-token"));
          if (session.length === 0) throw new Error(`signing in as owner@acme.test / canopy-demo gave no session cookie (${signedIn.status})`);
          const workspace = await request(port, acme, "/", { cookies: session });
          // The dashboard's totals appear only when the tenant has invoices ("No invoices yet" otherwise).
          if (workspace.status !== 200 || !workspace.body.includes("Acme Corp") || !workspace.body.includes("Outstanding (")) {
            throw new Error(`the signed-in dashboard answered ${workspace.status} without Acme Corp's invoice totals`);
          }
          return `http://${acme}:${port}/ shows Acme Corp's dashboard with the demo invoices`;
        });
      }
    }

    if (server && serverAlive) {
      killGroup(server, "SIGTERM");
      await waitFor("stop", 30_000, () => Promise.resolve(!serverAlive), () => true).catch(() => killGroup(server!, "SIGKILL"));
    }

    const migrateName = "npm run db:migrate with only DATABASE_URL and MIGRATION_DATABASE_URL, into a second database";
    if (!installed) {
      skip(migrateName, "npm install failed");
    } else {
      await check(migrateName, async () => {
        second = await startEmbeddedPostgres({ dir: path.join(tmp, "second-pg"), port: await freePort(), quiet: true });
        const urls = await bootstrapDatabase(second, "canopy_second");
        await runLogged("npm", ["run", "db:migrate"], { cwd: clone, env: newcomerEnv({ ...urls }), log: path.join(logs, "migrate.log"), timeoutMs: 5 * 60_000 });
        const journal = JSON.parse(readFileSync(path.join(clone, "drizzle/meta/_journal.json"), "utf8")) as { entries: unknown[] };
        const sql = postgres(urls.MIGRATION_DATABASE_URL, { max: 1, onnotice: () => undefined });
        try {
          const [row] = await sql<{ applied: number; granted: boolean }[]>`
            select (select count(*)::int from drizzle.__drizzle_migrations) as applied,
                   pg_has_role('canopy_app', 'canopy_app_rw', 'member') as granted`;
          if (row?.applied !== journal.entries.length) throw new Error(`${row?.applied ?? 0} of ${journal.entries.length} migrations applied`);
          if (!row.granted) throw new Error("canopy_app is not in canopy_app_rw");
          return `${row.applied} migrations applied, canopy_app granted canopy_app_rw`;
        } finally {
          await sql.end();
        }
      });
    }
  } finally {
    if (server && serverAlive) killGroup(server, "SIGKILL");
    await (second as LocalPostgres | null)?.stop().catch(() => undefined);
    // Anything the clone started that outlived its parent (a worker, a PostgreSQL) is ours to end.
    for (const pid of processesIn(tmp)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    if (keep) console.log(`Kept ${tmp} (logs in ${logs})`);
    else rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
}

const started = Date.now();
try {
  await main();
} catch (error) {
  const detail = error instanceof Error ? error.message : String(error);
  console.log(`✗ fresh path: ${detail}`);
  outcomes.push({ name: "fresh path", ok: false, detail });
}
const passed = outcomes.filter((o) => o.ok).length;
const failed = outcomes.length - passed;
if (reportFile) writeFileSync(reportFile, JSON.stringify({ numPassedTests: passed, numFailedTests: failed, outcomes }, null, 2));
console.log(`Fresh path: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
process.exit(failed === 0 ? 0 : 1);

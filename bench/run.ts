/**
 * `npm run bench`: seeds a data set, starts the production build, drives it over loopback with
 * autocannon and prints a table plus the target ratios; writes bench/results.json and
 * bench/results.svg. Not part of `npm test`: timings belong here, never in assertions.
 *
 *   npm run bench                 1,000 tenants × (5 projects, 100 invoices)
 *   npm run bench -- --quick      50 tenants, 3 s per scenario: checks the harness works
 *   npm run bench -- --large      10,000 tenants, 1,000,000 invoices
 *   npm run bench -- --cluster    through Caddy to two servers vs one server direct, and budget decisions/s (bench/cluster.ts)
 *   options: --build --tenants=N --invoices=N --projects=N --duration=S --connections=N --rounds=N --page=/path
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import autocannon from "autocannon";
import { encode } from "next-auth/jwt";
import { bootstrapDatabase } from "../scripts/lib/bootstrap";
import { freePort, startEmbeddedPostgres, type LocalPostgres } from "../scripts/lib/embedded-postgres";
import { runMigrations } from "../scripts/lib/migrate";
import { serverArgs, serverNodeFlags } from "../scripts/lib/run-next";
import { renderChart } from "./chart";
import { clusterBench, CLUSTER_PORTS } from "./cluster";
import { createFloorRole } from "./floor-role";
import type { InProcessInput, InProcessResult } from "./in-process";
import { benchPdfRender } from "./pdf-render";
import { cpuBetween, postmasterPid, processTree, treeCpuUs } from "./proc";
import { benchIds, benchSlug, seedTenants, unforcedTables, type SeedShape } from "./seed";

const ROOT_DOMAIN = "canopy.localhost";
const SMALL_TENANTS = 10;
/** The full-size phase spreads its load over this many tenants across the whole range. */
const SPREAD_TENANTS = 100;
const DATA = path.resolve(".data");

function parseArgs(argv: string[]) {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const num = (name: string, fallback: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const quick = flag("quick");
  const large = flag("large");
  const cluster = flag("cluster");
  const tenants = num("tenants", quick ? 50 : large ? 10_000 : 1_000);
  return {
    quick,
    cluster,
    build: flag("build"),
    tenants: Math.max(tenants, SMALL_TENANTS),
    shape: { projectsPerTenant: num("projects", 5), invoicesPerTenant: num("invoices", 100) } satisfies SeedShape,
    duration: num("duration", quick ? 3 : 10),
    warmup: quick ? 1 : 2,
    connections: num("connections", 10),
    /** Each phase's repeated scenarios run this many times, alternating; ratios use the medians. */
    rounds: num("rounds", quick || cluster ? 2 : 3),
    /**
     * Ratio 1's own measurement: this many back-to-back pairs of the tRPC floor and project.list,
     * `pairDuration` seconds each, in alternating order (AB, BA, …). A pair sees the same machine, and
     * the alternation cancels a drift between its two halves.
     */
    pairs: num("pairs", quick ? 2 : 8),
    pairDuration: num("pair-duration", quick ? 2 : 5),
    iterations: quick ? 100 : 1_000,
    /** Worst-case PDF renders timed one at a time. */
    pdfSamples: quick ? 3 : 10,
    page: value("page") ?? "/",
  };
}

type Args = ReturnType<typeof parseArgs>;
type Target = { index: number; slug: string; host: string; cookie: string; tenantId: string; userId: string; sessionId: string };
type Scenario = {
  name: string;
  method: "GET" | "POST";
  path: (t: Target) => string;
  body?: (t: Target, n: number) => string;
  headers?: Record<string, string>;
};
type LoadResult = {
  scenario: string;
  phase: string;
  round: number;
  tenants: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU µs per request: the Next server, PostgreSQL (null on an external database), the load generator. */
  cpu: { server: number; db: number | null; load: number };
};

const trpcInput = (json: unknown) => encodeURIComponent(JSON.stringify({ json }));

const scenarios: Record<string, Scenario> = {
  noop: { name: "next route (noop)", method: "GET", path: () => "/api/bench/noop" },
  floor: { name: "project.list floor (bare route)", method: "GET", path: () => "/api/bench/projects" },
  trpcFloor: { name: "project.list floor (tRPC, no RLS)", method: "GET", path: () => `/api/bench/trpc/project.list?input=${trpcInput({})}` },
  projectList: { name: "project.list", method: "GET", path: () => `/api/trpc/project.list?input=${trpcInput({})}` },
  invoiceList: { name: "invoice.list", method: "GET", path: () => `/api/trpc/invoice.list?input=${trpcInput({})}` },
  invoiceCreate: {
    name: "invoice.create",
    method: "POST",
    path: () => "/api/trpc/invoice.create",
    body: (_t, n) =>
      JSON.stringify({
        json: {
          customerName: `Load customer ${n % 50}`,
          currency: "USD",
          issueDate: "2026-01-01",
          dueDate: "2026-01-31",
          items: [{ description: "Load test", quantity: "2", unitPrice: 12_500, taxRateBp: 2000 }],
        },
      }),
  },
};

/**
 * Server-rendered pages, as built (the page's reads share one tenant transaction) and as before
 * (each read its own transaction: a header only a BENCH_MODE server honours).
 */
const PAGES = [
  { label: "dashboard", path: "/" },
  { label: "invoice list", path: "/invoices" },
] as const;
const PAGE_VARIANTS = [
  { label: "one transaction per read", headers: { "x-bench-page-transaction": "per-read" } },
  { label: "one page transaction", headers: {} },
] as const;
const pageVariantScenario = (page: (typeof PAGES)[number], variant: (typeof PAGE_VARIANTS)[number]): Scenario => ({
  name: `page ${page.path} (${variant.label})`,
  method: "GET",
  path: () => page.path,
  headers: { ...variant.headers },
});

type Counters = { tenant: number; user: number; roundTrips: number };
export type PageCost = { page: string; variant: string; renders: number; tenantTransactions: number; userTransactions: number; roundTrips: number };

/**
 * What one render of `scenario` costs the database: the server's own counters (tenant and user
 * transactions opened, round trips on its pools) read before and after each render, one render
 * at a time, with a pause after each for the page transaction's commit, which runs once the
 * response has been sent. Median over the renders.
 */
async function pageCost(port: number, scenario: Scenario, t: Target, renders: number): Promise<Omit<PageCost, "page" | "variant">> {
  const counters = async () => JSON.parse((await request(port, { method: "GET", path: "/api/bench/counters", headers: { host: t.host } })).body) as Counters;
  const deltas: Counters[] = [];
  for (let i = 0; i < renders; i++) {
    const before = await counters();
    const res = await request(port, { method: "GET", path: scenario.path(t), headers: headersFor(t, scenario) });
    if (res.status !== 200) throw new Error(`${scenario.name} answered ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const after = await counters();
    // The counters request itself is one round trip-free route; nothing else runs on the server meanwhile.
    deltas.push({ tenant: after.tenant - before.tenant, user: after.user - before.user, roundTrips: after.roundTrips - before.roundTrips });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { renders, tenantTransactions: median(deltas.map((d) => d.tenant)), userTransactions: median(deltas.map((d) => d.user)), roundTrips: median(deltas.map((d) => d.roundTrips)) };
}

const BENCH_PG_DIR = path.join(DATA, "bench-pg");

function log(message: string) {
  console.log(`[bench] ${message}`);
}

/** One bench at a time: two would share two cores and measure each other. */
function takeLock(): () => void {
  mkdirSync(DATA, { recursive: true });
  const file = path.join(DATA, "bench.lock");
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, "utf8"));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (alive) throw new Error(`another bench is running (pid ${pid}); wait for it to finish`);
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function assertLoopback(url: string, variable: string) {
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "[::1]", "::1"].includes(host)) {
    throw new Error(`${variable} points at ${host}: the bench seeds and loads only a local database`);
  }
}

async function prepareDatabase(): Promise<{ urls: { DATABASE_URL: string; MIGRATION_DATABASE_URL: string }; floorUrl: string | null; pg: LocalPostgres | null }> {
  const { DATABASE_URL, MIGRATION_DATABASE_URL, BENCH_FLOOR_DATABASE_URL } = process.env;
  if (DATABASE_URL && MIGRATION_DATABASE_URL) {
    assertLoopback(DATABASE_URL, "DATABASE_URL");
    assertLoopback(MIGRATION_DATABASE_URL, "MIGRATION_DATABASE_URL");
    log("using DATABASE_URL / MIGRATION_DATABASE_URL (it should be a throwaway database: the bench seeds into it)");
    await runMigrations({ migrationUrl: MIGRATION_DATABASE_URL, appUrl: DATABASE_URL });
    return { urls: { DATABASE_URL, MIGRATION_DATABASE_URL }, floorUrl: BENCH_FLOOR_DATABASE_URL ?? null, pg: null };
  }
  const dir = BENCH_PG_DIR;
  rmSync(dir, { recursive: true, force: true });
  const pg = await startEmbeddedPostgres({ dir, port: await freePort(), quiet: true });
  const urls = await bootstrapDatabase(pg, "canopy_bench");
  await runMigrations({ migrationUrl: urls.MIGRATION_DATABASE_URL, appUrl: urls.DATABASE_URL });
  const floorUrl = await createFloorRole(pg.superuserUrl, "canopy_bench");
  return { urls, floorUrl, pg };
}

async function seed(ownerUrl: string, from: number, to: number, shape: SeedShape) {
  const t0 = Date.now();
  await seedTenants(ownerUrl, { from, to }, shape);
  const unforced = await unforcedTables(ownerUrl);
  if (unforced.length > 0) throw new Error(`FORCE ROW LEVEL SECURITY is off after seeding on: ${unforced.join(", ")}`);
  const n = to - from + 1;
  log(`seeded tenants ${from}..${to} (${n * shape.invoicesPerTenant} invoices) in ${((Date.now() - t0) / 1000).toFixed(1)}s; FORCE RLS verified on every table`);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<number> {
  const fd = openSync(logFile, "w");
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", fd, fd] });
    child.on("exit", (code) => {
      closeSync(fd);
      resolve(code ?? 1);
    });
  });
}

const nextBin = path.resolve("node_modules/next/dist/bin/next");

async function buildIfNeeded(args: Args, env: NodeJS.ProcessEnv) {
  const built = existsSync(".next/BUILD_ID") && existsSync(".next/server/app/api/bench/trpc");
  if (built && !args.build) return;
  log("building the production bundle (next build)…");
  const logFile = path.join(DATA, "bench-build.log");
  const code = await run(process.execPath, [nextBin, "build"], env, logFile);
  if (code !== 0) throw new Error(`next build failed; see ${logFile}:\n${readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n")}`);
}

function request(port: number, opts: { method: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "localhost", port, method: opts.method, path: opts.path, headers: opts.headers, timeout: 10_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(opts.body);
  });
}

async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const fd = openSync(path.join(DATA, "bench-server.log"), "w");
  // The same server entry and node flags as `npm start` (heap limit), so the memory figure is the production server's.
  // Its own process group, so stopping it also stops anything the server spawned.
  const child = spawn(process.execPath, serverArgs("start", { port, env }), { env, stdio: ["ignore", fd, fd], detached: true });
  closeSync(fd);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see .data/bench-server.log`);
    const ok = await request(port, { method: "GET", path: "/api/health", headers: { host: `${ROOT_DOMAIN}:${port}` } })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the server did not answer /api/health within 60 s");
}

function stopServer(child: ChildProcess | null) {
  if (!child?.pid || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    child.kill("SIGTERM");
  }
}

/**
 * Where a run's CPU went: the Next server's process tree, the PostgreSQL server's (its postmaster
 * and backends; only for the bench's own embedded server), and this process (the load generator).
 */
type CpuProbe = { serverPid: number; dbPid: number | null };
type CpuSnapshot = { server: Map<number, number>; db: Map<number, number> | null; load: number };

function cpuSnapshot(probe: CpuProbe): CpuSnapshot {
  const own = process.cpuUsage();
  return { server: treeCpuUs(probe.serverPid), db: probe.dbPid ? treeCpuUs(probe.dbPid) : null, load: own.user + own.system };
}

/** Peak resident memory of the server and every process under it, sampled from /proc. */
function memorySampler(rootPid: number) {
  const kb = (status: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  let peakSumKb = 0;
  let hwmKb = 0;
  const sample = () => {
    let sum = 0;
    for (const pid of processTree(rootPid)) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        sum += kb(status, "VmRSS");
        hwmKb = Math.max(hwmKb, kb(status, "VmHWM"));
      } catch {
        // exited
      }
    }
    peakSumKb = Math.max(peakSumKb, sum);
  };
  const timer = setInterval(sample, 250);
  sample();
  return {
    stop: () => {
      sample();
      clearInterval(timer);
      return { peakRssMb: Math.round(peakSumKb / 1024), vmHwmMb: Math.round(hwmKb / 1024) };
    },
  };
}

async function targetsFor(indexes: number[], port: number, secret: string): Promise<Target[]> {
  return Promise.all(
    indexes.map(async (index) => {
      const slug = benchSlug(index);
      const ids = benchIds(index);
      const token = await encode({ token: { sub: ids.userId, sid: ids.sessionId, email: `owner-${index}@bench.test`, name: `Owner ${index}` }, secret });
      return { index, slug, host: `${slug}.${ROOT_DOMAIN}:${port}`, cookie: `canopy.session-token=${token}`, ...ids };
    }),
  );
}

function headersFor(t: Target, scenario: Scenario): Record<string, string> {
  return { host: t.host, cookie: t.cookie, ...(scenario.body ? { "content-type": "application/json" } : {}), ...scenario.headers };
}

async function preflight(port: number, scenario: Scenario, t: Target) {
  const res = await request(port, { method: scenario.method, path: scenario.path(t), headers: headersFor(t, scenario), body: scenario.body?.(t, 0) });
  if (res.status < 200 || res.status >= 300) throw new Error(`${scenario.name} answered ${res.status}: ${res.body.slice(0, 300)}`);
}

async function load(port: number, scenario: Scenario, targets: Target[], seconds: number, connections: number) {
  let n = 0;
  const result = await autocannon({
    url: `http://localhost:${port}`,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: scenario.method,
        setupRequest: (req) => {
          const t = targets[n++ % targets.length]!;
          return { ...req, path: scenario.path(t), headers: { ...req.headers, ...headersFor(t, scenario) }, body: scenario.body?.(t, n) ?? "" };
        },
      },
    ],
  });
  return result;
}

async function measure(port: number, args: Args, probe: CpuProbe, phase: string, scenario: Scenario, targets: Target[], round = 1): Promise<LoadResult> {
  await preflight(port, scenario, targets[0]!);
  await load(port, scenario, targets, args.warmup, args.connections);
  const before = cpuSnapshot(probe);
  const r = await load(port, scenario, targets, args.duration, args.connections);
  const after = cpuSnapshot(probe);
  const perRequest = (us: number) => Math.round(us / Math.max(r.requests.total, 1));
  const out: LoadResult = {
    scenario: scenario.name,
    phase,
    round,
    tenants: targets.length,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    cpu: {
      server: perRequest(cpuBetween(before.server, after.server)),
      db: before.db && after.db ? perRequest(cpuBetween(before.db, after.db)) : null,
      load: perRequest(after.load - before.load),
    },
  };
  log(`${phase} #${round} ${scenario.name}: ${out.rps} rps, p50 ${out.p50} ms, p99 ${out.p99} ms, CPU/request server ${out.cpu.server} µs, db ${out.cpu.db ?? "n/a"} µs${out.non2xx || out.errors ? `, ${out.non2xx} non-2xx, ${out.errors} errors` : ""}`);
  return out;
}

async function inProcess(env: NodeJS.ProcessEnv, target: Target, iterations: number): Promise<InProcessResult> {
  const out = path.join(DATA, "bench-in-process.json");
  rmSync(out, { force: true });
  const input: InProcessInput = { tenant: { slug: target.slug, tenantId: target.tenantId, userId: target.userId, sessionId: target.sessionId }, iterations, out };
  const logFile = path.join(DATA, "bench-in-process.log");
  const code = await run(process.execPath, ["--conditions=react-server", "--import", "tsx", "bench/in-process.ts"], { ...env, BENCH_INPUT: JSON.stringify(input) }, logFile);
  if (code !== 0 || !existsSync(out)) throw new Error(`in-process measurements failed; see ${logFile}:\n${readFileSync(logFile, "utf8").slice(-2000)}`);
  return JSON.parse(readFileSync(out, "utf8")) as InProcessResult;
}

/** Median, extremes and the values themselves: a median alone would hide how noisy the runs were. */
function spreadOf(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0] ?? NaN, max: sorted.at(-1) ?? NaN, values };
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const padL = (s: string | number, n: number) => String(s).padStart(n);
const fmt = (x: number | null | undefined, digits = 2) => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(digits));

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
  };
}

/** The environment of a production server the bench starts on `port`, over HTTP. */
function serverEnv(urls: { DATABASE_URL: string; MIGRATION_DATABASE_URL: string }, port: number, secret: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...urls,
    NODE_ENV: "production",
    ROOT_DOMAIN,
    AUTH_SECRET: secret,
    INTERNAL_SECRET: randomBytes(32).toString("base64url"),
    SECURE_COOKIES: "false",
    PORT: String(port),
    PUBLIC_PORT: String(port),
    INTERNAL_URL: `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
}

/**
 * `--cluster`: the small phase's database and seed, one server direct on a fixed loopback port,
 * and the cluster through bench/cluster.ts, which prints its own table.
 */
async function runCluster(args: Args, urls: { DATABASE_URL: string; MIGRATION_DATABASE_URL: string }) {
  const port = CLUSTER_PORTS.direct;
  const secret = randomBytes(32).toString("base64url");
  const env = serverEnv(urls, port, secret, { SERVER_ID: "direct" });
  await buildIfNeeded(args, env);
  let server: ChildProcess | null = null;
  try {
    server = await startServer(env, port);
    log(`direct server up on http://localhost:${port} (pid ${server.pid})`);
    const targets = await targetsFor(
      Array.from({ length: SMALL_TENANTS }, (_, i) => i + 1),
      port,
      secret,
    );
    await clusterBench({
      env,
      rootDomain: ROOT_DOMAIN,
      targets: targets.map((t) => ({ slug: t.slug, cookieValue: t.cookie.slice(t.cookie.indexOf("=") + 1) })),
      duration: args.duration,
      warmup: args.warmup,
      connections: args.connections,
      rounds: args.rounds,
      rateLimitSeconds: args.quick ? 1 : 3,
      log,
      dataDir: path.join(DATA, "bench-cluster"),
    });
    console.log(`
Machine: ${JSON.stringify(machine())}`);
  } finally {
    stopServer(server);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const release = takeLock();
  let pg: LocalPostgres | null = null;
  let server: ChildProcess | null = null;
  const started = Date.now();
  try {
    if (args.cluster) log(`data set: ${SMALL_TENANTS} tenants × ${args.shape.projectsPerTenant} projects, ${args.shape.invoicesPerTenant} invoices; ${args.duration} s per run, ${args.connections} connections, ${args.rounds} rounds`);
    else log(`data set: ${args.tenants} tenants × ${args.shape.projectsPerTenant} projects, ${args.shape.invoicesPerTenant} invoices; ${args.duration} s per scenario, ${args.connections} connections`);
    const db = await prepareDatabase();
    pg = db.pg;
    const { urls, floorUrl } = db;
    await seed(urls.MIGRATION_DATABASE_URL, 1, SMALL_TENANTS, args.shape);

    if (args.cluster) {
      await runCluster(args, urls);
      return;
    }

    const port = await freePort();
    const secret = randomBytes(32).toString("base64url");
    const env = serverEnv(urls, port, secret, { BENCH_MODE: "1", ...(floorUrl ? { BENCH_FLOOR_DATABASE_URL: floorUrl } : {}) });
    await buildIfNeeded(args, env);
    server = await startServer(env, port);
    const memory = memorySampler(server.pid!);
    const probe: CpuProbe = { serverPid: server.pid!, dbPid: pg ? postmasterPid(BENCH_PG_DIR) : null };
    log(`server up on http://localhost:${port} (pid ${server.pid})`);

    const small = await targetsFor(
      Array.from({ length: SMALL_TENANTS }, (_, i) => i + 1),
      port,
      secret,
    );
    const results: LoadResult[] = [];
    const smallPhase = `${SMALL_TENANTS} tenants`;
    // A fresh server loads route bundles and JIT-compiles on its first requests: warm it up
    // before the first measurement, or the small phase would look slower than it is.
    for (const scenario of [scenarios.noop!, scenarios.projectList!, scenarios.invoiceList!]) await load(port, scenario, small, args.warmup * 3, args.connections);
    // The noop route in both phases is the control: if it slows down too, the machine changed, not the data.
    // Each scenario runs `rounds` times, alternating, so a passing disturbance hits one run of each, not one scenario.
    for (let round = 1; round <= args.rounds; round++) {
      for (const scenario of [scenarios.noop!, scenarios.projectList!, scenarios.invoiceList!]) results.push(await measure(port, args, probe, smallPhase, scenario, small, round));
    }

    if (args.tenants > SMALL_TENANTS) await seed(urls.MIGRATION_DATABASE_URL, SMALL_TENANTS + 1, args.tenants, args.shape);
    const spread = Math.min(SPREAD_TENANTS, args.tenants);
    const spreadIndexes = Array.from({ length: spread }, (_, i) => 1 + Math.floor((i * args.tenants) / spread));
    const full = await targetsFor(spreadIndexes, port, secret);
    const fullPhase = `${args.tenants} tenants`;

    log("in-process measurements (round trips, database floor, EXPLAIN)…");
    const inproc = await inProcess(env, full[full.length - 1]!, args.iterations);

    if (floorUrl) {
      // The floors must answer what project.list answers, or ratio 1 compares different work.
      const t = full[full.length - 1]!;
      const bodies = await Promise.all([scenarios.projectList!, scenarios.trpcFloor!, scenarios.floor!].map((sc) => request(port, { method: "GET", path: sc.path(t), headers: headersFor(t, sc) }).then((r) => r.body)));
      const same = (x: string, y: string) => isDeepStrictEqual(JSON.parse(x), JSON.parse(y));
      if (!same(bodies[1]!, bodies[0]!) || !same(bodies[2]!, bodies[0]!)) throw new Error(`a floor's answer differs from project.list's:\n${bodies.map((b) => b.slice(0, 200)).join("\n")}`);
    }
    const pageScenario: Scenario = { name: `tenant page GET ${args.page}`, method: "GET", path: () => args.page };
    // Ratio 1 compares project.list with the tRPC floor: measured next to each other in every round.
    const repeated = [scenarios.noop!, ...(floorUrl ? [scenarios.floor!, scenarios.trpcFloor!] : []), scenarios.projectList!, scenarios.invoiceList!];
    for (let round = 1; round <= args.rounds; round++) {
      for (const scenario of repeated) results.push(await measure(port, args, probe, fullPhase, scenario, full, round));
    }
    const pairPhase = `${args.tenants} tenants, pairs`;
    if (floorUrl) {
      const pairArgs = { ...args, duration: args.pairDuration, warmup: 1 };
      for (let pair = 1; pair <= args.pairs; pair++) {
        const order = pair % 2 ? [scenarios.trpcFloor!, scenarios.projectList!] : [scenarios.projectList!, scenarios.trpcFloor!];
        for (const scenario of order) results.push(await measure(port, pairArgs, probe, pairPhase, scenario, full, pair));
      }
    }
    for (const scenario of [pageScenario, scenarios.invoiceCreate!]) results.push(await measure(port, args, probe, fullPhase, scenario, full));
    log("page renders: transactions and round trips per render, then load, per read vs one page transaction…");
    const pageCosts: PageCost[] = [];
    for (const page of PAGES) {
      for (const variant of PAGE_VARIANTS) pageCosts.push({ page: page.path, variant: variant.label, ...(await pageCost(port, pageVariantScenario(page, variant), full[0]!, args.quick ? 5 : 15)) });
    }
    const pagePhase = `${args.tenants} tenants, pages`;
    for (let round = 1; round <= args.rounds; round++) {
      for (const page of PAGES) for (const variant of PAGE_VARIANTS) results.push(await measure(port, args, probe, pagePhase, pageVariantScenario(page, variant), full, round));
    }
    log("PDF: worst-case invoice, render time and health latency while it renders…");
    const pdf = await benchPdfRender(
      port,
      { ...small[0]!, serverPid: server.pid! },
      { rounds: args.rounds, duration: args.duration, windowMs: 1000, samples: args.pdfSamples, renderers: 1, healthRate: 20, rootHost: `${ROOT_DOMAIN}:${port}` },
      log,
    );
    const mem = memory.stop();

    const runs = (phase: string, name: string) => results.filter((r) => r.phase === phase && r.scenario === name);
    const summaries = [...new Set(results.map((r) => `${r.phase}\u0000${r.scenario}`))].map((key) => {
      const [phase, scenario] = key.split("\u0000") as [string, string];
      const rs = runs(phase, scenario);
      return {
        phase,
        scenario,
        runs: rs.length,
        rps: spreadOf(rs.map((r) => r.rps)),
        p50: spreadOf(rs.map((r) => r.p50)),
        p99: spreadOf(rs.map((r) => r.p99)),
        cpu: { server: spreadOf(rs.map((r) => r.cpu.server)), db: spreadOf(rs.map((r) => r.cpu.db ?? NaN)), load: spreadOf(rs.map((r) => r.cpu.load)) },
      };
    });
    const summary = (phase: string, name: string) => summaries.find((s) => s.phase === phase && s.scenario === name);
    /** `of` the numerator's run over the denominator's, within each round of a phase. */
    const perRound = (num: string, den: string, phase = fullPhase, of: (r: LoadResult) => number = (r) => r.rps) => {
      const values = runs(phase, num).flatMap((a) => {
        const b = runs(phase, den).find((r) => r.round === a.round);
        return b ? [of(a) / of(b)] : [];
      });
      return values.length ? { ...spreadOf(values), values } : null;
    };
    const rlsVsTrpcFloor = perRound("project.list", scenarios.trpcFloor!.name, pairPhase);
    const rlsVsTrpcFloorInRounds = perRound("project.list", scenarios.trpcFloor!.name);
    /** What a request costs the machine (server + database CPU): the floor's over project.list's, so higher is better, as with rps. */
    const costRatio = perRound("project.list", scenarios.trpcFloor!.name, pairPhase, (r) => 1 / (r.cpu.server + (r.cpu.db ?? 0)));
    const rlsVsBareFloor = perRound("project.list", scenarios.floor!.name);
    const framework = perRound("project.list", scenarios.noop!.name);
    const projectRoundTrips = inproc.roundTrips.find((r) => r.variant === "as built (prepared)" && r.call === "project.list");
    const scale = (name: string) => {
      const a = summary(smallPhase, name);
      const b = summary(fullPhase, name);
      if (!a || !b) return null;
      return {
        value: b.p99.median / Math.max(a.p99.median, 1),
        // The extremes the individual runs allow: best full-size run over worst small run, and the reverse.
        min: b.p99.min / Math.max(a.p99.max, 1),
        max: b.p99.max / Math.max(a.p99.min, 1),
        values: [...a.p99.values, ...b.p99.values],
      };
    };
    type Ratio = { id: number; name: string; value: number | null; target: string; met: boolean | null; min?: number; max?: number; values?: number[] };
    const ratio = (id: number, name: string, r: { value?: number; median?: number; min: number; max: number; values: number[] } | null, target: string, ok?: (v: number) => boolean): Ratio => {
      const value = r ? (r.value ?? r.median ?? null) : null;
      return { id, name, value, target, met: value === null || !ok ? null : ok(value), ...(r ? { min: r.min, max: r.max, values: r.values } : {}) };
    };
    const ratios: Ratio[] = [
      ratio(1, `RLS path vs tRPC floor (project.list rps / tRPC floor rps, ${args.pairs} pairs)`, rlsVsTrpcFloor, "≥ 0.9", (v) => v >= 0.9),
      ratio(1, "  same scenarios in the rounds", rlsVsTrpcFloorInRounds, "report"),
      ratio(1, "  cost: tRPC floor CPU / project.list CPU per request (server + db, pairs)", costRatio, "report"),
      ratio(1, "  context: vs bare route (project.list rps / bare floor rps)", rlsVsBareFloor, "report"),
      ratio(2, "framework floor (project.list rps / noop route rps)", framework, "report"),
      { id: 3, name: "database floor (raw postgres.js / app query, in-process, unprepared)", value: inproc.dbFloor.ratio, target: "report", met: null },
      { id: 3, name: "  same, with drizzle's queries prepared (as the app runs)", value: inproc.dbFloor.preparedRatio, target: "report", met: null },
      ...(["project.list", "invoice.list"] as const).map((name) =>
        ratio(4, `scale: ${name} median p99 at ${args.tenants} / at ${SMALL_TENANTS} tenants`, scale(name), "≤ 1.2", (v) => v <= 1.2),
      ),
      ratio(4, `  control: noop route median p99 at ${args.tenants} / at ${SMALL_TENANTS}`, scale(scenarios.noop!.name), "report"),
      { id: 5, name: "round trips per project.list call (incl. BEGIN/COMMIT)", value: projectRoundTrips?.roundTrips ?? null, target: "≤ 3", met: projectRoundTrips ? projectRoundTrips.roundTrips <= 3 : null },
      ratio(6, "health p99 while worst-case PDFs render / idle (all rounds' requests)", { ...pdf.ratio, value: pdf.pooled.ratio }, "< 1.2", (v) => v < 1.2),
      { id: 6, name: "  worst-case PDF (100 lines × 500-character words), ms, one at a time", value: pdf.renderMs.median, target: "report", met: null },
      { id: 0, name: "server peak RSS, MB (sum over the process tree)", value: mem.peakRssMb, target: "< 400", met: mem.peakRssMb < 400 },
      ...PAGES.flatMap((page): Ratio[] => {
        const built = pageCosts.find((c) => c.page === page.path && c.variant === PAGE_VARIANTS[1].label);
        const before = pageCosts.find((c) => c.page === page.path && c.variant === PAGE_VARIANTS[0].label);
        const p = (variant: (typeof PAGE_VARIANTS)[number]) => summary(pagePhase, pageVariantScenario(page, variant).name);
        const [a, b] = [p(PAGE_VARIANTS[0]), p(PAGE_VARIANTS[1])];
        return [
          { id: 7, name: `${page.label} page: tenant transactions per render (before: ${before?.tenantTransactions ?? "n/a"})`, value: built?.tenantTransactions ?? null, target: "1", met: built ? built.tenantTransactions === 1 : null },
          { id: 7, name: `${page.label} page: round trips per render (before: ${before?.roundTrips ?? "n/a"})`, value: built?.roundTrips ?? null, target: "≤ 5", met: built ? built.roundTrips <= 5 : null },
          { id: 7, name: `  p50 ms one page transaction / per read (${fmt(b?.p50.median, 0)} / ${fmt(a?.p50.median, 0)})`, value: a && b ? b.p50.median / Math.max(a.p50.median, 1) : null, target: "report", met: null },
          { id: 7, name: `  p99 ms one page transaction / per read (${fmt(b?.p99.median, 0)} / ${fmt(a?.p99.median, 0)})`, value: a && b ? b.p99.median / Math.max(a.p99.median, 1) : null, target: "report", met: null },
        ];
      }),
    ];

    console.log("\nLoad (autocannon, loopback, %d connections, %d s each after %d s warm-up; %d alternating rounds of the repeated scenarios)", args.connections, args.duration, args.warmup, args.rounds);
    console.log("(CPU: µs per request of the Next server's process tree, PostgreSQL's, and the load generator's)");
    console.log(
      `${pad("phase", 24)}${pad("run", 4)}${pad("scenario", 36)}${padL("rps", 7)}${padL("p50 ms", 8)}${padL("p99 ms", 8)}${padL("requests", 10)}${padL("non-2xx", 9)}${padL("srv µs", 8)}${padL("db µs", 7)}${padL("gen µs", 8)}`,
    );
    for (const r of results) {
      console.log(
        `${pad(r.phase, 24)}${pad(r.round, 4)}${pad(r.scenario, 36)}${padL(r.rps, 7)}${padL(r.p50, 8)}${padL(r.p99, 8)}${padL(r.requests, 10)}${padL(r.non2xx + r.errors, 9)}${padL(r.cpu.server, 8)}${padL(r.cpu.db ?? "n/a", 7)}${padL(r.cpu.load, 8)}`,
      );
    }

    console.log("\nMedians over the runs (min–max)");
    console.log(`${pad("phase", 24)}${pad("scenario", 36)}${padL("runs", 5)}${padL("rps", 16)}${padL("p99 ms", 16)}${padL("srv+db CPU µs", 15)}`);
    const range = (x: { median: number; min: number; max: number }, d = 0) => `${fmt(x.median, d)} (${fmt(x.min, d)}–${fmt(x.max, d)})`;
    for (const s of summaries) {
      const db = Number.isFinite(s.cpu.db.median) ? s.cpu.db.median : 0;
      console.log(`${pad(s.phase, 24)}${pad(s.scenario, 36)}${padL(s.runs, 5)}${padL(range(s.rps), 16)}${padL(range(s.p99), 16)}${padL(fmt(s.cpu.server.median + db, 0), 15)}`);
    }

    console.log("\nRatios and targets (value = median; the range is what the individual runs give)");
    for (const r of ratios) {
      const spread = r.min !== undefined && r.max !== undefined && r.values && r.values.length > 1 ? `  range ${fmt(r.min)}–${fmt(r.max)}` : "";
      console.log(`${pad(r.id ? `${r.id}.` : "-", 4)}${pad(r.name, 76)}${padL(fmt(r.value), 8)}  ${pad(r.target, 8)}${pad(r.met === null ? "" : r.met ? "met" : "NOT MET", 8)}${spread}`);
    }
    for (const r of ratios.filter((x) => x.id === 1 || x.id === 2)) {
      if (r.values && r.values.length > 1) console.log(`    ${r.name.trim()} per round: ${r.values.map((v) => fmt(v)).join(", ")}`);
    }
    for (const name of ["project.list", "invoice.list", scenarios.noop!.name]) {
      const a = summary(smallPhase, name);
      const b = summary(fullPhase, name);
      if (a && b) console.log(`    ${name} p99 per run, ms: ${SMALL_TENANTS} tenants ${a.p99.values.join(", ")}; ${args.tenants} tenants ${b.p99.values.join(", ")}`);
    }

    console.log("\nPage renders (server counters, one render at a time, median of each page's renders)");
    for (const c of pageCosts) {
      console.log(`  ${pad(c.page, 10)} ${pad(c.variant, 26)} ${padL(c.tenantTransactions, 2)} tenant transactions, ${padL(c.userTransactions, 2)} user transactions, ${padL(c.roundTrips, 3)} round trips (${c.renders} renders)`);
    }

    console.log("\nRound trips to PostgreSQL per call (in-process, warm connection)");
    for (const r of inproc.roundTrips) {
      console.log(`  ${pad(r.variant, 22)} ${pad(r.call, 15)} ${padL(r.roundTrips, 2)} round trips, ${padL(r.statements, 2)} statements: ${r.sql.map((s) => s.slice(0, 24)).join(" | ")}`);
    }
    const d = inproc.dbFloor;
    console.log(
      `\nDatabase floor (in-process, ${d.iterations} project.list queries in one tenant transaction): unprepared ${fmt(d.appUs, 0)} µs, prepared (as the app runs) ${fmt(d.appPreparedUs, 0)} µs, raw postgres.js ${fmt(d.rawUs, 0)} µs`,
    );
    const tp = inproc.tenantPathVsBare;
    if (tp) console.log(`Tenant path vs bare query (in-process, ${tp.iterations} calls): project.list call ${fmt(tp.tenantCallUs, 0)} µs, bare query (no tx, BYPASSRLS) ${fmt(tp.bareQueryUs, 0)} µs, ratio ${fmt(tp.ratio)}`);

    console.log("\nAPI budget decisions per second (in-process, 1,000 keys, each decision a charge of 1)");
    for (const r of inproc.rateLimit) console.log(`  ${pad(r.store, 34)} ${padL(r.inFlight, 2)} in flight: ${padL(fmt(r.perSecond, 0), 9)} decisions/s (${r.decisions} decisions)`);

    console.log(`\nEXPLAIN (ANALYZE) as the app role with ${full[full.length - 1]!.slug} set, ${args.tenants} tenants`);
    for (const p of inproc.explain) console.log(`  ${pad(p.name, 28)} ${p.seqScans.length ? `SEQ SCAN on ${p.seqScans.join(", ")}` : "no seq scan"}  ${fmt(p.executionMs, 3)} ms  ${p.nodes.join(" → ")}`);
    const seqScans = inproc.explain.filter((p) => p.seqScans.length > 0);
    console.log(`\nPDF, worst case (100 lines of 500-character words, 200-character customer; ${pdf.pdfBytes} bytes), through GET /api/invoices/[id]/pdf`);
    console.log(`  one at a time: median ${fmt(pdf.renderMs.median, 0)} ms (${fmt(pdf.renderMs.min, 0)}–${fmt(pdf.renderMs.max, 0)}) over ${pdf.renderMs.values.length} renders`);
    console.log(`  back to back, in the rendering windows: median ${fmt(pdf.renderUnderLoadMs.median, 0)} ms (${fmt(pdf.renderUnderLoadMs.min, 0)}–${fmt(pdf.renderUnderLoadMs.max, 0)}) over ${pdf.renderUnderLoadMs.values.length} renders`);
    const c = pdf.cpu;
    console.log(
      `  CPU per request (${c.requests} each), server main thread / whole process: PDF ${fmt(c.pdf.mainMs)} / ${fmt(c.pdf.processMs)} ms, invoice.byId of the same invoice ${fmt(c.byId.mainMs)} / ${fmt(c.byId.processMs)} ms, /api/health ${fmt(c.health.mainMs)} / ${fmt(c.health.processMs)} ms`,
    );
    const all = pdf.pooled;
    console.log(`  all rounds: /api/health p50 / p99 idle ${fmt(all.idleP50)} / ${fmt(all.idleP99)} ms (${all.idleN} requests), while rendering ${fmt(all.busyP50)} / ${fmt(all.busyP99)} ms (${all.busyN} requests), ratio ${fmt(all.ratio)}`);
    for (const h of pdf.health) {
      console.log(
        `  round ${h.round}: /api/health at 20 req/s, p50 / p99 idle ${fmt(h.idleP50)} / ${fmt(h.idleP99)} ms (${h.idleN} requests), while rendering ${fmt(h.busyP50)} / ${fmt(h.busyP99)} ms (${h.busyN} requests, ${h.busyRenders} PDFs), ratio ${fmt(h.busyP99 / h.idleP99)}`,
      );
    }
    console.log(`\nServer memory: peak RSS ${mem.peakRssMb} MB (process tree), VmHWM ${mem.vmHwmMb} MB (largest process); node flags: ${serverNodeFlags(env).join(" ") || "none (NODE_OPTIONS sets the heap)"}${env.NODE_OPTIONS ? `, NODE_OPTIONS=${env.NODE_OPTIONS}` : ""}`);

    const report = {
      at: new Date().toISOString(),
      machine: machine(),
      args: { ...args },
      results,
      summaries,
      ratios,
      inProcess: inproc,
      pageCosts,
      pdf,
      memory: { ...mem, nodeFlags: serverNodeFlags(env), nodeOptions: env.NODE_OPTIONS ?? null },
      durationS: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync("bench/results.json", JSON.stringify(report, null, 2));
    const svg = await renderChart(
      summaries.map((r) => ({ label: `${r.scenario} (${r.phase})`, rps: r.rps.median, p50: r.p50.median, p99: r.p99.median })),
      `${report.machine.cpus} cores, ${args.connections} connections, ${args.duration} s per run, medians of ${args.rounds} rounds, ${report.at.slice(0, 16)}`,
    );
    writeFileSync("bench/results.svg", svg);
    log(`wrote bench/results.json and bench/results.svg in ${report.durationS}s`);
    const failed = results.filter((r) => r.non2xx > 0 || r.errors > 0);
    if (failed.length > 0) throw new Error(`requests failed in: ${failed.map((r) => `${r.phase} ${r.scenario}`).join(", ")}`);
    if (pdf.health.some((h) => h.non2xx > 0)) throw new Error("health requests failed in the PDF scenario");
    // A table of a few hundred rows is rightly read whole; the check means something at full size.
    if (seqScans.length > 0 && !args.quick) throw new Error(`sequential scan on a tenant table in: ${seqScans.map((p) => p.name).join(", ")}`);
    if (seqScans.length > 0) log(`warning: sequential scan in ${seqScans.map((p) => p.name).join(", ")} (expected on --quick's small tables)`);
  } finally {
    stopServer(server);
    await pg?.stop();
    release();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

/**
 * `npm run bench -- --cluster`: what the deployment's proxy costs per request. The same reads
 * through Caddy over HTTPS to two app servers (`npm run serve:cluster`, spawned as a child) and
 * straight to one server over HTTP, on the same database and seed, with the same concurrency and
 * duration; then API budget decisions per second, shared PostgreSQL store against in-process.
 * Everything runs on loopback and stops by itself; the cluster is killed at the end even on error.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { createWriteStream, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import tls from "node:tls";
import autocannon from "autocannon";
import { caddyIntermediateCertificate, caddyRootCertificate, spkiHash } from "../scripts/lib/caddy";
import type { RateLimitRun } from "./rate-limit-cost";

/** Loopback ports of the cluster, apart from serve:cluster's defaults (3242–3246) and other benches. */
export const CLUSTER_PORTS = { http: 3260, https: 3261, app1: 3262, app2: 3263, pgbouncer: 3264, direct: 3265 } as const;

export type ClusterTarget = { slug: string; cookieValue: string };
type Side = "direct" | "caddy";
type Path = { name: string; path: string; tenant: boolean };
type ClusterRun = {
  side: Side;
  path: string;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  servers: Record<string, number>;
};

export type ClusterBenchOptions = {
  /** The environment the direct server runs with (database URLs, secrets, ROOT_DOMAIN). */
  env: NodeJS.ProcessEnv;
  rootDomain: string;
  targets: ClusterTarget[];
  duration: number;
  warmup: number;
  connections: number;
  rounds: number;
  rateLimitSeconds: number;
  log: (message: string) => void;
  dataDir: string;
};

const trpcInput = (json: unknown) => encodeURIComponent(JSON.stringify({ json }));
const PATHS: Path[] = [
  { name: "invoice.list", path: `/api/trpc/invoice.list?input=${trpcInput({})}`, tenant: true },
  { name: "/api/health", path: "/api/health", tenant: false },
];

/**
 * autocannon connects with `rejectUnauthorized: false` whatever tlsOptions say, so every TLS
 * connection made while the bench runs is checked here instead: the leaf must be signed by the
 * cluster's intermediate (whose SPKI hash the cluster announced), name the host and be in date.
 * Otherwise the socket is destroyed and autocannon counts an error: no request reaches a server
 * that could not prove it is our Caddy.
 */
function pinTls(intermediate: X509Certificate, servername: string) {
  const original = tls.connect;
  const stats = { verified: 0, refused: 0 };
  const check = (socket: tls.TLSSocket) => {
    const peer = socket.getPeerCertificate(false);
    const now = Date.now();
    let ok = false;
    try {
      const leaf = new X509Certificate(peer.raw);
      ok = leaf.verify(intermediate.publicKey) && leaf.checkHost(servername) !== undefined && Date.parse(leaf.validFrom) <= now && now <= Date.parse(leaf.validTo);
    } catch {
      ok = false;
    }
    if (ok) stats.verified++;
    else {
      stats.refused++;
      socket.destroy(new Error("the proxy's certificate is not the cluster's"));
    }
  };
  const patched = ((...args: Parameters<typeof tls.connect>) => {
    const socket = (original as (...a: unknown[]) => tls.TLSSocket)(...args);
    socket.once("secureConnect", () => check(socket));
    return socket;
  }) as typeof tls.connect;
  tls.connect = patched;
  return { stats, restore: () => void (tls.connect = original) };
}

/** Starts serve:cluster as a child in its own process group and waits for its ready line. */
function startCluster(o: ClusterBenchOptions): Promise<{ child: ChildProcess; spki: string[] }> {
  rmSync(o.dataDir, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = {
    ...o.env,
    PORT: undefined,
    PUBLIC_PORT: undefined,
    INTERNAL_URL: undefined,
    SERVER_ID: undefined,
    SECURE_COOKIES: "true",
    CLUSTER_HTTP_PORT: String(CLUSTER_PORTS.http),
    CLUSTER_HTTPS_PORT: String(CLUSTER_PORTS.https),
    CLUSTER_APP1_PORT: String(CLUSTER_PORTS.app1),
    CLUSTER_APP2_PORT: String(CLUSTER_PORTS.app2),
    CLUSTER_PGBOUNCER_PORT: String(CLUSTER_PORTS.pgbouncer),
    CLUSTER_DATA_DIR: o.dataDir,
    // Both sides reach PostgreSQL the same way (directly, prepared), so the ratio is the proxy's and the second server's alone.
    CLUSTER_PGBOUNCER: "false",
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve-cluster.ts"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const logFile = path.join(path.dirname(o.dataDir), "bench-cluster.log");
  const lines: string[] = [];
  const logStream = createWriteStream(logFile);
  child.on("exit", () => logStream.end());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the cluster was not ready within 120 s; see ${logFile}`)), 120_000);
    let rest = "";
    const onData = (chunk: Buffer) => {
      const parts = (rest + chunk.toString("utf8")).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) {
        lines.push(line);
        logStream.write(`${line}\n`);
        const m = /Canopy cluster ready spki=(\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({ child, spki: m[1]!.split(",") });
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the cluster exited (${signal ?? code}) before it was ready:\n${lines.slice(-20).join("\n")}`));
    });
  });
}

/** SIGTERM to serve:cluster (it stops Caddy, the servers and the worker), SIGKILL to its whole group if it lingers. */
async function stopCluster(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 20_000).unref());
  if ((await Promise.race([exited, timeout])) === "timeout") {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // gone
    }
  }
}

async function load(o: ClusterBenchOptions, side: Side, p: Path, seconds: number, servername: string): Promise<Omit<ClusterRun, "round">> {
  const port = side === "caddy" ? CLUSTER_PORTS.https : CLUSTER_PORTS.direct;
  // The session cookie's name follows the server's SECURE_COOKIES: Secure on the HTTPS side only.
  const cookieName = side === "caddy" ? "__Secure-canopy.session-token" : "canopy.session-token";
  const servers: Record<string, number> = {};
  let n = 0;
  const r = await autocannon({
    url: `${side === "caddy" ? "https" : "http"}://127.0.0.1:${port}`,
    connections: o.connections,
    duration: seconds,
    timeout: 10,
    // SNI for Caddy's certificate selection; autocannon sends none to an IP address unless told.
    ...(side === "caddy" ? { servername } : {}),
    requests: [
      {
        method: "GET",
        setupRequest: (req) => {
          const t = o.targets[n++ % o.targets.length]!;
          const host = p.tenant ? `${t.slug}.${o.rootDomain}:${port}` : `${o.rootDomain}:${port}`;
          return { ...req, path: p.path, headers: { ...req.headers, host, ...(p.tenant ? { cookie: `${cookieName}=${t.cookieValue}` } : {}) } };
        },
        onResponse: (_status, _body, _context, headers) => {
          // Caddy forwards the header in Go's canonical case (X-Canopy-Server); the server itself sends it lower-case.
          const id = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "x-canopy-server")?.[1] ?? "(none)";
          servers[id] = (servers[id] ?? 0) + 1;
        },
      },
    ],
  });
  return { side, path: p.name, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts, servers };
}

function rateLimitDecisions(o: ClusterBenchOptions): Promise<RateLimitRun[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "bench/rate-limit-cost.ts"], {
      env: { ...o.env, BENCH_RATE_LIMIT_SECONDS: String(o.rateLimitSeconds) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), (o.rateLimitSeconds * 4 + 30) * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`rate-limit decisions failed (${code}):\n${err.slice(-2000)}`));
      resolve(JSON.parse(line) as RateLimitRun[]);
    });
  });
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const padL = (s: string | number, n: number) => String(s).padStart(n);
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs the comparison and prints its table; throws if a request failed or a server never answered. */
export async function clusterBench(o: ClusterBenchOptions): Promise<void> {
  o.log(`starting the cluster (Caddy https 127.0.0.1:${CLUSTER_PORTS.https}, app servers ${CLUSTER_PORTS.app1} and ${CLUSTER_PORTS.app2}, a worker)…`);
  const { child, spki } = await startCluster(o);
  // Whatever happens next, the cluster's whole process group goes when this process does.
  const killGroup = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // gone
    }
  };
  process.once("exit", killGroup);
  let pin: ReturnType<typeof pinTls> | null = null;
  try {
    const storage = path.join(o.dataDir, "caddy", "data");
    const root = new X509Certificate(readFileSync(caddyRootCertificate(storage)));
    const intermediate = new X509Certificate(readFileSync(caddyIntermediateCertificate(storage)));
    // The files on disk must be the CA the running Caddy announced, and chain to its root.
    if (!spki.includes(spkiHash(intermediate.toString())) || !spki.includes(spkiHash(root.toString()))) throw new Error("Caddy's CA files do not match the cluster's ready line");
    if (!intermediate.verify(root.publicKey)) throw new Error("Caddy's intermediate is not signed by its root");
    o.log(`cluster ready; pinned intermediate spki=${spkiHash(intermediate.toString())}`);
    const servername = o.rootDomain;
    pin = pinTls(intermediate, servername);

    const runs: ClusterRun[] = [];
    // Warm both sides (route bundles, JIT, Caddy's connections to the upstreams) before measuring.
    for (const p of PATHS) for (const side of ["direct", "caddy"] as const) await load(o, side, p, o.warmup * 2, servername);
    for (let round = 1; round <= o.rounds; round++) {
      for (const p of PATHS) {
        // Alternating order per round, so a drift of the machine's load hits both sides alike.
        const order: Side[] = round % 2 ? ["direct", "caddy"] : ["caddy", "direct"];
        for (const side of order) {
          await load(o, side, p, o.warmup, servername);
          const r = { ...(await load(o, side, p, o.duration, servername)), round };
          runs.push(r);
          o.log(`#${round} ${side} ${p.name}: ${r.rps} rps, p50 ${r.p50} ms, p99 ${r.p99} ms, servers ${JSON.stringify(r.servers)}${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ""}`);
        }
      }
    }
    const tlsStats = { ...pin.stats };
    pin.restore();
    pin = null;

    o.log("API budget decisions per second…");
    const decisions = await rateLimitDecisions(o);

    console.log(`\nThrough Caddy (HTTPS, round robin over two servers) vs one server direct (HTTP); ${o.connections} connections, ${o.duration} s per run after ${o.warmup} s warm-up, ${o.rounds} rounds in alternating order`);
    console.log(`${pad("path", 14)}${pad("side", 8)}${pad("run", 4)}${padL("rps", 7)}${padL("p50 ms", 8)}${padL("p99 ms", 8)}${padL("requests", 10)}${padL("failed", 8)}  answered by`);
    for (const r of runs) {
      const by = Object.entries(r.servers)
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
      console.log(`${pad(r.path, 14)}${pad(r.side, 8)}${pad(r.round, 4)}${padL(r.rps, 7)}${padL(r.p50, 8)}${padL(r.p99, 8)}${padL(r.requests, 10)}${padL(r.non2xx + r.errors, 8)}  ${by}`);
    }
    console.log("\nThe proxy's cost per request: through Caddy / direct (medians over the rounds; per round in brackets)");
    console.log(`${pad("path", 14)}${padL("rps ratio", 11)}${padL("p50 ratio", 11)}${padL("p99 ratio", 11)}   rps direct → caddy, p50 ms, p99 ms`);
    for (const p of PATHS) {
      const side = (s: Side) => runs.filter((r) => r.path === p.name && r.side === s);
      const d = side("direct");
      const c = side("caddy");
      const perRound = (of: (r: ClusterRun) => number) => c.map((cr) => of(cr) / of(d.find((dr) => dr.round === cr.round)!));
      const cell = (xs: number[]) => `${fmt(median(xs))} [${xs.map((x) => fmt(x)).join(" ")}]`;
      const m = (xs: ClusterRun[], of: (r: ClusterRun) => number) => median(xs.map(of));
      console.log(
        `${pad(p.name, 14)}  rps ${cell(perRound((r) => r.rps))}  p50 ${cell(perRound((r) => r.p50))}  p99 ${cell(perRound((r) => r.p99))}   ${fmt(m(d, (r) => r.rps), 0)} → ${fmt(m(c, (r) => r.rps), 0)}, ${fmt(m(d, (r) => r.p50), 1)} → ${fmt(m(c, (r) => r.p50), 1)}, ${fmt(m(d, (r) => r.p99), 1)} → ${fmt(m(c, (r) => r.p99), 1)}`,
      );
    }

    const failed = runs.reduce((s, r) => s + r.non2xx + r.errors, 0);
    const caddyServers = new Map<string, number>();
    for (const r of runs.filter((x) => x.side === "caddy")) for (const [k, v] of Object.entries(r.servers)) caddyServers.set(k, (caddyServers.get(k) ?? 0) + v);
    const both = ["app-1", "app-2"].every((id) => (caddyServers.get(id) ?? 0) > 0);
    console.log(`\nChecks: failed requests (non-2xx, errors, timeouts) over every run: ${failed} ${failed === 0 ? "(ok)" : "(FAILED)"}`);
    console.log(`        through Caddy, answered by ${[...caddyServers].map(([k, v]) => `${k} ${v}`).join(", ")}: ${both ? "both servers answered (ok)" : "NOT both servers (FAILED)"}`);
    console.log(`        TLS connections to Caddy checked against the pinned intermediate: ${tlsStats.verified} verified, ${tlsStats.refused} refused`);

    console.log(`\nAPI budget decisions per second (take() called in a loop for ${o.rateLimitSeconds} s, 1,000 keys, each a charge of 1)`);
    for (const r of decisions) console.log(`  ${pad(r.store, 34)} ${padL(r.inFlight, 2)} in flight: ${padL(fmt(r.perSecond, 0), 9)} decisions/s (${r.decisions} in ${fmt(r.seconds, 1)} s)`);
    for (const inFlight of [1, 16]) {
      const mem = decisions.find((r) => r.inFlight === inFlight && r.store.startsWith("in process"));
      const pg = decisions.find((r) => r.inFlight === inFlight && r.store.startsWith("PostgreSQL"));
      if (mem && pg) console.log(`  PostgreSQL / in process, ${padL(inFlight, 2)} in flight: ${fmt(pg.perSecond / mem.perSecond, 4)} (in process is ${fmt(mem.perSecond / pg.perSecond, 0)}× as many)`);
    }

    if (failed > 0) throw new Error(`${failed} requests failed`);
    if (!both) throw new Error("through Caddy, not both servers answered");
    if (tlsStats.refused > 0) throw new Error(`${tlsStats.refused} TLS connections presented a certificate the cluster's CA did not sign`);
  } finally {
    pin?.restore();
    o.log("stopping the cluster…");
    await stopCluster(child);
    killGroup();
    process.off("exit", killGroup);
  }
}

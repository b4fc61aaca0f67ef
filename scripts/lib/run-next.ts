import { spawn } from "node:child_process";
import path from "node:path";
import type { LocalPostgres } from "./embedded-postgres";

/**
 * Old-generation limit for the production server, in MB. Without one, V8 sizes the heap from the
 * machine's memory and lets it grow to several times the live set before a full collection, so the
 * process holds far more memory than it uses. With a limit V8 collects earlier; this one leaves
 * ample headroom over the live set the bench sees (docs/performance.md, memory). Set
 * `--max-old-space-size` in NODE_OPTIONS to choose another.
 */
export const SERVER_MAX_OLD_SPACE_MB = 256;

/** Node flags for the production server. An operator's own limit in NODE_OPTIONS wins (it would lose to a CLI flag). */
export function serverNodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  if (/--max[-_]old[-_]space[-_]size/.test(env.NODE_OPTIONS ?? "")) return [];
  return [`--max-old-space-size=${SERVER_MAX_OLD_SPACE_MB}`];
}

/**
 * The server entry every start path goes through: Next's custom server with the client address
 * computed from the socket and TRUSTED_PROXIES in front (scripts/serve.mjs, docs/architecture.md).
 */
export const SERVER_ENTRY = "scripts/serve.mjs";

/**
 * `node <flags> scripts/serve.mjs <start|dev> --hostname <h> --port <p>`, as arguments for
 * process.execPath. "localhost" by default: see "Why the server binds to localhost" in the docs.
 */
export function serverArgs(mode: "start" | "dev", opts: { hostname?: string; port: string | number; env?: NodeJS.ProcessEnv }): string[] {
  // Only the production server: the dev server compiles on demand and needs more room.
  const flags = mode === "start" ? serverNodeFlags(opts.env) : [];
  return [...flags, path.resolve(process.cwd(), SERVER_ENTRY), mode, "--hostname", opts.hostname ?? "localhost", "--port", String(opts.port)];
}

/** Runs the web server with the prepared environment and stops the embedded database after it. */
export function runServer(mode: "start" | "dev", opts: { hostname?: string; port: string }, env: NodeJS.ProcessEnv, pg: LocalPostgres | null, run: { worker?: boolean } = {}): void {
  const child = spawn(process.execPath, serverArgs(mode, { ...opts, env }), { env, stdio: "inherit" });
  // The job worker beside the web server (server-only modules need the react-server condition).
  const worker = run.worker
    ? spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], { env, stdio: "inherit" })
    : null;
  const stop = (signal: NodeJS.Signals) => {
    worker?.kill(signal);
    child.kill(signal);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code) => {
    worker?.kill("SIGTERM");
    void (pg ? pg.stop() : Promise.resolve()).finally(() => process.exit(code ?? 0));
  });
}

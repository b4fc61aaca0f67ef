import { spawn } from "node:child_process";
import path from "node:path";
import type { LocalPostgres } from "./embedded-postgres";

/** Runs the Next CLI with the prepared environment and stops the embedded database after it. */
export function runNext(args: string[], env: NodeJS.ProcessEnv, pg: LocalPostgres | null, opts: { worker?: boolean } = {}): void {
  const bin = path.resolve(process.cwd(), "node_modules/next/dist/bin/next");
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: "inherit" });
  // The job worker beside the web server (server-only modules need the react-server condition).
  const worker = opts.worker
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

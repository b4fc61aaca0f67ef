import { spawn } from "node:child_process";
import path from "node:path";
import type { LocalPostgres } from "./embedded-postgres";

/** Runs the Next CLI with the prepared environment and stops the embedded database after it. */
export function runNext(args: string[], env: NodeJS.ProcessEnv, pg: LocalPostgres | null): void {
  const bin = path.resolve(process.cwd(), "node_modules/next/dist/bin/next");
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: "inherit" });
  const stop = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code) => {
    void (pg ? pg.stop() : Promise.resolve()).finally(() => process.exit(code ?? 0));
  });
}

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Whether `.next` holds a finished production build. A failed `next build` leaves BUILD_ID and a
 * partial tree behind, and `next start` on it dies on the first missing manifest; Next lists the
 * files its server needs in required-server-files.json, written before the build's last steps.
 */
export function hasCompleteBuild(dir = process.cwd()): boolean {
  const dist = path.join(dir, ".next");
  const manifest = path.join(dist, "required-server-files.json");
  if (!existsSync(path.join(dist, "BUILD_ID")) || !existsSync(manifest)) return false;
  try {
    const { files } = JSON.parse(readFileSync(manifest, "utf8")) as { files?: unknown };
    return Array.isArray(files) && files.every((file) => typeof file === "string" && existsSync(path.resolve(dir, file)));
  } catch {
    return false;
  }
}

/**
 * `next build`, which needs no configuration and no database. Next's anonymous telemetry is off
 * unless NEXT_TELEMETRY_DISABLED is set (to anything, "" included) by the caller.
 */
export function nextBuild(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const bin = path.resolve(process.cwd(), "node_modules/next/dist/bin/next");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "build"], { env: { ...env, NEXT_TELEMETRY_DISABLED: env.NEXT_TELEMETRY_DISABLED ?? "1" }, stdio: "inherit" });
    child.on("error", () => resolve(false));
    child.on("exit", (code) => resolve(code === 0));
  });
}

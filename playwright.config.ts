import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { serverArgs } from "./scripts/lib/run-next";

const port = process.env.E2E_PORT ?? "3100";
const root = process.env.ROOT_DOMAIN ?? "canopy.localhost";
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const e2e = {
  port,
  root,
  url: (sub: string | null, path = "/") => `http://${sub ? `${sub}.` : ""}${root}:${port}${path}`,
  customUrl: (host: string, path = "/") => `http://${host}:${port}${path}`,
};

/** Debian's Chromium (Playwright cannot download its own browser here), with the flags every spec runs under. */
export function chromiumLaunch(extraArgs: string[] = []) {
  return {
    executablePath: existsSync(chromium) ? chromium : undefined,
    args: [
      "--host-resolver-rules=MAP *.test 127.0.0.1",
      ...extraArgs,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  };
}

export default defineConfig({
  testDir: "./e2e",
  // Generous: CI shares two cores between the build, the server, PostgreSQL and the browser.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json"]],
  use: {
    trace: "retain-on-failure",
    launchOptions: chromiumLaunch(),
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    { name: "chromium", testIgnore: /.*\.setup\.ts/, dependencies: ["setup"] },
  ],
  webServer: {
    // The production server as `npm start` runs it (server entry, heap limit), so e2e tests that too.
    command: ["node", ...serverArgs("start", { port })].join(" "),
    url: `http://localhost:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});

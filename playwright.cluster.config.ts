import { defineConfig } from "@playwright/test";
import { chromiumLaunch } from "./playwright.config";

/*
 * The deployment recipe end to end (`npm run serve:cluster`, docs/deploy.md): Chromium talks HTTPS
 * to Caddy, which balances over two production servers. Run by `npm test` as its own stage.
 */

const root = process.env.ROOT_DOMAIN ?? "canopy.localhost";
const httpsPort = process.env.CLUSTER_HTTPS_PORT ?? "3243";
const httpPort = process.env.CLUSTER_HTTP_PORT ?? "3242";

export const cluster = {
  root,
  appPorts: [process.env.CLUSTER_APP1_PORT ?? "3244", process.env.CLUSTER_APP2_PORT ?? "3245"],
  url: (sub: string | null, path = "/") => `https://${sub ? `${sub}.` : ""}${root}:${httpsPort}${path}`,
  httpUrl: (sub: string | null, path = "/") => `http://${sub ? `${sub}.` : ""}${root}:${httpPort}${path}`,
  customUrl: (host: string, path = "/") => `https://${host}:${httpsPort}${path}`,
};

/*
 * serve-cluster prints the SPKI hashes of Caddy's local CA (root and intermediate) once it is up;
 * Playwright stores the match in CLUSTER_SPKI before the workers start. Chromium then accepts
 * certificates from that CA alone: any other certificate error still fails the test.
 */
const spki = process.env.CLUSTER_SPKI;

export default defineConfig({
  testDir: "./e2e-cluster",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One worker: the specs share two servers on a two-core CI machine, and some count what both servers did.
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json"]],
  outputDir: "test-results-cluster",
  use: {
    trace: "retain-on-failure",
    launchOptions: chromiumLaunch(spki ? [`--ignore-certificate-errors-spki-list=${spki}`] : []),
  },
  webServer: {
    command: "node_modules/.bin/tsx scripts/serve-cluster.ts",
    wait: { stdout: /Canopy cluster ready spki=(?<cluster_spki>\S+)/ },
    timeout: 180_000,
    reuseExistingServer: false,
    // SIGTERM: serve-cluster stops Caddy, the servers, the worker, PgBouncer and its database in order.
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    stdout: "ignore",
    stderr: "pipe",
  },
});

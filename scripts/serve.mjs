// @ts-check
/**
 * The web server: `npm start`, `npm run dev`, Playwright's webServer and the bench all run
 *
 *   node scripts/serve.mjs <start|dev> [--hostname localhost] [--port 3000]
 *
 * It is Next's documented custom server (`next({ dev, hostname, port })`, `app.prepare()`,
 * `http.createServer` → `app.getRequestHandler()`) with one step in front of Next: the client
 * address. Next keeps a client-sent X-Forwarded-For as it is and adds the socket's address only
 * when the header is missing, so behind `next start` any client can name its own address. Here
 * every request's X-Forwarded-For is replaced by the one address computed from the socket and
 * TRUSTED_PROXIES (lib/client-address.mjs), and X-Real-IP is dropped, before Next sees it.
 *
 * Plain JavaScript, so production needs no build step for it and no TypeScript loader.
 */
import http from "node:http";
import { applyClientAddress, isTrustedPeer, markClientAddressTrusted, parseTrustedProxies } from "../lib/client-address.mjs";
import { log } from "../lib/log.mjs";
import { REQUEST_ID_HEADER, requestIdFor, runInRequest } from "../lib/request-context.mjs";

const [mode, ...rest] = process.argv.slice(2);
if (mode !== "start" && mode !== "dev") {
  console.error("usage: node scripts/serve.mjs <start|dev> [--hostname <name>] [--port <port>]");
  process.exit(2);
}
/** @param {string} name */
const option = (name) => {
  const at = rest.indexOf(name);
  return at >= 0 ? rest[at + 1] : undefined;
};
const dev = mode === "dev";
const hostname = option("--hostname") ?? "localhost";
const port = Number(option("--port") ?? process.env.PORT ?? 3000);

// As the Next CLI does, before Next (and React, which picks its build from NODE_ENV) is loaded.
process.env.NODE_ENV ??= dev ? "development" : "production";
process.env.NEXT_RUNTIME = "nodejs";

let trusted;
try {
  trusted = parseTrustedProxies(process.env.TRUSTED_PROXIES);
} catch (error) {
  // The same one line as lib/env.ts, which validates the setting too (the app loads it later).
  console.error(`Invalid configuration: TRUSTED_PROXIES ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

/*
 * SERVER_ID names this process in an `X-Canopy-Server` response header, so an operator (and the
 * cluster's e2e tests) can see which server behind the load balancer answered. A plain label, not
 * an address: the header tells a client nothing about the internal network.
 */
const serverId = process.env.SERVER_ID;
if (serverId !== undefined && !/^[A-Za-z0-9._-]{1,32}$/.test(serverId)) {
  console.error("Invalid configuration: SERVER_ID must be 1-32 letters, digits, dots, dashes or underscores");
  process.exit(1);
}

const { default: next } = await import("next");
const server = http.createServer();
const app = next({ dev, hostname, port, httpServer: server });
const handle = app.getRequestHandler();
await app.prepare();
markClientAddressTrusted();

server.on("request", (req, res) => {
  const requestId = requestIdFor(req.headers[REQUEST_ID_HEADER], isTrustedPeer(req.socket.remoteAddress, trusted));
  applyClientAddress(req, trusted);
  if (serverId) res.setHeader("x-canopy-server", serverId);
  // The app sees the id we chose, never a client's own; the client gets it back to quote in a report.
  req.headers[REQUEST_ID_HEADER] = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  void runInRequest({ requestId }, () =>
    handle(req, res).catch((/** @type {unknown} */ error) => {
      log.error("request failed", { url: req.url, error });
      if (!res.headersSent) res.statusCode = 500;
      res.end("Internal Server Error");
    }),
  );
});

// Registered before Next's own upgrade listener (added on the first request): the dev server's HMR socket.
server.on("upgrade", (req) => applyClientAddress(req, trusted));

server.on("error", (error) => {
  log.error("server failed to start", { error });
  process.exit(1);
});

server.listen(port, hostname, () => {
  console.log(`> Canopy (${mode}) listening on http://${hostname}:${port}${trusted.length ? `, trusting X-Forwarded-For from ${process.env.TRUSTED_PROXIES}` : ""}`);
});

let stopping = false;
/** @param {NodeJS.Signals} signal */
function stop(signal) {
  if (stopping) return;
  stopping = true;
  // Stop accepting connections, let requests in flight finish, then let Next clean up.
  const code = signal === "SIGINT" ? 130 : 143;
  setTimeout(() => process.exit(code), 10_000).unref();
  server.close(() => {
    void app.close().finally(() => process.exit(code));
  });
  if (dev) server.closeAllConnections();
  else server.closeIdleConnections();
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

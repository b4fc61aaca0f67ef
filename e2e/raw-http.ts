import { lookup } from "node:dns/promises";
import http from "node:http";
import { test } from "@playwright/test";
import { e2e } from "../playwright.config";

export type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** The server's own address: `localhost` as the server resolved it when it bound. */
export const serverAddress = lookup("localhost");

/** One HTTP request from `from` (a loopback source address) to the server, with an explicit Host. */
export async function send(opts: { from?: string; host: string; method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  const { address } = await serverAddress;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: address, port: Number(e2e.port), localAddress: opts.from, method: opts.method ?? "GET", path: opts.path, agent: false, headers: { host: opts.host, ...opts.headers } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/**
 * A loopback source address other than 127.0.0.1 (all of 127/8 is routed to lo on Linux), so a
 * spec's floods never touch the budgets of the others; a skip where the server listens on IPv6 only.
 */
export async function strangerAddress(n: number): Promise<string> {
  const { address } = await serverAddress;
  test.skip(!address.startsWith("127."), `the server listens on ${address}: a second client address needs IPv4 loopback`);
  return `127.0.0.${n}`;
}

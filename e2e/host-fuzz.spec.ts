import { readFileSync } from "node:fs";
import http from "node:http";
import { expect, test } from "@playwright/test";
import fc from "fast-check";
import { e2e } from "../playwright.config";

/** A raw request with any Host header (browsers and fetch would refuse most of these). */
function get(host: string, path: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: Number(e2e.port), path, method: "GET", headers: { host, cookie }, timeout: 15_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

const hostArbitrary = fc.oneof(
  fc.domain(),
  fc.string({ maxLength: 80 }).filter((s) => /^[\x21-\x7e]*$/.test(s)),
  fc.constantFrom(`ACME.${e2e.root}`, `acme.${e2e.root}.`, `acme.${e2e.root}:${e2e.port}`, `a.b.${e2e.root}`, `xn--acme.${e2e.root}`, `admin.${e2e.root}`, `[::1]`, `acme.${e2e.root}@evil.test`, `evil.test#acme.${e2e.root}`),
  fc.tuple(fc.domain(), fc.integer({ min: 0, max: 99999 })).map(([d, p]) => `${d}:${p}`),
);

test("fuzzed Host headers never cause a 500 and never show a tenant's data on a host that is not theirs", async () => {
  const state = JSON.parse(readFileSync("e2e/.auth/acme-owner.json", "utf8")) as { cookies: { name: string; value: string }[] };
  const cookie = state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const acmeHosts = new Set([`acme.${e2e.root}`, "billing.acme.test"]);
  await fc.assert(
    fc.asyncProperty(hostArbitrary, fc.constantFrom("/", "/projects", "/api/trpc/project.list"), async (host, path) => {
      const res = await get(host, path, cookie);
      expect(res.status, `${host} ${path}`).toBeLessThan(500);
      const normalized = host.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
      if (!acmeHosts.has(normalized)) expect(res.body, `${host} ${path}`).not.toContain("Website redesign");
    }),
    { numRuns: 250, seed: 7 },
  );
});

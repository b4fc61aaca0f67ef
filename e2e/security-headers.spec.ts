import { readFileSync } from "node:fs";
import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";

type Raw = { status: number; headers: Map<string, string[]>; body: string };

/** A request as a browser would send it to `host`, without Node resolving *.localhost; every header line kept (duplicates too). */
function get(host: string, path: string, cookie = ""): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: Number(e2e.port), path, headers: { host: `${host}:${e2e.port}`, cookie }, timeout: 15_000 }, (res) => {
      const headers = new Map<string, string[]>();
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        const key = res.rawHeaders[i]!.toLowerCase();
        headers.set(key, [...(headers.get(key) ?? []), res.rawHeaders[i + 1]!]);
      }
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

const one = (res: Raw, name: string) => {
  const values = res.headers.get(name) ?? [];
  expect(values, `${name}: exactly one`).toHaveLength(1);
  return values[0]!;
};

const ownerCookie = () =>
  (JSON.parse(readFileSync("e2e/.auth/acme-owner.json", "utf8")) as { cookies: { name: string; value: string }[] }).cookies.map((c) => `${c.name}=${c.value}`).join("; ");

const acme = `acme.${e2e.root}`;
const NONCE = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'(;|$)/;

test.describe("security headers", () => {
  test("every kind of response carries them, pages with a fresh nonce, and no HSTS without secure cookies", async () => {
    const cookie = ownerCookie();
    const invoices = await get(acme, "/invoices", cookie);
    const invoiceId = /\/invoices\/([0-9a-f-]{36})/.exec(invoices.body)?.[1];
    const chunk = /src="(\/_next\/static\/[^"]+\.js)"/.exec(invoices.body)?.[1];
    expect(invoiceId && chunk).toBeTruthy();

    const cases: { name: string; host: string; path: string; status: number; type: RegExp; page: boolean; cookie?: string }[] = [
      { name: "workspace page", host: acme, path: "/", status: 200, type: /text\/html/, page: true, cookie },
      { name: "sign-in page", host: e2e.root, path: "/signin", status: 200, type: /text\/html/, page: true },
      { name: "404 page", host: acme, path: "/no-such-page", status: 404, type: /text\/html/, page: true, cookie },
      { name: "middleware status page (unknown workspace)", host: `nobody-here.${e2e.root}`, path: "/", status: 404, type: /text\/html/, page: true },
      { name: "middleware status page (internal tree)", host: acme, path: "/s/tenant", status: 404, type: /text\/html/, page: true },
      { name: "tRPC", host: acme, path: "/api/trpc/tenant.current", status: 200, type: /application\/json/, page: false, cookie },
      { name: "tRPC refused", host: acme, path: "/api/trpc/tenant.current", status: 401, type: /application\/json/, page: false },
      { name: "invoice PDF", host: acme, path: `/api/invoices/${invoiceId}/pdf`, status: 200, type: /application\/pdf/, page: false, cookie },
      { name: "invoice CSV", host: acme, path: "/api/invoices/export", status: 200, type: /text\/csv/, page: false, cookie },
      // Outside the middleware's matcher: only next.config.ts headers() reach these.
      { name: "health", host: "localhost", path: "/api/health", status: 200, type: /application\/json/, page: false },
      { name: "TLS ask", host: "localhost", path: "/api/tls/ask?domain=nowhere.test", status: 404, type: /./, page: false },
      { name: "static chunk", host: acme, path: chunk!, status: 200, type: /javascript/, page: false },
    ];
    const nonces = new Set<string>();
    for (const c of cases) {
      const res = await get(c.host, c.path, c.cookie);
      await test.step(c.name, () => {
        expect(res.status).toBe(c.status);
        expect(one(res, "content-type")).toMatch(c.type);
        expect(one(res, "x-content-type-options")).toBe("nosniff");
        expect(one(res, "referrer-policy")).toBe("strict-origin-when-cross-origin");
        expect(one(res, "x-frame-options")).toBe("DENY");
        const csp = one(res, "content-security-policy");
        expect(csp).toContain("frame-ancestors 'none'");
        // The e2e server runs with SECURE_COOKIES=false (plain HTTP): no HSTS. The secure case is unit-tested.
        expect(res.headers.has("strict-transport-security")).toBe(false);
        if (c.page) {
          const nonce = NONCE.exec(csp)?.[1];
          expect(nonce, csp).toBeTruthy();
          nonces.add(nonce!);
          expect(csp).not.toContain("unsafe-eval");
          expect(csp).toContain("object-src 'none'");
          expect(csp).toContain("base-uri 'self'");
          expect(csp).toContain("form-action 'self'");
          // Every script the server rendered carries this response's nonce; nothing runs without it.
          for (const tag of res.body.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
        } else {
          expect(csp).toBe("default-src 'none'; frame-ancestors 'none'");
        }
      });
    }
    expect(nonces.size, "a new nonce per response").toBe(cases.filter((c) => c.page).length);
  });

  test("a client cannot choose the nonce by sending its own Content-Security-Policy", async () => {
    const res = await new Promise<Raw>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port: Number(e2e.port), path: "/signin", headers: { host: `${e2e.root}:${e2e.port}`, "content-security-policy": "script-src 'nonce-attacker'" } },
        (r) => {
          let body = "";
          r.setEncoding("utf8");
          r.on("data", (c: string) => (body += c));
          r.on("end", () => resolve({ status: r.statusCode ?? 0, headers: new Map(), body }));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(res.status).toBe(200);
    expect(res.body).not.toContain("nonce-attacker");
    expect(res.body).not.toContain('nonce="attacker"');
  });

  test("the hand-off keeps its own no-referrer policy on the response that carries the token", async ({ page }) => {
    await signIn(page, e2e.url(null, "/signin"));
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    const complete = page.waitForResponse((r) => r.url().includes("/handoff/complete"));
    await page.goto(e2e.customUrl("billing.acme.test", "/signin"));
    await page.getByRole("button", { name: "Continue with your Canopy account" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    const headers = await (await complete).allHeaders();
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
  });
});

async function signIn(page: Page, url: string) {
  await page.goto(url);
  await page.getByLabel("Email").fill("owner@acme.test");
  await page.getByLabel("Password").fill("canopy-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Fails the test on any CSP report: console messages from the browser and the page's securitypolicyviolation events. */
async function watchCsp(page: Page) {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/content security policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => violations.push(`pageerror: ${e.message}`));
  await page.exposeFunction("__reportCsp", (v: string) => violations.push(v));
  // Init scripts are injected by the browser, outside the page's policy.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCsp: (v: string) => void }).__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return violations;
}

test.describe("pages under the CSP", () => {
  test("sign-in, the dashboard chart and workspace pages hydrate with no CSP violation", async ({ page }) => {
    const violations = await watchCsp(page);

    // Sign in on acme's subdomain and come back to the invoices list.
    await signIn(page, e2e.url("acme", "/signin?callbackUrl=%2Finvoices"));
    await expect(page).toHaveURL(e2e.url("acme", "/invoices"));
    await expect(page.getByTestId("invoice-row").first()).toBeVisible();

    // The dashboard's recharts chart renders (client-side SVG) and its styles apply.
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Dashboard" }).click();
    await expect(page.locator(".recharts-surface").first()).toBeVisible();
    await expect(page.locator(".recharts-rectangle").first()).toBeVisible();
    // Tailwind's stylesheet loaded: the tenant name is not in the browser's default font weight.
    expect(await page.getByTestId("tenant-name").evaluate((el) => getComputedStyle(el).fontWeight)).not.toBe("400");
    await page.screenshot({ path: test.info().outputPath("dashboard-under-csp.png"), fullPage: true });

    // Client-side navigation (RSC fetches) and an interactive page.
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Projects" }).click();
    await expect(page).toHaveURL(/\/projects/);
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Invoices" }).click();
    await page.getByTestId("invoice-row").first().getByRole("link").first().click();
    await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
    await page.goto(e2e.url("acme", "/no-such-page"));
    // The workspace's own 404 keeps the shell; its Dashboard link goes back client-side.
    const notFound = page.getByTestId("workspace-not-found");
    await expect(notFound).toBeVisible();
    await notFound.getByRole("link", { name: "Dashboard" }).click();
    await expect(page.locator(".recharts-surface").first()).toBeVisible();

    expect(violations).toEqual([]);
  });
});

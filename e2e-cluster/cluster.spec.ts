import { expect, test, type Browser, type Page, type Response } from "@playwright/test";
import { cluster } from "../playwright.cluster.config";
import { signIn } from "../e2e/sign-in";
import { trpcMutation } from "../e2e/trpc-request";

/*
 * Through Caddy over HTTPS, with two app servers behind it. Every response carries the answering
 * server's id (X-Canopy-Server, from SERVER_ID in scripts/serve.mjs), so a spec can tell which one
 * served it.
 */

const PASSWORD = "canopy-demo";
const HSTS = "max-age=63072000; includeSubDomains";
const unique = () => Math.random().toString(36).slice(2, 8);

/** Fresh browser state: no cookies, no HSTS memory. */
async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/** The servers that answered this page's requests, as they happen. */
function watchServers(page: Page): Set<string> {
  const seen = new Set<string>();
  page.on("response", (res: Response) => {
    const id = res.headers()["x-canopy-server"];
    if (id) seen.add(id);
  });
  return seen;
}

/** `count` same-origin GETs from the page: each one's status and answering server. */
async function fetchMany(page: Page, path: string, count: number): Promise<{ status: number; server: string | null }[]> {
  return page.evaluate(
    async ({ path, count }) => {
      const replies = [];
      for (let i = 0; i < count; i++) {
        const res = await fetch(path, { cache: "no-store" });
        replies.push({ status: res.status, server: res.headers.get("x-canopy-server") });
      }
      return replies;
    },
    { path, count },
  );
}

/**
 * Requests until both servers have answered (at most 10 rounds of 4). Caddy takes a server out of
 * the rotation for a moment when a health check is slow on a loaded machine; every reply is kept,
 * so a caller can check all of them, whichever server gave them.
 */
async function fetchFromBoth(page: Page, path: string): Promise<{ status: number; server: string | null }[]> {
  const replies: { status: number; server: string | null }[] = [];
  for (let round = 0; round < 10; round++) {
    replies.push(...(await fetchMany(page, path, 4)));
    if (new Set(replies.map((r) => r.server)).size >= 2) break;
    await page.waitForTimeout(500);
  }
  return replies;
}

test.describe("cluster behind Caddy", () => {
  test("sign-in over HTTPS sets only Secure cookies, __Host- where host-only and __Secure- where Domain-scoped", async ({ browser }) => {
    const page = await freshPage(browser);
    const servers = watchServers(page);
    const res = await page.goto(cluster.url("acme", "/signin"));
    expect(res?.url()).toMatch(/^https:/);
    expect(res?.headers()["strict-transport-security"]).toBe(HSTS);
    await page.getByLabel("Email").fill("owner@acme.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");

    const cookies = await page.context().cookies();
    const byName = Object.fromEntries(cookies.map((c) => [c.name, c]));
    // One sign-in for the root family: the session is Domain-scoped, so it can only be __Secure-.
    expect(byName["__Secure-canopy.session-token"]).toMatchObject({ domain: `.${cluster.root}`, path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
    // next-auth's CSRF token is host-only: __Host- (the browser refuses it with a Domain or another Path).
    expect(byName["__Host-canopy.csrf-token"]).toMatchObject({ domain: `acme.${cluster.root}`, path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
    // The device cookie is read at /api/auth only, so it cannot be __Host- (that needs Path=/).
    expect(byName["__Secure-canopy.device"]).toMatchObject({ domain: `.${cluster.root}`, path: "/api/auth", secure: true, httpOnly: true, sameSite: "Strict" });
    for (const cookie of cookies) {
      expect(cookie.secure, cookie.name).toBe(true);
      expect(cookie.name, "every cookie carries a prefix the browser enforces").toMatch(/^__(Host|Secure)-canopy\./);
      if (cookie.name.startsWith("__Host-")) {
        expect(cookie.domain.startsWith("."), `${cookie.name} is host-only`).toBe(false);
        expect(cookie.path, cookie.name).toBe("/");
      }
    }
    expect(servers.size).toBeGreaterThan(0);
    await page.context().close();
  });

  test("an invoice is drafted, sent and paid over HTTPS, served by both servers", async ({ browser }) => {
    const page = await freshPage(browser);
    const servers = watchServers(page);
    await signIn(page, cluster.url("acme", "/signin"), "owner@acme.test");
    const customer = `Cluster customer ${unique()}`;
    await page.goto(cluster.url("acme", "/invoices/new"));
    await page.getByLabel("Customer name").fill(customer);
    await page.getByLabel("Customer email").fill("ap@cluster.test");
    await page.getByLabel("Currency").selectOption("EUR");
    const line = page.getByRole("listitem", { name: "Line 1", exact: true });
    await line.getByLabel("Line 1 description").fill("Load balancing");
    await line.getByLabel("Quantity").fill("3");
    await line.getByLabel("Unit price").fill("40");
    await line.getByLabel("Tax %").fill("0");
    await page.getByRole("button", { name: "Create draft" }).click();
    await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
    const number = (await page.getByTestId("invoice-number").textContent()) ?? "";
    await expect(page.getByTestId("invoice-total")).toHaveText("€120.00");

    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByRole("dialog", { name: `Send ${number}?` }).getByRole("button", { name: "Send invoice" }).click();
    await expect(page.getByText(`${number} sent to ap@cluster.test`)).toBeVisible();
    await page.getByRole("button", { name: "Mark paid" }).click();
    const paid = page.getByRole("dialog", { name: `Mark ${number} paid` });
    await paid.getByLabel("Payment method").selectOption({ label: "Card" });
    await paid.getByRole("button", { name: "Mark paid" }).click();
    await expect(page.getByText(`${number} marked paid`)).toBeVisible();

    // Reloaded, the invoice reads back the same from whichever server answers.
    await page.reload();
    await expect(page.getByTestId("invoice-payment-method")).toHaveText("Card");
    expect([...servers].sort()).toEqual(["app-1", "app-2"]);
    await page.context().close();
  });

  test("requests are spread round robin over both servers", async ({ browser }) => {
    const page = await freshPage(browser);
    // Once the page has settled, only these requests take turns.
    await page.goto(cluster.url(null, "/signin"), { waitUntil: "networkidle" });
    const replies = await fetchMany(page, "/api/health", 8);
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const counts = replies.reduce<Record<string, number>>((acc, r) => ({ ...acc, [String(r.server)]: (acc[String(r.server)] ?? 0) + 1 }), {});
    expect(Object.keys(counts).sort()).toEqual(["app-1", "app-2"]);
    // Round robin: neither server took more than its turn (give or take the browser's own favicon request).
    expect(Math.min(...Object.values(counts))).toBeGreaterThanOrEqual(3);
    await page.context().close();
  });

  test("http:// is redirected to https://, and every HTTPS answer carries HSTS", async ({ browser }) => {
    const page = await freshPage(browser);
    const res = await page.goto(cluster.httpUrl("acme", "/signin?next=%2Finvoices"));
    const first = res?.request().redirectedFrom();
    expect(first?.url()).toBe(cluster.httpUrl("acme", "/signin?next=%2Finvoices"));
    expect((await first?.response())?.status()).toBe(308);
    expect(page.url()).toBe(cluster.url("acme", "/signin?next=%2Finvoices"));
    expect(res?.headers()["strict-transport-security"]).toBe(HSTS);
    // Also where the app's middleware does not run (health, static files): Caddy sets it.
    const health = await page.goto(cluster.url(null, "/api/health"));
    expect(health?.headers()["strict-transport-security"]).toBe(HSTS);
    await page.context().close();
  });

  test("a tenant suspended through the admin API is refused by both servers within a second", async ({ browser }) => {
    const admin = await freshPage(browser);
    await signIn(admin, cluster.url("admin", "/signin"), "admin@canopy.test");
    const slug = `cl-${unique()}`;
    const created = await trpcMutation<{ id: string }>(admin, "admin.tenants.create", { name: `Cluster ${slug}`, slug, owner: { kind: "existing", email: "member@globex.test" }, plan: "free" });

    const visitor = await freshPage(browser);
    await visitor.goto(cluster.url(slug, "/signin"));
    // Both servers have the tenant in their caches (middleware and directory) before it is suspended.
    const before = await fetchFromBoth(visitor, "/signin");
    expect(new Set(before.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(before.map((r) => r.server))).toEqual(new Set(["app-1", "app-2"]));

    await trpcMutation(admin, "admin.tenants.suspend", { id: created.id });
    // The documented bound: the middleware's host cache lives 1 s, the directory cache hears the change at once.
    await visitor.waitForTimeout(1_000);
    // From here on every answer, from either server, refuses the tenant.
    const after = await fetchFromBoth(visitor, "/signin");
    expect(new Set(after.map((r) => r.status))).toEqual(new Set([403]));
    expect(new Set(after.map((r) => r.server))).toEqual(new Set(["app-1", "app-2"]));
    await visitor.reload();
    await expect(visitor.getByRole("heading", { name: "Workspace suspended" })).toBeVisible();
    await admin.context().close();
    await visitor.context().close();
  });

  test("a tenant's API budget is one bucket for both servers", async ({ browser }) => {
    const page = await freshPage(browser);
    await signIn(page, cluster.url("globex", "/signin"), "owner@globex.test");
    await expect(page.getByTestId("tenant-name")).toHaveText("Globex Inc");
    // 30 batches of 20 calls, 3 at a time: 600 calls against globex's free plan (a window of 100 calls per 2 s).
    const { replies, seconds } = await page.evaluate(async () => {
      const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, { json: {} }]))));
      const path = `/api/trpc/${Array<string>(20).fill("project.list").join(",")}?batch=1&input=${input}`;
      const replies: { status: number; server: string | null; served: number }[] = [];
      const started = performance.now();
      for (let round = 0; round < 10; round++) {
        const batch = await Promise.all(
          [0, 1, 2].map(async () => {
            const res = await fetch(path, { cache: "no-store" });
            const body = (await res.json()) as { result?: unknown }[];
            return { status: res.status, server: res.headers.get("x-canopy-server"), served: body.filter((call) => call.result !== undefined).length };
          }),
        );
        replies.push(...batch);
      }
      return { replies, seconds: (performance.now() - started) / 1000 };
    });
    const served = replies.reduce((sum, r) => sum + r.served, 0);
    // rate-limiter-flexible counts fixed windows of 2 s; the run spans at most floor(s / 2) + 2 of them.
    // Two buckets (one per server) would let twice as many through.
    expect(served).toBeGreaterThan(0);
    expect(served).toBeLessThanOrEqual(100 * (Math.floor(seconds / 2) + 2));
    // Both servers refused calls: each read the same spent bucket.
    const refusing = new Set(replies.filter((r) => r.status === 429).map((r) => r.server));
    expect(refusing).toEqual(new Set(["app-1", "app-2"]));
    await page.context().close();
  });

  test("the TLS ask endpoint: hidden by Caddy, and the app answers only a direct loopback caller", async ({ browser, request }) => {
    const page = await freshPage(browser);
    const hidden = await page.goto(cluster.url(null, "/api/tls/ask?domain=billing.acme.test"));
    expect(hidden?.status()).toBe(404);
    expect(hidden?.headers()["x-canopy-server"]).toBeUndefined();
    await page.context().close();

    const app = `http://localhost:${cluster.appPorts[0]}/api/tls/ask?domain=billing.acme.test`;
    expect((await request.get(app)).status()).toBe(200);
    expect((await request.get(`http://localhost:${cluster.appPorts[1]}/api/tls/ask?domain=nowhere.test`)).status()).toBe(404);
    // Relayed by a proxy the app trusts: the caller is the client the proxy names, not loopback.
    const relayed = await request.get(app, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(relayed.status()).toBe(403);
  });

  test("a verified custom domain gets its certificate on demand and a hand-off over HTTPS", async ({ browser }) => {
    const page = await freshPage(browser);
    await signIn(page, cluster.url(null, "/signin"), "owner@acme.test");
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    const res = await page.goto(cluster.customUrl("billing.acme.test"));
    expect(res?.headers()["strict-transport-security"]).toBe(HSTS);
    await expect(page).toHaveURL(/\/signin/);
    await page.getByRole("button", { name: "Continue with your Canopy account" }).click();
    await expect(page.getByText("Continue to billing.acme.test as owner@acme.test?")).toBeVisible();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(new RegExp(`^${cluster.customUrl("billing.acme.test").replace(/[.]/g, "\\.")}`));
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
    // On the custom domain the session is host-only, so it is a __Host- cookie.
    const session = (await page.context().cookies(cluster.customUrl("billing.acme.test"))).find((c) => c.name.endsWith("canopy.session-token"));
    expect(session).toMatchObject({ name: "__Host-canopy.session-token", domain: "billing.acme.test", path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
    await page.context().close();
  });
});

import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";
import { send, serverAddress as server, strangerAddress } from "./raw-http";

/*
 * Budgets and the sign-in throttle against the production server, through the real socket: the
 * client address must come from the connection (scripts/serve.mjs), never from X-Forwarded-For.
 * Strangers connect from their own loopback addresses (127.0.0.x, all routed to lo on Linux) so
 * that their floods and failures never touch the budgets of the other specs, which use 127.0.0.1.
 */

const PASSWORD = "a-long-password-1";
const unique = () => Math.random().toString(36).slice(2, 10);
const forgedAddress = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

const host = (sub: string | null) => `${sub ? `${sub}.` : ""}${e2e.root}:${e2e.port}`;
const listPath = (n: number) => {
  const input = encodeURIComponent(JSON.stringify(n === 1 ? { json: {} } : Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: {} }]))));
  return `/api/trpc/${Array<string>(n).fill("project.list").join(",")}?${n === 1 ? "" : "batch=1&"}input=${input}`;
};

function cookieHeader(storageState: string): string {
  const state = JSON.parse(readFileSync(storageState, "utf8")) as { cookies: { name: string; value: string }[] };
  return state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

/** Signs up over the API, from `from`. */
async function signUp(from: string | undefined, email: string) {
  const res = await send({
    from,
    host: host(null),
    method: "POST",
    path: "/api/trpc/account.signUp",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { name: "Rate limit", email, password: PASSWORD } }),
  });
  expect(res.status, res.body).toBe(200);
}

/** next-auth's credentials sign-in over HTTP, as the sign-in form does it; returns the error, or null on success. */
async function signInOverHttp(from: string | undefined, email: string, password: string, extra: Record<string, string> = {}): Promise<string | null> {
  const csrf = await send({ from, host: host(null), path: "/api/auth/csrf", headers: extra });
  const csrfCookie = (csrf.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const res = await send({
    from,
    host: host(null),
    method: "POST",
    path: "/api/auth/callback/credentials",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, ...extra },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: "/" }).toString(),
  });
  const url = new URL((JSON.parse(res.body) as { url: string }).url);
  return url.searchParams.get("error");
}

async function signInInBrowser(page: Page, email: string) {
  await page.goto(e2e.url(null, "/signin"));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("rate limits", () => {
  test("300 cookie-less requests with rotating X-Forwarded-For do not starve the signed-in owner", async () => {
    const stranger = await strangerAddress(2);
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      const res = await send({ from: stranger, host: host("acme"), path: listPath(1), headers: { "x-forwarded-for": forgedAddress(), "x-real-ip": forgedAddress() } });
      statuses.push(res.status);
    }
    const seconds = (Date.now() - started) / 1000;
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // One budget for the one real address, however many addresses it claims: no more calls got
    // through than its burst and refill allow (CLIENT_RATE_LIMIT_*: 60, 10/s), the rest were refused.
    const served = statuses.filter((s) => s === 401).length;
    expect(served).toBeGreaterThanOrEqual(60);
    expect(served).toBeLessThanOrEqual(60 + Math.ceil(10 * seconds));
    // The owner's calls are paid by acme, which no stranger can spend.
    const owner = cookieHeader("e2e/.auth/acme-owner.json");
    for (let i = 0; i < 20; i++) {
      const res = await send({ host: host("acme"), path: listPath(1), headers: { cookie: owner } });
      expect(res.status, res.body).toBe(200);
    }
  });

  test("every call in a batch counts, and a batch over the cap is refused with a clear error", async () => {
    const stranger = await strangerAddress(3);
    // Budget 60 calls and 10/s: three batches of 20 fit at once, then a batch needs 2 s of refill.
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 8; i++) statuses.push((await send({ from: stranger, host: host("acme"), path: listPath(20) })).status);
    const seconds = (Date.now() - started) / 1000;
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(20 * statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(60 + Math.ceil(10 * seconds));

    const over = await send({ from: await strangerAddress(4), host: host("acme"), path: listPath(21) });
    expect(over.status).toBe(400);
    expect(JSON.parse(over.body)).toMatchObject({ error: { json: { message: "A batch may hold at most 20 calls; this one has 21", data: { code: "BAD_REQUEST" } } } });
  });
});

test.describe("sign-in throttle", () => {
  test("forged X-Forwarded-For does not change the throttle key: 30 failures block the real address only", async () => {
    const guesser = await strangerAddress(5);
    const email = `throttle-${unique()}@example.test`;
    await signUp(await strangerAddress(6), email);
    for (let i = 0; i < 30; i++) {
      expect(await signInOverHttp(guesser, `spray-${unique()}@example.test`, "guess", { "x-forwarded-for": forgedAddress() })).toBe("CredentialsSignin");
    }
    // The guesser's real address is blocked, whatever it claims now, even with the right password.
    expect(await signInOverHttp(guesser, email, PASSWORD, { "x-forwarded-for": forgedAddress() })).toMatch(/^Too many sign-in attempts/);
    // Another address is not.
    expect(await signInOverHttp(await strangerAddress(6), email, PASSWORD)).toBeNull();
  });

  test("a browser that signed in before still signs in while guessing from elsewhere locks the email; a fresh browser is throttled", async ({ browser }) => {
    const email = `device-${unique()}@example.test`;
    const { address } = await server;
    const attacker = address.startsWith("127.") ? "127.0.0.7" : undefined;
    await signUp(attacker, email);

    // The owner's browser signs in once and gets a device cookie; then its session ends.
    const owner = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const ownerPage = await owner.newPage();
    await signInInBrowser(ownerPage, email);
    await expect(ownerPage.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    const device = (await owner.cookies()).find((c) => c.name === "canopy.device");
    expect(device).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/api/auth" });
    await owner.clearCookies({ name: "canopy.session-token" });

    // Someone else fails 5 times from rotating addresses: the email is locked.
    for (let i = 0; i < 5; i++) expect(await signInOverHttp(attacker, email, `guess-${i}`, { "x-forwarded-for": forgedAddress() })).toBe("CredentialsSignin");
    expect(await signInOverHttp(attacker, email, PASSWORD)).toMatch(/^Too many sign-in attempts/);

    // A fresh browser with the right password is throttled...
    const fresh = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const freshPage = await fresh.newPage();
    await signInInBrowser(freshPage, email);
    await expect(freshPage.getByRole("alert").filter({ hasText: "Too many sign-in attempts" })).toBeVisible();

    // ...the owner's browser is not.
    await signInInBrowser(ownerPage, email);
    await expect(ownerPage.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    await fresh.close();
    await owner.close();
  });
});

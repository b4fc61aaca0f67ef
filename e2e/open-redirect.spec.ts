import { expect, test, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";

const PASSWORD = "canopy-demo";

/** Any request to the attacker's host is recorded and refused, so a failure shows up as a URL, not a DNS error. */
async function trapEvil(page: Page) {
  const hits: string[] = [];
  await page.context().route((url) => url.hostname.endsWith("evil.example"), async (route) => {
    hits.push(route.request().url());
    await route.abort();
  });
  return hits;
}

/** Waits for the navigation that follows sign-in, then checks it went nowhere near the attacker first, so a failure names the URL. */
async function expectStayed(page: Page, hits: string[], from: string) {
  await expect.poll(() => hits.length > 0 || !page.url().includes(from)).toBe(true);
  expect(hits, "requests to the attacker's host").toEqual([]);
}

// Each value is what the query string carries; the browser strips tab/CR/LF and reads "\" as "/".
const attacks = ["/%09/evil.example", "/%0D%0A/evil.example", "/%5C%5Cevil.example", "%5C/evil.example", "//evil.example", "/..//evil.example", "https://evil.example/"];

test.describe("redirects after sign-in stay on the site", () => {
  for (const callbackUrl of attacks) {
    test(`sign-in with callbackUrl=${callbackUrl} ends on the same host`, async ({ page }) => {
      const hits = await trapEvil(page);
      await page.goto(`${e2e.url("acme", "/signin")}?callbackUrl=${callbackUrl}`);
      await page.getByLabel("Email").fill("owner@acme.test");
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expectStayed(page, hits, "/signin");
      await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
      expect(page.url()).toBe(e2e.url("acme", "/"));
    });
  }

  test("sign-up with callbackUrl=/%09/evil.example ends on the same host, and its Sign in link carries no attack", async ({ page }) => {
    const hits = await trapEvil(page);
    await page.goto(`${e2e.url(null, "/signup")}?callbackUrl=/%09/evil.example`);
    await expect(page.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/signin");
    const id = Math.random().toString(36).slice(2, 8);
    await page.getByLabel("Name").fill(`Redirect ${id}`);
    await page.getByLabel("Email").fill(`redirect-${id}@example.test`);
    await page.getByLabel("Password").fill("a-long-password-1");
    await page.getByRole("button", { name: "Create account" }).click();
    await expectStayed(page, hits, "/signup");
    await expect(page.getByRole("heading", { name: "Create a workspace" })).toBeVisible();
    expect(page.url()).toBe(e2e.url(null, "/"));
  });

  test("a same-site callbackUrl still brings the user back to it", async ({ page }) => {
    await page.goto(`${e2e.url("acme", "/signin")}?callbackUrl=${encodeURIComponent("/invoices?status=paid")}`);
    await page.getByLabel("Email").fill("owner@acme.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(e2e.url("acme", "/invoices?status=paid"));
  });

  test("the custom-domain hand-off's next=/%09/evil.example lands on the custom domain", async ({ page }) => {
    const hits = await trapEvil(page);
    await page.goto(e2e.url(null, "/signin"));
    await page.getByLabel("Email").fill("owner@acme.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    await page.goto(e2e.url(null, "/handoff/start?host=billing.acme.test&next=/%09/evil.example"));
    expect(hits).toEqual([]);
    // The old check let "/\t/evil.example" through to a URL on the custom domain's own host (//evil.example there: a 404).
    expect(page.url()).toBe(e2e.customUrl("billing.acme.test", "/"));
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
  });
});

import { expect, test, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";
import { linkIn, waitForMail } from "./mail";

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

  test("sign-up with callbackUrl=/%09/evil.example continues on the same host after confirming, and its Sign in link carries no attack", async ({ page }) => {
    const hits = await trapEvil(page);
    await page.goto(`${e2e.url(null, "/signup")}?callbackUrl=/%09/evil.example`);
    await expect(page.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/signin");
    const id = Math.random().toString(36).slice(2, 8);
    const email = `redirect-${id}@example.test`;
    await page.getByLabel("Name").fill(`Redirect ${id}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a-long-password-1");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    // The callback travels with the address proof; it comes back as a same-site path only.
    await page.goto(linkIn(await waitForMail(email, /Confirm your email address/), e2e.url(null, "/verify-email?token=")));
    await page.getByRole("link", { name: "Sign in to confirm" }).click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a-long-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText(`${email} is confirmed.`)).toBeVisible();
    await expect(page.getByRole("link", { name: "Continue" })).toHaveAttribute("href", "/");
    await page.getByRole("link", { name: "Continue" }).click();
    await expectStayed(page, hits, "/verify-email");
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
    // From the custom domain's sign-in page, with the attack as the page's callback and then, on the
    // root's confirmation page, as its own next= (the verifier cookie set by the first step stays valid).
    await page.goto(e2e.customUrl("billing.acme.test", "/signin?callbackUrl=/%09/evil.example"));
    await page.getByRole("button", { name: "Continue with your Canopy account" }).click();
    await expect(page.getByRole("button", { name: "Continue" })).toBeVisible();
    const start = new URL(page.url());
    start.searchParams.set("next", "/\t/evil.example");
    await page.goto(start.toString());
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(new RegExp(`^${e2e.customUrl("billing.acme.test", "/").replace(/[.]/g, "\\.")}`));
    expect(hits).toEqual([]);
    // The old check let "/\t/evil.example" through to a URL on the custom domain's own host (//evil.example there: a 404).
    expect(page.url()).toBe(e2e.customUrl("billing.acme.test", "/"));
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
  });
});

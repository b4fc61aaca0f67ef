import { expect, test } from "@playwright/test";
import { e2e } from "../playwright.config";
import { startTestProvider, type TestProvider } from "../tests/support/oidc-provider";

const unique = () => Math.random().toString(36).slice(2, 8);
let idp: TestProvider;

/** Sets records on the loopback DNS server that scripts/test.ts started for the app under test. */
async function publish(name: string, record: { txt?: string[] }) {
  const url = process.env.E2E_DNS_CONTROL_URL;
  if (!url) throw new Error("E2E_DNS_CONTROL_URL is not set: run the e2e tests through scripts/test.ts");
  const res = await fetch(url, { method: "POST", body: JSON.stringify({ name, ...record }) });
  expect(res.status).toBe(204);
}

test.beforeAll(async () => {
  // A real OpenID provider (oidc-provider) on 127.0.0.1, with Canopy's one redirect URI registered.
  idp = await startTestProvider({ redirectUris: [e2e.url(null, "/sso/callback")] });
});
test.afterAll(async () => {
  await idp.close();
});

test.describe("single sign-on", () => {
  test.use({ storageState: "e2e/.auth/acme-owner.json" });

  test("the owner connects the local provider and a new person signs in through it, landing in the workspace with the default role", async ({ page, browser }) => {
    const domain = `sso-${unique()}.test`;
    await page.goto(e2e.url("acme", "/settings/sso"));
    await expect(page.getByRole("heading", { name: "Single sign-on", level: 1 })).toBeVisible();
    await expect(page.getByTestId("sso-redirect-uri")).toHaveText(e2e.url(null, "/sso/callback"));

    // A provider that does not answer: a field message, nothing saved.
    await page.getByLabel("Issuer URL").fill("http://127.0.0.1:9");
    await page.getByLabel("Client ID").fill(idp.clientId);
    await page.getByLabel("Client secret").fill(idp.clientSecret);
    await page.getByRole("button", { name: "Save and check" }).click();
    await expect(page.getByText(/Could not load the provider's OpenID configuration from http:\/\/127\.0\.0\.1:9/).first()).toBeVisible();

    await page.getByLabel("Issuer URL").fill(idp.issuer);
    await page.getByLabel("Role for people who join through single sign-on").selectOption("viewer");
    await page.getByRole("button", { name: "Save and check" }).click();
    await expect(page.getByRole("button", { name: "Test connection" })).toBeVisible();
    await expect(page.getByLabel("Client secret")).toHaveValue("");

    await page.getByRole("textbox", { name: "Email domain" }).fill(domain);
    await page.getByRole("button", { name: "Claim domain" }).click();
    const item = page.getByTestId("sso-domain").filter({ hasText: domain });
    await expect(item.getByText("Pending verification")).toBeVisible();
    const token = (await item.locator("dd").nth(1).textContent())!.trim();
    await publish(`_canopy-sso.${domain}`, { txt: [token] });
    await item.getByRole("button", { name: `Verify ${domain}` }).click();
    await expect(item.getByText("Verified")).toBeVisible();
    await page.screenshot({ path: "test-results/sso-settings.png", fullPage: true });

    // A new person, in a fresh browser: the sign-in page sends them to the provider's login page.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const visitor = await context.newPage();
    await visitor.goto(e2e.url(null, "/signin"));
    await visitor.getByRole("button", { name: "Use single sign-on (SSO)" }).click();
    const email = `newcomer-${unique()}@${domain}`;
    await visitor.getByLabel("Work email").fill(email);
    await visitor.screenshot({ path: "test-results/sso-signin.png", fullPage: true });
    await visitor.getByRole("button", { name: "Continue to your identity provider" }).click();
    await visitor.waitForURL(`${idp.issuer}/**`);
    await expect(visitor.locator('input[name="login"]')).toHaveValue(email);
    await visitor.locator('input[name="password"]').fill("any password");
    await visitor.screenshot({ path: "test-results/sso-provider-login.png", fullPage: true });
    await visitor.getByRole("button", { name: "Sign-in" }).click();

    await visitor.waitForURL(e2e.url("acme", "/"));
    await expect(visitor.getByTestId("tenant-name")).toHaveText("Acme Corp");
    await expect(visitor.getByText("viewer", { exact: true })).toBeVisible();
    await context.close();

    // The owner sees who joined, in words.
    await page.goto(e2e.url("acme", "/audit"));
    await expect(page.getByText("joined the workspace through single sign-on as viewer, with a new Canopy account").first()).toBeVisible();
  });

  test("an address no workspace claims gets a plain message and keeps the password form", async ({ browser }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto(e2e.url(null, "/signin"));
    await page.getByRole("button", { name: "Use single sign-on (SSO)" }).click();
    await page.getByLabel("Work email").fill(`someone@unclaimed-${unique()}.test`);
    await page.getByRole("button", { name: "Continue to your identity provider" }).click();
    await expect(page.getByRole("region", { name: "Single sign-on" }).getByRole("alert")).toHaveText("No workspace signs in this address with single sign-on. Sign in with your password.");
    await expect(page.getByLabel("Password")).toBeVisible();
    await context.close();
  });
});

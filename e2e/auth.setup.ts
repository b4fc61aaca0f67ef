import { expect, test as setup, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";

export const DEMO_PASSWORD = "canopy-demo";

async function signIn(page: Page, url: string, email: string) {
  await page.goto(url);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The first sign-ins meet a cold server (password hashing, first renders) on a shared machine: allow for it.
  await expect(page.getByTestId("tenant-name")).toBeVisible({ timeout: 30_000 });
}

setup("sign in as acme's owner on acme's subdomain", async ({ page }) => {
  await signIn(page, e2e.url("acme", "/signin"), "owner@acme.test");
  await page.context().storageState({ path: "e2e/.auth/acme-owner.json" });
});

setup("sign in as globex's owner on globex's subdomain", async ({ page }) => {
  await signIn(page, e2e.url("globex", "/signin"), "owner@globex.test");
  await page.context().storageState({ path: "e2e/.auth/globex-owner.json" });
});

setup("sign in as acme's owner on acme's custom domain", async ({ page }) => {
  await signIn(page, e2e.customUrl("billing.acme.test", "/signin"), "owner@acme.test");
  await page.context().storageState({ path: "e2e/.auth/acme-custom-domain.json" });
});

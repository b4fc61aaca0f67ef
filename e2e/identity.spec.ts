import { expect, test, type Browser, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";
import { linkIn, signUpConfirmed, waitForMail } from "./mail";

const unique = () => Math.random().toString(36).slice(2, 8);
const FIRST_PASSWORD = "first long passphrase";

async function signIn(page: Page, email: string, password: string) {
  await page.goto(e2e.url(null, "/signin"));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
}

/** Another browser (its own cookies) signed in as the same account. */
async function anotherBrowser(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, password);
  return page;
}

async function expectSignedOut(page: Page) {
  await page.goto(e2e.url(null, "/"));
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Your workspaces" })).toHaveCount(0);
}

test.describe("identity", () => {
  test("forgot password: the mailed link sets a new password and signs the account out everywhere", async ({ page, browser }) => {
    const email = `reset-${unique()}@example.test`;
    await signUpConfirmed(page, { origin: e2e.url(null, ""), name: "Resetting Person", email, password: FIRST_PASSWORD });
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();

    const other = await (await browser.newContext()).newPage();
    await other.goto(e2e.url(null, "/signin"));
    await other.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(other).toHaveURL(e2e.url(null, "/forgot-password"));
    await other.getByLabel("Email").fill(email);
    await other.getByRole("button", { name: "Send reset link" }).click();
    await expect(other.getByRole("heading", { name: "Check your inbox" })).toBeVisible();

    const link = linkIn(await waitForMail(email, /Reset your Canopy password/), e2e.url(null, "/reset-password?token="));
    await other.goto(link);
    await other.getByLabel("New password", { exact: true }).fill("password1234");
    await other.getByLabel("Repeat the new password").fill("password1234");
    await other.getByRole("button", { name: "Set new password" }).click();
    await expect(other.getByText(/too common/)).toBeVisible();
    await other.getByLabel("New password", { exact: true }).fill("second long passphrase");
    await other.getByLabel("Repeat the new password").fill("second long passphrase");
    await other.getByRole("button", { name: "Set new password" }).click();
    await expect(other.getByRole("heading", { name: "Your password is changed" })).toBeVisible();
    await waitForMail(email, /password was reset/);

    // The first browser's session ended with the reset.
    await expectSignedOut(page);
    // The link worked once.
    await other.goto(link);
    await expect(other.getByText("This reset link is not valid, was already used, or has expired.")).toBeVisible();
    // The new password signs in; from a browser the account never used, the owner is told.
    await signIn(other, email, "second long passphrase");
    await waitForMail(email, /New sign-in to your Canopy account/);
  });

  test("settings: change the name, sign out other sessions, change the password", async ({ page, browser }) => {
    const email = `settings-${unique()}@example.test`;
    await signUpConfirmed(page, { origin: e2e.url(null, ""), name: "Settings Person", email, password: FIRST_PASSWORD });
    const second = await anotherBrowser(browser, email, FIRST_PASSWORD);

    await page.getByRole("link", { name: "Account settings" }).click();
    await expect(page.getByRole("heading", { name: "Account settings" })).toBeVisible();
    await page.getByLabel("Name").fill("Renamed Person");
    await page.getByRole("button", { name: "Save name" }).click();
    await expect(page.getByText("Name saved")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Name")).toHaveValue("Renamed Person");

    const sessions = page.getByRole("list", { name: "Active sessions" });
    await expect(sessions.getByRole("listitem")).toHaveCount(2);
    await expect(sessions.getByText("This browser")).toHaveCount(1);
    await page.getByRole("button", { name: "Sign out other sessions" }).click();
    await expect(page.getByText("1 other session signed out")).toBeVisible();
    await expect(sessions.getByRole("listitem")).toHaveCount(1);
    await expectSignedOut(second);

    const third = await anotherBrowser(browser, email, FIRST_PASSWORD);
    await page.reload();
    await expect(sessions.getByRole("listitem")).toHaveCount(2);
    await page.getByLabel("Current password").last().fill("not the password");
    await page.getByLabel("New password", { exact: true }).fill("third long passphrase");
    await page.getByLabel("Repeat the new password").fill("third long passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Your current password is not correct").first()).toBeVisible();
    await page.getByLabel("Current password").last().fill(FIRST_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Password changed. Your other sessions were signed out.")).toBeVisible();
    await expect(sessions.getByRole("listitem")).toHaveCount(1);
    await waitForMail(email, /password was changed/);
    await expectSignedOut(third);
    // This browser stays signed in.
    await page.reload();
    await expect(page.getByRole("heading", { name: "Account settings" })).toBeVisible();
  });
});

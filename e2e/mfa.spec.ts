import { expect, test, type Page } from "@playwright/test";
import { generate } from "otplib";
import { e2e } from "../playwright.config";
import { signUpConfirmed, waitForMail } from "./mail";

const unique = () => Math.random().toString(36).slice(2, 8);
const PASSWORD = "a long two-factor passphrase";
const screens = process.env.E2E_SCREENSHOTS;

/** The authenticator app: the code for the current 30-second step, or `steps` later (the server accepts one step of drift). */
const codeFor = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

async function passwordStep(page: Page, email: string) {
  await page.goto(e2e.url(null, "/signin"));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await expect(page).toHaveURL(/\/signin\/two-factor/);
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Canopy" })).toBeVisible();
}

test.describe("two-factor authentication", () => {
  test("enrol in the settings, then sign in with a code and with a recovery code, each recovery code once", async ({ page }) => {
    const email = `mfa-${unique()}@example.test`;
    await signUpConfirmed(page, { origin: e2e.url(null, ""), name: "Two Factor", email, password: PASSWORD });
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();

    await page.goto(e2e.url(null, "/settings#mfa"));
    const section = page.locator("section#mfa");
    await expect(section.getByTestId("mfa-state")).toHaveText("Off.");
    await section.getByRole("button", { name: "Set up two-factor authentication" }).click();
    await expect(section.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
    const secret = (await section.getByTestId("mfa-secret").innerText()).replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    if (screens) await section.screenshot({ path: `${screens}/mfa-enrol.png` });

    // A wrong code is refused under the field, and nothing is switched on.
    await section.getByLabel("Code from your app").fill("000000");
    await section.getByRole("button", { name: "Turn on" }).click();
    await expect(section.getByText("That code is not correct").first()).toBeVisible();
    await section.getByLabel("Code from your app").fill(await codeFor(secret));
    await section.getByRole("button", { name: "Turn on" }).click();
    const list = section.getByTestId("recovery-codes").getByRole("listitem");
    await expect(list).toHaveCount(10);
    const recovery = await list.allInnerTexts();
    if (screens) await section.screenshot({ path: `${screens}/mfa-recovery-codes.png` });
    await section.getByRole("button", { name: "I have saved them" }).click();
    await expect(section.getByTestId("mfa-state")).toHaveText("On");
    await expect(section.getByTestId("mfa-codes-left")).toHaveText("10 recovery codes left");
    if (screens) {
      await page.setViewportSize({ width: 390, height: 844 });
      await section.screenshot({ path: `${screens}/mfa-on-phone.png` });
      await page.setViewportSize({ width: 1280, height: 720 });
    }
    await waitForMail(email, /Two-factor authentication is on/);

    // Signed out, the password alone leads only to the code prompt: no session yet.
    await signOut(page);
    await passwordStep(page, email);
    if (screens) await page.screenshot({ path: `${screens}/mfa-code-prompt.png` });
    await page.goto(e2e.url(null, "/settings"));
    await expect(page.getByRole("heading", { name: "Sign in to Canopy" })).toBeVisible();
    await passwordStep(page, email);
    await page.getByLabel("Code").fill("123456");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.locator("#code-error")).toHaveText("That code is not correct");
    // The code that switched MFA on is spent; the next step's code is accepted.
    await page.getByLabel("Code").fill(await codeFor(secret, 1));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();

    // A recovery code signs in once.
    await signOut(page);
    await passwordStep(page, email);
    await page.getByLabel("Code").fill(recovery[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    await waitForMail(email, /A recovery code was used/);
    await page.goto(e2e.url(null, "/settings#mfa"));
    await expect(page.getByTestId("mfa-codes-left")).toHaveText("9 recovery codes left");

    await signOut(page);
    await passwordStep(page, email);
    await page.getByLabel("Code").fill(recovery[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.locator("#code-error")).toHaveText("That recovery code was already used");
    await page.getByLabel("Code").fill(recovery[1]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
  });

  test("an owner requires it for the workspace; without MFA the workspace sends you to set it up", async ({ page }) => {
    test.setTimeout(90_000);
    const id = unique();
    const email = `mfa-owner-${id}@example.test`;
    await signUpConfirmed(page, { origin: e2e.url(null, ""), name: "Careful Owner", email, password: PASSWORD });
    await page.getByLabel("Workspace name").fill(`Careful ${id}`);
    await page.getByLabel("Address").fill(`careful-${id}`);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await expect(page.getByTestId("tenant-name")).toHaveText(`Careful ${id}`);

    // Requiring it before enrolling is refused: the owner would lock themselves out.
    await page.goto(e2e.url(`careful-${id}`, "/settings/company"));
    const requirement = page.locator("section", { has: page.getByRole("heading", { name: "Two-factor authentication" }) });
    await requirement.getByRole("button", { name: "Require two-factor authentication" }).click();
    await expect(requirement.locator("#mfa-requirement-error")).toHaveText(/your own account first/);

    await page.goto(e2e.url(null, "/settings#mfa"));
    const section = page.locator("section#mfa");
    await section.getByRole("button", { name: "Set up two-factor authentication" }).click();
    const secret = (await section.getByTestId("mfa-secret").innerText()).replace(/\s/g, "");
    await section.getByLabel("Code from your app").fill(await codeFor(secret));
    await section.getByRole("button", { name: "Turn on" }).click();
    const codes = section.getByTestId("recovery-codes").getByRole("listitem");
    await expect(codes).toHaveCount(10);
    const recovery = await codes.allInnerTexts();
    await section.getByRole("button", { name: "I have saved them" }).click();

    await page.goto(e2e.url(`careful-${id}`, "/settings/company"));
    await requirement.getByRole("button", { name: "Require two-factor authentication" }).click();
    await expect(requirement.getByText(/^Required:/)).toBeVisible();
    if (screens) await requirement.screenshot({ path: `${screens}/mfa-workspace-requirement.png` });
    await page.goto(e2e.url(`careful-${id}`, "/audit"));
    await expect(page.getByText("required two-factor authentication for every member").first()).toBeVisible();

    // Without a second factor the workspace's pages send its member to set one up, and say why.
    await page.goto(e2e.url(null, "/settings#mfa"));
    await section.getByLabel("Current password").fill(PASSWORD);
    await section.getByLabel("Code from your app or a recovery code").fill(recovery[0]!);
    await section.getByRole("button", { name: "Remove two-factor authentication" }).click();
    await expect(section.getByTestId("mfa-state")).toHaveText("Off.");
    await page.goto(e2e.url(`careful-${id}`, "/projects"));
    await expect(page).toHaveURL(e2e.url(null, "/settings?required=mfa#mfa"));
    await expect(page.getByTestId("mfa-required-notice")).toBeVisible();
    if (screens) await page.locator("section#mfa").screenshot({ path: `${screens}/mfa-required-notice.png` });
  });
});

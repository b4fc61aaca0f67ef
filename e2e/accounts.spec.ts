import { expect, test, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";

const PASSWORD = "canopy-demo";
const unique = () => Math.random().toString(36).slice(2, 8);

async function signInAt(page: Page, url: string, email: string, password = PASSWORD) {
  await page.goto(url);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("accounts", () => {
  test("sign up, create a workspace, land on its subdomain", async ({ page }) => {
    const id = unique();
    await page.goto(e2e.url(null, "/signup"));
    await page.getByLabel("Name").fill(`Newcomer ${id}`);
    await page.getByLabel("Email").fill(`new-${id}@example.test`);
    await page.getByLabel("Password").fill("a-long-password-1");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Create a workspace" })).toBeVisible();

    await page.getByLabel("Workspace name").fill(`Team ${id}`);
    await page.getByLabel("Address").fill("admin");
    await page.getByLabel("Workspace name").focus();
    await expect(page.getByText("That address is reserved")).toBeVisible();
    await page.getByLabel("Address").fill("acme");
    await expect(page.getByText("That address is taken")).toBeVisible();
    await page.getByLabel("Address").fill(`team-${id}`);
    await page.getByRole("button", { name: "Create workspace" }).click();

    await expect(page).toHaveURL(new RegExp(`^http://team-${id}\\.`));
    await expect(page.getByTestId("tenant-name")).toHaveText(`Team ${id}`);
  });

  test("a sign-up with a short password gets a field message and keeps the input", async ({ page }) => {
    await page.goto(e2e.url(null, "/signup"));
    await page.getByLabel("Name").fill("Shorty");
    await page.getByLabel("Email").fill(`short-${unique()}@example.test`);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Use at least 10 characters")).toBeVisible();
    await expect(page.getByLabel("Name")).toHaveValue("Shorty");
  });

  test("before the page's scripts run, Sign in is disabled and Enter cannot put the password in the URL", async ({ page }) => {
    // Hold the page's JavaScript so the form is the server's HTML only, as on a slow connection.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/_next/static/**/*.js", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(e2e.url(null, "/signin"), { waitUntil: "commit" });
    await expect(page.getByRole("button", { name: "Sign in" })).toBeDisabled();
    await page.getByLabel("Email").fill("owner@acme.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");

    release();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    // A native submit would have loaded /signin?email=…&password=… with empty fields.
    expect(new URL(page.url()).search).toBe("");
    await expect(page.getByLabel("Password")).toHaveValue(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
  });

  test("custom-domain sign-in hands off from the root domain without a second password", async ({ page }) => {
    // Signed in on the root domain first.
    await signInAt(page, e2e.url(null, "/signin"), "owner@acme.test");
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();

    await page.goto(e2e.customUrl("billing.acme.test"));
    await expect(page).toHaveURL(/\/signin/);
    await page.getByRole("link", { name: "Continue with your Canopy account" }).click();
    await expect(page).toHaveURL(new RegExp(`^http://billing\\.acme\\.test:${e2e.port}/`));
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
    const cookies = await page.context().cookies(e2e.customUrl("billing.acme.test"));
    const session = cookies.find((c) => c.name.endsWith("canopy.session-token"));
    expect(session?.domain).toBe("billing.acme.test");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
  });

  test("a hand-off token works once and never for another tenant's domain", async ({ page, context }) => {
    await signInAt(page, e2e.url(null, "/signin"), "owner@acme.test");
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    // Capture the token instead of following it.
    let tokenUrl = "";
    page.on("request", (r) => {
      if (r.url().includes("/handoff/complete")) tokenUrl ||= r.url();
    });
    await page.goto(e2e.url(null, "/handoff/start?host=billing.acme.test&next=/"));
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
    expect(tokenUrl).toContain("token=");

    // Replayed in a fresh browser: refused.
    const other = await context.browser()!.newContext();
    const replay = await other.newPage();
    await replay.goto(tokenUrl);
    await expect(replay).toHaveURL(/\/signin\?error=handoff/);
    await other.close();
  });

  test("signing out ends the session on subdomains and on the custom domain", async ({ page }) => {
    await signInAt(page, e2e.url(null, "/signin"), "owner@acme.test");
    await expect(page.getByRole("heading", { name: "Your workspaces" })).toBeVisible();
    await page.goto(e2e.url(null, "/handoff/start?host=billing.acme.test&next=/"));
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
    await page.goto(e2e.url("acme"));
    await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);

    await page.goto(e2e.url("acme"));
    await expect(page).toHaveURL(/\/signin/);
    // The custom domain still holds its own cookie, but the session behind it is gone.
    await page.goto(e2e.customUrl("billing.acme.test"));
    await expect(page).toHaveURL(/\/signin/);
  });

  test("repeated failed sign-ins are throttled with a clear message", async ({ page }) => {
    const email = `nobody-${unique()}@example.test`;
    await page.goto(e2e.url(null, "/signin"));
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(`wrong-${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      // Next's route announcer is also role=alert: pick ours by its text.
      await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect." })).toBeVisible();
    }
    await page.getByLabel("Password").fill("wrong-again");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Too many sign-in attempts" })).toBeVisible();
  });
});

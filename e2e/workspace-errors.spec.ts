import { expect, test, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";

const DEMO_PASSWORD = "canopy-demo";

/** The workspace's shell (its nav and name) around the page: a status page must not drop the user out of the app. */
async function expectShell(page: Page) {
  await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
  await expect(page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Invoices" })).toBeAttached();
}

test.describe("workspace error pages: real statuses, inside the app shell", () => {
  test.describe("as acme's owner", () => {
    test.use({ storageState: "e2e/.auth/acme-owner.json" });

    for (const [what, path] of [
      ["an invoice id that is not a UUID", "/invoices/not-a-uuid"],
      ["an invoice that does not exist", `/invoices/${crypto.randomUUID()}`],
      ["editing an invoice that does not exist", `/invoices/${crypto.randomUUID()}/edit`],
      ["a project that does not exist", `/projects/${crypto.randomUUID()}`],
      ["a workspace path no page has", "/no-such-page/at-all"],
    ] as const) {
      test(`${what}: 404 with the nav`, async ({ page }) => {
        const response = await page.goto(e2e.url("acme", path));
        expect(response?.status()).toBe(404);
        await expect(page.getByTestId("workspace-not-found")).toBeVisible();
        await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
        await expectShell(page);
      });
    }
  });

  test.describe("as acme's member", () => {
    test.beforeEach(async ({ page }) => {
      await page.goto(e2e.url("acme", "/signin"));
      await page.getByLabel("Email").fill("member@acme.test");
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("tenant-name")).toBeVisible();
    });

    for (const path of ["/audit", "/settings/api-keys", "/settings/domains"]) {
      test(`${path} is a 403 with the nav, not a 200`, async ({ page }) => {
        const response = await page.goto(e2e.url("acme", path));
        expect(response?.status()).toBe(403);
        await expect(page.getByTestId("workspace-forbidden")).toBeVisible();
        await expectShell(page);
      });
    }

    test("pages a member may use still answer 200", async ({ page }) => {
      for (const path of ["/", "/invoices", "/invoices/new", "/projects", "/settings/members"]) {
        const response = await page.goto(e2e.url("acme", path));
        expect(response?.status(), path).toBe(200);
      }
    });
  });
});

import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";
import { trpcMutation } from "./trpc-request";

/** Every serious or critical axe violation on the page as it stands, with where it is. */
async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, where: v.nodes.map((n) => n.target.join(" ")) }));
}

test.describe("accessibility of the workspace", () => {
  test.use({ storageState: "e2e/.auth/acme-owner.json" });

  for (const [name, path, heading] of [
    ["dashboard", "/", "Dashboard"],
    ["invoice list", "/invoices", "Invoices"],
    ["new invoice form", "/invoices/new", "New invoice"],
    ["audit log", "/audit", "Audit log"],
  ] as const) {
    test(`${name}: no serious or critical axe violations`, async ({ page }) => {
      await page.goto(e2e.url("acme", path));
      if (path === "/") {
        // Something in the activity feed, so its sentences (links inside text) are checked too.
        await trpcMutation(page, "project.create", { name: `Axe project ${Math.random().toString(36).slice(2, 8)}` });
        await page.reload();
        await expect(page.getByRole("region", { name: "Recent activity" }).getByRole("link", { name: /^Axe project/ }).first()).toBeVisible();
      }
      await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  test("invoice page (a void invoice, with its badge): no serious or critical axe violations", async ({ page }) => {
    await page.goto(e2e.url("acme", "/invoices?status=void"));
    await page.getByRole("link", { name: /^INV-/ }).first().click();
    await expect(page.getByTestId("invoice-number")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test("admin tenants page: no serious or critical axe violations", async ({ page }) => {
  await page.goto(e2e.url("admin", "/signin"));
  await page.getByLabel("Email").fill("admin@canopy.test");
  await page.getByLabel("Password").fill("canopy-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Tenants", level: 1 })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

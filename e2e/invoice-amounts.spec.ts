import { expect, test } from "@playwright/test";
import { e2e } from "../playwright.config";

test.use({ storageState: "e2e/.auth/acme-owner.json" });

const run = Math.random().toString(36).slice(2, 8);

test.describe("amounts typed in the user's locale", () => {
  test.describe("in German", () => {
    test.use({ locale: "de-DE" });

    test("12,5 is twelve and a half: the line shows what it reads as and the invoice is saved with it", async ({ page }) => {
      await page.goto(e2e.url("acme", "/invoices/new"));
      await page.getByLabel("Customer name").fill(`Locale ${run}`);
      await page.getByLabel("Currency").selectOption("EUR");
      const line = page.getByRole("listitem", { name: "Line 1", exact: true });
      await line.getByLabel("Line 1 description").fill("Beratung");
      await line.getByLabel("Quantity").fill("1,5");
      await line.getByLabel("Unit price").fill("12,5");
      await line.getByLabel("Tax %").fill("19");
      // Before saving: 1,5 × 12,50 € with 19 % tax; 18,75 + 3,56 = 22,31 €.
      await expect(page.getByTestId("line-1-reading")).toHaveText("Reads as 1,5 × 12,50 €, 19 % tax");
      await expect(page.getByText("22,31 €")).toBeVisible();
      await page.getByRole("button", { name: "Create draft" }).click();
      await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
      await expect(page.getByText(/22[.,]31/).first()).toBeVisible();
      // Edited again, the amounts come back in the same notation (and would save unchanged).
      await page.getByRole("link", { name: "Edit" }).click();
      await expect(page.getByRole("listitem", { name: "Line 1", exact: true }).getByLabel("Unit price")).toHaveValue("12,50");
      await expect(page.getByRole("listitem", { name: "Line 1", exact: true }).getByLabel("Quantity")).toHaveValue("1,5");
    });
  });

  test.describe("in US English", () => {
    test.use({ locale: "en-US" });

    test("12,5 is refused with a message in the user's terms instead of being saved as 125", async ({ page }) => {
      await page.goto(e2e.url("acme", "/invoices/new"));
      await page.getByLabel("Customer name").fill(`Locale ${run}`);
      const line = page.getByRole("listitem", { name: "Line 1", exact: true });
      await line.getByLabel("Line 1 description").fill("Consulting");
      await line.getByLabel("Unit price").fill("12,5");
      await line.getByLabel("Tax %").fill("150");
      await page.getByRole("button", { name: "Create draft" }).click();
      await expect(line.getByText("Write a number like 12.5")).toBeVisible();
      await expect(line.getByText("Tax rate must be at most 100 %")).toBeVisible();
      await expect(page).toHaveURL(/\/invoices\/new$/);
      await line.getByLabel("Unit price").fill("-50");
      await expect(line.getByText("A unit price cannot be negative")).toBeVisible();
    });
  });
});

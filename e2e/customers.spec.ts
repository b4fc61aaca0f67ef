import { expect, test } from "@playwright/test";
import { e2e } from "../playwright.config";

test.use({ storageState: "e2e/.auth/acme-owner.json" });
// One story: the invoice made out to the customer is checked after the customer changes.
test.describe.configure({ mode: "serial" });

const run = Math.random().toString(36).slice(2, 8);
const name = `Initech ${run}`;
const screens = process.env.E2E_SCREENSHOTS;

test.describe("customers", () => {
  test("a customer saved once fills an invoice; the sent invoice keeps the details it was sent with", async ({ page }) => {
    await page.goto(e2e.url("acme", "/"));
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Customers" }).click();
    await expect(page.getByRole("heading", { name: "Customers" })).toBeVisible();

    await page.getByRole("button", { name: "New customer" }).click();
    const dialog = page.getByRole("dialog", { name: "New customer" });
    // A refused form keeps what was typed and says what is wrong, field by field.
    await dialog.getByLabel("Email").fill("not an email");
    await dialog.getByRole("button", { name: "Add customer" }).click();
    await expect(dialog.getByText("Enter the customer's name")).toBeVisible();
    await expect(dialog.getByText("Enter an email address like name@example.com")).toBeVisible();
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Email").fill(`ap-${run}@initech.test`);
    await dialog.getByLabel("Billing address").fill("1 Initech Way\nAustin, TX 78701");
    await dialog.getByLabel("Tax ID").fill("US-12-3456789");
    await dialog.getByLabel("Default currency").selectOption("CHF");
    await dialog.getByRole("button", { name: "Add customer" }).click();
    await expect(page.getByText(`Added “${name}”`)).toBeVisible();

    await page.getByLabel("Search customers").fill(run);
    await expect(page).toHaveURL(new RegExp(`q=${run}`));
    await expect(page.getByTestId("customer-row")).toHaveCount(1);
    await expect(page.getByTestId("customer-row")).toContainText(`ap-${run}@initech.test`);
    if (screens) {
      await page.screenshot({ path: `${screens}/customers-desktop.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${screens}/customers-phone.png`, fullPage: true });
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    await page.getByLabel("Search customers").fill(`no-such-${run}`);
    await expect(page.getByText(`No customer matches “no-such-${run}”`)).toBeVisible();

    // The invoice form: search, pick, and the customer's details and currency fill in.
    await page.goto(e2e.url("acme", "/invoices/new"));
    await page.getByLabel("Find a customer").fill(run);
    await expect(page.getByText("1 match; choose below.")).toBeVisible();
    await page.getByLabel("Saved customer").selectOption({ label: `${name} — ap-${run}@initech.test` });
    await expect(page.getByLabel("Customer name")).toHaveValue(name);
    await expect(page.getByLabel("Customer email")).toHaveValue(`ap-${run}@initech.test`);
    await expect(page.getByLabel("Currency")).toHaveValue("CHF");
    if (screens) {
      await page.screenshot({ path: `${screens}/customer-picker-desktop.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${screens}/customer-picker-phone.png`, fullPage: true });
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    const line = page.getByRole("listitem", { name: "Line 1", exact: true });
    await line.getByLabel("Line 1 description").fill("Consulting");
    await line.getByLabel("Unit price").fill("100");
    await page.getByRole("button", { name: "Create draft" }).click();
    await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
    const invoiceUrl = page.url();
    await expect(page.getByTestId("bill-to-address")).toHaveText("1 Initech Way\nAustin, TX 78701");

    await page.getByRole("button", { name: "Send", exact: true }).click();
    const number = (await page.getByTestId("invoice-number").textContent()) ?? "";
    await page.getByRole("dialog", { name: `Send ${number}?` }).getByRole("button", { name: "Send invoice" }).click();
    await expect(page.getByRole("button", { name: "Send", exact: true })).toHaveCount(0);

    // The customer moves and renames; the sent invoice still reads as it was sent.
    await page.getByTestId("bill-to-name").getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await page.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = page.getByRole("dialog", { name: `Edit ${name}` });
    await edit.getByLabel("Name").fill(`${name} Renamed`);
    await edit.getByLabel("Billing address").fill("9 New Street\nDallas");
    await edit.getByRole("button", { name: "Save customer" }).click();
    await expect(page.getByText(`Saved “${name} Renamed”`)).toBeVisible();
    await expect(page.getByRole("heading", { name: `${name} Renamed` })).toBeVisible();

    await page.goto(invoiceUrl);
    await expect(page.getByTestId("bill-to-name")).toHaveText(name);
    await expect(page.getByTestId("bill-to-address")).toHaveText("1 Initech Way\nAustin, TX 78701");
    await expect(page.getByText("Tax ID: US-12-3456789")).toBeVisible();
  });
});

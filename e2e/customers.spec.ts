import { expect, test } from "@playwright/test";
import { e2e } from "../playwright.config";
import { extractPdf } from "../tests/support/pdf-text";

test.use({ storageState: "e2e/.auth/acme-owner.json" });
// One story: the invoice made out to the customer is checked after the customer changes.
test.describe.configure({ mode: "serial" });

const run = Math.random().toString(36).slice(2, 8);
// Long enough to wrap in the list, the picker, the invoice page and the PDF.
const name = `Initech Intercontinental Consulting and Enterprise Software Solutions Holdings ${run}`;
const address = "Building 7, Floor 12, Suite 1204, Initech Corporate Technology Campus\n1 Initech Way\nAustin, TX 78701\nUnited States of America";
const flat = (text: string) => text.replace(/\s+/g, "");
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
    await dialog.getByLabel("Billing address").fill(address);
    await dialog.getByLabel("Tax ID").fill("US-12-3456789");
    await dialog.getByLabel("Default currency").selectOption("CHF");
    await dialog.getByRole("button", { name: "Add customer" }).click();
    await expect(page.getByText(`Added “${name}”`)).toBeVisible();
    // The page behind the dialog is inert until it closes.
    await expect(dialog).toBeHidden();

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
    await expect(page.getByTestId("bill-to-address")).toHaveText(address);

    await page.getByRole("button", { name: "Send", exact: true }).click();
    const number = (await page.getByTestId("invoice-number").textContent()) ?? "";
    await page.getByRole("dialog", { name: `Send ${number}?` }).getByRole("button", { name: "Send invoice" }).click();
    await expect(page.getByRole("button", { name: "Send", exact: true })).toHaveCount(0);
    await expect(page.getByRole("article").getByText("sent", { exact: true })).toBeVisible();
    // The seller beside the customer, on the page and in the PDF.
    await expect(page.getByTestId("seller").getByRole("heading", { name: "From" })).toBeVisible();
    await expect(page.getByTestId("seller-name")).not.toBeEmpty();
    await expect(page.getByTestId("bill-to").getByRole("heading", { name: "Bill to" })).toBeVisible();
    if (screens) {
      await page.screenshot({ path: `${screens}/invoice-parties-desktop.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${screens}/invoice-parties-phone.png`, fullPage: true });
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    // Fetched by the page: Node does not resolve *.localhost.
    const bytes = await page.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())), `${new URL(invoiceUrl).pathname.replace("/invoices/", "/api/invoices/")}/pdf`);
    const pdf = flat((await extractPdf(new Uint8Array(bytes))).text);
    for (const part of ["From", "Billto", flat(name), flat(address), "TaxID:US-12-3456789"]) expect(pdf).toContain(part);

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
    await expect(page.getByTestId("bill-to-address")).toHaveText(address);
    await expect(page.getByText("Tax ID: US-12-3456789")).toBeVisible();

    // Archived, the customer leaves the list and the picker; a sibling customer found by the same search stays.
    const sibling = `Initrode ${run}`;
    await page.evaluate(async (input) => {
      const res = await fetch("/api/trpc/customer.create", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: input }) });
      if (!res.ok) throw new Error(`customer.create answered ${res.status}`);
    }, { name: sibling });
    await page.goto(e2e.url("acme", `/customers?q=${run}`));
    await expect(page.getByTestId("customer-row")).toHaveCount(2);
    await page.getByRole("button", { name: `Archive ${name} Renamed` }).click();
    await page.getByRole("dialog", { name: `Archive “${name} Renamed”?` }).getByRole("button", { name: "Archive customer" }).click();
    await expect(page.getByText(`Archived “${name} Renamed”`)).toBeVisible();
    await expect(page.getByTestId("customer-row")).toHaveCount(1);
    await expect(page.getByTestId("customer-row")).toContainText(sibling);

    await page.goto(e2e.url("acme", "/invoices/new"));
    await page.getByLabel("Find a customer").fill(run);
    await expect(page.getByText("1 match; choose below.")).toBeVisible();
    const picker = page.getByLabel("Saved customer");
    await expect(picker.locator("option", { hasText: sibling })).toHaveCount(1);
    await expect(picker.locator("option", { hasText: name })).toHaveCount(0);
  });
});

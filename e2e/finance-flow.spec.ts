import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { e2e } from "../playwright.config";
import { extractPdf } from "../tests/support/pdf-text";
import { linkIn, waitForMail } from "./mail";

/**
 * A finance user's whole path, in German: a customer whose name is in several scripts, an invoice
 * to them in EUR with a price typed the German way, sent; the customer opens the emailed link with
 * no account and downloads the PDF; the payment is recorded with its date and then undone.
 */
test.use({ storageState: "e2e/.auth/acme-owner.json", locale: "de-DE" });

const run = Math.random().toString(36).slice(2, 8);
const name = `Zoë Ærøskøbing 株式会社テスト مرحبا Łódź ${run}`;
const email = `finance-${run}@e2e.test`;
const flat = (text: string) => text.replace(/\s+/g, "");

test("customer → invoice typed as 12,5 → send → public view and PDF in any script → paid with a date → undone", async ({ page, browser }) => {
  test.setTimeout(120_000);

  await page.goto(e2e.url("acme", "/customers"));
  await page.getByRole("button", { name: "New customer" }).click();
  const dialog = page.getByRole("dialog", { name: "New customer" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Default currency").selectOption("EUR");
  await dialog.getByRole("button", { name: "Add customer" }).click();
  await expect(dialog).toBeHidden();

  await page.goto(e2e.url("acme", "/invoices/new"));
  await page.getByLabel("Find a customer").fill(run);
  await expect(page.getByText("1 match; choose below.")).toBeVisible();
  await page.getByLabel("Saved customer").selectOption({ label: `${name} — ${email}` });
  await expect(page.getByLabel("Currency")).toHaveValue("EUR");
  const line = page.getByRole("listitem", { name: "Line 1", exact: true });
  await line.getByLabel("Line 1 description").fill("Beratung");
  await line.getByLabel("Quantity").fill("1");
  await line.getByLabel("Unit price").fill("12,5");
  await line.getByLabel("Tax %").fill("19");
  // Read back before saving: twelve and a half euros, not 125.
  await expect(page.getByTestId("line-1-reading")).toHaveText("Reads as 1 × 12,50 €, 19 % tax");
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  const invoiceId = page.url().split("/").pop()!;
  const number = (await page.getByTestId("invoice-number").textContent()) ?? "";

  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByRole("dialog", { name: `Send ${number}?` }).getByRole("button", { name: "Send invoice" }).click();
  await expect(page.getByTestId("public-link-status")).toContainText("Active since");

  // The job the send queued runs as the worker would (the e2e run's worker takes mail jobs only); its email carries the link.
  execFileSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "e2e/run-invoice-email-job.ts", invoiceId], { env: process.env, stdio: "pipe", timeout: 60_000 });
  const mail = await waitForMail(email, new RegExp(`^Invoice ${number} from `));
  const link = linkIn(mail, "http://");

  const customer = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const view = await customer.newPage();
    expect((await view.goto(link))?.status()).toBe(200);
    await expect(view.getByRole("heading", { name: number })).toBeVisible();
    await expect(view.getByRole("cell", { name: "Beratung" })).toBeVisible();
    const [download] = await Promise.all([view.waitForEvent("download"), view.getByRole("link", { name: "Download PDF" }).click()]);
    const { text } = await extractPdf(await readFile(await download.path()));
    // The name wraps in its block: compared without the spaces line breaks take.
    expect(flat(text)).toContain(flat(name));
    expect(text).toContain(number);
    expect(text).not.toContain("?");
  } finally {
    await customer.close();
  }

  // Paid on a date the user chooses (not later than today), by a method; undone in the same month.
  await page.reload();
  await page.getByRole("button", { name: "Mark paid" }).click();
  const paid = page.getByRole("dialog", { name: `Mark ${number} paid` });
  await expect(paid.getByLabel("Payment date")).not.toHaveValue("");
  await paid.getByLabel("Payment method").selectOption({ label: "Bank transfer" });
  await paid.getByRole("button", { name: "Mark paid" }).click();
  await expect(page.getByTestId("invoice-paid-on")).toBeVisible();
  await expect(page.getByTestId("invoice-payment-method")).toHaveText("Bank transfer");
  await page.getByRole("button", { name: "Mark unpaid" }).click();
  await page.getByRole("dialog", { name: `Mark ${number} unpaid?` }).getByRole("button", { name: "Mark unpaid" }).click();
  await expect(page.getByText(`${number} is unpaid again`)).toBeVisible();
  await expect(page.getByTestId("invoice-paid-on")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Mark paid" })).toBeVisible();
});

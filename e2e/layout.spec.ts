import { expect, test, type Locator, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";
import { longWord } from "../tests/support/worst-case-invoice";
import { trpcMutation } from "./trpc-request";

test.use({ storageState: "e2e/.auth/acme-owner.json" });
// Per worker (each module load): a worker that restarts after a failure arranges its own rows.
const run = Math.random().toString(36).slice(2, 8);
// Unbroken words: the hardest text to lay out, since the browser cannot wrap them at a space.
const customer = `${run}${longWord(101, 194)}`;
const projectName = `${run}${longWord(102, 114)}`;
const description = longWord(103, 500);
const keyName = `${run}${longWord(104, 94)}`;
const sizes = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
] as const;

let invoiceId = "";
let projectId = "";

async function expectNoSideways(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const el = document.scrollingElement!;
    return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
  });
  expect(scrollWidth, "the page scrolls sideways").toBeLessThanOrEqual(clientWidth);
}

/** Visible and wholly inside the viewport horizontally (a clipped or scrolled-away cell fails). */
async function expectInView(page: Page, locator: Locator, what: string) {
  await expect(locator, what).toBeVisible();
  const box = await locator.boundingBox();
  const width = page.viewportSize()!.width;
  expect(box, what).not.toBeNull();
  expect(box!.x, `${what} starts left of the screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what} ends right of the screen`).toBeLessThanOrEqual(width);
  // Scrolled away inside an overflow box still has a box in the viewport: check it is not clipped.
  const clipped = await locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (style.overflowX === "visible") continue;
      const c = p.getBoundingClientRect();
      if (r.left < c.left - 0.5 || r.right > c.right + 0.5) return true;
    }
    return false;
  });
  expect(clipped, `${what} is clipped by a scrolling box`).toBe(false);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test.describe("layout with long values", () => {
  test.beforeAll(async ({ browser }) => {
    // Fully parallel mode may run this hook again in the same worker (same `run`): arrange once.
    if (invoiceId) return;
    const context = await browser.newContext({ storageState: "e2e/.auth/acme-owner.json" });
    const page = await context.newPage();
    await page.goto(e2e.url("acme", "/"));
    const project = await trpcMutation<{ id: string }>(page, "project.create", { name: projectName, description });
    projectId = project.id;
    const invoice = await trpcMutation<{ id: string }>(page, "invoice.create", {
      projectId,
      customerName: customer,
      customerEmail: "ap@layout.test",
      currency: "EUR",
      issueDate: "2026-03-02",
      dueDate: "2026-04-17",
      items: [
        { description, quantity: "1234.5", unitPrice: 987_654_321, taxRateBp: 2000 },
        { description: `Short line ${run}`, quantity: "1", unitPrice: 100, taxRateBp: 0 },
      ],
    });
    invoiceId = invoice.id;
    await trpcMutation(page, "apiKey.create", { name: keyName, scopes: ["projects:read", "invoices:read"], expiresInDays: 90 });
    await context.close();
  });

  for (const size of sizes) {
    test.describe(size.name, () => {
      test.use({ viewport: { width: size.width, height: size.height } });

      test("invoice list: no sideways scroll, the row's status, due date and total on screen", async ({ page }) => {
        await page.goto(e2e.url("acme", `/invoices?customer=${run}`));
        await expect(page.getByRole("heading", { name: "Invoices", level: 1 })).toBeVisible();
        // A card on a phone, a table row on a desktop: whichever shows.
        const row = page.getByTestId(/^invoice-(row|card)$/).filter({ visible: true });
        await expect(row).toHaveCount(1);
        await shot(page, "invoice-list");
        await expectNoSideways(page);
        await expectInView(page, row.getByText("draft", { exact: true }), "status");
        await expectInView(page, row.getByText("Apr 17, 2026"), "due date");
        await expectInView(page, row.getByText(/^€[\d,]+\.\d{2}$/), "total");

        const filtersToggle = page.getByRole("button", { name: /^Filters/ });
        const customerField = page.getByRole("search", { name: "Filter invoices" }).getByLabel("Customer");
        if (size.name === "phone") {
          await expect(filtersToggle).toHaveAttribute("aria-expanded", "false");
          await expect(filtersToggle).toContainText("1");
          await expect(customerField).toBeHidden();
          await filtersToggle.click();
          await expect(filtersToggle).toHaveAttribute("aria-expanded", "true");
          await expect(customerField).toHaveValue(run);
          await expectNoSideways(page);
          await shot(page, "invoice-list-filters-open");
        } else {
          await expect(customerField).toBeVisible();
        }
      });

      test("invoice page: no sideways scroll, amounts and total on screen", async ({ page }) => {
        await page.goto(e2e.url("acme", `/invoices/${invoiceId}`));
        await expect(page.getByTestId("invoice-number")).toBeVisible();
        await shot(page, "invoice-detail");
        await expectNoSideways(page);
        await expectInView(page, page.getByTestId("invoice-total"), "total");
        await expectInView(page, page.getByRole("row").filter({ hasText: `Short line ${run}` }).getByText("€1.00").last(), "line amount");
        await expectInView(page, page.getByText("April 17, 2026"), "due date");
      });

      test("project page and list: no sideways scroll with a 120-character name", async ({ page }) => {
        await page.goto(e2e.url("acme", `/projects/${projectId}`));
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await shot(page, "project");
        await expectNoSideways(page);
        await expectInView(page, page.getByRole("heading", { level: 1 }), "project name");
        await expectInView(page, page.getByRole("main").getByText("active", { exact: true }), "project status");
        // Still a table to assistive technology when its rows stack on a phone.
        const totals = page.getByRole("table", { name: /^Totals per currency/ }).getByRole("row", { name: /EUR/ });
        await expectInView(page, totals.getByRole("cell").last(), "overdue total");

        await page.goto(e2e.url("acme", `/projects?q=${run}`));
        const row = page.getByTestId("project-row");
        await expect(row).toHaveCount(1);
        await shot(page, "project-list");
        await expectNoSideways(page);
        await expectInView(page, row.getByText("active", { exact: true }), "project status in the list");
      });

      test("API keys: no sideways scroll, a key's status and revoke button on screen", async ({ page }) => {
        await page.goto(e2e.url("acme", "/settings/api-keys"));
        const row = page.getByRole("row").filter({ hasText: keyName });
        await expect(row).toHaveCount(1);
        await shot(page, "api-keys");
        await expectNoSideways(page);
        await expectInView(page, row.getByText("Active", { exact: true }), "key status");
        await expectInView(page, row.getByRole("button", { name: `Revoke ${keyName}` }), "revoke button");
      });

      test("navigation: the menu is a button with aria-expanded, the workspace switcher fits", async ({ page }) => {
        await page.goto(e2e.url("acme", "/invoices"));
        const menu = page.getByRole("button", { name: "Menu" });
        const nav = page.getByRole("navigation", { name: "Workspace" });
        if (size.name === "phone") {
          await expect(menu).toHaveAttribute("aria-expanded", "false");
          await expect(nav).toBeHidden();
          await menu.click();
          await expect(menu).toHaveAttribute("aria-expanded", "true");
          await expect(nav.getByRole("link", { name: "Projects" })).toBeVisible();
          await shot(page, "menu-open");
        } else {
          await expect(menu).toBeHidden();
          await expect(nav.getByRole("link", { name: "Projects" })).toBeVisible();
        }
        await page.locator("summary", { hasText: "Switch workspace" }).click();
        const list = page.getByRole("list", { name: "Your workspaces" });
        await shot(page, "workspace-switcher");
        await expectInView(page, list, "workspace list");
        await expectInView(page, list.getByRole("link", { name: "Create a workspace…" }), "create a workspace link");
        await expectNoSideways(page);
      });
    });
  }
});

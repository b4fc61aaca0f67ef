import { expect, test, type Browser, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";

const PASSWORD = "canopy-demo";
const unique = () => Math.random().toString(36).slice(2, 8);

async function signIn(page: Page, url: string, email: string) {
  await page.goto(url);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
}

async function signInAsAdmin(page: Page) {
  await signIn(page, e2e.url("admin", "/signin"), "admin@canopy.test");
  await expect(page.getByRole("heading", { name: "Tenants", level: 1 })).toBeVisible();
}

/** Onboards through the wizard with member@globex.test as owner; returns the slug. */
async function onboard(page: Page, name: string, slug: string) {
  await page.goto(e2e.url("admin", "/new"));
  await page.getByLabel("Tenant name").fill(name);
  await page.getByLabel("Address", { exact: true }).fill(slug);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("An existing Canopy user").check();
  await page.getByLabel("Owner email").fill("member@globex.test");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("pro", { exact: true }).check();
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page.getByRole("heading", { name: "Tenant created" })).toBeVisible();
}

async function asOwner(browser: Browser, slug: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, e2e.url(slug, "/signin"), "member@globex.test");
  return { page, close: () => context.close() };
}

test.describe("platform admin", () => {
  test("a tenant member gets 403 on the admin host", async ({ page }) => {
    await signIn(page, e2e.url("admin", "/signin"), "owner@acme.test");
    await page.goto(e2e.url("admin", "/"));
    await expect(page.getByRole("heading", { name: "No access" })).toBeVisible();
  });

  test("onboards a tenant through the wizard and it answers at its subdomain", async ({ page, browser }) => {
    await signInAsAdmin(page);
    const id = unique();
    await page.goto(e2e.url("admin", "/new"));
    await page.getByLabel("Tenant name").fill(`Wizard ${id}`);
    await expect(page.getByLabel("Address", { exact: true })).toHaveValue(`wizard-${id}`);

    // Format, reserved words and taken slugs are refused in the form.
    await page.getByLabel("Address", { exact: true }).fill("admin");
    await expect(page.getByText("That address is reserved")).toBeVisible();
    await page.getByLabel("Address", { exact: true }).fill("acme");
    await expect(page.getByText("That address is taken")).toBeVisible();
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: "Name and address" })).toBeVisible();
    await page.getByLabel("Address", { exact: true }).fill("-bad-");
    await page.getByLabel("Tenant name").focus();
    await expect(page.getByText("Cannot start or end with a hyphen")).toBeVisible();

    await onboard(page, `Wizard ${id}`, `wizard-${id}`);
    const owner = await asOwner(browser, `wizard-${id}`);
    await expect(owner.page.getByTestId("tenant-name")).toHaveText(`Wizard ${id}`);
    await owner.close();

    await page.goto(e2e.url("admin", `/?q=wizard-${id}`));
    const row = page.getByRole("row", { name: new RegExp(`wizard-${id}`) });
    await expect(row).toContainText("pro");
    await expect(row).toContainText("active");
  });

  test("suspend shows the suspended page on the tenant host, reactivate brings it back", async ({ page, browser }) => {
    // Two waits for the middleware's 1 s host cache (with room for a loaded machine), on top of onboarding.
    test.setTimeout(90_000);
    await signInAsAdmin(page);
    const slug = `susp-${unique()}`;
    await onboard(page, `Suspendable ${slug}`, slug);
    const owner = await asOwner(browser, slug);
    await expect(owner.page.getByTestId("tenant-name")).toBeVisible();

    await page.getByRole("link", { name: "Manage this tenant" }).click();
    // The plan chosen in the wizard, with what it allows (lib/plans.ts).
    const plan = page.getByRole("region", { name: "Plan: Pro" });
    await expect(plan).toContainText("200 per second, bursts of 400");
    await expect(plan).toContainText("1,000 (archived included)");
    await page.screenshot({ path: test.info().outputPath("admin-tenant-plan.png"), fullPage: true });
    // A smaller plan, asked for first: the panel then shows what Free allows.
    await plan.getByLabel("Change plan").selectOption("free");
    await plan.getByRole("button", { name: "Move to Free" }).click();
    await page.getByRole("dialog", { name: `Move Suspendable ${slug} to the Free plan?` }).getByRole("button", { name: "Move to Free" }).click();
    await expect(page.getByRole("region", { name: "Plan: Free" })).toContainText("50 (archived included)");
    await page.getByRole("button", { name: "Suspend" }).click();
    await page.getByRole("button", { name: "Suspend tenant" }).click();
    await expect(page.getByRole("button", { name: "Reactivate" })).toBeVisible();

    // The Edge middleware caches a resolved host for up to 1 s; the resolve endpoint's cache hears of the change from the database.
    await expect(async () => {
      await owner.page.goto(e2e.url(slug, "/"));
      await expect(owner.page.getByRole("heading", { name: "Workspace suspended" })).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15_000, intervals: [1000] });

    await page.getByRole("button", { name: "Reactivate" }).click();
    await page.getByRole("button", { name: "Reactivate tenant" }).click();
    await expect(page.getByRole("button", { name: "Suspend" })).toBeVisible();
    await expect(async () => {
      await owner.page.goto(e2e.url(slug, "/"));
      await expect(owner.page.getByTestId("tenant-name")).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15_000, intervals: [1000] });
    await owner.close();

    await page.goto(e2e.url("admin", "/audit"));
    const entries = page.getByTestId("platform-audit-entry");
    await expect(entries.filter({ hasText: `suspended tenant Suspendable ${slug} (${slug})` })).toBeVisible();
    await expect(entries.filter({ hasText: `moved tenant Suspendable ${slug} (${slug}) to the Free plan (was Pro)` })).toBeVisible();
    await expect(entries.filter({ hasText: `reactivated tenant Suspendable ${slug} (${slug})` }).getByRole("link", { name: `Suspendable ${slug} (${slug})` })).toHaveAttribute("href", /\/tenants\//);
  });

  test("view as tenant: a reason, a banner on the tenant's pages, read-only, recorded in its audit log", async ({ page, context }) => {
    await signInAsAdmin(page);
    await page.goto(e2e.url("admin", "/?q=globex"));
    await page.getByRole("link", { name: "Globex Inc" }).click();
    await page.getByLabel("Reason").fill("abc");
    await page.getByRole("button", { name: "Start support view" }).click();
    await expect(page.getByText("Give a reason of at least 5 characters")).toBeVisible();
    const reason = `Ticket ${unique()}: totals look off`;
    await page.getByLabel("Reason").fill(reason);
    const opened = context.waitForEvent("page");
    await page.getByRole("button", { name: "Start support view" }).click();
    const tenantPage = await opened;
    await expect(tenantPage.getByTestId("support-banner")).toContainText(reason);
    await expect(tenantPage.getByTestId("support-banner")).toContainText("read-only");
    await expect(tenantPage.getByTestId("tenant-name")).toHaveText("Globex Inc");
    await expect(tenantPage.getByTestId("read-only-badge")).toBeVisible();

    // Read-only: no control that could only end in a refusal.
    await expect(tenantPage.getByRole("heading", { name: "Dashboard" })).toBeVisible();
    await expect(tenantPage.getByRole("link", { name: /New invoice|Create your first invoice/ })).toHaveCount(0);
    await tenantPage.goto(e2e.url("globex", "/invoices?status=draft"));
    await expect(tenantPage.getByRole("heading", { name: "Invoices" })).toBeVisible();
    await expect(tenantPage.getByRole("link", { name: "New invoice" })).toHaveCount(0);
    await tenantPage.getByRole("link", { name: /^INV-\d{6}$/ }).first().click();
    await expect(tenantPage.getByTestId("invoice-number")).toBeVisible();
    await expect(tenantPage.getByRole("link", { name: "Download PDF" })).toBeVisible();
    for (const name of ["Send", "Mark paid", "Void", "Delete"]) await expect(tenantPage.getByRole("button", { name, exact: true })).toHaveCount(0);
    await expect(tenantPage.getByRole("link", { name: "Edit" })).toHaveCount(0);
    await tenantPage.goto(e2e.url("globex", "/projects"));
    await expect(tenantPage.getByRole("heading", { name: "Projects" })).toBeVisible();
    await expect(tenantPage.getByRole("button", { name: "New project" })).toHaveCount(0);
    // A typed address is refused up front with a 403, not after a whole form.
    expect((await tenantPage.goto(e2e.url("globex", "/invoices/new")))?.status()).toBe(403);

    // Ending it from the banner closes the session and returns to the tenant in the admin console.
    await tenantPage.getByRole("button", { name: "End support view" }).click();
    await tenantPage.waitForURL((u) => u.hostname.startsWith("admin.") && /^\/tenants\/[0-9a-f-]{36}$/.test(u.pathname));
    await expect(tenantPage.getByRole("heading", { name: "Globex Inc" })).toBeVisible();
    expect((await tenantPage.goto(e2e.url("globex", "/")))?.status()).toBe(403);
  });
});

import { expect, test } from "@playwright/test";
import { e2e } from "../playwright.config";

const ACME_PROJECT = "Website redesign";
const GLOBEX_PROJECT = "Fusion reactor";

test.describe("tenant routing by host", () => {
  test.describe("as acme's owner", () => {
    test.use({ storageState: "e2e/.auth/acme-owner.json" });

    test("acme's subdomain shows acme's projects and not globex's", async ({ page }) => {
      await page.goto(e2e.url("acme", "/projects"));
      await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
      await expect(page.getByText(ACME_PROJECT)).toBeVisible();
      await expect(page.getByText(GLOBEX_PROJECT)).toHaveCount(0);
    });

    test("globex's subdomain refuses an acme-only user with 403", async ({ page }) => {
      const response = await page.goto(e2e.url("globex"));
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "No access" })).toBeVisible();
      await expect(page.getByText(GLOBEX_PROJECT)).toHaveCount(0);
    });

    test("forged x-tenant-* headers change nothing", async ({ page, browser }) => {
      // Learn globex's real id the honest way, as globex's owner.
      const globex = await browser.newContext({ storageState: "e2e/.auth/globex-owner.json" });
      // Through the browser (Chromium resolves *.localhost; Node's resolver does not).
      const res = await (await globex.newPage()).goto(e2e.url("globex", "/api/trpc/tenant.current"));
      const globexId = ((await res!.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
      await globex.close();
      expect(globexId).toMatch(/^[0-9a-f-]{36}$/);

      await page.setExtraHTTPHeaders({ "x-tenant-id": globexId, "x-tenant-slug": "globex", "x-canopy-surface": "tenant" });
      await page.goto(e2e.url("acme", "/projects"));
      await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
      await expect(page.getByText(ACME_PROJECT)).toBeVisible();
      await expect(page.getByText(GLOBEX_PROJECT)).toHaveCount(0);

      const api = await page.goto(e2e.url("acme", "/api/trpc/project.list?input=%7B%22json%22%3A%7B%7D%7D"));
      expect(api?.status()).toBe(200);
      const body = JSON.stringify(await api!.json());
      expect(body).toContain(ACME_PROJECT);
      expect(body).not.toContain(GLOBEX_PROJECT);
    });
  });

  test.describe("as globex's owner", () => {
    test.use({ storageState: "e2e/.auth/globex-owner.json" });

    test("globex's subdomain shows globex's projects and not acme's", async ({ page }) => {
      await page.goto(e2e.url("globex", "/projects"));
      await expect(page.getByTestId("tenant-name")).toHaveText("Globex Inc");
      await expect(page.getByText(GLOBEX_PROJECT)).toBeVisible();
      await expect(page.getByText(ACME_PROJECT)).toHaveCount(0);
    });
  });

  test.describe("on acme's verified custom domain", () => {
    test.use({ storageState: "e2e/.auth/acme-custom-domain.json" });

    test("billing.acme.test shows acme", async ({ page }) => {
      await page.goto(e2e.customUrl("billing.acme.test", "/projects"));
      await expect(page.getByTestId("tenant-name")).toHaveText("Acme Corp");
      await expect(page.getByText(ACME_PROJECT)).toBeVisible();
      await expect(page.getByText(GLOBEX_PROJECT)).toHaveCount(0);
    });
  });

  test("an unknown subdomain gives 404", async ({ page }) => {
    const response = await page.goto(e2e.url("nosuchtenant"));
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Workspace not found" })).toBeVisible();
  });

  test("an unknown domain gives 404", async ({ page }) => {
    const response = await page.goto(e2e.customUrl("unknown-company.test"));
    expect(response?.status()).toBe(404);
  });

  test("the internal route tree cannot be opened directly", async ({ page }) => {
    const response = await page.goto(e2e.url("acme", "/s/admin"));
    expect(response?.status()).toBe(404);
  });

  test("signed out, a tenant page sends you to sign in", async ({ page }) => {
    await page.goto(e2e.url("acme"));
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByRole("heading", { name: "Sign in to Acme Corp" })).toBeVisible();
  });
});

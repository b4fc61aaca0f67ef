import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { e2e } from "../playwright.config";

// One story on acme: the details saved first are what the sign-in page and the invoice form show.
test.describe.configure({ mode: "serial" });

const run = Math.random().toString(36).slice(2, 8);
const legalName = `Acme Corporation Ltd ${run}`;
const screens = process.env.E2E_SCREENSHOTS;

/** A small real PNG, made here so the test needs no binary fixture. */
const logoPng = () => sharp({ create: { width: 96, height: 48, channels: 4, background: "#0f766e" } }).png().toBuffer();

test.describe("company details", () => {
  test.use({ storageState: "e2e/.auth/acme-owner.json" });

  test("the owner edits the company details and uploads a logo", async ({ page }) => {
    await page.goto(e2e.url("acme", "/settings/company"));
    await expect(page.getByRole("heading", { name: "Company details" })).toBeVisible();
    await page.getByLabel("Legal name").fill(legalName);
    await page.getByLabel("Postal address").fill("1 Market Street\nSpringfield\n12345");
    await page.getByLabel("Tax ID").fill("US 12-3456789");
    await page.getByLabel("Default currency").selectOption("EUR");
    await page.getByLabel("Payment terms (days)").fill("14");

    // A prefix with a space is refused in the form, before anything is sent.
    await page.getByLabel("Invoice number prefix").fill("IN V");
    await page.getByRole("button", { name: "Save company details" }).click();
    await expect(page.getByText("Use letters, digits and dashes only")).toBeVisible();
    // Acme's other specs expect INV- numbers: the prefix stays, and the preview says what it gives.
    await page.getByLabel("Invoice number prefix").fill("INV-");
    await expect(page.getByText("The next invoice reads INV-000042")).toBeVisible();
    await page.getByRole("button", { name: "Save company details" }).click();
    await expect(page.getByText("Company details saved")).toBeVisible();

    await page.getByLabel("Upload a logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: await logoPng() });
    await expect(page.getByText("Logo updated")).toBeVisible();
    const logo = page.getByTestId("company-logo");
    await expect(logo).toBeVisible();
    await expect(logo).toHaveJSProperty("naturalWidth", 96);

    // An SVG is refused by its bytes even when the browser calls it a PNG.
    await page.getByLabel("Upload a logo").setInputFiles({ name: "evil.png", mimeType: "image/png", buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
    await expect(page.getByRole("alert").filter({ hasText: "Upload a PNG, JPEG or WebP image" })).toBeVisible();

    await page.reload();
    await expect(page.getByLabel("Legal name")).toHaveValue(legalName);
    await expect(page.getByLabel("Postal address")).toHaveValue("1 Market Street\nSpringfield\n12345");
    await expect(page.getByLabel("Default currency")).toHaveValue("EUR");
    await expect(page.getByLabel("Payment terms (days)")).toHaveValue("14");
    if (screens) {
      await page.screenshot({ path: `${screens}/company-desktop.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${screens}/company-phone.png`, fullPage: true });
    }
  });

  test("a new invoice starts in the default currency, due after the payment terms", async ({ page }) => {
    await page.goto(e2e.url("acme", "/invoices/new"));
    await expect(page.getByLabel("Currency")).toHaveValue("EUR");
    const issue = await page.getByLabel("Issue date").inputValue();
    const due = new Date(`${issue}T00:00:00Z`);
    due.setUTCDate(due.getUTCDate() + 14);
    await expect(page.getByLabel("Due date")).toHaveValue(due.toISOString().slice(0, 10));
  });
});

test.describe("sign-in branding", () => {
  test("acme's sign-in page shows its name and logo; the root and globex's show nothing of acme", async ({ page }) => {
    const fetchFromPage = (path: string) =>
      page.evaluate(async (url) => {
        const res = await fetch(url);
        return { status: res.status, type: res.headers.get("content-type"), nosniff: res.headers.get("x-content-type-options"), cache: res.headers.get("cache-control") };
      }, path);
    await page.goto(e2e.url("acme", "/signin"));
    await expect(page.getByRole("heading", { name: "Sign in to Acme Corp" })).toBeVisible();
    const logo = page.getByTestId("tenant-logo");
    await expect(logo).toHaveAttribute("alt", "Acme Corp logo");
    await expect(logo).toHaveJSProperty("naturalWidth", 96);
    const src = (await logo.getAttribute("src"))!;
    expect(src).toMatch(/^\/api\/logo\/[0-9a-f]{64}$/);
    // Fetched by the page itself: Node does not resolve *.localhost, the browser does.
    expect(await fetchFromPage(src)).toEqual({ status: 200, type: "image/png", nosniff: "nosniff", cache: "public, max-age=31536000, immutable" });
    if (screens) {
      await page.screenshot({ path: `${screens}/signin-desktop.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${screens}/signin-phone.png`, fullPage: true });
    }

    // The same logo URL on another tenant's host is not found, and its sign-in page is its own.
    await page.goto(e2e.url("globex", "/signin"));
    expect((await fetchFromPage(src)).status).toBe(404);
    await expect(page.getByRole("heading", { name: "Sign in to Globex Inc" })).toBeVisible();
    await expect(page.getByTestId("tenant-logo")).toHaveCount(0);
    await expect(page.getByText("Acme")).toHaveCount(0);

    await page.goto(e2e.url(null, "/signin"));
    await expect(page.getByRole("heading", { name: "Sign in to Canopy" })).toBeVisible();
    await expect(page.getByTestId("tenant-branding")).toHaveCount(0);
  });

  test("acme's verified custom domain shows acme's branding too", async ({ page }) => {
    await page.goto(e2e.customUrl("billing.acme.test", "/signin"));
    await expect(page.getByRole("heading", { name: "Sign in to Acme Corp" })).toBeVisible();
    await expect(page.getByTestId("tenant-logo")).toHaveJSProperty("naturalWidth", 96);
  });
});

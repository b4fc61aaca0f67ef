import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { e2e } from "../playwright.config";
import { signUpConfirmed } from "./mail";

// A workspace of its own: it gets more projects than a page loads, which no other spec should see.
test.use({ storageState: { cookies: [], origins: [] } });

const id = Math.random().toString(36).slice(2, 8);
const slug = `many-${id}`;
const needle = `Needle ${id}`;

test("with more than 100 projects, the invoice pages find the 101st by search, show it, and keep it on edit", async ({ page }) => {
  test.setTimeout(90_000);
  await signUpConfirmed(page, { origin: e2e.url(null, ""), name: `Many ${id}`, email: `many-${id}@example.test`, password: "a-long-password-1" });
  await page.getByLabel("Workspace name").fill(`Many ${id}`);
  await page.getByLabel("Address").fill(slug);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByTestId("tenant-name")).toHaveText(`Many ${id}`);

  // A new workspace is on the free plan (50 projects); an operator moves this one to pro (1,000).
  const owner = postgres(process.env.MIGRATION_DATABASE_URL!, { max: 1, onnotice: () => undefined });
  try {
    const [tenant] = await owner<{ id: string }[]>`select id from tenants where slug = ${slug}`;
    await owner.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${tenant!.id}, true)`;
      await tx`update tenants set plan = 'pro' where id = ${tenant!.id}`;
    });
  } finally {
    await owner.end();
  }

  // The needle first, then 100 newer projects: the list is newest first, so the needle is no. 101.
  const created = await page.evaluate(
    async ({ names }) => {
      let ok = 0;
      for (const name of names) {
        const res = await fetch("/api/trpc/project.create", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { name } }) });
        if (res.ok) ok += 1;
      }
      return ok;
    },
    { names: [needle, ...Array.from({ length: 100 }, (_, i) => `Bulk ${String(i + 1).padStart(3, "0")}`)] },
  );
  expect(created).toBe(101);

  await page.goto(e2e.url(slug, "/invoices/new"));
  const project = page.getByLabel("Project", { exact: true });
  await expect(project.getByRole("option", { name: "Bulk 100" })).toHaveCount(1);
  await expect(project.getByRole("option", { name: needle })).toHaveCount(0);
  await expect(page.getByText("Showing the first 100; search to find others.")).toBeVisible();
  await page.getByLabel("Find a project").fill("needle");
  await expect(page.getByText("1 match.")).toBeVisible();
  await project.selectOption({ label: needle });
  // Searching on after the choice keeps the chosen project selected.
  await page.getByLabel("Find a project").fill("Bulk 00");
  await expect(page.getByText("9 matches.")).toBeVisible();
  await expect(project.locator("option:checked")).toHaveText(needle);

  await page.getByLabel("Customer name").fill(`Picker Customer ${id}`);
  await page.getByLabel("Line 1 description").fill("Work");
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Unit price").fill("10");
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  const invoiceUrl = page.url();
  await expect(page.getByRole("link", { name: needle })).toBeVisible();

  // The list names the project of every row, not only of the first 100 projects.
  await page.goto(e2e.url(slug, "/invoices"));
  await expect(page.getByTestId("invoice-row").filter({ hasText: `Picker Customer ${id}` })).toContainText(needle);

  // Editing shows the invoice's project selected, and saving keeps it.
  await page.goto(`${invoiceUrl}/edit`);
  await expect(project.locator("option:checked")).toHaveText(needle);
  await page.getByLabel("Customer name").fill(`Picker Customer ${id} (edited)`);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(invoiceUrl);
  await expect(page.getByRole("link", { name: needle })).toBeVisible();

  // The list's project filter finds it too.
  await page.goto(e2e.url(slug, "/invoices"));
  await page.getByLabel("Find a project").fill(needle);
  await expect(page.getByText("1 match.")).toBeVisible();
  await page.getByLabel("Project", { exact: true }).selectOption({ label: needle });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]project=[0-9a-f-]{36}/);
  await expect(page.getByTestId("invoice-row")).toHaveCount(1);
  await expect(page.getByLabel("Project", { exact: true }).locator("option:checked")).toHaveText(needle);
});

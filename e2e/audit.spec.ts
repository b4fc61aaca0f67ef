import { expect, test } from "@playwright/test";
import { e2e } from "../playwright.config";
import { trpcMutation } from "./trpc-request";

test.use({ storageState: "e2e/.auth/acme-owner.json" });

const run = Math.random().toString(36).slice(2, 8);

test("the audit log and the dashboard tell what happened in sentences, with links to what still exists", async ({ page }) => {
  await page.goto(e2e.url("acme", "/audit"));
  const call = <T>(path: string, input: unknown) => trpcMutation<T>(page, path, input);
  const invoice = await call<{ id: string; number: number }>("invoice.create", {
    customerName: `Audit customer ${run}`,
    currency: "EUR",
    issueDate: "2026-03-01",
    dueDate: "2026-03-31",
    projectId: null,
    items: [{ description: "Design work", quantity: "2", unitPrice: 12_000, taxRateBp: 0 }],
  });
  const number = `INV-${String(invoice.number).padStart(6, "0")}`;
  await call("invoice.update", { id: invoice.id, items: [{ description: "Design work", quantity: "1.5", unitPrice: 12_000, taxRateBp: 0 }] });
  await call("invoice.void", { id: invoice.id });
  const doomed = await call<{ id: string }>("project.create", { name: `Doomed project ${run}` });
  await call("project.delete", { id: doomed.id });
  const key = await call<{ token: string }>("apiKey.create", { name: `CI deploy ${run}`, scopes: ["projects:write", "projects:read"], expiresInDays: 30 });
  const made = await trpcMutation<{ id: string }>(page, "project.create", { name: `Key project ${run}` }, key.token);

  await page.reload();
  const entries = page.getByTestId("audit-entry");
  const voided = entries.filter({ hasText: `voided invoice ${number}` });
  await expect(voided).toHaveCount(1);
  await expect(voided.getByRole("link", { name: number })).toHaveAttribute("href", `/invoices/${invoice.id}`);
  const edited = entries.filter({ hasText: `edited draft invoice ${number}` });
  await expect(edited).toContainText("Lines were: 2 × Design work at €120.00");
  await expect(edited).toContainText("Lines now: 1.5 × Design work at €120.00");
  await expect(edited).toContainText("Total: €240.00 → €180.00");
  await expect(entries.filter({ hasText: `created invoice ${number} for Audit customer ${run} (€240.00)` })).toHaveCount(1);
  const deleted = entries.filter({ hasText: `deleted project Doomed project ${run}` });
  await expect(deleted).toHaveCount(1);
  await expect(deleted.getByRole("link", { name: `Doomed project ${run}` })).toHaveCount(0);
  const byKey = entries.filter({ hasText: `API key ‘CI deploy ${run}’ created project Key project ${run}` });
  await expect(byKey.getByRole("link", { name: `Key project ${run}` })).toHaveAttribute("href", `/projects/${made.id}`);
  // No log codes, ids or raw amounts anywhere in the list.
  const listed = await page.getByRole("list", { name: "Audit entries, newest first" }).innerText();
  expect(listed).not.toMatch(/invoice\.void|project\.delete|quantityMilli|[0-9a-f]{8}-[0-9a-f]{4}-/);

  await page.getByLabel("Action").selectOption({ label: "Invoice voided" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=invoice\.void/);
  await expect(entries.filter({ hasText: "edited draft invoice" })).toHaveCount(0);
  await expect(entries.filter({ hasText: `voided invoice ${number}` })).toHaveCount(1);

  await page.goto(e2e.url("acme", "/"));
  const feed = page.getByRole("region", { name: "Recent activity" });
  await expect(feed.getByText(`API key ‘CI deploy ${run}’ created project Key project ${run}`)).toBeVisible();
  await expect(feed.getByRole("listitem").filter({ hasText: `voided invoice ${number}` }).getByRole("link", { name: number })).toHaveAttribute("href", `/invoices/${invoice.id}`);
});

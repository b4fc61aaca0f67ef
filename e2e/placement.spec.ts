import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { e2e } from "../playwright.config";

/**
 * Silo by exception in a real browser: an admin asks for globex to move to a dedicated database,
 * the mover runs (as the worker would: `tenant:move` picks up the requested move), and globex's
 * pages then read and write there. globex is moved back at the end; other specs using it meanwhile
 * see at most a short pause (that transparency is part of what is tested).
 */
const dedicated = (() => {
  const entries = Object.entries(JSON.parse(process.env.TENANT_DATABASES || "{}") as Record<string, { url: string; migrationUrl: string }>);
  if (!entries[0]) throw new Error("e2e/placement.spec.ts needs TENANT_DATABASES with one dedicated database (npm test creates one on its embedded server)");
  return { name: entries[0][0], ownerUrl: entries[0][1].migrationUrl };
})();

const move = (slug: string, target: string) =>
  execFileSync("node_modules/.bin/tsx", ["scripts/tenant-move.ts", slug, target], { env: process.env, stdio: "pipe", timeout: 60_000 }).toString();

/** Projects named `name` of the tenant in one database, read as its owner role inside the tenant's scope. */
async function projectsNamed(ownerUrl: string, tenantId: string, name: string): Promise<number> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => undefined });
  try {
    return await sql.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
      const [row] = await tx<{ n: string }[]>`select count(*) as n from projects where tenant_id = ${tenantId} and name = ${name}`;
      return Number(row!.n);
    });
  } finally {
    await sql.end();
  }
}

test("an admin moves globex to a dedicated database; its pages then read and write there", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const shared = postgres(process.env.MIGRATION_DATABASE_URL!, { max: 1, onnotice: () => undefined });
  const [globex] = await shared<{ id: string }[]>`select id from tenants where slug = 'globex'`;
  await shared.end();
  const projectName = `Placed ${Math.random().toString(36).slice(2, 8)}`;
  try {
    await page.goto(e2e.url("admin", "/signin"));
    await page.getByLabel("Email").fill("admin@canopy.test");
    await page.getByLabel("Password").fill("canopy-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
    await page.goto(e2e.url("admin", `/tenants/${globex!.id}`));

    const panel = page.getByRole("region", { name: "Placement" });
    await expect(panel.getByTestId("placement")).toHaveText("shared");
    await panel.getByLabel("Move to").selectOption(dedicated.name);
    await panel.getByRole("button", { name: "Move tenant" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Move", exact: true }).click();
    await expect(page.getByText(`Move of Globex Inc to "${dedicated.name}" queued`)).toBeVisible();
    await expect(panel.getByText("requested")).toBeVisible();

    expect(move("globex", dedicated.name)).toContain(`globex: shared → ${dedicated.name}: done`);
    // The panel polls while the move is unsettled and shows the outcome.
    await expect(panel.getByTestId("placement")).toHaveText(dedicated.name);
    await expect(panel.getByText("done")).toBeVisible();
    await expect(panel.getByText(/writes paused \d+ ms/)).toBeVisible();

    // globex's owner keeps working; the new project is written to the dedicated database only.
    const context = await browser.newContext({ storageState: "e2e/.auth/globex-owner.json" });
    const owner = await context.newPage();
    await owner.goto(e2e.url("globex", "/projects"));
    await owner.getByRole("button", { name: "New project" }).click();
    const dialog = owner.getByRole("dialog", { name: "New project" });
    await dialog.getByLabel("Name").fill(projectName);
    await dialog.getByRole("button", { name: "Create project" }).click();
    await expect(owner.getByText("Project created")).toBeVisible();
    await owner.reload();
    await expect(owner.getByRole("link", { name: projectName })).toBeVisible();
    await context.close();
    expect(await projectsNamed(dedicated.ownerUrl, globex!.id, projectName)).toBe(1);
    expect(await projectsNamed(process.env.MIGRATION_DATABASE_URL!, globex!.id, projectName)).toBe(0);
  } finally {
    move("globex", "shared");
  }
  expect(await projectsNamed(process.env.MIGRATION_DATABASE_URL!, globex!.id, projectName)).toBe(1);
});
